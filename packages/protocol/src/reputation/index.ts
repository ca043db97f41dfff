export * from './attestation.ts';

export * from './derive.ts';
export * from './mnemonic.ts';
export * from './nip19.ts';

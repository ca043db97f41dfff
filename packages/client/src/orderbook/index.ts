export * from './book.ts';
export * from './entry.ts';
export * from './filters.ts';

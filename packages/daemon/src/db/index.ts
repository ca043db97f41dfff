// @mostro/daemon persistence: one module per aggregate, plain functions taking the connection.
export * from './disputes.ts';
export * from './journal.ts';
export * from './kv.ts';
export { currentVersion, MIGRATIONS, type Migration, type MigrationReport, migrate } from './migrations.ts';
export { type Db, type OpenOptions, openDatabase, transaction } from './open.ts';
export * from './orders.ts';
export * from './outbox.ts';
export * from './processed-events.ts';
export * from './users.ts';

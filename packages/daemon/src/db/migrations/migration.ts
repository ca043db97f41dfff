/** One schema migration: applied once, in version order, inside a transaction with its version row. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

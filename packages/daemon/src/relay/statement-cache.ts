// The library's query builder (kysely) prepares every SQL statement anew for each query; with a
// handful of statements per stored event, preparing dominates the relay's write path. This hands
// it a view of the database whose `prepare` reuses statements by SQL text (bounded, LRU).
// Safe because better-sqlite3 is synchronous and the library never streams (`iterate`) a query.
import type BetterSqlite3 from 'better-sqlite3';

export function withStatementCache(db: BetterSqlite3.Database, capacity = 512): BetterSqlite3.Database {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql);
    } else {
      statement = db.prepare(sql);
      if (statements.size >= capacity) statements.delete(statements.keys().next().value as string);
    }
    statements.set(sql, statement);
    return statement;
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A per-connection cache of prepared statements. */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** A database connection (the same type as connection.ts's Db, without importing it back). */
type Db = DatabaseSync;

const cache = new WeakMap<Db, Map<string, StatementSync>>();

/** The prepared statement for `sql` on `db`, prepared once per connection. */
export function stmt(db: Db, sql: string): StatementSync {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let statement = perDb.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    perDb.set(sql, statement);
  }
  return statement;
}

/** Drops the statements cached for `db` (they die with its connection when it is reopened). */
export function forgetStatements(db: Db): void {
  cache.delete(db);
}

/** A value that may be bound as an SQL parameter. */
export type SqlValue = string | number | null;

/** A per-connection cache of prepared statements, and a mark of the writes made through it. */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** A database connection (the same type as connection.ts's Db, without importing it back). */
type Db = DatabaseSync;

interface Prepared {
  statement: StatementSync;
  /** It may change data: anything but a plain SELECT. */
  writes: boolean;
}

interface PerDb {
  statements: Map<string, Prepared>;
  /** Moves on before every writer is handed out and at every transaction boundary. */
  mark: number;
  /** A writer was handed out since the last transaction boundary. */
  wrote: boolean;
}

const cache = new WeakMap<Db, PerDb>();

function perDb(db: Db): PerDb {
  let state = cache.get(db);
  if (!state) {
    state = { statements: new Map(), mark: 0, wrote: false };
    cache.set(db, state);
  }
  return state;
}

/** The prepared statement for `sql` on `db`, prepared once per connection. */
export function stmt(db: Db, sql: string): StatementSync {
  const state = perDb(db);
  let prepared = state.statements.get(sql);
  if (!prepared) {
    prepared = { statement: db.prepare(sql), writes: !/^\s*SELECT\b/i.test(sql) };
    state.statements.set(sql, prepared);
  }
  if (prepared.writes) {
    state.mark++;
    state.wrote = true;
  }
  return prepared.statement;
}

/**
 * A number that moves on whenever this process may have changed data of `db` through stmt()
 * or began or ended a transaction (connection.ts calls touch()): what was checked against the
 * database at one mark may be out of date at another.
 */
export function writeMark(db: Db): number {
  return perDb(db).mark;
}

/** True inside a transaction that may hold changes of its own (not committed yet). */
export function holdsOwnWrites(db: Db): boolean {
  return db.isTransaction && perDb(db).wrote;
}

/** A transaction began or ended on `db`. */
export function touch(db: Db): void {
  const state = perDb(db);
  state.mark++;
  state.wrote = false;
}

/** Drops the statements cached for `db` (they die with its connection when it is reopened). */
export function forgetStatements(db: Db): void {
  const mark = cache.get(db)?.mark ?? 0;
  cache.delete(db);
  perDb(db).mark = mark + 1;
}

/** A value that may be bound as an SQL parameter. */
export type SqlValue = string | number | null;

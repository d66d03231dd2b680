/** A per-connection cache of prepared statements, and a mark of the configuration writes. */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** A database connection (the same type as connection.ts's Db, without importing it back). */
type Db = DatabaseSync;

interface Prepared {
  statement: StatementSync;
  /** It may change a configuration table (config_cache.ts): a write that names one. */
  writesConfig: boolean;
}

/**
 * The configuration tables (those migration 0010 watches). No trigger on another table writes
 * one of them; a statement that writes one names it.
 */
const CONFIG_TABLE =
  /\b(services|staff|working_hours|breaks|days_off|settings|admins|master_services)\b/i;

function writesConfig(sql: string): boolean {
  return !/^\s*SELECT\b/i.test(sql) && CONFIG_TABLE.test(sql);
}

interface PerDb {
  statements: Map<string, Prepared>;
  /** Moves on before every configuration writer is handed out and as a write transaction begins. */
  mark: number;
  /** A configuration writer was handed out since the last transaction boundary. */
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
    prepared = { statement: db.prepare(sql), writesConfig: writesConfig(sql) };
    state.statements.set(sql, prepared);
  }
  if (prepared.writesConfig) {
    state.mark++;
    state.wrote = true;
  }
  return prepared.statement;
}

/**
 * A number that moves on whenever this process may have changed configuration of `db` through
 * stmt() or began a write transaction: what was checked against the database at one mark may be
 * out of date at another.
 */
export function writeMark(db: Db): number {
  return perDb(db).mark;
}

/** True inside a transaction that may hold configuration changes of its own (not committed). */
export function holdsOwnWrites(db: Db): boolean {
  return db.isTransaction && perDb(db).wrote;
}

/** A transaction began or ended on `db`; a write transaction begins with `fresh`. */
export function transactionBoundary(db: Db, fresh = false): void {
  const state = perDb(db);
  if (fresh) state.mark++;
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

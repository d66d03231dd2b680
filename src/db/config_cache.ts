/**
 * A per-connection cache of configuration reads (services, masters, hours, days off, rules,
 * admins, settings), kept while the database's configuration generation is unchanged.
 *
 * The generation is a counter that triggers on every configuration table bump in the writing
 * transaction (migration 0010), so a change by any writer is seen: this process, another bot
 * process on the same file, a tool. The counter is read again (one tiny statement) at the first
 * cached read of every run of the event loop, after every configuration write this process makes
 * through stmt() and as a write transaction begins; so an update never gets a value older than a
 * change committed before it started, and what a write transaction decides on is current. Inside
 * a transaction that changed configuration, a changed generation is not cached (it may be rolled
 * back). Reopening the file in place (a restore) drops everything. Writes made around stmt()
 * (db.exec, db.prepare) are seen from the next run of the event loop on.
 *
 * Values are frozen: callers share them and must not change them.
 */
import { type Db, openings } from "./connection.ts";
import { holdsOwnWrites, stmt, writeMark } from "./statements.ts";

interface Check {
  generation: number;
  mark: number;
}

interface ConfigState {
  /** The committed generation the values were read at. */
  generation: number;
  values: Map<string, unknown>;
  opening: number;
  /** The generation as read at a write mark, during the current run of the event loop. */
  check: Check | undefined;
}

/** Enough for every key a salon has; a bigger map is emptied rather than grown. */
const MAX_ENTRIES = 2000;

const GENERATION = "SELECT n FROM config_generation WHERE id = 1";

const states = new WeakMap<Db, ConfigState>();

/**
 * The value `read` returns for `key`, read once per configuration generation of `db`. `read`
 * must depend only on configuration tables (the ones migration 0010 watches) and on `key`.
 */
export function cached<T>(db: Db, key: string, read: () => T): T {
  const state = stateOf(db);
  const generation = currentGeneration(db, state);
  if (generation === undefined) return read();
  if (generation !== state.generation) {
    // This transaction's own change: not committed, it may be rolled back.
    if (holdsOwnWrites(db)) return read();
    state.values.clear();
    state.generation = generation;
  }
  if (state.values.has(key)) return state.values.get(key) as T;
  const value = deepFreeze(read());
  if (state.values.size >= MAX_ENTRIES) state.values.clear();
  state.values.set(key, value);
  return value;
}

function stateOf(db: Db): ConfigState {
  let state = states.get(db);
  if (!state || state.opening !== openings(db)) {
    // A reopened file (a restore) has a counter of its own: nothing read before is valid.
    state = { generation: -1, values: new Map(), opening: openings(db), check: undefined };
    states.set(db, state);
  }
  return state;
}

function currentGeneration(db: Db, state: ConfigState): number | undefined {
  const mark = writeMark(db);
  if (state.check?.mark === mark) return state.check.generation;
  const generation = readGeneration(db);
  if (generation === undefined || holdsOwnWrites(db)) return generation;
  const check = { generation, mark };
  state.check = check;
  // Valid for this run of the event loop only: the next update (a new task) reads it again.
  queueMicrotask(() => {
    if (state.check === check) state.check = undefined;
  });
  return generation;
}

function readGeneration(db: Db): number | undefined {
  try {
    const n = stmt(db, GENERATION).get()?.n;
    return typeof n === "number" ? n : undefined;
  } catch {
    return undefined; // a database from before migration 0010 (a tool reading an old file)
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  if (value instanceof Map) {
    for (const item of value.values()) deepFreeze(item);
    return value; // a Map cannot be frozen: only repositories hold one, behind a getter
  }
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}

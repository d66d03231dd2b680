/** Opening the SQLite database with the settings every connection must have. */
import { DatabaseSync } from "node:sqlite";
import { forgetStatements, stmt, transactionBoundary } from "./statements.ts";
import { type SyncFile, WalSync } from "./wal_sync.ts";

/** The synchronous node:sqlite connection used everywhere. */
export type Db = DatabaseSync;

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) the database at `path` with WAL, foreign keys and a busy
 * timeout. `synchronous = FULL` makes every committed transaction survive a power cut, at
 * the price of one fsync of the WAL per transaction, on the calling (main) thread. The bot's
 * hot writes use "deferred" durability instead (see writeTransaction and attachWalSync).
 */
export function openDatabase(path: string, options: { readOnly?: boolean } = {}): Db {
  const db = new DatabaseSync(path, { readOnly: options.readOnly ?? false });
  configure(db, options.readOnly ?? false);
  return db;
}

function configure(db: Db, readOnly: boolean): void {
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!readOnly) {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
  }
  db.exec("PRAGMA foreign_keys = ON");
}

/**
 * Closes `db` and opens the file at its path again in the same object, with the same settings,
 * so every holder of the connection sees the file now at that path (a restore swapped it).
 * Only for a read-write connection opened with openDatabase.
 */
export function closeForSwap(db: Db): { reopen(): void } {
  if (db.isOpen) db.close();
  forgetStatements(db);
  return {
    reopen() {
      db.open();
      configure(db, false);
      reopened.set(db, openings(db) + 1);
    },
  };
}

const reopened = new WeakMap<Db, number>();

/** How many times `db` was reopened in place: its change counters started over each time. */
export function openings(db: Db): number {
  return reopened.get(db) ?? 0;
}

/** How a write transaction reaches the disk. */
export interface WriteOptions {
  /**
   * "full" (default): COMMIT fsyncs the WAL on this thread before it returns.
   * "deferred": COMMIT returns without the fsync (`synchronous = NORMAL`) and the connection's
   * WalSync is marked dirty; the fsync happens off the main thread, and every Bot API call and
   * the end of every update wait for it (the durability barrier, src/db/wal_sync.ts). So nobody
   * is told about the change before it is on disk, exactly as with "full". Only for writes the
   * bot makes while handling an update or delivering the outbox, whose only consequence outside
   * the database is what they send. Without an attached WalSync (tools, tests) it is "full".
   */
  durability?: "full" | "deferred";
}

/**
 * Runs `fn` inside `BEGIN IMMEDIATE ... COMMIT` (rolled back if it throws). IMMEDIATE takes
 * the write lock up front: a deferred read-then-write in WAL mode fails with SQLITE_BUSY
 * that busy_timeout cannot absorb. Inside a transaction `fn` simply joins it (and its durability).
 *
 * A deferred commit is visible to other bot processes on this data folder a few milliseconds
 * before it is fsynced. That is harmless: a read promises nobody anything (a client told "this
 * time is taken" is owed nothing; an admin's list that showed it is just redrawn), and a power
 * cut that loses the row stops every process on the machine too, so the confirmation, which
 * waits for this process's barrier, never left. A process that acts on the row writes first (the
 * outbox claims it); its own commit lands later in the same WAL file, so the fsync before its
 * message (its barrier, or its FULL commit) covers ours as well.
 */
export function writeTransaction<T>(db: Db, fn: () => T, options: WriteOptions = {}): T {
  if (db.isTransaction) return fn();
  const barrier = options.durability === "deferred" ? walSyncs.get(db) : undefined;
  if (!barrier) return inTransaction(db, fn);
  return withoutFsync(db, () => {
    const result = inTransaction(db, fn);
    barrier.markDirty();
    return result;
  });
}

/** Runs `fn` with `synchronous = NORMAL` (commits skip the WAL fsync), then FULL again. */
function withoutFsync<T>(db: Db, fn: () => T): T {
  stmt(db, "PRAGMA synchronous = NORMAL").run();
  try {
    return fn();
  } finally {
    stmt(db, "PRAGMA synchronous = FULL").run();
  }
}

function inTransaction<T>(db: Db, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  // What it reads decides what it writes: configuration is checked again inside.
  transactionBoundary(db, true);
  try {
    const result = fn();
    // Held-back bookkeeping joins this commit for free; after fn, so a rollback keeps it queued.
    flushWriteBehind(db);
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  } finally {
    transactionBoundary(db);
  }
}

const walSyncs = new WeakMap<Db, WalSync>();

/**
 * Gives the read-write connection `db` on the file `path` its durability barrier, which lets
 * its writes use "deferred" durability. One per connection; it survives closeForSwap (the same
 * object is reopened on the same path, and each sync opens the WAL file afresh).
 */
export function attachWalSync(db: Db, path: string, sync?: SyncFile): WalSync {
  const barrier = new WalSync(path, sync);
  walSyncs.set(db, barrier);
  return barrier;
}

/**
 * Resolves once every deferred commit made on `db` so far is on disk (at once when there is
 * none, or no barrier). Await it before anything that tells someone about them leaves.
 */
export function durable(db: Db): Promise<void> {
  return walSyncs.get(db)?.flush() ?? Promise.resolve();
}

/** Whether `db` has deferred commits not known to be on disk (a synchronous, free check). */
export function hasUnsyncedWrites(db: Db): boolean {
  return walSyncs.get(db)?.dirty ?? false;
}

/** Runs `fn` inside a read transaction so several reads see one snapshot. */
export function readTransaction<T>(db: Db, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec("BEGIN");
  transactionBoundary(db);
  try {
    return fn();
  } finally {
    if (db.isTransaction) db.exec("COMMIT");
    transactionBoundary(db);
  }
}

/**
 * Runs `fn` (one small write, outside any transaction) with `synchronous = NORMAL`: committed
 * and visible to every connection at once, but the WAL is not fsynced for it, so a power cut
 * may lose it (never corrupts; the next FULL commit makes it durable). Only for bookkeeping whose
 * loss is harmless: a user profile (the next update writes it again), a batch of funnel counts
 * and tracked messages (bookkeeping.ts). Saves an fsync that would block the event loop. Inside
 * a transaction `fn` simply joins it.
 */
export function relaxedWrite<T>(db: Db, fn: () => T): T {
  if (db.isTransaction) return fn();
  return withoutFsync(db, fn);
}

/**
 * Small writes a connection holds back and writes later in one transaction (bookkeeping.ts):
 * `flush` writes them now and never throws, `stop` flushes and stops for good.
 */
export interface WriteBehind {
  flush(): void;
  stop(): void;
}

const writeBehind = new WeakMap<Db, WriteBehind>();

/** Sets (or with undefined removes) what `db` holds back; one per connection. */
export function setWriteBehind(db: Db, held: WriteBehind | undefined): void {
  if (held) writeBehind.set(db, held);
  else writeBehind.delete(db);
}

/**
 * Writes what `db` holds back now. Every reader of held-back tables calls it first, so a read
 * sees them; inside a transaction they join it.
 */
export function flushWriteBehind(db: Db): void {
  writeBehind.get(db)?.flush();
}

/** Writes what `db` holds back, stops holding writes back, and closes it. */
export function closeDatabase(db: Db): void {
  writeBehind.get(db)?.stop();
  if (db.isOpen) db.close();
}

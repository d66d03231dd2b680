/**
 * The durability barrier: commits made with `synchronous = NORMAL` (writeTransaction's
 * "deferred" durability) are in the WAL file but not fsynced yet. Before anything that depends
 * on them leaves the process (a Bot API call, the answer to an update), `flush()` waits for one
 * fdatasync of the WAL that started after them. The fsync runs on Deno's blocking thread pool,
 * never on the event loop, and is shared: every commit made while one sync runs waits for the
 * next one only (group commit).
 *
 * Why syncing the WAL file is enough: SQLite appends a commit's frames to `<db>-wal` with
 * write() before COMMIT returns, so an fdatasync of that file that starts later covers them. The
 * frames leave the WAL only through a checkpoint, which syncs the WAL and then the database file
 * before the WAL is reset or deleted (also on close), so a commit that is no longer in the WAL is
 * already on disk in the main file.
 */

/** Syncs what SQLite wrote for the database at `dbPath` to disk. */
export type SyncFile = (dbPath: string) => Promise<void>;

/**
 * The real sync: opens `<db>-wal` fresh each time (a restore closes the database and SQLite
 * deletes and recreates the WAL, so a kept handle could point at a removed file), fdatasyncs it
 * off the main thread and closes it. Without a WAL file everything was checkpointed into the
 * main file, which is synced instead (cheap: SQLite synced it on close already).
 */
export async function syncWalFile(dbPath: string): Promise<void> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(`${dbPath}-wal`, { read: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    file = await Deno.open(dbPath, { read: true });
  }
  try {
    await file.syncData();
  } finally {
    file.close();
  }
}

/** One sync in progress: it covers the commits marked up to `covers`. */
interface Run {
  covers: number;
  done: Promise<void>;
}

const CLEAN: Promise<void> = Promise.resolve();

/** The barrier of one database connection (see the module comment). */
export class WalSync {
  /** Commits marked so far (a generation counter). */
  #written = 0;
  /** Every commit up to this generation is on disk. */
  #synced = 0;
  #running: Run | undefined;

  constructor(readonly dbPath: string, private readonly sync: SyncFile = syncWalFile) {}

  /** Records that a commit was made without its fsync. */
  markDirty(): void {
    this.#written++;
  }

  /** Whether some commit is not known to be on disk yet. */
  get dirty(): boolean {
    return this.#synced < this.#written;
  }

  /**
   * Resolves once every commit marked before this call is on disk: after a sync that started
   * after the last of them. A sync already running when they were made is not enough; they share
   * the next one. Rejects when that sync fails (the commits stay dirty; the next flush retries).
   * Free when nothing is dirty.
   */
  flush(): Promise<void> {
    if (!this.dirty) return CLEAN;
    return this.#flushTo(this.#written);
  }

  async #flushTo(target: number): Promise<void> {
    while (this.#synced < target) {
      const run = this.#running ?? this.#start();
      if (run.covers >= target) {
        await run.done; // our sync: its failure is ours
      } else {
        // Started before our commit: it cannot cover it. Its failure belongs to its own waiters.
        await run.done.catch(() => {});
      }
    }
  }

  /** Starts a sync covering every commit marked until now (they are in the file already). */
  #start(): Run {
    const covers = this.#written;
    const done = this.#syncCovering(covers);
    const run: Run = { covers, done };
    this.#running = run;
    // Registered before any waiter's continuation: the next waiter to wake sees no sync running.
    const clear = () => {
      if (this.#running === run) this.#running = undefined;
    };
    done.then(clear, clear);
    return run;
  }

  async #syncCovering(covers: number): Promise<void> {
    await this.sync(this.dbPath);
    if (covers > this.#synced) this.#synced = covers;
  }
}

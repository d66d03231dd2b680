/**
 * `DATA_DIR/bot.lock`: a running bot holds a shared lock on it (several bot processes may share
 * one data folder); `restore` takes it exclusively, so it refuses while any bot runs instead of
 * swapping the database under it. The operating system releases a lock when its process dies,
 * so a lock file left behind by a crash (a stale lock) never blocks anything; the pid written
 * into it only makes the refusal message useful.
 */
import { join } from "node:path";

/** The lock file's name inside DATA_DIR. */
export const LOCK_FILE = "bot.lock";

/** A lock held on the data folder. */
export interface DataDirLock {
  /** Gives the lock up (idempotent). */
  release(): void;
  /** Gives the lock up and removes the lock file if this lock created it (a failed start). */
  abandon(): void;
  /**
   * Runs `fn` holding the lock exclusively (a bot restoring in place: its own shared lock is
   * turned exclusive, so it never blocks itself); throws DataDirBusyError, running nothing,
   * while another process holds it. The lock is shared again afterwards.
   */
  exclusively<T>(fn: () => Promise<T>): Promise<T>;
  /** A bot's lock: whether no other process held the folder when it was taken. */
  alone?: boolean;
}

/** `restore` (or another exclusive user) found a bot running on the same data folder. */
export class DataDirBusyError extends Error {
  constructor(readonly dataDir: string, readonly pid: string | undefined) {
    super(
      `A bot is running on ${dataDir}${pid ? ` (pid ${pid})` : ""}. Stop it first ` +
        `(restoring under a running bot would swap the database it has open).`,
    );
    this.name = "DataDirBusyError";
  }
}

function openLockFile(dataDir: string): { file: Deno.FsFile; created: boolean } {
  Deno.mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  try {
    return {
      file: Deno.openSync(path, { read: true, write: true, createNew: true }),
      created: true,
    };
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    return { file: Deno.openSync(path, { read: true, write: true }), created: false };
  }
}

function readPid(dataDir: string): string | undefined {
  try {
    return Deno.readTextFileSync(join(dataDir, LOCK_FILE)).match(/pid (\d+)/)?.[1];
  } catch {
    return undefined;
  }
}

function held(file: Deno.FsFile, path: string, created: boolean, dataDir: string): DataDirLock {
  let open = true;
  const release = () => {
    if (!open) return;
    open = false;
    try {
      file.unlockSync();
    } finally {
      file.close();
    }
  };
  return {
    release,
    abandon() {
      release();
      if (created) Deno.removeSync(path);
    },
    async exclusively(fn) {
      // Converting a flock is not atomic: a failed attempt may lose the shared lock, so it is
      // taken again either way.
      let sole = false;
      try {
        sole = file.tryLockSync(true);
      } finally {
        if (!sole) await file.lock(false);
      }
      if (!sole) throw new DataDirBusyError(dataDir, undefined);
      try {
        return await fn();
      } finally {
        await file.lock(false);
      }
    },
  };
}

/**
 * Taken by `start` for the life of the bot (shared: other bots may hold it too). Waits while a
 * `restore` holds the lock exclusively.
 */
export async function lockDataDirForBot(dataDir: string): Promise<DataDirLock> {
  const { file, created } = openLockFile(dataDir);
  try {
    // Exclusive for a moment first: if that works, no other bot (or restore) is running.
    const alone = file.tryLockSync(true);
    await file.lock(false); // shared (converts the exclusive lock when we had it)
    // Only the pid for the message; truncation is harmless to the lock itself.
    Deno.writeTextFileSync(join(dataDir, LOCK_FILE), `pid ${Deno.pid}\n`);
    return { ...held(file, join(dataDir, LOCK_FILE), created, dataDir), alone };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** Taken by `restore`: throws DataDirBusyError while any bot holds the data folder. */
export function lockDataDirExclusively(dataDir: string): DataDirLock {
  const { file, created } = openLockFile(dataDir);
  let locked = false;
  try {
    locked = file.tryLockSync(true);
  } finally {
    if (!locked) file.close();
  }
  if (!locked) throw new DataDirBusyError(dataDir, readPid(dataDir));
  return held(file, join(dataDir, LOCK_FILE), created, dataDir);
}

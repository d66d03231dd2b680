/**
 * Restoring the database: automatically at start when it is damaged (ensureHealthyDatabase), and
 * by the `restore` command. Only a valid backup whose schema version this program knows is ever
 * restored; the replaced database is backed up first, or moved aside when it is damaged.
 */
import { basename, dirname, resolve } from "node:path";
import { openDatabase } from "../db/connection.ts";
import { type BackupInfo, createBackup, listBackups } from "./backup.ts";
import {
  checkDatabaseFile,
  copyDatabase,
  type DatabaseState,
  moveAside,
  removeQuietly,
  removeWithSideFiles,
  SIDE_FILES,
  tempName,
} from "./db_file.ts";
import { type Logger, nullLogger } from "./log.ts";

/** The database is damaged and no backup passes its check; nothing was changed. */
export class NoValidBackupError extends Error {
  constructor(
    readonly dbPath: string,
    readonly backupDir: string,
    readonly problem: string | undefined,
    readonly checked: number,
  ) {
    super(
      (problem === undefined
        ? `There is no valid backup in ${backupDir} to restore ${dbPath} from`
        : `The database ${dbPath} is damaged (${problem}) and there is no valid backup in ` +
          `${backupDir} to restore it from`) +
        ` (${checked} backup file(s) checked). Nothing was changed. Repair or replace the ` +
        `database file by hand, or move it away to start with an empty database.`,
    );
    this.name = "NoValidBackupError";
  }
}

/** The database file cannot be examined at all (a directory, no permission); nothing was changed. */
export class DatabaseUnreadableError extends Error {
  constructor(readonly dbPath: string, readonly problem: string) {
    super(
      `Cannot read the database ${dbPath}: ${problem}. Nothing was changed; fix the file or ` +
        `its permissions and start again.`,
    );
    this.name = "DatabaseUnreadableError";
  }
}

/** Why a restore source was refused. */
export type RestoreSourceProblem = Exclude<DatabaseState, "ok"> | "is-current";

/** A restore source was refused; nothing was changed. */
export class RestoreSourceError extends Error {
  constructor(
    readonly source: string,
    readonly reason: RestoreSourceProblem,
    readonly problem: string,
  ) {
    super(`Cannot restore from ${source}: ${problem}. Nothing was changed.`);
    this.name = "RestoreSourceError";
  }
}

/** Copies the database at `source` next to `dbPath` under a temporary name and verifies it. */
export async function stageCopy(source: string, dbPath: string): Promise<string> {
  const dir = dirname(resolve(dbPath));
  Deno.mkdirSync(dir, { recursive: true });
  const temp = tempName(dir, basename(dbPath));
  try {
    await copyDatabase(source, temp);
    const check = checkDatabaseFile(temp);
    if (!check.ok) throw new Error(`the copy of ${source} failed verification: ${check.problem}`);
    return temp;
  } catch (error) {
    removeWithSideFiles(temp);
    throw error;
  }
}

/** Options of ensureHealthyDatabase. */
export interface EnsureHealthyOptions {
  dbPath: string;
  backupDir: string;
  now: number;
  logger?: Logger;
}

/** What ensureHealthyDatabase found and did. */
export type HealthyDatabaseResult =
  | { status: "fresh" }
  | { status: "ok" }
  | {
    status: "restored";
    /** The backup restored. */
    from: string;
    /** Where the damaged database was moved. */
    movedAside: string;
    /** Every file moved aside (the database and its -wal/-shm/-journal). */
    movedAsideFiles: string[];
    /** What was wrong with the damaged database. */
    problem: string;
  };

/**
 * Run at every start before opening the database (quick_check): a missing file is "fresh", a good one "ok";
 * a damaged one is moved aside and the newest valid backup restored ("restored"). Throws
 * NoValidBackupError (changing nothing) when there is no valid backup to restore.
 */
export async function ensureHealthyDatabase(
  options: EnsureHealthyOptions,
): Promise<HealthyDatabaseResult> {
  const { dbPath, backupDir, now } = options;
  const logger = options.logger ?? nullLogger;
  // quick_check at every start (a third of integrity_check's time on 100k bookings); the
  // full check runs on every backup and with the `check` command.
  const check = checkDatabaseFile(dbPath, { quick: true });
  if (check.state === "missing") return { status: "fresh" };
  // A newer program's database is not damaged: opening it refuses (DatabaseTooNewError).
  if (check.ok || check.state === "too-new") return { status: "ok" };
  if (check.state === "not-a-file" || check.state === "unreadable") {
    throw new DatabaseUnreadableError(dbPath, check.problem!);
  }
  const backups = listBackups(backupDir);
  const good = backups.find((b) => b.ok);
  if (!good) {
    if (check.state === "empty") {
      // Created but never migrated (e.g. the first start was interrupted): nothing to lose.
      logger.warning("The database file has no tables; it will be set up from scratch", {
        path: dbPath,
      });
      return { status: "fresh" };
    }
    throw new NoValidBackupError(dbPath, backupDir, check.problem, backups.length);
  }
  const staged = await stageCopy(good.path, dbPath);
  let moved: { main: string; files: string[] };
  try {
    moved = moveAside(dbPath, now);
  } catch (error) {
    removeWithSideFiles(staged);
    throw error;
  }
  Deno.renameSync(staged, dbPath);
  logger.critical("The database was damaged and has been restored from a backup", {
    problem: check.problem,
    restoredFrom: good.path,
    backupTakenAt: new Date(good.takenAt).toISOString(),
    damagedFileKeptAt: moved.main,
  });
  return {
    status: "restored",
    from: good.path,
    movedAside: moved.main,
    movedAsideFiles: moved.files,
    problem: check.problem!,
  };
}

/** Options of restoreBackup. */
export interface RestoreOptions {
  dbPath: string;
  backupDir: string;
  /** Path of the database file to restore. */
  source: string;
  now: number;
  logger?: Logger;
}

/** What a restore did. */
export interface RestoreResult {
  dbPath: string;
  restoredFrom: string;
  /** The backup made of the database that was replaced (when it was readable). */
  previousBackup?: BackupInfo;
  /** Where the replaced database was moved, when it was damaged and could not be backed up. */
  movedAside?: string;
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = Deno.statSync(a);
    const y = Deno.statSync(b);
    return resolve(a) === resolve(b) || (x.ino !== null && x.dev === y.dev && x.ino === y.ino);
  } catch {
    return false;
  }
}

/**
 * Replaces the database with `source` (the bot must not be running). Refuses with
 * RestoreSourceError, changing nothing, unless `source` is a valid database of ours. The current
 * database is backed up first (or moved aside when it is damaged).
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { dbPath, backupDir, source, now } = options;
  const logger = options.logger ?? nullLogger;
  if (sameFile(source, dbPath)) {
    throw new RestoreSourceError(source, "is-current", "it is the current database itself");
  }
  const check = checkDatabaseFile(source);
  if (!check.ok) {
    const problem = check.state === "missing"
      ? "no such file"
      : check.state === "not-a-file"
      ? "it is a directory or not a regular file"
      : check.problem!;
    throw new RestoreSourceError(source, check.state as RestoreSourceProblem, problem);
  }
  const staged = await stageCopy(source, dbPath);
  try {
    const result: RestoreResult = { dbPath, restoredFrom: source };
    const current = checkDatabaseFile(dbPath);
    if (current.ok) {
      const db = openDatabase(dbPath);
      try {
        result.previousBackup = await createBackup(db, backupDir, now);
      } finally {
        db.close();
      }
      for (const suffix of SIDE_FILES) removeQuietly(dbPath + suffix);
    } else if (current.state === "not-a-file" || current.state === "unreadable") {
      throw new DatabaseUnreadableError(dbPath, current.problem!);
    } else if (current.state !== "missing") {
      result.movedAside = moveAside(dbPath, now).main;
    } else {
      for (const suffix of SIDE_FILES) removeQuietly(dbPath + suffix);
    }
    Deno.renameSync(staged, dbPath);
    logger.warning("The database was restored", {
      from: source,
      previousBackup: result.previousBackup?.path,
      movedAside: result.movedAside,
    });
    return result;
  } catch (error) {
    removeWithSideFiles(staged);
    throw error;
  }
}

/** Restores the newest valid backup in `backupDir` (throws NoValidBackupError when none). */
export async function restoreLatest(
  options: Omit<RestoreOptions, "source">,
): Promise<RestoreResult> {
  const backups = listBackups(options.backupDir);
  const good = backups.find((b) => b.ok);
  if (!good) {
    throw new NoValidBackupError(options.dbPath, options.backupDir, undefined, backups.length);
  }
  return await restoreBackup({ ...options, source: good.path });
}

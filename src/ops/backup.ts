/**
 * Backups, integrity checks and recovery of the SQLite database.
 *
 * Backups are `backups/booking-YYYYMMDDTHHMMSSZ.db` (UTC; `-2`, `-3`... when a name is taken),
 * written with SQLite's online backup API to a hidden temporary name, switched to the rollback
 * journal (so a backup is one self-contained file), verified, and only then renamed into place.
 * A damaged database is moved aside as `booking.db.corrupt-<UTC stamp>` (never deleted).
 */
import { backup as sqliteBackup, DatabaseSync } from "node:sqlite";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Db, openDatabase } from "../db/connection.ts";
import { loadMigrations } from "../db/migrate.ts";
import { backupsToDelete } from "../domain/backup_retention.ts";
import { type Logger, nullLogger } from "./log.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SQLITE_HEADER = "SQLite format 3\0";
const BACKUP_NAME_RE = /^booking-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$/;
const TEMP_NAME_RE = /^\.booking-(\d{8}T\d{6}Z)(?:-\d+)?\.db\.tmp-[0-9a-f]+$/;
/** Companion files SQLite keeps next to a database. */
const SIDE_FILES = ["-wal", "-shm", "-journal"] as const;

/** One backup file and the result of checking it. */
export interface BackupInfo {
  path: string;
  name: string;
  size: number;
  /** When it was taken, ms since the epoch (second precision, from the name). */
  takenAt: number;
  ok: boolean;
  problem?: string;
  /** The newest migration applied in it, when it could be read. */
  schemaVersion?: number;
}

/** What checkDatabaseFile found. */
export type DatabaseState =
  | "ok"
  | "missing" // no file at that path
  | "not-a-file" // a directory or something else
  | "unreadable" // the operating system refused to read it (permissions...)
  | "not-sqlite" // not an SQLite database at all
  | "empty" // a valid SQLite file without any table (e.g. created but never migrated)
  | "corrupt" // SQLite reports damage (integrity_check or an error while reading)
  | "no-schema" // an SQLite database, but not ours: no schema_migrations table
  | "too-new"; // ours, but written by a newer program (a migration this one does not know)

/** The verdict on one database file. */
export interface DatabaseCheck {
  ok: boolean;
  state: DatabaseState;
  problem?: string;
  /** The newest migration applied in it (when it has schema_migrations). */
  schemaVersion?: number;
}

let knownVersion: number | undefined;

/** The newest schema version this program knows (its newest migration). */
export function knownSchemaVersion(): number {
  knownVersion ??= loadMigrations().at(-1)?.version ?? 0;
  return knownVersion;
}

/** The schema verdict of an open database that has schema_migrations. */
function schemaVerdict(db: Db): DatabaseCheck {
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get();
  const schemaVersion = Number(row?.v ?? 0);
  const known = knownSchemaVersion();
  if (schemaVersion > known) {
    return {
      ok: false,
      state: "too-new",
      schemaVersion,
      problem: `schema version ${schemaVersion} is newer than this program, which knows up to ` +
        `${known}: restoring it would stop the bot`,
    };
  }
  return { ok: true, state: "ok", schemaVersion };
}

/** A backup failed its verification; the unverified file was deleted. */
export class BackupVerificationError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`The new backup ${path} failed verification (${problem}); it was deleted.`);
    this.name = "BackupVerificationError";
  }
}

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

/** The UTC timestamp used in file names: YYYYMMDDTHHMMSSZ. */
export function utcStamp(now: number): string {
  return new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, "") + "Z";
}

function parseStamp(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Parses a backup file name into its time (ms) and sequence number, or undefined. */
export function parseBackupName(name: string): { takenAt: number; seq: number } | undefined {
  const m = BACKUP_NAME_RE.exec(name);
  if (!m) return undefined;
  const takenAt = parseStamp(m[1]);
  if (Number.isNaN(takenAt)) return undefined;
  return { takenAt, seq: m[2] ? Number(m[2]) : 1 };
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // gone already or never created
  }
}

function fsyncFile(path: string): void {
  const file = Deno.openSync(path, { read: true, write: true });
  try {
    file.syncSync();
  } finally {
    file.close();
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first 100 bytes of a file (the SQLite database header), fewer if the file is shorter. */
function readHeader(path: string): Uint8Array {
  const file = Deno.openSync(path, { read: true });
  try {
    const bytes = new Uint8Array(100);
    let read = 0;
    while (read < bytes.length) {
      const n = file.readSync(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } finally {
    file.close();
  }
}

/**
 * Opens a database file read-only without leaving anything behind. A read-only connection to a
 * WAL-mode file creates empty -wal/-shm files next to it; when there is no -wal (nobody has it
 * open, nothing to replay) the file is opened `immutable` instead, which creates nothing.
 */
function openForReading(path: string, header = readHeader(path)): Db {
  const walMode = header.length >= 20 && header[18] === 2 && header[19] === 2;
  if (walMode && !exists(path + "-wal")) {
    const db = new DatabaseSync(`${pathToFileURL(resolve(path)).href}?immutable=1`, {
      readOnly: true,
    });
    db.exec("PRAGMA foreign_keys = ON");
    return db;
  }
  return openDatabase(path, { readOnly: true });
}

/**
 * Runs PRAGMA integrity_check (or the faster quick_check, which skips index-to-table
 * consistency) on an open database: "ok" or the problems found.
 */
export function integrityCheck(db: Db | DatabaseSync, quick = false): string {
  try {
    const rows = db.prepare(quick ? "PRAGMA quick_check" : "PRAGMA integrity_check").all();
    const messages = rows.map((r) => String(Object.values(r)[0]));
    if (messages.length === 1 && messages[0] === "ok") return "ok";
    if (messages.length === 0) return "integrity_check returned nothing";
    return messages.slice(0, 10).join("; ") + (messages.length > 10 ? "; ..." : "");
  } catch (error) {
    return errorMessage(error);
  }
}

/**
 * Checks a database file: exists, is SQLite, passes integrity_check (quick_check with
 * `quick`) and has schema_migrations.
 */
export function checkDatabaseFile(path: string, options: { quick?: boolean } = {}): DatabaseCheck {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { ok: false, state: "missing", problem: "the file does not exist" };
    }
    return { ok: false, state: "unreadable", problem: errorMessage(error) };
  }
  if (!info.isFile) return { ok: false, state: "not-a-file", problem: "it is not a regular file" };
  if (info.size === 0) return { ok: false, state: "empty", problem: "the file is empty" };
  let header: Uint8Array;
  try {
    header = readHeader(path);
  } catch (error) {
    return { ok: false, state: "unreadable", problem: errorMessage(error) };
  }
  if (new TextDecoder("latin1").decode(header.subarray(0, 16)) !== SQLITE_HEADER) {
    return { ok: false, state: "not-sqlite", problem: "file is not a database (no SQLite header)" };
  }
  let db: Db | undefined;
  try {
    db = openForReading(path, header);
    const result = integrityCheck(db, options.quick);
    if (result !== "ok") return { ok: false, state: "corrupt", problem: result };
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
      .map((r) => String(r.name));
    if (tables.length === 0) {
      return { ok: false, state: "empty", problem: "the database has no tables" };
    }
    if (!tables.includes("schema_migrations")) {
      return {
        ok: false,
        state: "no-schema",
        problem: "not a booking bot database (no schema_migrations table)",
      };
    }
    return schemaVerdict(db);
  } catch (error) {
    return { ok: false, state: "corrupt", problem: errorMessage(error) };
  } finally {
    db?.close();
  }
}

/**
 * Copies `source` (an open connection, or a path opened read-only) to `target` with the backup
 * API, switches the copy to the rollback journal (one self-contained file) and fsyncs it.
 */
async function copyDatabase(source: Db | string, target: string): Promise<void> {
  const db = typeof source === "string" ? openForReading(source) : source;
  try {
    await sqliteBackup(db, target);
  } finally {
    if (typeof source === "string") db.close();
  }
  const copy = new DatabaseSync(target);
  try {
    copy.exec("PRAGMA journal_mode = DELETE");
  } finally {
    copy.close();
  }
  fsyncFile(target);
}

function tempName(dir: string, base: string): string {
  return join(dir, `.${base}.tmp-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`);
}

function removeWithSideFiles(path: string): void {
  removeQuietly(path);
  for (const suffix of SIDE_FILES) removeQuietly(path + suffix);
}

/** Writes a verified backup of `db` to `backupDir` as booking-<UTC stamp>.db and describes it. */
export async function createBackup(db: Db, backupDir: string, now: number): Promise<BackupInfo> {
  Deno.mkdirSync(backupDir, { recursive: true });
  const stamp = utcStamp(now);
  const nameFor = (seq: number) => seq === 1 ? `booking-${stamp}.db` : `booking-${stamp}-${seq}.db`;
  let seq = 1;
  while (exists(join(backupDir, nameFor(seq)))) seq++;
  const temp = tempName(backupDir, nameFor(seq));
  try {
    await copyDatabase(db, temp);
    const check = checkDatabaseFile(temp);
    if (!check.ok) throw new BackupVerificationError(join(backupDir, nameFor(seq)), check.problem!);
    while (exists(join(backupDir, nameFor(seq)))) seq++; // another process took the name meanwhile
    const path = join(backupDir, nameFor(seq));
    Deno.renameSync(temp, path);
    return {
      path,
      name: nameFor(seq),
      size: Deno.statSync(path).size,
      takenAt: parseStamp(stamp),
      ok: true,
      schemaVersion: check.schemaVersion,
    };
  } catch (error) {
    removeWithSideFiles(temp);
    throw error;
  }
}

function backupEntries(
  backupDir: string,
): { path: string; name: string; takenAt: number; seq: number }[] {
  const entries: { path: string; name: string; takenAt: number; seq: number }[] = [];
  let listing: Iterable<Deno.DirEntry>;
  try {
    listing = Deno.readDirSync(backupDir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  for (const entry of listing) {
    const parsed = parseBackupName(entry.name);
    if (!entry.isFile || !parsed) continue;
    entries.push({ path: join(backupDir, entry.name), name: entry.name, ...parsed });
  }
  return entries.sort((a, b) => b.takenAt - a.takenAt || b.seq - a.seq);
}

/** Lists the backups in `backupDir`, newest first, each checked (integrity and schema). */
export function listBackups(backupDir: string): BackupInfo[] {
  return backupEntries(backupDir).map((e) => {
    const check = checkDatabaseFile(e.path);
    let size = 0;
    try {
      size = Deno.statSync(e.path).size;
    } catch {
      // vanished while listing; the check already says so
    }
    const info: BackupInfo = { path: e.path, name: e.name, size, takenAt: e.takenAt, ok: check.ok };
    if (!check.ok) info.problem = check.problem;
    if (check.schemaVersion !== undefined) info.schemaVersion = check.schemaVersion;
    return info;
  });
}

/** The newest backup that passes its check, or undefined (checks newest first, stops early). */
export function newestValidBackup(backupDir: string): BackupInfo | undefined {
  for (const e of backupEntries(backupDir)) {
    const check = checkDatabaseFile(e.path);
    if (!check.ok) continue;
    return {
      path: e.path,
      name: e.name,
      size: Deno.statSync(e.path).size,
      takenAt: e.takenAt,
      ok: true,
      schemaVersion: check.schemaVersion,
    };
  }
  return undefined;
}

/**
 * Thins the backups (see backupsToDelete: all of the last 48 h, then one a day for
 * `retentionDays`, never the newest valid one) and removes leftover temporary files of
 * interrupted backups. 0 days keeps everything. Returns the removed paths.
 */
export function pruneBackups(backupDir: string, retentionDays: number, now: number): string[] {
  const entries = backupEntries(backupDir);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const verdicts = new Map<string, boolean>();
  const isValid = (name: string) => {
    if (!verdicts.has(name)) {
      verdicts.set(name, checkDatabaseFile(byName.get(name)!.path, { quick: true }).ok);
    }
    return verdicts.get(name)!;
  };
  const removed: string[] = [];
  for (const name of backupsToDelete(entries, now, retentionDays, isValid)) {
    const path = byName.get(name)!.path;
    Deno.removeSync(path);
    removed.push(path);
  }
  if (!(retentionDays > 0)) return removed;
  try {
    for (const entry of Deno.readDirSync(backupDir)) {
      const m = TEMP_NAME_RE.exec(entry.name);
      if (entry.isFile && m && parseStamp(m[1]) < now - DAY_MS) {
        Deno.removeSync(join(backupDir, entry.name));
        removed.push(join(backupDir, entry.name));
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return removed;
}

/** The time (ms) in the name of the newest backup file, or undefined when there is none. */
export function latestBackupTime(backupDir: string): number | undefined {
  return backupEntries(backupDir)[0]?.takenAt;
}

/** Whether a scheduled backup is due: never made, or at least `intervalHours` ago (0 = off). */
export function isBackupDue(
  lastBackupAt: number | undefined,
  intervalHours: number,
  now: number,
): boolean {
  if (!(intervalHours > 0)) return false;
  if (lastBackupAt === undefined) return true;
  return now - lastBackupAt >= intervalHours * HOUR_MS;
}

/**
 * A mark that changes whenever the database does: this connection's total changes plus
 * SQLite's data_version (which moves when another connection or process commits).
 */
export function changeMark(db: Db): string {
  const version = db.prepare("PRAGMA data_version").get()?.data_version;
  const changes = db.prepare("SELECT total_changes() AS n").get()?.n;
  return `${version}:${changes}`;
}

/** Renames `dbPath` and its -wal/-shm/-journal to `<dbPath>.corrupt-<stamp>[...]`; returns the new main path and every file moved. */
export function moveAside(dbPath: string, now: number): { main: string; files: string[] } {
  const base = `${dbPath}.corrupt-${utcStamp(now)}`;
  let target = base;
  for (let n = 2; [target, ...SIDE_FILES.map((s) => target + s)].some(exists); n++) {
    target = `${base}-${n}`;
  }
  const files: string[] = [];
  Deno.renameSync(dbPath, target);
  files.push(target);
  for (const suffix of SIDE_FILES) {
    if (!exists(dbPath + suffix)) continue;
    Deno.renameSync(dbPath + suffix, target + suffix);
    files.push(target + suffix);
  }
  return { main: target, files };
}

/** Copies the database at `source` next to `dbPath` under a temporary name and verifies it. */
async function stageCopy(source: string, dbPath: string): Promise<string> {
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

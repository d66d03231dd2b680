/**
 * Backups of the SQLite database: `backups/booking-YYYYMMDDTHHMMSSZ.db` (UTC; `-2`, `-3`... when a
 * name is taken), written with SQLite's online backup API to a hidden temporary name, switched to
 * the rollback journal (so a backup is one self-contained file), verified (integrity and schema
 * version), and only then renamed into place; listed with their verdicts, and thinned.
 * Restoring is in restore.ts.
 */
import { join } from "node:path";
import { type Db, flushWriteBehind, openings } from "../db/connection.ts";
import { backupsToDelete } from "../domain/backup_retention.ts";
import {
  checkDatabaseFile,
  copyDatabase,
  type DatabaseState,
  exists,
  removeWithSideFiles,
  tempName,
  utcStamp,
} from "./db_file.ts";

export {
  checkDatabaseFile,
  type DatabaseCheck,
  type DatabaseState,
  integrityCheck,
  knownSchemaVersion,
  moveAside,
  utcStamp,
} from "./db_file.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const BACKUP_NAME_RE = /^booking-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$/;
const TEMP_NAME_RE = /^\.booking-(\d{8}T\d{6}Z)(?:-\d+)?\.db\.tmp-[0-9a-f]+$/;

/** One backup file and the result of checking it. */
export interface BackupInfo {
  path: string;
  name: string;
  size: number;
  /** When it was taken, ms since the epoch (second precision, from the name). */
  takenAt: number;
  ok: boolean;
  problem?: string;
  /** What is wrong with it, when it is not ok ("too-new": written by a newer program). */
  state?: DatabaseState;
  /** The newest migration applied in it, when it could be read. */
  schemaVersion?: number;
}

/** A backup failed its verification; the unverified file was deleted. */
export class BackupVerificationError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`The new backup ${path} failed verification (${problem}); it was deleted.`);
    this.name = "BackupVerificationError";
  }
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

/**
 * Lists the backups in `backupDir`, newest first, each checked (integrity and schema) unless
 * `known` still has its verdict.
 */
export function listBackups(
  backupDir: string,
  known: (path: string) => BackupInfo | undefined = () => undefined,
): BackupInfo[] {
  return backupEntries(backupDir).map((e) => {
    const cached = known(e.path);
    if (cached) return cached;
    const check = checkDatabaseFile(e.path);
    let size = 0;
    try {
      size = Deno.statSync(e.path).size;
    } catch {
      // vanished while listing; the check already says so
    }
    const info: BackupInfo = { path: e.path, name: e.name, size, takenAt: e.takenAt, ok: check.ok };
    if (!check.ok) Object.assign(info, { problem: check.problem, state: check.state });
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
 * SQLite's data_version (which moves when another connection or process commits), and how
 * often the connection was reopened (a restore starts both counters over, so they alone could
 * land on the mark from before it). Held-back bookkeeping is written first: it is a change too.
 */
export function changeMark(db: Db): string {
  flushWriteBehind(db);
  const version = db.prepare("PRAGMA data_version").get()?.data_version;
  const changes = db.prepare("SELECT total_changes() AS n").get()?.n;
  return `${openings(db)}:${version}:${changes}`;
}

/**
 * One SQLite database file on disk: its verdict (exists, is SQLite, passes integrity_check, is
 * ours, and its schema version is one this program knows), a verified copy, and moving a damaged
 * file aside as `<name>.corrupt-<UTC stamp>` (never deleted).
 */
import { backup as sqliteBackup, DatabaseSync } from "node:sqlite";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Db, flushWriteBehind, openDatabase } from "../db/connection.ts";
import { loadMigrations } from "../db/migrate.ts";

const SQLITE_HEADER = "SQLite format 3\0";
/** Companion files SQLite keeps next to a database. */
export const SIDE_FILES = ["-wal", "-shm", "-journal"] as const;

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

/** The UTC timestamp used in file names: YYYYMMDDTHHMMSSZ. */
export function utcStamp(now: number): string {
  return new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, "") + "Z";
}

/** Whether anything exists at `path` (a dangling link counts). */
export function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Removes `path` if it is there. */
export function removeQuietly(path: string): void {
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

/** The message of an error, or the value as text. */
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
 * API, switches the copy to the rollback journal (one self-contained file) and fsyncs it. The
 * bookkeeping an open connection holds back is written first, so the copy has it.
 */
export async function copyDatabase(source: Db | string, target: string): Promise<void> {
  const db = typeof source === "string" ? openForReading(source) : source;
  if (typeof source !== "string") flushWriteBehind(db);
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

/** A hidden temporary name for `base` in `dir`. */
export function tempName(dir: string, base: string): string {
  return join(dir, `.${base}.tmp-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`);
}

/** Removes `path` and its -wal/-shm/-journal. */
export function removeWithSideFiles(path: string): void {
  removeQuietly(path);
  for (const suffix of SIDE_FILES) removeQuietly(path + suffix);
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

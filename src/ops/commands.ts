/** The operator commands: backup, restore, check, jobs. */
import type { Config } from "../config.ts";
import { openDatabase } from "../db/connection.ts";
import { openMigrated } from "../db/setup.ts";
import { systemClock } from "../domain/clock.ts";
import {
  type BackupInfo,
  checkDatabaseFile,
  createBackup,
  knownSchemaVersion,
  listBackups,
  pruneBackups,
} from "./backup.ts";
import {
  NoValidBackupError,
  restoreBackup,
  restoreLatest,
  type RestoreResult,
  RestoreSourceError,
} from "./restore.ts";
import { gunzipToTemp, isGzipPath } from "./backup_gzip.ts";
import { DataDirBusyError, lockDataDirExclusively } from "./data_lock.ts";

/** A mistake in the command line; printed with the usage and exit code 2. */
export class UsageError extends Error {}

function formatSize(bytes: number): string {
  return bytes >= 1 << 20
    ? `${(bytes / (1 << 20)).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function backupCommand(config: Config, args: string[]): Promise<number> {
  if (args.length) throw new UsageError("backup takes no argument");
  const check = checkDatabaseFile(config.dbPath);
  if (!check.ok) {
    console.error(`Cannot back up ${config.dbPath}: ${check.problem ?? check.state}`);
    return 1;
  }
  const db = openDatabase(config.dbPath);
  try {
    const now = systemClock.now();
    const info = await createBackup(db, config.backupDir, now);
    const removed = pruneBackups(config.backupDir, config.backupRetentionDays, now);
    console.log(`Backup written and verified: ${info.path} (${formatSize(info.size)})`);
    if (removed.length) {
      console.log(
        `Removed ${removed.length} backup(s) older than ${config.backupRetentionDays} days`,
      );
    }
    return 0;
  } finally {
    db.close();
  }
}

function listLine(b: BackupInfo): string {
  const when = new Date(b.takenAt).toISOString();
  const version = b.schemaVersion === undefined ? "v?" : `v${b.schemaVersion}`;
  const verdict = b.ok
    ? "ok"
    : b.problem?.startsWith("schema version")
    ? `REFUSED: ${b.problem}`
    : `BAD: ${b.problem}`;
  return `${b.name}  ${formatSize(b.size).padStart(10)}  ${when}  ${
    version.padStart(5)
  }  ${verdict}`;
}

function restoreList(config: Config): number {
  const backups = listBackups(config.backupDir);
  if (backups.length === 0) {
    console.log(`No backups in ${config.backupDir}`);
    return 0;
  }
  console.log(`This program knows schema versions up to ${knownSchemaVersion()}.`);
  for (const b of backups) console.log(listLine(b));
  return 0;
}

/** Restores FILE (a .db, or a .db.gz decompressed next to the database first) or the newest. */
async function restoreFrom(config: Config, arg: string): Promise<RestoreResult> {
  const base = { dbPath: config.dbPath, backupDir: config.backupDir, now: systemClock.now() };
  if (arg === "--latest") return await restoreLatest(base);
  if (!isGzipPath(arg)) return await restoreBackup({ ...base, source: arg });
  let unzipped: string;
  try {
    unzipped = await gunzipToTemp(arg, config.dataDir);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    throw new RestoreSourceError(arg, "not-sqlite", problem);
  }
  try {
    return { ...await restoreBackup({ ...base, source: unzipped }), restoredFrom: arg };
  } finally {
    await Deno.remove(unzipped).catch(() => {});
  }
}

async function restoreCommand(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1) {
    throw new UsageError("restore takes exactly one of: --list, --latest, FILE");
  }
  const [arg] = args;
  if (arg === "--list") return restoreList(config);
  if (arg.startsWith("--") && arg !== "--latest") throw new UsageError(`Unknown option ${arg}`);
  let lock;
  try {
    // Refuses while a bot runs on this DATA_DIR instead of swapping the file under it.
    lock = lockDataDirExclusively(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    console.error(`${error.message}\nNothing was changed.`);
    return 1;
  }
  try {
    const result = await restoreFrom(config, arg);
    if (result.previousBackup) {
      console.log(`Current database backed up first: ${result.previousBackup.path}`);
    }
    if (result.movedAside) {
      console.log(`Unreadable current database moved aside: ${result.movedAside}`);
    }
    console.log(`Restored ${result.dbPath} from ${result.restoredFrom}`);
    return 0;
  } catch (error) {
    if (error instanceof RestoreSourceError || error instanceof NoValidBackupError) {
      // Both messages already end with "Nothing was changed."
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    // The lock file is left only by bots; a restore leaves the folder as it found it.
    lock.abandon();
  }
}

function checkCommand(config: Config, args: string[]): number {
  if (args.length) throw new UsageError("check takes no argument");
  const result = checkDatabaseFile(config.dbPath);
  const version = result.schemaVersion === undefined
    ? ""
    : ` (schema version ${result.schemaVersion}; this program knows up to ${knownSchemaVersion()})`;
  if (result.ok) {
    console.log(`${config.dbPath}: ok${version}`);
    return 0;
  }
  console.error(
    `${config.dbPath}: ${result.state}${result.problem ? ` (${result.problem})` : ""}${version}`,
  );
  return 1;
}

async function jobsCommand(config: Config, args: string[]): Promise<number> {
  const { JOB_NAMES, runJobOnce } = await import("../jobs/run_once.ts");
  const [sub, name, ...rest] = args;
  if (sub === "list" && !name) {
    for (const job of JOB_NAMES) console.log(job);
    return 0;
  }
  if (sub !== "run" || !name || rest.length) throw new UsageError("Use: jobs run NAME | jobs list");
  if (!(JOB_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`Unknown job "${name}". Jobs: ${JOB_NAMES.join(", ")}`);
  }
  await Deno.mkdir(config.dataDir, { recursive: true });
  const db = openMigrated(config.dbPath, systemClock.now());
  try {
    const summary = await runJobOnce(config, db, name as typeof JOB_NAMES[number]);
    console.log(`${name}: ${summary}`);
    return 0;
  } catch (error) {
    console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    db.close();
  }
}

/** Runs backup | restore | check | jobs; returns the exit code. */
export async function runOpsCommand(
  config: Config,
  command: string,
  args: string[],
): Promise<number> {
  switch (command) {
    case "backup":
      return await backupCommand(config, args);
    case "restore":
      return await restoreCommand(config, args);
    case "check":
      return checkCommand(config, args);
    case "jobs":
      return await jobsCommand(config, args);
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

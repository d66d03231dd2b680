/** The operator commands: backup, restore, check, jobs. */
import type { Config } from "../config.ts";
import { openDatabase } from "../db/connection.ts";
import { openMigrated } from "../db/setup.ts";
import { systemClock } from "../domain/clock.ts";
import {
  checkDatabaseFile,
  createBackup,
  listBackups,
  NoValidBackupError,
  pruneBackups,
  restoreBackup,
  restoreLatest,
  RestoreSourceError,
} from "./backup.ts";

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

async function restoreCommand(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1) {
    throw new UsageError("restore takes exactly one of: --list, --latest, FILE");
  }
  const [arg] = args;
  if (arg === "--list") {
    const backups = listBackups(config.backupDir);
    if (backups.length === 0) {
      console.log(`No backups in ${config.backupDir}`);
      return 0;
    }
    for (const b of backups) {
      const when = new Date(b.takenAt).toISOString();
      console.log(
        `${b.name}  ${formatSize(b.size).padStart(10)}  ${when}  ${
          b.ok ? "ok" : `BAD: ${b.problem}`
        }`,
      );
    }
    return 0;
  }
  if (arg.startsWith("--") && arg !== "--latest") throw new UsageError(`Unknown option ${arg}`);
  try {
    const now = systemClock.now();
    const result = arg === "--latest"
      ? await restoreLatest({ dbPath: config.dbPath, backupDir: config.backupDir, now })
      : await restoreBackup({
        dbPath: config.dbPath,
        backupDir: config.backupDir,
        source: arg,
        now,
      });
    if (result.previousBackup) {
      console.log(`Current database backed up first: ${result.previousBackup}`);
    }
    if (result.movedAside) {
      console.log(`Unreadable current database moved aside: ${result.movedAside}`);
    }
    console.log(`Restored ${result.dbPath} from ${result.restoredFrom}`);
    return 0;
  } catch (error) {
    if (error instanceof RestoreSourceError || error instanceof NoValidBackupError) {
      console.error(`${error.message}\nNothing was changed.`);
      return 1;
    }
    throw error;
  }
}

function checkCommand(config: Config, args: string[]): number {
  if (args.length) throw new UsageError("check takes no argument");
  const result = checkDatabaseFile(config.dbPath);
  if (result.ok) {
    console.log(`${config.dbPath}: ok`);
    return 0;
  }
  console.error(`${config.dbPath}: ${result.state}${result.problem ? ` (${result.problem})` : ""}`);
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

/** CLI entry: start | migrate | backup | restore | check | jobs | demo-data. */
import "./ops/quiet_punycode.ts"; // first: before anything loads grammY
import { type Config, ConfigError, parseConfig } from "./config.ts";
import { type Db, openDatabase } from "./db/connection.ts";
import { createBackup } from "./ops/backup.ts";
import {
  assertNotTooNew,
  DatabaseTooNewError,
  migrateDown,
  migrateUp,
  migrationStatus,
} from "./db/migrate.ts";
import { localizeDefaultMaster, openMigrated } from "./db/setup.ts";
import { systemClock } from "./domain/clock.ts";
import { loadDemoData } from "./services/demo_data.ts";
import { runOpsCommand, UsageError } from "./ops/commands.ts";
import { DatabaseUnreadableError, NoValidBackupError } from "./ops/restore.ts";
import { VERSION } from "./version.ts";
import { assertPortsFree, StartupError } from "./ops/preflight.ts";

const USAGE = `booking-bot ${VERSION}

Usage: deno task bot <command>   (or: booking-bot <command>)

Commands:
  start                      run the bot (needs BOT_TOKEN)
  migrate [up]               apply pending database migrations
  migrate down [N] [--yes]   revert the newest N migrations (default 1); with stored
                             data it needs --yes and backs up first
  migrate status             list migrations and whether each is applied
  backup                     make a verified online backup now
  restore --list             list backups with size, time and check result
  restore --latest           restore the newest valid backup
  restore FILE               restore FILE (the current database is backed up first)
  check                      run an integrity check of the database
  jobs run NAME              run one job now (see 'jobs list')
  jobs list                  list the jobs
  demo-data                  add sample services and a Mon-Fri schedule (idempotent)

Options:
  --version, -V              print the version and exit
  --help, -h                 print this help and exit
`;

/** Prints and exits; separated for readability of the command handlers. */
function fail(message: string, code: number): never {
  console.error(message);
  Deno.exit(code);
}

async function ensureDataDir(config: Config): Promise<void> {
  await Deno.mkdir(config.dataDir, { recursive: true });
}

/** Rows of the tables an owner would miss ("12 bookings, 3 services"), empty when none. */
function storedData(db: ReturnType<typeof openDatabase>): string {
  const parts: string[] = [];
  for (const table of ["bookings", "services", "users"]) {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table);
    if (!exists) continue;
    const n = Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0);
    if (n > 0) parts.push(`${n} ${table}`);
  }
  return parts.join(", ");
}

/**
 * `migrate down`: a down migration may drop columns or tables with data, so on a database that
 * holds any, it needs --yes and takes a verified backup first.
 */
async function migrateDownCommand(config: Config, db: Db, steps: number, yes: boolean) {
  const data = storedData(db);
  if (data && !yes) {
    throw new UsageError(
      `migrate down ${steps} may drop stored data (the database holds ${data}). ` +
        `A backup is taken first; run again with --yes to go ahead.`,
    );
  }
  if (data) {
    const backup = await createBackup(db, config.backupDir, systemClock.now());
    console.log(`Backed up first: ${backup.path}`);
  }
  const done = migrateDown(db, steps);
  console.log(
    done.length ? `Reverted ${done.map((m) => m.version).join(", ")}` : "Nothing to revert",
  );
}

async function migrateCommand(config: Config, allArgs: string[]): Promise<void> {
  const yes = allArgs.includes("--yes");
  const args = allArgs.filter((a) => a !== "--yes");
  if (yes && args[0] !== "down") throw new UsageError("--yes is only for migrate down");
  const [sub = "up", count, ...rest] = args;
  if (rest.length) throw new UsageError(`Unexpected arguments: ${rest.join(" ")}`);
  await ensureDataDir(config);
  const db = openDatabase(config.dbPath);
  try {
    if (sub === "status") {
      if (count !== undefined) throw new UsageError("migrate status takes no argument");
      assertNotTooNew(db);
      for (const m of migrationStatus(db)) {
        console.log(
          `${String(m.version).padStart(4, "0")} ${m.name}: ${m.applied ? "applied" : "pending"}`,
        );
      }
    } else if (sub === "up") {
      if (count !== undefined) throw new UsageError("migrate up takes no argument");
      const done = migrateUp(db, systemClock.now());
      console.log(done.length ? `Applied ${done.map((m) => m.version).join(", ")}` : "Up to date");
    } else if (sub === "down") {
      const steps = count === undefined ? 1 : Number(count);
      if (!Number.isInteger(steps) || steps < 1) {
        throw new UsageError(`migrate down takes a positive whole number, got "${count}"`);
      }
      await migrateDownCommand(config, db, steps, yes);
    } else {
      throw new UsageError(`Unknown migrate subcommand "${sub}"`);
    }
  } finally {
    db.close();
  }
}

async function demoDataCommand(config: Config, args: string[]): Promise<void> {
  if (args.length) throw new UsageError("demo-data takes no argument");
  await ensureDataDir(config);
  const db = openMigrated(config.dbPath, systemClock.now());
  try {
    localizeDefaultMaster(db, config.businessLanguage, systemClock.now());
    const r = loadDemoData(db, systemClock.now(), config.businessLanguage);
    console.log(
      `Demo data: ${r.servicesAdded} services added, ${r.weekdaysSet} weekdays set, ` +
        `${r.breaksAdded} breaks added.`,
    );
  } finally {
    db.close();
  }
}

async function startCommand(config: Config, args: string[]): Promise<void> {
  if (args.length) throw new UsageError("start takes no argument");
  if (!config.botToken) {
    fail(
      `BOT_TOKEN is not set.

To get a token:
  1. Open Telegram and talk to @BotFather (https://t.me/BotFather).
  2. Send /newbot, choose a name and a username ending in "bot".
  3. BotFather answers with a token like 123456789:AAE...; then run
       BOT_TOKEN=123456789:AAE... ADMIN_IDS=<your Telegram id> npx -y deno@2.9.6 task start
     (your numeric id: ask @userinfobot).`,
      2,
    );
  }
  assertPortsFree(config);
  await ensureDataDir(config);
  const { startBot } = await import("./app.ts");
  const running = await startBot(config);
  await running.done;
}

/** Runs one CLI invocation; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === "--version" || command === "-V" || command === "version") {
    console.log(VERSION);
    return 0;
  }
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = parseConfig(Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  try {
    switch (command) {
      case "start":
        await startCommand(config, rest);
        return 0;
      case "migrate":
        await migrateCommand(config, rest);
        return 0;
      case "demo-data":
        await demoDataCommand(config, rest);
        return 0;
      case "backup":
      case "restore":
      case "check":
      case "jobs":
        return await runOpsCommand(config, command, rest);
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof StartupError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof DatabaseTooNewError) {
      console.error(error.message);
      return 3;
    }
    if (error instanceof NoValidBackupError || error instanceof DatabaseUnreadableError) {
      console.error(`CRITICAL: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}

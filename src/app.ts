/**
 * The composition root: `start` wires config, storage, bot, transport, health server and jobs,
 * in short named steps, and stops them in reverse order.
 */
import "./ops/quiet_punycode.ts"; // first: before anything loads grammY
import { type Api } from "grammy";
import type { Config } from "./config.ts";
import { attachWalSync, closeDatabase, type Db, durable } from "./db/connection.ts";
import { startBookkeeping } from "./db/bookkeeping.ts";
import type { SyncFile } from "./db/wal_sync.ts";
import { localizeDefaultMaster, openMigrated, syncOwners } from "./db/setup.ts";
import { migrateUp } from "./db/migrate.ts";
import { listOwnerIds } from "./db/admins_repo.ts";
import { type Clock, systemClock } from "./domain/clock.ts";
import { BookingService } from "./services/booking_service.ts";
import { CatalogService } from "./services/catalog_service.ts";
import { DepositService } from "./services/deposit_service.ts";
import { ScheduleService } from "./services/schedule_service.ts";
import { AdminBookingsService } from "./services/admin_bookings.ts";
import { FunnelService } from "./services/funnel.ts";
import { FeedbackService } from "./services/feedback.ts";
import { UsersService } from "./services/users.ts";
import { ProfileService } from "./services/profile_service.ts";
import { ClientNotesService } from "./services/client_notes.ts";
import { WaitlistService } from "./services/waitlist.ts";
import { MasterService } from "./services/masters.ts";
import {
  ensureHealthyDatabase,
  type HealthyDatabaseResult,
  NoValidBackupError,
} from "./ops/restore.ts";
import { type DataDirLock, lockDataDirForBot } from "./ops/data_lock.ts";
import { connectToTelegram, type Wait } from "./ops/preflight.ts";
import { LiveBackups } from "./ops/live_restore.ts";
import { PauseGate } from "./ops/pause_gate.ts";
import { closeKv, type OpenedKv, openKvOrMoveAside } from "./ops/kv_store.ts";
import { createLogger, type Logger } from "./ops/log.ts";
import { createBotMetrics } from "./ops/metrics.ts";
import { stoppableApi } from "./telegram/stoppable_api.ts";
import { type JobContext, type JobsHandle, startJobs } from "./jobs/scheduler.ts";
import { createOutboxSender, outboxBusy, pausableOutbox } from "./jobs/outbox.ts";
import { releaseAllLeases } from "./db/outbox_repo.ts";
import { createBot } from "./bot/bot.ts";
import { publishCommands } from "./bot/menu.ts";
import { startHealth, startTransport, type Transport } from "./transport.ts";
import type { BotDeps } from "./deps.ts";
import { loadCatalogs, type Translate } from "./ui/i18n.ts";
import { notifyAdmins, sendToUser } from "./bot/notify.ts";

/** A running bot and how to stop it. */
export interface RunningBot {
  deps: BotDeps;
  /** Stops taking updates, finishes in-flight ones, stops jobs, closes database and KV. */
  stop(): Promise<void>;
  /** Resolves when the bot has stopped. */
  done: Promise<void>;
  /** Updates being handled right now (long polling; 0 in webhook mode). */
  inFlight(): number;
}

/** Options tests use to run the real start sequence with a fake clock. */
export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Do not install SIGINT/SIGTERM handlers (tests). */
  noSignals?: boolean;
  /** Do not start Deno.cron jobs (tests drive jobs themselves). */
  noJobs?: boolean;
  /** Waits between attempts to reach Telegram (tests pass an instant one). */
  wait?: Wait;
  /** How long `stop` lets in-flight updates finish before aborting their API calls; 5 s. */
  stopGraceMs?: number;
  /** How long funnel counts and tracked messages may wait to be written (db/bookkeeping.ts). */
  bookkeepingDelayMs?: number;
  /** The fsync of the durability barrier (tests hold it to see that nothing leaves before it). */
  syncWal?: SyncFile;
}

/** Where CRITICAL log records go once the bot exists to send them. */
interface CriticalSink {
  tellOwners?: (text: string) => void;
}

/** Database, dialog-state store and the data-folder lock, opened and healed. */
interface Storage {
  db: Db;
  kv: OpenedKv;
  health: HealthyDatabaseResult;
  lock: DataDirLock;
}

/** Starts everything `deno task start` runs. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const clock = options.clock ?? systemClock;
  const critical: CriticalSink = {};
  const logger = options.logger ?? productionLogger(config, critical);
  logger.info("Starting", {
    version: config.version,
    dataDir: config.dataDir,
    timeZone: config.timeZone,
  });
  const storage = await openStorage(config, clock, logger, options);
  try {
    return await startServing(config, options, { clock, logger, critical, storage });
  } catch (error) {
    // A start that failed half-way (e.g. Telegram unreachable) leaves nothing open or locked.
    closeKv(storage.kv);
    closeDatabase(storage.db);
    storage.lock.release();
    throw error;
  }
}

/** What startServing receives from the first steps. */
interface Opened {
  clock: Clock;
  logger: Logger;
  critical: CriticalSink;
  storage: Storage;
}

/** Builds the bot on the opened storage, starts the transport, health server and jobs. */
async function startServing(
  config: Config,
  options: StartOptions,
  { clock, logger, critical, storage }: Opened,
): Promise<RunningBot> {
  const deps = buildDeps(config, storage, clock, logger);
  // One throttled sender for the outbox and the jobs, built whether jobs run or not; it also
  // sets deps.outbox, which the booking engine kicks after each change.
  const delivery = createOutboxSender(config, deps);
  const bot = createBot(config, deps);
  const abortApiCalls = stoppableApi(bot.api);
  bot.botInfo = await connectToTelegram(config, logger, options.wait);
  logger.info("Bot identity", { username: bot.botInfo.username });
  delivery.state.botUsername = bot.botInfo.username;
  // The command menu is published while updates are already being taken (cold start).
  const published = publishCommands(bot.api, deps).catch((error) =>
    logger.warning("Could not publish the command list", { error: String(error) })
  );
  critical.tellOwners = (message) => tellOwnersCritical(bot.api, deps, message);
  const transport = await startTransport(bot, config, clock, logger);
  const health = startHealth(config, deps, transport);
  const jobs = options.noJobs
    ? undefined
    : startJobs({ config, deps, api: bot.api, context: delivery });
  // A restore pauses the job tick and the outbox sender around the swap of the database file.
  const outbox = pausableOutbox(delivery);
  deps.backups?.attachJobs({
    pause: async () => void await Promise.all([jobs?.pause(), outbox.pause()]),
    resume: () => (jobs?.resume(), outbox.resume()),
  });
  deps.outbox?.kick(); // what a crash left owed goes out now, not at the first tick
  await tellOwnersAboutRecovery(bot.api, deps, storage);
  const stop = shutdown({
    logger,
    ownLogger: !options.logger,
    transport,
    jobs,
    delivery,
    health,
    storage,
    api: { abort: abortApiCalls, published, graceMs: options.stopGraceMs ?? 5_000 },
  });
  if (!options.noSignals) stopOnSignals(stop.run);
  // A drain of the outbox is work in flight too (tests wait for it; shutdown finishes it).
  const inFlight = () => transport.inFlight() + (outboxBusy(delivery) ? 1 : 0);
  return { deps, stop: stop.run, done: stop.done, inFlight };
}

function productionLogger(config: Config, critical: CriticalSink): Logger {
  return createLogger({
    level: config.logLevel,
    file: config.logFile,
    onCritical: (message) => critical.tellOwners?.(message),
  });
}

/**
 * Takes the data-folder lock, heals the database from a backup when it is damaged (refusing
 * to start when no compatible valid backup exists), migrates it, and opens the dialog store.
 */
async function openStorage(
  config: Config,
  clock: Clock,
  logger: Logger,
  options: Pick<StartOptions, "bookkeepingDelayMs" | "syncWal"> = {},
): Promise<Storage> {
  const lock = await lockDataDirForBot(config.dataDir);
  try {
    const health = await ensureHealthyDatabase({
      dbPath: config.dbPath,
      backupDir: config.backupDir,
      now: clock.now(),
      logger,
    });
    const db = openMigrated(config.dbPath, clock.now());
    // The bot's hot writes commit without an fsync on the main thread; nothing leaves the
    // process before their fsync (writeTransaction's "deferred" durability).
    attachWalSync(db, config.dbPath, options.syncWal);
    // No other bot on this folder: the outbox rows in hand belong to a process that died.
    const inFlight = lock.alone ? releaseAllLeases(db) : 0;
    if (inFlight > 0) logger.warning("Resending messages a crash left in flight", { inFlight });
    syncOwners(db, config.adminIds, clock.now());
    localizeDefaultMaster(db, config.businessLanguage, clock.now());
    if (config.adminIds.length === 0) logger.warning("ADMIN_IDS is empty: nobody can use /admin");
    const kv = await openKvOrMoveAside(config.kvPath, clock.now(), logger);
    // Funnel counts and tracked messages are written in batches (db/bookkeeping.ts).
    startBookkeeping(db, {
      delayMs: options.bookkeepingDelayMs,
      onDropped: (error, operations) =>
        logger.warning("Bookkeeping writes dropped", { operations, error: String(error) }),
    });
    return { db, kv, health, lock };
  } catch (error) {
    lock.abandon();
    if (error instanceof NoValidBackupError) {
      logger.critical(error.message);
      logger.close();
    }
    throw error;
  }
}

function buildDeps(
  config: Config,
  storage: Storage,
  clock: Clock,
  logger: Logger,
): BotDeps {
  const { db } = storage;
  // Every change that owes messages kicks the outbox sender (set by createOutboxSender).
  const bookings = new BookingService(db, clock, config.timeZone, {
    onOwed: () => {
      deps.services.waitlist.sweepSoon(); // a change may have freed a time someone waits for
      deps.outbox?.kick();
    },
  });
  const deps: BotDeps = {
    backups: liveBackups(config, storage, clock, logger),
    db,
    clock,
    bookings,
    services: buildServices(config, db, clock, bookings, () => deps.outbox?.kick()),
    catalogs: loadCatalogs(),
    businessLanguage: config.businessLanguage,
    logger,
    metrics: createBotMetrics(),
    kv: storage.kv.kv,
    kvVersions: storage.kv.versions,
  };
  return deps;
}

/** Backups and restore while running, bringing a restored file up to date. */
function liveBackups(config: Config, storage: Storage, clock: Clock, logger: Logger) {
  return new LiveBackups({
    db: storage.db,
    dbPath: config.dbPath,
    backupDir: config.backupDir,
    clock,
    logger,
    lock: storage.lock,
    gate: new PauseGate(),
    prepare(db) {
      migrateUp(db, clock.now());
      syncOwners(db, config.adminIds, clock.now());
      localizeDefaultMaster(db, config.businessLanguage, clock.now());
    },
  });
}

/** Every service that writes, bound to the database, the clock and the booking engine. */
function buildServices(
  config: Config,
  db: Db,
  clock: Clock,
  bookings: BookingService,
  kickOutbox: () => void,
): BotDeps["services"] {
  return {
    adminBookings: new AdminBookingsService(db, clock, bookings),
    catalog: new CatalogService(db, clock),
    deposits: new DepositService(db, clock, bookings, config.depositHoldMinutes),
    schedule: new ScheduleService(db, clock, config.timeZone),
    funnel: new FunnelService(db, clock, config.timeZone),
    feedback: new FeedbackService(db, clock),
    users: new UsersService(db, clock),
    profile: new ProfileService(db, clock),
    clientNotes: new ClientNotesService(db, clock),
    waitlist: new WaitlistService(
      db,
      clock,
      bookings,
      config.timeZone,
      config.waitlistHoldMinutes,
      kickOutbox,
    ),
    masters: new MasterService(db, clock, bookings),
  };
}

function tellOwnersCritical(api: Api, deps: BotDeps, message: string): void {
  for (const id of listOwnerIds(deps.db)) {
    sendToUser(api, deps, id, (t) => t("ops.critical", { message: message.slice(0, 3000) }))
      .catch(() => {});
  }
}

/** Tells the admins what the start sequence repaired: a restored database, a fresh KV store. */
async function tellOwnersAboutRecovery(api: Api, deps: BotDeps, storage: Storage): Promise<void> {
  const { health, kv } = storage;
  if (health.status === "restored") {
    const from = health.from;
    const movedAside = health.movedAside;
    await notifyAdmins(api, deps, (t) => t("ops.restored", { from, movedAside })).catch(() => {});
  }
  if (kv.movedAside) {
    const movedAside = kv.movedAside;
    const render = (t: Translate) => t("ops.kv_reset", { movedAside });
    for (const id of listOwnerIds(deps.db)) await sendToUser(api, deps, id, render);
  }
}

/** What shutdown stops, in order. */
interface Parts {
  logger: Logger;
  ownLogger: boolean;
  transport: Transport;
  jobs?: JobsHandle;
  /** The outbox sender's context, shared with the jobs. */
  delivery: JobContext;
  /** Ends the bot's API calls still running after the grace period (auto-retry never gives up). */
  api: { abort: () => void; published: Promise<unknown>; graceMs: number };
  health: { shutdown(): Promise<void> } | null;
  storage: Storage;
}

/** Stops taking updates, lets in-flight ones finish, stops jobs and health, closes storage. */
function shutdown(parts: Parts): { run: () => Promise<void>; done: Promise<void> } {
  const { logger, transport, jobs, health, storage } = parts;
  let stopping: Promise<void> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const run = () => {
    stopping ??= (async () => {
      logger.info("Stopping: finishing in-flight updates");
      await finishInFlight(transport, parts.api);
      await jobs?.stop();
      // The send in hand finishes; claimed rows not tried yet go back for the next start.
      parts.delivery.sender.close();
      await parts.delivery.state.outboxRun;
      await health?.shutdown();
      closeKv(storage.kv);
      // Every deferred commit is on disk before the connection goes (close would sync the
      // checkpoint too, but only as the last connection; a failed sync must be heard here).
      await durable(storage.db).catch((error) =>
        logger.error("Could not sync the database before closing", { error: String(error) })
      );
      closeDatabase(storage.db); // writes the queued bookkeeping first
      storage.lock.release();
      logger.info("Stopped");
      if (parts.ownLogger) logger.close();
      resolveDone();
    })();
    return stopping;
  };
  return { run, done };
}

/**
 * Stops taking updates and lets those in flight finish for a grace period; then their API calls
 * (which may be retrying a failed request for hours) are aborted, so nothing outlives stop.
 */
async function finishInFlight(transport: Transport, api: Parts["api"]): Promise<void> {
  const grace = setTimeout(api.abort, api.graceMs);
  const giveUp = performance.now() + api.graceMs + 2_000;
  await transport.stop();
  while (transport.inFlight() > 0 && performance.now() < giveUp) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  clearTimeout(grace);
  api.abort();
  await api.published;
}

function stopOnSignals(stop: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      stop().then(() => Deno.exit(0));
    });
  }
}

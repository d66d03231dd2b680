/** `start`: heal and open the database, start the bot, health server and jobs; stop cleanly. */
import { type Api, webhookCallback } from "grammy";
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Config } from "../config.ts";
import { type Db } from "../db/connection.ts";
import { openMigrated, syncOwners } from "../db/setup.ts";
import { listOwnerIds } from "../db/admins_repo.ts";
import { type Clock, systemClock } from "../domain/clock.ts";
import { BookingService } from "../services/booking_service.ts";
import { ensureHealthyDatabase, NoValidBackupError } from "../ops/backup.ts";
import { startHealthServer } from "../ops/health.ts";
import { createLogger, type Logger } from "../ops/log.ts";
import { createBotMetrics } from "../ops/metrics.ts";
import { startJobs } from "../jobs/scheduler.ts";
import { createBot } from "./bot.ts";
import type { BotDeps } from "./context.ts";
import { LANGUAGES, loadCatalogs, translator } from "./i18n.ts";
import { notifyAdmins, sendToUser } from "./notify.ts";
import { stoppableApi } from "./stoppable_api.ts";

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
  /** How long `stop` lets in-flight updates finish before aborting their API calls; 5 s. */
  stopGraceMs?: number;
}

/** Starts everything `deno task start` runs. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const clock = options.clock ?? systemClock;
  // CRITICAL records go to the owners once the bot exists to send them.
  const critical: { tellOwners?: (text: string) => void } = {};
  const logger = options.logger ?? createLogger({
    level: config.logLevel,
    file: config.logFile,
    onCritical: (message) => critical.tellOwners?.(message),
  });
  logger.info("Starting", { dataDir: config.dataDir, timeZone: config.timeZone });

  let health;
  try {
    health = await ensureHealthyDatabase({
      dbPath: config.dbPath,
      backupDir: config.backupDir,
      now: clock.now(),
      logger,
    });
  } catch (error) {
    if (error instanceof NoValidBackupError) {
      logger.critical(error.message);
      logger.close();
      throw error;
    }
    throw error;
  }
  const db: Db = openMigrated(config.dbPath, clock.now());
  syncOwners(db, config.adminIds, clock.now());
  if (config.adminIds.length === 0) {
    logger.warning("ADMIN_IDS is empty: nobody can use /admin");
  }
  const kv = await Deno.openKv(config.kvPath);
  const metrics = createBotMetrics();
  const deps: BotDeps = {
    db,
    clock,
    bookings: new BookingService(db, clock, config.timeZone),
    catalogs: loadCatalogs(),
    logger,
    metrics,
    kv,
  };
  const bot = createBot(config, deps);
  const abortApiCalls = stoppableApi(bot.api);
  await bot.init();
  logger.info("Bot identity", { username: bot.botInfo.username });
  // The command menu is published while updates are already being taken (cold start).
  const published = publishCommands(bot.api, deps).catch((error) =>
    logger.warning("Could not publish the command list", { error: String(error) })
  );

  critical.tellOwners = (message) => {
    for (const id of listOwnerIds(db)) {
      sendToUser(bot.api, deps, id, (t) => t("ops.critical", { message: message.slice(0, 3000) }))
        .catch(() => {});
    }
  };

  let runner: RunnerHandle | undefined;
  let webhookServer: Deno.HttpServer | undefined;
  let lastAlive = clock.now();
  if (config.webhookUrl) {
    const handle = webhookCallback(bot, "std/http", {
      secretToken: config.webhookSecret,
      onTimeout: "return",
    });
    webhookServer = Deno.serve({
      port: config.webhookPort,
      hostname: "0.0.0.0",
      onListen: () => {},
    }, (request) => {
      lastAlive = clock.now();
      return handle(request);
    });
    await bot.api.setWebhook(config.webhookUrl, {
      secret_token: config.webhookSecret,
      allowed_updates: ["message", "callback_query"],
    });
    logger.info("Webhook mode", { url: config.webhookUrl, port: config.webhookPort });
  } else {
    await bot.api.deleteWebhook();
    runner = run(bot, {
      runner: { fetch: { allowed_updates: ["message", "callback_query"] } },
    });
    logger.info("Long polling started");
  }

  const healthServer = startHealthServer({
    port: config.healthPort,
    metrics,
    logger,
    checks: {
      database: () => db.prepare("SELECT 1 AS ok").get()?.ok === 1,
      updates: () => ({
        mode: config.webhookUrl ? "webhook" : "polling",
        alive: runner ? runner.isRunning() : webhookServer !== undefined,
        lastUpdateAt: Math.max(lastAlive, metrics.lastUpdateTimestampSeconds.get() * 1000),
      }),
    },
  });

  const jobs = options.noJobs ? undefined : startJobs({ config, deps, api: bot.api });

  if (health.status === "restored") {
    const text = (t: (k: string, p?: Record<string, string>) => string) =>
      t("ops.restored", { from: health.from, movedAside: health.movedAside });
    await notifyAdmins(bot.api, { ...deps }, (t) => text(t)).catch(() => {});
  }

  let stopping: Promise<void> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const stop = () => {
    stopping ??= (async () => {
      logger.info("Stopping: finishing in-flight updates");
      // In-flight updates get a grace period; then their API calls (which may be retrying a
      // failed request for hours) are aborted, so nothing outlives stop.
      const graceMs = options.stopGraceMs ?? 5_000;
      const grace = setTimeout(abortApiCalls, graceMs);
      const giveUp = performance.now() + graceMs + 2_000;
      if (runner?.isRunning()) await runner.stop();
      await webhookServer?.shutdown();
      while (runner && runner.size() > 0 && performance.now() < giveUp) {
        await new Promise((r) => setTimeout(r, 10));
      }
      clearTimeout(grace);
      await jobs?.stop();
      abortApiCalls();
      await published;
      await healthServer?.shutdown();
      kv.close();
      db.close();
      logger.info("Stopped");
      if (!options.logger) logger.close();
      resolveDone();
    })();
    return stopping;
  };
  if (!options.noSignals) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => {
        stop().then(() => Deno.exit(0));
      });
    }
  }
  return { deps, stop, done, inFlight: () => runner?.size() ?? 0 };
}

/** The command menu Telegram shows next to the input field, in each language. */
async function publishCommands(api: Api, deps: BotDeps): Promise<void> {
  for (const lang of LANGUAGES) {
    const t = translator(deps.catalogs, lang);
    const commands = ["start", "book", "my", "lang", "help", "cancel"].map((command) => ({
      command,
      description: t(`common.cmd_${command}`),
    }));
    // Russian is also the default for users whose language has no list of its own.
    await api.setMyCommands(commands, lang === "ru" ? {} : { language_code: lang });
  }
}

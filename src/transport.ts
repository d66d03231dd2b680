/** How updates reach the bot (long polling or a webhook server) and the health server. */
import { type Bot, webhookCallback } from "grammy";
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Config } from "./config.ts";
import type { Clock } from "./domain/clock.ts";
import type { BotDeps } from "./deps.ts";
import { startHealthServer } from "./ops/health.ts";
import { watchRuntime } from "./ops/runtime_metrics.ts";
import type { Logger } from "./ops/log.ts";
import { startWebhookServer } from "./ops/webhook_server.ts";
import { HANDLED_UPDATES } from "./bot/bot.ts";
import type { BotContext } from "./bot/context.ts";

/** How updates arrive (long polling or webhook). */
export interface Transport {
  mode: "polling" | "webhook";
  alive(): boolean;
  lastRequestAt(): number;
  inFlight(): number;
  stop(): Promise<void>;
}

/** Webhook mode when WEBHOOK_URL is set (config guarantees https and a secret), else polling. */
export async function startTransport(
  bot: Bot<BotContext>,
  config: Config,
  clock: Clock,
  logger: Logger,
): Promise<Transport> {
  const allowed_updates = [...HANDLED_UPDATES];
  if (config.webhookUrl && config.webhookSecret) {
    let lastRequestAt = clock.now();
    const handle = webhookCallback(bot, "std/http", { onTimeout: "return" });
    const server = startWebhookServer({
      port: config.webhookPort,
      hostname: config.webhookHost,
      secret: config.webhookSecret,
      logger,
      handle: (request) => {
        lastRequestAt = clock.now();
        return handle(request);
      },
    });
    await bot.api.setWebhook(config.webhookUrl, {
      secret_token: config.webhookSecret,
      allowed_updates,
    });
    logger.info("Webhook mode", {
      url: config.webhookUrl,
      host: config.webhookHost,
      port: config.webhookPort,
    });
    return {
      mode: "webhook",
      alive: () => true,
      lastRequestAt: () => lastRequestAt,
      inFlight: () => 0,
      stop: () => server.shutdown(),
    };
  }
  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates } } });
  logger.info("Long polling started", { allowedUpdates: allowed_updates });
  return {
    mode: "polling",
    alive: () => runner.isRunning(),
    lastRequestAt: () => 0,
    inFlight: () => runner.size(),
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
  };
}

/** Starts /healthz and /metrics, reporting on the database and the transport. */
export function startHealth(config: Config, deps: BotDeps, transport: Transport) {
  const { db, metrics, logger } = deps;
  watchRuntime(metrics, config);
  return startHealthServer({
    port: config.healthPort,
    hostname: config.healthHost,
    metrics,
    logger,
    checks: {
      database: () => db.prepare("SELECT 1 AS ok").get()?.ok === 1,
      updates: () => ({
        mode: transport.mode,
        alive: transport.alive(),
        lastUpdateAt: Math.max(
          transport.lastRequestAt(),
          metrics.lastUpdateTimestampSeconds.get() * 1000,
        ),
      }),
    },
  });
}

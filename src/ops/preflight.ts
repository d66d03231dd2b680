/**
 * What `start` checks before it takes anything: the ports it will listen on are free, and
 * Telegram answers with this token. Each failure is one plain sentence naming what to change,
 * never a stack trace.
 */
import { Api, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { nativeFetch } from "../telegram/native_fetch.ts";
import type { Config } from "../config.ts";
import type { Logger } from "./log.ts";

/** A start-up problem the owner can fix by changing a setting (exit code 2). */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** The ports `start` listens on, with the variables that set them. */
function portsToCheck(config: Config): { name: string; hostname: string; port: number }[] {
  const ports = [];
  if (config.healthPort > 0) {
    ports.push({ name: "HEALTH_PORT", hostname: config.healthHost, port: config.healthPort });
  }
  if (config.webhookUrl) {
    ports.push({ name: "WEBHOOK_PORT", hostname: config.webhookHost, port: config.webhookPort });
  }
  return ports;
}

/** Refuses to start when a port the bot needs is taken, naming the variable that sets it. */
export function assertPortsFree(config: Config): void {
  for (const { name, hostname, port } of portsToCheck(config)) {
    try {
      Deno.listen({ hostname, port }).close();
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      const off = name === "HEALTH_PORT" ? " (or HEALTH_PORT=0 to turn it off)" : "";
      throw new StartupError(
        `${name}=${port}: the port is already in use on ${hostname} by another program. ` +
          `Stop that program or choose another port${off}.`,
      );
    }
  }
}

/** Waits between attempts to reach Telegram (tests pass their own). */
export type Wait = (ms: number) => Promise<void>;

const realWait: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks Telegram who the bot is until it answers: an unreachable API is retried with a clear
 * warning (1, 2, 4 … 30 s apart, for ever — a bot started before the network comes up); a
 * rejected token stops at once with a StartupError. Uses a client of its own without
 * auto-retry, so every failed attempt is reported.
 */
export async function connectToTelegram(
  config: Pick<Config, "apiRoot" | "botToken">,
  logger: Logger,
  wait: Wait = realWait,
): Promise<UserFromGetMe> {
  logger.info("Connecting to the Telegram Bot API", { apiRoot: config.apiRoot });
  const api = new Api(config.botToken ?? "", { apiRoot: config.apiRoot, fetch: nativeFetch });
  for (let attempt = 1;; attempt++) {
    try {
      return await api.getMe();
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        throw new StartupError(
          `Telegram rejected BOT_TOKEN (${error.error_code} ${error.description}). ` +
            `Copy the token again from @BotFather (/mybots → your bot → API Token).`,
        );
      }
      if (!(error instanceof HttpError)) throw error;
      const seconds = Math.min(30, 2 ** (attempt - 1));
      logger.warning(
        `Cannot reach the Telegram Bot API at ${config.apiRoot} (${error.message}); ` +
          `check the internet connection or TELEGRAM_API_ROOT. Retrying in ${seconds} s`,
        { attempt },
      );
      await wait(seconds * 1000);
    }
  }
}

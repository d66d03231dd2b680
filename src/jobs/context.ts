/** What every job receives, and the helpers they share to message people. */
import { Api } from "grammy";
import type { InlineKeyboardButton, Message } from "grammy/types";
import type { Config } from "../config.ts";
import { nativeFetch } from "../telegram/native_fetch.ts";
import { trackMessages, useClientDefaults } from "../telegram/transformers.ts";
import type { BotDeps } from "../deps.ts";
import type { Clock } from "../domain/clock.ts";
import { type Lang, pickLanguage, type Translate, translator } from "../ui/i18n.ts";
import { getUser } from "../db/users_repo.ts";
import { markBlockedUsers } from "../telegram/blocked_users.ts";
import { isUserBlocked } from "../db/jobs_repo.ts";
import { type Delivery, type Sleep, ThrottledSender } from "./sender.ts";

/** The parts of the bot's dependencies the jobs use. */
export type JobDeps = Pick<
  BotDeps,
  "db" | "clock" | "catalogs" | "logger" | "metrics" | "businessLanguage"
>;

/** In-memory state kept between ticks (everything that must survive a restart is in SQLite). */
export interface JobState {
  /** After a failed backup, no new attempt before this instant. */
  backupRetryAt?: number;
  /** The database's change mark at the last backup (see changeMark). */
  backupMark?: string;
  /** The outbox drain running now (one per context; see outbox.ts). */
  outboxRun?: Promise<JobResult>;
  /** Set when a delivery was asked for while a drain ran: it looks once more. */
  outboxAgain?: boolean;
  /** While set (a restore swaps the database), no drain starts; kicks wait for the resume. */
  outboxPaused?: boolean;
  /** The bot's username (the .ics uid); asked from Telegram once when not given. */
  botUsername?: string;
}

/** Everything a job run needs. */
export interface JobContext {
  config: Config;
  deps: JobDeps;
  /** The jobs' own Bot API client (no auto-retry; the sender retries). */
  api: Api;
  sender: ThrottledSender;
  state: JobState;
}

/** What one job run found and did (for the log and `jobs run`). */
export interface JobResult {
  /** Items that were due. */
  due: number;
  /** Messages delivered (or, for cleanup, deleted; for backups, files written). */
  done: number;
  /** Items that failed this time (retried later when that is safe). */
  failed: number;
  /** Items skipped on purpose (blocked user, claimed by another run, changed meanwhile). */
  skipped: number;
  /** A short extra word, e.g. the backup file name. */
  note?: string;
}

/** A result with nothing due. */
export function emptyResult(note?: string): JobResult {
  return { due: 0, done: 0, failed: 0, skipped: 0, note };
}

/**
 * The jobs' Bot API client: BOT_TOKEN and TELEGRAM_API_ROOT from the config, a 30 s request
 * timeout (so stopping never waits for a hung request for long), and message tracking.
 */
export function createJobsApi(config: Config, deps: JobDeps, token = config.botToken): Api {
  if (!token) throw new Error("BOT_TOKEN is required to send messages from jobs");
  const api = new Api(token, {
    apiRoot: config.apiRoot,
    timeoutSeconds: 30,
    fetch: nativeFetch,
  });
  useClientDefaults(api, deps.db);
  api.config.use(trackMessages(deps));
  api.config.use(markBlockedUsers(deps));
  return api;
}

/** Options of createJobContext. */
export interface JobContextOptions {
  config: Config;
  deps: JobDeps;
  /** A Bot API client without auto-retry (createJobsApi, or a test's `new Api(...)`). */
  api: Api;
  /**
   * Install message tracking and blocked-user marking on `api` (createJobsApi has them
   * already). Default false.
   */
  track?: boolean;
  /** The sender's sleep; default real timers. Tests advance their FakeClock instead. */
  sleep?: Sleep;
  /**
   * The clock of the sender's throttle; default deps.clock. The bot passes the system clock:
   * Telegram's limits run in real time even when a test's business clock stands still.
   */
  senderClock?: Clock;
  /** The bot's username, when known (the .ics uid); otherwise asked with getMe. */
  botUsername?: string;
}

/** Builds the context the jobs run in, with the throttled sender. */
export function createJobContext(options: JobContextOptions): JobContext {
  const { config, deps, api } = options;
  useClientDefaults(api, deps.db);
  if (options.track) {
    api.config.use(trackMessages(deps));
    api.config.use(markBlockedUsers(deps));
  }
  // A 403 is marked by the API transformer (markBlockedUsers); marked users are skipped here.
  const sender = new ThrottledSender({
    clock: options.senderClock ?? deps.clock,
    sleep: options.sleep,
    logger: deps.logger,
    isBlocked: (chatId) => chatId > 0 && isUserBlocked(deps.db, chatId),
  });
  return { config, deps, api, sender, state: { botUsername: options.botUsername } };
}

/** The language and translate function for messages to `userId`. */
export function languageOf(deps: JobDeps, userId: number): { lang: Lang; t: Translate } {
  const user = getUser(deps.db, userId);
  const lang = pickLanguage(user?.language, user?.languageCode, deps.businessLanguage);
  return { lang, t: translator(deps.catalogs, lang) };
}

/** Whether the user blocked the bot (blocked users are skipped, not retried). */
export function isBlocked(deps: JobDeps, userId: number): boolean {
  return isUserBlocked(deps.db, userId);
}

/** Sends one HTML message (with an optional inline keyboard) through the throttled sender. */
export function sendHtml(
  ctx: JobContext,
  chatId: number,
  text: string,
  inlineKeyboard?: InlineKeyboardButton[][],
): Promise<Delivery<Message.TextMessage>> {
  return ctx.sender.send(
    chatId,
    () =>
      ctx.api.sendMessage(chatId, text, {
        link_preview_options: { is_disabled: true },
        ...(inlineKeyboard ? { reply_markup: { inline_keyboard: inlineKeyboard } } : {}),
      }),
  );
}

/**
 * Whether a claim may be given back after a failed send: only when Telegram surely did not
 * take the message (it answered with an error, or we never got to ask).
 */
export function surelyUndelivered(delivery: Delivery<unknown>): boolean {
  return delivery.status === "failed" && !delivery.maybeDelivered;
}

/** createBot: the one factory used by `start` and by the tests. */
import { Bot, BotError, enhanceStorage, type Middleware, session } from "grammy";
import { sequentialize } from "@grammyjs/runner";
import { autoRetry } from "@grammyjs/auto-retry";
import type { Config } from "../config.ts";
import { getAdminRole } from "../db/admins_repo.ts";
import { getUser, markBlocked, upsertUser } from "../db/users_repo.ts";
import { relaxedWrite } from "../db/connection.ts";
import { trackMessages, useHtmlByDefault } from "../telegram/transformers.ts";
import type { Update, UserFromGetMe } from "grammy/types";
import { cb } from "../ui/callback_data.ts";
import { nativeFetch } from "../telegram/native_fetch.ts";
import type { BotContext } from "./context.ts";
import type { BotDeps } from "../deps.ts";
import { pickLanguage, translator } from "../ui/i18n.ts";
import { DenoKvStorage, initialSession, SESSION_MIGRATIONS } from "./session.ts";
import { markBlockedUsers } from "../telegram/blocked_users.ts";
import { rateLimit } from "./middleware/rate_limit.ts";
import { timeUpdates } from "./middleware/update_time.ts";
import { startFeature } from "./features/start.ts";
import { bookingFeature } from "./features/booking.ts";
import { myBookingsFeature } from "./features/my_bookings.ts";
import { feedbackFeature } from "./features/feedback.ts";
import { adminFeature } from "./features/admin/mod.ts";

/**
 * The update types the bot handles, and the only ones it asks Telegram for (`allowed_updates`
 * of polling and of setWebhook). Anything else is dropped before the middleware, so a handler
 * for a new type works only once its type is listed here: the two cannot drift apart.
 */
export const HANDLED_UPDATES = [
  "message",
  "callback_query",
  "my_chat_member",
] as const satisfies readonly UpdateType[];

/** Options for tests: a bot identity avoids the getMe round trip. */
export interface CreateBotOptions {
  botInfo?: UserFromGetMe;
}

type UpdateType = Exclude<keyof Update, "update_id">;

/** The key under which a chat's dialog state is stored. */
export function sessionKey(ctx: { chat?: { id: number }; from?: { id: number } }) {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}

/** Builds the bot with all middleware and features; does not start it. */
export function createBot(config: Config, deps: BotDeps, options: CreateBotOptions = {}) {
  const bot = new Bot<BotContext>(config.botToken ?? "0:test", {
    // Deno's own fetch instead of the npm build's node-fetch shim: faster, less memory.
    client: { apiRoot: config.apiRoot, fetch: nativeFetch },
    botInfo: options.botInfo,
  });
  const { db, clock, logger, metrics } = deps;

  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
  useHtmlByDefault(bot.api);
  bot.api.config.use(markBlockedUsers(deps));
  bot.api.config.use(trackMessages(deps));

  bot.drop((ctx) => !ctx.has([...HANDLED_UPDATES]));
  // First of all: while a restore swaps the database, updates wait here (none is dropped).
  const gate = deps.backups?.gate;
  if (gate) bot.use((_ctx, next) => gate.pass(next));
  bot.use(timeUpdates(metrics));
  bot.use(async (ctx, next) => {
    metrics.updatesTotal.inc();
    metrics.lastUpdateTimestampSeconds.set(undefined, Math.floor(clock.now() / 1000));
    ctx.config = config;
    ctx.deps = deps;
    const from = ctx.from;
    let chosen: string | null = null;
    if (from && !from.is_bot) {
      const known = getUser(db, from.id);
      // Write only when the profile changed or the user comes back after blocking the bot.
      if (
        !known || known.blockedAt !== null || known.firstName !== from.first_name ||
        known.lastName !== (from.last_name ?? null) || known.username !== (from.username ?? null) ||
        known.languageCode !== (from.language_code ?? null)
      ) {
        // Rewritten by the next update if a power cut loses it: no fsync needed.
        relaxedWrite(db, () => upsertUser(db, from, clock.now()));
      }
      chosen = known?.language ?? null;
      ctx.role = getAdminRole(db, from.id);
    }
    if (logger.enabled("DEBUG")) {
      // What the user did, without what they typed (names and phones stay out of the log).
      const text = ctx.message?.text;
      logger.debug("Update", {
        updateId: ctx.update.update_id,
        userId: from?.id,
        data: ctx.callbackQuery?.data,
        command: text?.startsWith("/") ? text.split(/\s/)[0] : undefined,
        textLength: text && !text.startsWith("/") ? text.length : undefined,
        contact: ctx.message?.contact ? true : undefined,
      });
    }
    ctx.lang = pickLanguage(chosen, from?.language_code, config.businessLanguage);
    ctx.t = translator(deps.catalogs, ctx.lang);
    await next();
  });

  // Only people in private chats: the bot is a personal assistant; in groups and channels it
  // stays silent, and updates without a sender (polls, channel posts) are ignored.
  bot.use((ctx, next) => {
    const ignored = !ctx.from || ctx.from.is_bot ||
      (ctx.chat !== undefined && ctx.chat.type !== "private");
    return ignored ? undefined : next();
  });

  // The user blocked (or unblocked) the bot: remember it so jobs stop sending.
  bot.on("my_chat_member", (ctx) => {
    if (ctx.myChatMember.new_chat_member.status === "kicked") {
      markBlocked(db, ctx.from.id, clock.now());
      logger.info("User blocked the bot", { userId: ctx.from.id });
    }
  });

  // A button on an inline-mode message has no chat to answer in: nothing of ours sends those.
  bot.on("callback_query", async (ctx, next) => {
    if (ctx.callbackQuery.message) return next();
    await ctx.answerCallbackQuery({ text: ctx.t("common.button_outdated") }).catch(() => {});
  });

  bot.use(rateLimit(clock));
  bot.use(sequentialize(sessionKey));
  bot.use(session({
    initial: initialSession,
    getSessionKey: sessionKey,
    storage: enhanceStorage({
      storage: new DenoKvStorage(deps.kv),
      migrations: SESSION_MIGRATIONS,
    }),
  }));

  // A dialog idle for longer than DIALOG_TIMEOUT_MINUTES starts over with a friendly word.
  bot.use(async (ctx, next) => {
    const s = ctx.session;
    const now = clock.now();
    const stale = s.step !== "idle" && s.touchedAt > 0 &&
      now - s.touchedAt > config.dialogTimeoutMinutes * 60_000;
    if (stale) {
      ctx.session = initialSession();
      if (ctx.callbackQuery) await ctx.answerCallbackQuery();
      await ctx.reply(ctx.t("common.dialog_expired"));
      ctx.session.touchedAt = now;
      // A command still does what it says; any other input belonged to the old dialog.
      if (!ctx.message?.text?.startsWith("/")) return;
    }
    await next();
    // Only a dialog in progress can go stale; an idle session is left as it is (not rewritten).
    if (ctx.session.step !== "idle") ctx.session.touchedAt = now;
  });

  const features = bot.errorBoundary(errorHandler(deps));
  features.use(startFeature);
  features.use(bookingFeature);
  features.use(myBookingsFeature);
  features.use(feedbackFeature);
  features.use(adminFeature);
  features.use(fallback);

  bot.catch((error) => {
    logger.error("Unhandled bot error", { error: String(error.error) });
  });
  return bot;
}

/** Logs an unexpected error with the update and tells the user something went wrong. */
function errorHandler(deps: BotDeps) {
  return async (error: BotError<BotContext>) => {
    const ctx = error.ctx;
    deps.metrics.errorsTotal.inc();
    deps.logger.error("Error while handling update", {
      error: error.error instanceof Error
        ? error.error.stack ?? error.error.message
        : String(error.error),
      update: JSON.stringify(ctx.update),
    });
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => {});
      await ctx.reply(ctx.t("common.error_apology"));
    } catch (replyError) {
      deps.logger.warning("Could not send the apology", { error: String(replyError) });
    }
  };
}

/** Anything no feature took: stale buttons and unexpected messages get an answer. */
const fallback: Middleware<BotContext> = async (ctx) => {
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: ctx.t("common.button_outdated"), show_alert: false });
    return;
  }
  if (ctx.message) {
    await ctx.reply(ctx.t("common.unknown_input"), {
      reply_markup: {
        inline_keyboard: [[{
          text: ctx.t("common.menu_button"),
          callback_data: cb.menu.pack({ item: "main" }),
        }]],
      },
    });
  }
};

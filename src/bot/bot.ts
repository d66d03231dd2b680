/** createBot: the one factory used by `start` and by the tests. */
import {
  Bot,
  BotError,
  Context,
  enhanceStorage,
  type Middleware,
  type MiddlewareFn,
  session,
} from "grammy";
import { sequentialize } from "@grammyjs/runner";
import { autoRetry } from "@grammyjs/auto-retry";
import type { Config } from "../config.ts";
import { trackMessages, useClientDefaults } from "../telegram/transformers.ts";
import type { Update, UserFromGetMe } from "grammy/types";
import { nativeFetch } from "../telegram/native_fetch.ts";
import type { BotContext } from "./context.ts";
import type { BotDeps } from "../deps.ts";
import { DenoKvStorage, initialSession, SESSION_MIGRATIONS, type SessionData } from "./session.ts";
import { markBlockedUsers } from "../telegram/blocked_users.ts";
import { rateLimit } from "./middleware/rate_limit.ts";
import { attachDeps, attachRole, logUpdate } from "./middleware/context.ts";
import { trackUser, watchBlocked } from "./middleware/track_user.ts";
import { chatlessButtons, privateOnly } from "./middleware/private_only.ts";
import { dialogTimeout } from "./middleware/dialog_timeout.ts";
import { timeUpdates } from "./middleware/update_time.ts";
import { owedFirst } from "./middleware/owed_first.ts";
import { LeanComposer } from "./composer.ts";
import { durableUpdates } from "./middleware/durable_updates.ts";
import { settleSideCalls } from "./middleware/side_calls.ts";
import { startFeature } from "./features/start.ts";
import { bookingFeature } from "./features/booking/index.ts";
import { myBookingsFeature } from "./features/my_bookings/index.ts";
import { profileFeature } from "./features/profile.ts";
import { showMainMenu } from "./menu.ts";
import { feedbackFeature } from "./features/feedback.ts";
import { masterFeature } from "./features/master/index.ts";

/**
 * The update types the bot handles, and the only ones it asks Telegram for (`allowed_updates`
 * of polling and of setWebhook). Anything else is dropped before the middleware, so a handler
 * for a new type works only once its type is listed here: the two cannot drift apart.
 */
export const HANDLED_UPDATES = [
  "message",
  "callback_query",
  "my_chat_member",
  "pre_checkout_query",
] as const satisfies readonly UpdateType[];

/** Options for tests: a bot identity avoids the getMe round trip. */
export interface CreateBotOptions {
  botInfo?: UserFromGetMe;
}

type UpdateType = Exclude<keyof Update, "update_id">;

/** Whether an update is of a handled type (the filter query compiled once, not per update). */
const isHandled = Context.has.filterQuery([...HANDLED_UPDATES]);

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
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
  useClientDefaults(bot.api, deps.db);
  bot.api.config.use(markBlockedUsers(deps));
  bot.api.config.use(trackMessages(deps));

  // Every step runs in one LeanComposer: grammY's own chain allocates a lot per update and link.
  const steps = new LeanComposer<BotContext>();
  bot.use(steps);
  // Outermost: the update ends only once its writes are on disk.
  steps.use(durableUpdates(deps.db));
  // Answers to presses and tidying calls leave beside the handler's own; the update waits.
  steps.use(settleSideCalls);
  // While a restore swaps the database, updates wait here (none is dropped).
  const gate = deps.backups?.gate;
  if (gate) steps.use((_ctx, next) => gate.pass(next));
  steps.drop((ctx) => !isHandled(ctx));
  steps.use(timeUpdates(deps.metrics));
  steps.use(attachDeps(config, deps), trackUser, attachRole, logUpdate, privateOnly);
  steps.use(watchBlocked, chatlessButtons);
  steps.use(rateLimit(deps.clock), sequentialize(sessionKey), owedFirst());
  steps.use(dialogSession(deps), dialogTimeout);

  const features = new LeanComposer<BotContext>();
  steps.errorBoundary(errorHandler(deps), features);
  features.use(
    masterFeature,
    startFeature,
    bookingFeature,
    myBookingsFeature,
    profileFeature,
    feedbackFeature,
  );
  features.use(lazyAdmin());
  features.use(fallback);

  bot.catch((error) => {
    deps.logger.error("Unhandled bot error", { error: String(error.error) });
  });
  return bot;
}

/**
 * The admin features, loaded by the first update that gets as far as them (an admin's, or one
 * no client feature took): clients never need them, so a bot nobody has administered yet does
 * not hold them (2.5 MB less idle RSS, 50 ms faster start; bench/RESULTS.md). `deno compile`
 * includes the module: its specifier is a literal.
 */
function lazyAdmin(): MiddlewareFn<BotContext> {
  let admin: Promise<MiddlewareFn<BotContext>> | undefined;
  return async (ctx, next) => {
    admin ??= import("./features/admin/mod.ts").then(
      (module) => module.adminFeature.middleware(),
      (error) => {
        admin = undefined; // try again with the next update
        throw error;
      },
    );
    return (await admin)(ctx, next);
  };
}

/** Dialog state per chat in Deno KV, versioned. */
function dialogSession(deps: BotDeps) {
  return session<SessionData, BotContext>({
    initial: initialSession,
    getSessionKey: sessionKey,
    storage: enhanceStorage({
      storage: new DenoKvStorage(deps.kv, "sessions", deps.kvVersions),
      migrations: SESSION_MIGRATIONS,
    }),
  });
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

/** Anything no feature took: stale buttons are told so, unexpected messages get the menu. */
const fallback: Middleware<BotContext> = async (ctx) => {
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: ctx.t("common.button_outdated"), show_alert: false });
    return;
  }
  if (ctx.message) await showMainMenu(ctx, { notice: ctx.t("common.unknown_input") });
};

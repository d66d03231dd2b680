/** What every handler finds on its context: config and dependencies, admin role, language. */
import type { Middleware } from "grammy";
import type { Config } from "../../config.ts";
import { getAdminRole } from "../../db/admins_repo.ts";
import type { BotDeps } from "../../deps.ts";
import type { BotContext } from "../context.ts";

/** Counts the update and puts config and dependencies on the context. */
export function attachDeps(config: Config, deps: BotDeps): Middleware<BotContext> {
  return (ctx, next) => {
    deps.metrics.updatesTotal.inc();
    deps.metrics.lastUpdateTimestampSeconds.set(undefined, Math.floor(deps.clock.now() / 1000));
    ctx.config = config;
    ctx.deps = deps;
    return next();
  };
}

/** The sender's admin role (undefined for clients). */
export const attachRole: Middleware<BotContext> = (ctx, next) => {
  const from = ctx.from;
  if (from && !from.is_bot) ctx.role = getAdminRole(ctx.deps.db, from.id);
  return next();
};

/** At DEBUG, what the user did, without what they typed (names and phones stay out). */
export const logUpdate: Middleware<BotContext> = (ctx, next) => {
  const logger = ctx.deps.logger;
  if (logger.enabled("DEBUG")) {
    const text = ctx.message?.text;
    logger.debug("Update", {
      updateId: ctx.update.update_id,
      userId: ctx.from?.id,
      data: ctx.callbackQuery?.data,
      command: text?.startsWith("/") ? text.split(/\s/)[0] : undefined,
      textLength: text && !text.startsWith("/") ? text.length : undefined,
      contact: ctx.message?.contact ? true : undefined,
    });
  }
  return next();
};

/**
 * Per-user flood protection: 30 messages and 60 button presses a minute (fixed one-minute
 * windows). Past the limit updates are dropped; the user gets one soft warning per window,
 * never a ban.
 */
import type { MiddlewareFn } from "grammy";
import type { Clock } from "../../domain/clock.ts";
import type { BotContext } from "../context.ts";

/** The limits per user and minute. */
export interface RateLimits {
  messagesPerMinute: number;
  callbacksPerMinute: number;
}

/** The spec's limits. */
export const DEFAULT_RATE_LIMITS: RateLimits = { messagesPerMinute: 30, callbacksPerMinute: 60 };

interface Window {
  startedAt: number;
  count: number;
  warned: boolean;
}

/** Counts one event per user id; says whether it is allowed and whether to warn now. */
export class RateCounter {
  /** Windows by user id (a number key: no string built per hit). */
  private readonly windows = new Map<number, Window>();
  private sweptAt = 0;

  constructor(private readonly clock: Clock, private readonly windowMs = 60_000) {}

  /** Registers a hit for `key` under `limit`. */
  hit(key: number, limit: number): { allowed: boolean; warn: boolean } {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w || now - w.startedAt >= this.windowMs) {
      w = { startedAt: now, count: 0, warned: false };
      this.windows.set(key, w);
      // Ended windows go at most once a window, so a crowd of new users costs no sweep each.
      if (this.windows.size > 1_000 && now - this.sweptAt >= this.windowMs) this.sweep(now);
    }
    w.count++;
    if (w.count <= limit) return { allowed: true, warn: false };
    const warn = !w.warned;
    w.warned = true;
    return { allowed: false, warn };
  }

  /** Windows held now (tests). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, w] of this.windows) {
      if (now - w.startedAt >= this.windowMs) this.windows.delete(key);
    }
  }
}

/** The middleware; admins are limited too (a stuck client can flood as well). */
export function rateLimit(
  clock: Clock,
  limits: RateLimits = DEFAULT_RATE_LIMITS,
): MiddlewareFn<BotContext> {
  const messages = new RateCounter(clock);
  const callbacks = new RateCounter(clock);
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return next();
    const isCallback = ctx.callbackQuery !== undefined;
    const { allowed, warn } = isCallback
      ? callbacks.hit(userId, limits.callbacksPerMinute)
      : messages.hit(userId, limits.messagesPerMinute);
    if (allowed) return next();
    ctx.deps.logger.warning("Rate limit exceeded", {
      userId,
      kind: isCallback ? "callback" : "message",
    });
    if (isCallback) {
      await ctx.answerCallbackQuery({ text: warn ? ctx.t("common.rate_limited") : undefined })
        .catch(() => {});
    } else if (warn) {
      await ctx.reply(ctx.t("common.rate_limited")).catch(() => {});
    }
  };
}

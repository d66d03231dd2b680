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

/** Counts one event; says whether it is allowed and whether to warn now. */
export class RateCounter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: Clock, private readonly windowMs = 60_000) {}

  /** Registers a hit for `key` under `limit`. */
  hit(key: string, limit: number): { allowed: boolean; warn: boolean } {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w || now - w.startedAt >= this.windowMs) {
      w = { startedAt: now, count: 0, warned: false };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    w.count++;
    if (w.count <= limit) return { allowed: true, warn: false };
    const warn = !w.warned;
    w.warned = true;
    return { allowed: false, warn };
  }

  private sweep(now: number): void {
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
  const counter = new RateCounter(clock);
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return next();
    const isCallback = ctx.callbackQuery !== undefined;
    const { allowed, warn } = isCallback
      ? counter.hit(`c:${userId}`, limits.callbacksPerMinute)
      : counter.hit(`m:${userId}`, limits.messagesPerMinute);
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

/** Measures how long each update takes to handle, for the /metrics histogram. */
import type { MiddlewareFn } from "grammy";
import type { BotMetrics } from "../../ops/metrics.ts";
import type { BotContext } from "../context.ts";

/** Middleware recording the handling time of every update, failed ones included. */
export function timeUpdates(metrics: BotMetrics): MiddlewareFn<BotContext> {
  return async (_ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.updateHandlingDuration.observe(undefined, (performance.now() - started) / 1000);
    }
  };
}

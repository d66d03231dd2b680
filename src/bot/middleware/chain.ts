/** Several cheap per-update middlewares run as one step of the bot's middleware chain. */
import type { Context, Middleware, MiddlewareFn } from "grammy";
import { runSteps } from "../composer.ts";

/**
 * Runs `middleware` in order as one link of the chain: each one's `next` is the following one,
 * the last one's is the chain's own `next`; one that does not call `next` ends the update.
 * grammY composes every middleware with two async wrappers (two promises per update each);
 * the checks that run for every update need none of that, and `next` stays callable once.
 */
export function chain<C extends Context>(...middleware: Middleware<C>[]): MiddlewareFn<C> {
  const steps = middleware.map((m) => ({ run: typeof m === "function" ? m : m.middleware() }));
  return (ctx, next) => runSteps(steps, ctx, next);
}

/** Several cheap per-update middlewares run as one step of the bot's middleware chain. */
import type { Context, Middleware, MiddlewareFn } from "grammy";

/**
 * Runs `middleware` in order as one link of the chain: each one's `next` is the following one,
 * the last one's is the chain's own `next`; one that does not call `next` ends the update.
 * grammY composes every middleware with two async wrappers (two promises per update each);
 * the checks that run for every update need none of that, and `next` stays callable once.
 */
export function chain<C extends Context>(...middleware: Middleware<C>[]): MiddlewareFn<C> {
  const steps = middleware.map((m) => typeof m === "function" ? m : m.middleware());
  return (ctx, next) => {
    const at = (i: number): Promise<void> => {
      if (i === steps.length) return next();
      let called = false;
      const result = steps[i](ctx, () => {
        if (called) throw new Error("`next` already called before!");
        called = true;
        return at(i + 1);
      });
      // What a middleware resolves to is ignored by grammY too: only when it settles counts.
      return Promise.resolve(result) as Promise<void>;
    };
    return at(0);
  };
}

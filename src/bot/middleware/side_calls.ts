/**
 * Side calls travel beside the handler's own: the answer to a press (`ack`) and the buttons
 * taken off an old prompt are sent at once and the handler goes on while they are on their way,
 * so the new screen (an edit or a reply) leaves at the same time instead of a round trip to
 * Telegram later. Their order does not matter and nobody needs their result. The update still
 * ends only once every side call it started has settled (the webhook answer and shutdown's drain
 * wait for them), and a failed one fails nothing.
 */
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.ts";

const started = new WeakMap<object, Promise<void>[]>();

/** Outer middleware: keeps the side calls an update starts and waits for them at its end. */
export const settleSideCalls: MiddlewareFn<BotContext> = async (ctx, next) => {
  const calls: Promise<void>[] = [];
  started.set(ctx, calls);
  try {
    await next();
  } finally {
    started.delete(ctx);
    await Promise.all(calls);
  }
};

/**
 * Lets `call` (a side call, errors ignored) finish while the update goes on, when the update
 * runs under settleSideCalls; otherwise (a context built by hand) returns it, to be awaited.
 */
export function inBackground(ctx: object, call: Promise<unknown>): Promise<void> {
  const quiet = call.then(() => {}, () => {});
  const calls = started.get(ctx);
  if (!calls) return quiet;
  calls.push(quiet);
  return Promise.resolve();
}

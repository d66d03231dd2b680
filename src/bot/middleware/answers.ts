/**
 * Answers to button presses travel beside the work they acknowledge. `ack` sends
 * answerCallbackQuery at once and the handler goes on while it is on its way, so the new screen
 * (an edit or a reply) leaves at the same time instead of one round trip to Telegram later. The
 * update still ends only once every answer it started has settled (the webhook reply, the
 * session write and shutdown's drain wait for it), and a failed answer fails nothing.
 */
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.ts";

const started = new WeakMap<object, Promise<void>[]>();

/** Outer middleware: keeps the answers an update starts and waits for them at its end. */
export const settleAnswers: MiddlewareFn<BotContext> = async (ctx, next) => {
  const answers: Promise<void>[] = [];
  started.set(ctx, answers);
  try {
    await next();
  } finally {
    started.delete(ctx);
    await Promise.all(answers);
  }
};

/**
 * Lets `answer` (a call that never rejects) finish while the update goes on, when the update
 * runs under settleAnswers; otherwise (a context built by hand) returns it, to be awaited.
 */
export function inBackground(ctx: object, answer: Promise<void>): Promise<void> {
  const answers = started.get(ctx);
  if (!answers) return answer;
  answers.push(answer);
  return Promise.resolve();
}

import assert from "node:assert/strict";
import { inBackground, settleAnswers } from "../../src/bot/middleware/answers.ts";
import type { BotContext } from "../../src/bot/context.ts";

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}

Deno.test("answers: outside settleAnswers the answer is handed back to be awaited", () => {
  const answer = Promise.resolve();
  assert.equal(inBackground({}, answer), answer);
});

Deno.test("answers: the handler goes on at once; the update ends only after the answer", async () => {
  const ctx = {} as BotContext;
  const answer = deferred();
  const steps: string[] = [];
  const handled = settleAnswers(ctx, async () => {
    await inBackground(ctx, answer.promise);
    steps.push("handler went on");
  }) as Promise<void>;
  const update = handled.then(() => steps.push("update ended"));
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(steps, ["handler went on"]);
  answer.resolve();
  await update;
  assert.deepEqual(steps, ["handler went on", "update ended"]);
  // The update is over: a late answer is awaited by whoever starts it.
  const late = Promise.resolve();
  assert.equal(inBackground(ctx, late), late);
});

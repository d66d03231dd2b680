import assert from "node:assert/strict";
import { inBackground, settleSideCalls } from "../../src/bot/middleware/side_calls.ts";
import type { BotContext } from "../../src/bot/context.ts";

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}

Deno.test("side calls: outside settleSideCalls the call is handed back to be awaited", async () => {
  let settled = false;
  const answer = Promise.reject(new Error("400: query is too old")).finally(() => settled = true);
  await inBackground({}, answer); // awaited here, and its failure swallowed
  assert.ok(settled);
});

Deno.test("side calls: the handler goes on at once; the update ends only after the answer", async () => {
  const ctx = {} as BotContext;
  const answer = deferred();
  const steps: string[] = [];
  const handled = settleSideCalls(ctx, async () => {
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
  // The update is over: a late call is awaited by whoever starts it.
  let late = false;
  await inBackground(ctx, Promise.resolve().then(() => late = true));
  assert.ok(late);
});

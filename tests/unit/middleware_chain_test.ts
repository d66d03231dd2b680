import assert from "node:assert/strict";
import type { Context, MiddlewareFn } from "grammy";
import { LeanComposer } from "../../src/bot/composer.ts";

/** Middleware used together (`composer.use(a, b, c)`): LeanComposer runs them as one flat list. */
const chain = (...middleware: MiddlewareFn<Context>[]) =>
  new LeanComposer<Context>(...middleware).middleware();

type Log = string[];
const ctx = {} as Context;
const step = (log: Log, name: string): MiddlewareFn<Context> => async (_ctx, next) => {
  log.push(`${name} in`);
  await next();
  log.push(`${name} out`);
};

Deno.test("middleware used together: steps run in order around the rest of the chain, each after-part after it", async () => {
  const log: Log = [];
  const plain: MiddlewareFn<Context> = (_ctx, next) => {
    log.push("plain");
    return next();
  };
  await chain(step(log, "a"), plain, step(log, "b"))(ctx, async () => {
    await Promise.resolve();
    log.push("rest");
  });
  assert.deepEqual(log, ["a in", "plain", "b in", "rest", "b out", "a out"]);
});

Deno.test("middleware used together: a step that does not call next ends the update there", async () => {
  const log: Log = [];
  const stop: MiddlewareFn<Context> = () => {
    log.push("stop");
  };
  await chain(step(log, "a"), stop, step(log, "b"))(ctx, () => {
    log.push("rest");
    return Promise.resolve();
  });
  assert.deepEqual(log, ["a in", "stop", "a out"]);
});

Deno.test("middleware used together: errors reach the caller, and next cannot be called twice", async () => {
  const boom: MiddlewareFn<Context> = () => {
    throw new Error("boom");
  };
  await assert.rejects(async () => await chain(boom)(ctx, () => Promise.resolve()), /boom/);
  const failing = () => Promise.reject(new Error("later"));
  await assert.rejects(async () => await chain(step([], "a"))(ctx, failing), /later/);
  const twice: MiddlewareFn<Context> = async (_ctx, next) => {
    await next();
    await next();
  };
  let rest = 0;
  await assert.rejects(
    async () =>
      await chain(twice)(ctx, () => {
        rest++;
        return Promise.resolve();
      }),
    /already called/,
  );
  assert.equal(rest, 1);
});

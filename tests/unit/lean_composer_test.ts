import assert from "node:assert/strict";
import { Api, Composer, Context, type MiddlewareFn } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { LeanComposer } from "../../src/bot/composer.ts";

const me = { id: 1, is_bot: true, first_name: "Bot", username: "bot" } as UserFromGetMe;
const api = new Api("0:test");
const from = { id: 7, is_bot: false, first_name: "A" };
const chat = { id: 7, type: "private" as const, first_name: "A" };
const text = (t: string): Update => ({
  update_id: 1,
  message: {
    message_id: 1,
    date: 0,
    chat,
    from,
    text: t,
    entities: t.startsWith("/") ? [{ type: "bot_command", offset: 0, length: t.length }] : [],
  },
});
const press = (data: string): Update => ({
  update_id: 2,
  callback_query: { id: "q", from, chat_instance: "c", data },
});

/** The same registrations on any composer; returns what ran, in order, for one update. */
function wire(c: Composer<Context>, log: string[], make: () => Composer<Context>): () => void {
  const step = (name: string): MiddlewareFn<Context> => async (_ctx, next) => {
    log.push(`${name} in`);
    await next();
    log.push(`${name} out`);
  };
  c.use(step("outer"));
  c.command("start", (ctx) => void log.push(`start ${ctx.match}`));
  c.callbackQuery(/^n:(\d+)$/, (ctx, next) => {
    log.push(`n ${ctx.match[1]}`);
    return ctx.match[1] === "0" ? next() : undefined;
  });
  c.filter(async (ctx) => (await Promise.resolve(ctx.msg?.text)) === "async", () => {
    log.push("async predicate");
  });
  c.drop((ctx) => ctx.msg?.text === "drop", step("not dropped"));
  const sub = c.use(step("sub"));
  // Filters inside filters, several middleware behind one filter, one composer in two places.
  const messages = c.on("message");
  messages.filter((ctx) => (ctx.msg?.text?.length ?? 0) > 5, step("long"), (_ctx, next) => {
    log.push("long too");
    return next();
  });
  const shared = make();
  shared.use((_ctx, next) => (log.push("shared"), next()));
  c.use(shared);
  c.filter((ctx) => ctx.callbackQuery !== undefined, shared);
  c.on("message:text", (ctx) => void log.push(`text ${ctx.msg.text}`));
  c.on("callback_query:data", (ctx) => void log.push(`data ${ctx.callbackQuery.data}`));
  // Registered after the chain was wired into its parent: grammY sees it, and so must we.
  return () => {
    sub.on("message:text", (_ctx, next) => (log.push("late"), next()));
    messages.use((_ctx, next) => (log.push("late message"), next()));
  };
}

async function trace(make: () => Composer<Context>, update: Update, late = false) {
  const log: string[] = [];
  const c = make();
  const addLate = wire(c, log, make);
  const run = (u: Update) =>
    c.middleware()(new Context(u, api, me), () => {
      log.push("end");
      return Promise.resolve();
    });
  if (late) {
    // One update through the chain first: what was compiled for it must not hide the late ones.
    await run(text("warm"));
    log.length = 0;
    addLate();
  }
  await run(update);
  return log;
}

const updates = [
  text("/start now"),
  text("hello"),
  text("async"),
  text("drop"),
  press("n:0"),
  press("n:5"),
  press("other"),
];

Deno.test("LeanComposer runs every update through the same handlers, in the same order, as grammY's Composer", async () => {
  for (const late of [false, true]) {
    for (const update of updates) {
      const expected = await trace(() => new Composer<Context>(), update, late);
      const actual = await trace(() => new LeanComposer<Context>(), update, late);
      assert.deepEqual(actual, expected, JSON.stringify(update));
    }
  }
  // The cases above differ from each other (a test of nothing would pass too).
  assert.deepEqual(await trace(() => new LeanComposer<Context>(), press("n:0")), [
    "outer in",
    "n 0",
    "not dropped in",
    "sub in",
    "shared",
    "shared",
    "data n:0",
    "sub out",
    "not dropped out",
    "outer out",
  ]);
  assert.deepEqual(await trace(() => new LeanComposer<Context>(), text("hello there"), true), [
    "outer in",
    "not dropped in",
    "sub in",
    "late",
    "long in",
    "long too",
    "late message",
    "shared",
    "text hello there",
    "long out",
    "sub out",
    "not dropped out",
    "outer out",
  ]);
});

Deno.test("LeanComposer: errors reject, sync or async, and next cannot be called twice", async () => {
  const ctx = new Context(text("hi"), api, me);
  const end = () => Promise.resolve();
  const sync = new LeanComposer<Context>();
  sync.on("message", () => {
    throw new Error("boom");
  });
  // A promise that rejects, as grammY's, not a throw.
  await assert.rejects(Promise.resolve(sync.middleware()(ctx, end)), /boom/);
  const predicate = new LeanComposer<Context>();
  predicate.filter(() => Promise.reject(new Error("predicate")), () => {});
  await assert.rejects(Promise.resolve(predicate.middleware()(ctx, end)), /predicate/);
  let rest = 0;
  const twice = new LeanComposer<Context>(async (_ctx, next) => {
    await next();
    await next();
  });
  await assert.rejects(
    async () => await twice.middleware()(ctx, () => (rest++, Promise.resolve())),
    /already called/,
  );
  assert.equal(rest, 1);
});

Deno.test("LeanComposer: an error boundary on it catches its handlers' errors", async () => {
  const caught: string[] = [];
  const c = new LeanComposer<Context>();
  const inner = new LeanComposer<Context>();
  inner.on("message", () => {
    throw new Error("inside");
  });
  c.errorBoundary((e) => void caught.push(String((e.error as Error).message)), inner);
  let after = 0;
  c.use(() => void after++);
  await c.middleware()(new Context(text("hi"), api, me), () => Promise.resolve());
  assert.deepEqual(caught, ["inside"]);
  assert.equal(after, 0);
});

import assert from "node:assert/strict";
import { FakeClock } from "../../src/domain/clock.ts";
import type { BotContext } from "../../src/bot/context.ts";
import { RateCounter, rateLimit } from "../../src/bot/middleware/rate_limit.ts";

/** What one fake update did: passed on, warned, or was answered silently. */
interface Outcome {
  passed: boolean;
  replies: string[];
  answers: (string | undefined)[];
}

/** The middleware with the spec's default limits on a fake clock; `send` runs one update. */
function harness() {
  const clock = new FakeClock(Date.parse("2026-12-01T06:00:00Z"));
  const mw = rateLimit(clock);
  const warnings: unknown[] = [];
  async function send(userId: number, kind: "message" | "callback"): Promise<Outcome> {
    const outcome: Outcome = { passed: false, replies: [], answers: [] };
    const ctx = {
      from: { id: userId },
      callbackQuery: kind === "callback" ? { id: "1", data: "x" } : undefined,
      deps: { logger: { warning: (...args: unknown[]) => warnings.push(args) } },
      t: (key: string) => key,
      reply: (text: string) => {
        outcome.replies.push(text);
        return Promise.resolve();
      },
      answerCallbackQuery: (opts?: { text?: string }) => {
        outcome.answers.push(opts?.text);
        return Promise.resolve(true);
      },
    } as unknown as BotContext;
    await mw(ctx, () => {
      outcome.passed = true;
      return Promise.resolve();
    });
    return outcome;
  }
  /** Sends `n` updates and counts how many reached the next handler. */
  async function burst(userId: number, kind: "message" | "callback", n: number) {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < n; i++) outcomes.push(await send(userId, kind));
    return outcomes;
  }
  return { clock, send, burst, warnings };
}

Deno.test("rate limit: 60 button presses a minute pass, the 61st is dropped with one warning", async () => {
  const h = harness();
  const first = await h.burst(1, "callback", 60);
  assert.ok(first.every((o) => o.passed), "60 presses pass");
  const over = await h.burst(1, "callback", 5);
  assert.ok(over.every((o) => !o.passed), "presses over 60 are dropped");
  assert.deepEqual(over[0].answers, ["common.rate_limited"], "the first dropped press warns");
  for (const o of over.slice(1)) assert.deepEqual(o.answers, [undefined], "then silent answers");
  assert.equal(h.warnings.length, 5, "each dropped press is logged");
  // The next window starts fresh.
  h.clock.advance(60_000);
  assert.ok((await h.send(1, "callback")).passed, "a new minute, a new allowance");
});

Deno.test("rate limit: 30 messages a minute pass, the 31st is dropped with one warning", async () => {
  const h = harness();
  const first = await h.burst(1, "message", 30);
  assert.ok(first.every((o) => o.passed), "30 messages pass");
  const over = await h.burst(1, "message", 3);
  assert.ok(over.every((o) => !o.passed), "messages over 30 are dropped");
  assert.deepEqual(over.map((o) => o.replies.length), [1, 0, 0], "one warning per window");
  assert.equal(over[0].replies[0], "common.rate_limited");
  h.clock.advance(59_999);
  assert.ok(!(await h.send(1, "message")).passed, "still the same window");
  h.clock.advance(1);
  assert.ok((await h.send(1, "message")).passed, "a new window");
});

Deno.test("rate limit: messages and presses are counted apart", async () => {
  const h = harness();
  await h.burst(1, "message", 31);
  assert.ok((await h.send(1, "callback")).passed, "spent messages do not block presses");
  await h.burst(1, "callback", 60);
  assert.ok(!(await h.send(1, "callback")).passed);
  assert.ok(!(await h.send(1, "message")).passed, "messages still limited");
});

Deno.test("rate limit: each user has their own allowance for both limits", async () => {
  const h = harness();
  await h.burst(1, "message", 40);
  await h.burst(1, "callback", 70);
  assert.ok(!(await h.send(1, "message")).passed);
  assert.ok(!(await h.send(1, "callback")).passed);
  // Another user in the same minute is untouched by user 1's flood.
  const msgs = await h.burst(2, "message", 30);
  assert.ok(msgs.every((o) => o.passed), "user 2: all 30 messages pass");
  const presses = await h.burst(2, "callback", 60);
  assert.ok(presses.every((o) => o.passed), "user 2: all 60 presses pass");
  assert.ok(!(await h.send(2, "message")).passed, "user 2 has a limit of their own");
  assert.ok(!(await h.send(2, "callback")).passed);
  // And user 2's warning is their own: they were warned once, user 1 is not warned again.
  const again1 = await h.send(1, "callback");
  assert.deepEqual(again1.answers, [undefined]);
});

Deno.test("rate limit: updates without a sender pass", async () => {
  const clock = new FakeClock(0);
  const mw = rateLimit(clock);
  let passed = 0;
  for (let i = 0; i < 100; i++) {
    await mw({ from: undefined } as unknown as BotContext, () => {
      passed++;
      return Promise.resolve();
    });
  }
  assert.equal(passed, 100);
});

Deno.test("rate limit: ended windows are swept once a window, live ones keep their count", () => {
  const clock = new FakeClock(Date.parse("2026-12-01T06:00:00Z"));
  const counter = new RateCounter(clock, 60_000);
  for (let user = 1; user <= 1_500; user++) counter.hit(user, 30);
  assert.equal(counter.size, 1_500); // all windows still running: nothing to drop
  clock.advance(30_000);
  for (let user = 2_001; user <= 2_500; user++) counter.hit(user, 30);
  clock.advance(31_000); // the first 1,500 ended, the next 500 run for 29 s more
  counter.hit(9_999, 30); // a new window: the sweep runs
  assert.equal(counter.size, 501);
  for (let i = 0; i < 29; i++) counter.hit(2_001, 30);
  assert.deepEqual(counter.hit(2_001, 30), { allowed: false, warn: true }, "31st in its window");
});

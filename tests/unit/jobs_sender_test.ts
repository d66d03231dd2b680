import assert from "node:assert/strict";
import { GrammyError, HttpError } from "grammy";
import { FakeClock } from "../../src/domain/clock.ts";
import { type SenderOptions, ThrottledSender } from "../../src/jobs/sender.ts";

/** A sender on a fake clock whose sleep advances the clock and records the waits. */
function makeSender(options: Partial<SenderOptions> = {}) {
  const clock = new FakeClock(Date.parse("2026-12-01T06:00:00Z"));
  const sleeps: number[] = [];
  const blocked: number[] = [];
  const sender = new ThrottledSender({
    clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
    onBlocked: (id) => blocked.push(id),
    ...options,
  });
  return { clock, sleeps, blocked, sender };
}

function apiError(code: number, retryAfter?: number): GrammyError {
  return new GrammyError(
    "call failed",
    {
      ok: false,
      error_code: code,
      description: `error ${code}`,
      parameters: retryAfter === undefined ? {} : { retry_after: retryAfter },
    },
    "sendMessage",
    {},
  );
}

/** A call that fails with `errors` in turn, then succeeds; counts its attempts. */
function flaky(errors: unknown[]) {
  const state = { attempts: 0 };
  const call = () => {
    const error = errors[state.attempts++];
    return error === undefined ? Promise.resolve("ok") : Promise.reject(error);
  };
  return { state, call };
}

Deno.test("sender: 429 waits retry_after and sends the same message again", async () => {
  const { sender, sleeps } = makeSender();
  const { state, call } = flaky([apiError(429, 7), apiError(429, 2)]);
  const result = await sender.send(1, call);
  assert.equal(result.status, "sent");
  assert.equal(state.attempts, 3);
  assert.deepEqual(sleeps, [7000, 2000]);
});

Deno.test("sender: a 429 pauses the whole bot, not just that chat", async () => {
  const { sender, sleeps } = makeSender({ maxFloodRetries: 0 });
  // Giving up at once leaves the pause in place: the next message, to another chat, waits it out.
  assert.equal((await sender.send(1, flaky([apiError(429, 5)]).call)).status, "failed");
  assert.deepEqual(sleeps, []);
  assert.equal((await sender.send(2, flaky([]).call)).status, "sent");
  assert.deepEqual(sleeps, [5000]);
});

Deno.test("sender: a flood wait longer than the limit gives up as surely undelivered", async () => {
  const { sender } = makeSender();
  const result = await sender.send(1, flaky([apiError(429, 3600)]).call);
  assert.equal(result.status, "failed");
  assert.equal(result.status === "failed" && result.maybeDelivered, false);
});

Deno.test("sender: 5xx is retried with 2 s, 4 s, 8 s, 16 s backoff, 5 attempts in all", async () => {
  const { sender, sleeps } = makeSender();
  const errors = Array.from({ length: 5 }, () => apiError(502));
  const { state, call } = flaky(errors);
  const result = await sender.send(1, call);
  assert.equal(result.status, "failed");
  assert.equal(state.attempts, 5);
  assert.deepEqual(sleeps.filter((ms) => ms >= 2000), [2000, 4000, 8000, 16000]);
  assert.equal(result.status === "failed" && result.maybeDelivered, false);
});

Deno.test("sender: a network error is retried and then reported as maybe delivered", async () => {
  const { sender } = makeSender();
  const recovered = await sender.send(1, flaky([new HttpError("reset", new Error("reset"))]).call);
  assert.equal(recovered.status, "sent");
  const errors = Array.from({ length: 5 }, () => new HttpError("down", new Error("down")));
  const result = await sender.send(2, flaky(errors).call);
  assert.equal(result.status, "failed");
  assert.equal(result.status === "failed" && result.maybeDelivered, true);
});

Deno.test("sender: 403 reports the chat as blocked and is not retried", async () => {
  const { sender, blocked } = makeSender();
  const { state, call } = flaky([apiError(403)]);
  assert.equal((await sender.send(42, call)).status, "blocked");
  assert.equal(state.attempts, 1);
  assert.deepEqual(blocked, [42]);
});

Deno.test("sender: another 4xx is rejected without retry", async () => {
  const { sender } = makeSender();
  const { state, call } = flaky([apiError(400)]);
  assert.equal((await sender.send(1, call)).status, "rejected");
  assert.equal(state.attempts, 1);
});

Deno.test("sender: errors that are not Telegram's propagate (bugs are not swallowed)", async () => {
  const { sender } = makeSender();
  await assert.rejects(sender.send(1, flaky([new TypeError("bug")]).call), TypeError);
});

Deno.test("sender: at most one message a second per chat", async () => {
  const { sender, clock } = makeSender();
  const times: number[] = [];
  const call = () => {
    times.push(clock.now());
    return Promise.resolve(true);
  };
  for (let i = 0; i < 3; i++) await sender.send(7, call);
  assert.deepEqual(times.map((t) => t - times[0]), [0, 1000, 2000]);
  // Deleting messages is not held by the per-chat gap.
  await sender.send(7, call, { perChat: false });
  assert.equal(times[3], times[2]);
});

Deno.test("sender: at most 30 requests in any second over all chats", async () => {
  const { sender, clock } = makeSender();
  const times: number[] = [];
  const call = () => {
    times.push(clock.now());
    return Promise.resolve(true);
  };
  for (let chat = 1; chat <= 75; chat++) await sender.send(chat, call);
  for (let i = 30; i < times.length; i++) {
    assert.ok(times[i] - times[i - 30] >= 1000, `request ${i} within a second of ${i - 30}`);
  }
  // Two full windows of 1000 ms plus the sender's 2 ms margin each.
  assert.equal(times[74] - times[0], 2004);
});

Deno.test("sender: closing stops waiting; the message counts as surely undelivered", async () => {
  const clock = new FakeClock(0);
  let release!: () => void;
  const sender = new ThrottledSender({
    clock,
    sleep: (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        release = () => sender.close();
      }),
  });
  const pending = sender.send(1, flaky([apiError(429, 5)]).call);
  await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
  release();
  const result = await pending;
  assert.equal(result.status, "failed");
  assert.equal(result.status === "failed" && result.maybeDelivered, false);
  assert.equal((await sender.send(2, flaky([]).call)).status, "failed");
});

Deno.test("sender: a chat marked blocked is skipped without a request", async () => {
  const { sender } = makeSender({ isBlocked: (id) => id === 42 });
  const skipped = flaky([]);
  assert.equal((await sender.send(42, skipped.call)).status, "blocked");
  assert.equal(skipped.state.attempts, 0, "Telegram was not asked");
  const other = flaky([]);
  assert.equal((await sender.send(43, other.call)).status, "sent");
  assert.equal(other.state.attempts, 1);
});

import assert from "node:assert/strict";
import { parseConfig } from "../../src/config.ts";
import { startBot } from "../../src/app.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { nullLogger } from "../../src/ops/log.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { FakeApiError, FakeBotApi } from "../support/fake_bot_api.ts";

async function started(fake: FakeBotApi, dataDir: string) {
  const config = parseConfig({
    BOT_TOKEN: "1:T",
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    HEALTH_PORT: "0",
  });
  const clock = new FakeClock(Date.parse("2026-12-01T06:00:00Z"));
  const running = await startBot(config, {
    clock,
    logger: nullLogger,
    noSignals: true,
    noJobs: true,
    stopGraceMs: 300,
  });
  loadDemoData(running.deps.db, clock.now());
  return running;
}

// Deno's op sanitizer fails this test if auto-retry's back-off timer outlives stop (it used to:
// `deno task bench` never exited after the chaos part).
Deno.test("stop: an update stuck retrying a failing API call is aborted after the grace period", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-stop-" });
  try {
    const running = await started(fake, dataDir);
    let reached!: () => void;
    const failing = new Promise<void>((r) => (reached = r));
    fake.onMethod("sendMessage", () => {
      reached();
      throw new FakeApiError(500, "Internal Server Error");
    });
    fake.user(500, { first_name: "Stuck", language_code: "en" }).sendText("/start");
    await failing; // the handler now waits 3 s before retrying, then 6 s, 12 s...
    const t0 = performance.now();
    await running.stop();
    const took = performance.now() - t0;
    assert.ok(took >= 250, `stop gave the update its grace period (${took.toFixed(0)} ms)`);
    assert.ok(took < 2_000, `stop ended the retries (${took.toFixed(0)} ms)`);
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("stop: an update in flight finishes its API call before the database closes", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-stop-" });
  try {
    const running = await started(fake, dataDir);
    let reached!: () => void;
    const slow = new Promise<void>((r) => (reached = r));
    let answered = false;
    fake.onMethod("sendMessage", async (payload) => {
      reached();
      await new Promise((r) => setTimeout(r, 100));
      answered = true;
      return {
        message_id: 1,
        date: 0,
        chat: { id: Number(payload.chat_id), type: "private", first_name: "Slow" },
        text: String(payload.text),
      };
    });
    fake.user(501, { first_name: "Slow", language_code: "en" }).sendText("/start");
    await slow;
    await running.stop();
    assert.ok(answered, "the reply was delivered before stop resolved");
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

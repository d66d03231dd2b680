import assert from "node:assert/strict";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { FakeBotApi, type FakeUser } from "../support/fake_bot_api.ts";
import { listBookingsBetween } from "../../src/db/bookings_repo.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { step, toSummary } from "../support/webhook_cluster.ts";

const DAYS = ["2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"];

/** Drives a client from /book to the confirmation. */
async function journey(u: FakeUser, date: string, time: string) {
  await toSummary(u, date, time);
  await step(u, () => u.press("Confirm"), /You're booked/);
}

Deno.test("chaos: 20% of Bot API calls fail with 429, 500 or a timeout — every confirmation arrives, no duplicate booking", async () => {
  const t: TestBot = await startTestBot();
  try {
    t.fake.setFaults({
      failRate: 0.2,
      kinds: ["429", "500", "timeout"],
      retryAfter: 1,
      timeoutMs: 200,
      seed: 7,
    });
    const clients = [0, 1, 2, 3].map((i) =>
      t.fake.user(3000 + i, { first_name: `C${i}`, language_code: "en" })
    );
    await Promise.all(clients.map((u, i) => journey(u, DAYS[i], "10:00")));
    const injected = t.fake.stats.injected;
    assert.ok(injected["429"] + injected["500"] + injected.timeout > 0, "faults were injected");
    for (const u of clients) {
      assert.ok(
        u.messages().some((m) => /You're booked/.test(m.text ?? "")),
        `confirmation to ${u.id}: ${t.fake.describeChat(u.id, 4)}`,
      );
    }
    const bookings = listBookingsBetween(t.running.deps.db, {
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    });
    assert.equal(bookings.length, 4);
    assert.equal(new Set(bookings.map((b) => b.userId)).size, 4);
  } finally {
    t.fake.resetFaults();
    await t.close();
  }
});

Deno.test("chaos: kill -9 of the bot process mid-traffic, restart — every confirmed booking is stored, service resumes", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-kill-" });
  const main = new URL("../../src/main.ts", import.meta.url).pathname;
  const env = {
    BOT_TOKEN: "1:T",
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    HEALTH_PORT: "0",
    LOG_LEVEL: "ERROR",
    // The clients speak English, and so do the demo services.
    BUSINESS_LANGUAGE: "en",
  };
  const spawn = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, "start"],
      env,
      stdout: "null",
      stderr: "null",
    }).spawn();
  try {
    const seed = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, "demo-data"],
      env,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(seed.code, 0, new TextDecoder().decode(seed.stderr));
    let child = spawn();
    await fake.waitForCall("getUpdates", undefined, 20_000);
    const idle = () => fake.waitForIdle(150, 20_000);
    // Real time here: book well ahead so the dates stay in the future.
    const base = Temporal.Now.plainDateISO("Europe/Moscow").add({ days: 7 });
    const days: string[] = [];
    for (let d = base; days.length < 6; d = d.add({ days: 1 })) {
      if (d.dayOfWeek <= 5) days.push(d.toString());
    }
    const clients = days.map((_, i) =>
      fake.user(4000 + i, { first_name: `K${i}`, language_code: "en" })
    );
    // Half of the clients finish before the kill.
    for (let i = 0; i < 3; i++) await journey(clients[i], days[i], "11:00");
    // The others are mid-dialog when the process dies without warning.
    for (let i = 3; i < 6; i++) {
      clients[i].sendText("/book");
      await idle();
      clients[i].press("Haircut");
    }
    child.kill("SIGKILL");
    await child.status;
    child = spawn();
    await fake.waitForCall("getUpdates", undefined, 20_000);
    for (let i = 3; i < 6; i++) await journey(clients[i], days[i], "11:00");
    const confirmed = clients.filter((u) =>
      u.messages().some((m) => /You're booked/.test(m.text ?? ""))
    );
    assert.ok(confirmed.length >= 5, `confirmations: ${confirmed.length}`);
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0, "graceful stop after SIGTERM");
    const db = openDatabase(`${dataDir}/booking.db`, { readOnly: true });
    const rows = db.prepare("SELECT user_id FROM bookings WHERE status = 'active'").all()
      .map((r) => Number(r.user_id));
    db.close();
    for (const u of confirmed) assert.ok(rows.includes(u.id), `booking of ${u.id} stored`);
    assert.equal(rows.length, new Set(rows).size, "no duplicate booking");
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

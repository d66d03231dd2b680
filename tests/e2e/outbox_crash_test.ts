/**
 * The transactional outbox across a hard kill of the real bot process: a booking committed
 * whose confirmation never reached Telegram is confirmed after the restart, once.
 */
import assert from "node:assert/strict";
import { FakeBotApi } from "../support/fake_bot_api.ts";
import { demoSlots, toSummary } from "../support/webhook_cluster.ts";
import { openDatabase, writeTransaction } from "../../src/db/connection.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const CLIENT = 5101;

/** The real bot's CLI as a separate OS process on `dataDir`, talking to `fake`. */
function botProcess(fake: FakeBotApi, dataDir: string, extra: Record<string, string> = {}) {
  const env = {
    BOT_TOKEN: "1:T",
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    HEALTH_PORT: "0",
    LOG_LEVEL: "ERROR",
    // English demo data: the journeys of webhook_cluster.ts press English service names.
    BUSINESS_LANGUAGE: "en",
    ...extra,
  };
  return (command = "start") =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, command],
      env,
      stdout: "null",
      // A running bot's stderr is not read: a pipe could fill up and stall it.
      stderr: command === "start" ? "null" : "piped",
    });
}
const OWNER = 900;

Deno.test("outbox: kill -9 after a booking commits, before its confirmation is sent — after restart the client has the confirmation and the .ics, once", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-outbox-kill-" });
  const spawn = botProcess(fake, dataDir, { ADMIN_IDS: String(OWNER) });
  let child: Deno.ChildProcess | undefined;
  try {
    const seed = await spawn("demo-data").output();
    assert.equal(seed.code, 0, new TextDecoder().decode(seed.stderr));
    child = spawn().spawn();
    await fake.waitForCall("getUpdates", undefined, 30_000);
    const client = fake.user(CLIENT, { first_name: "Kira", language_code: "en" });
    const [slot] = demoSlots(1);
    await toSummary(client, slot.date, slot.time);

    // Nothing the bot says after the commit reaches anybody: the screen, the .ics, the notice.
    const holds = [
      fake.hold("editMessageText", { chatId: CLIENT }),
      fake.hold("sendMessage", { chatId: CLIENT }),
      fake.hold("sendDocument", { chatId: CLIENT }),
      fake.hold("sendMessage", { chatId: OWNER }),
    ];
    client.press("Confirm");
    await fake.waitForHeld("sendDocument", 30_000); // the outbox sender has the .ics in hand
    await fake.waitForHeld("editMessageText", 30_000); // the handler shows the screen
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
    // The calls held never left the killed process: Telegram never saw them.
    for (const h of holds) h.drop();

    const db = openDatabase(`${dataDir}/booking.db`, { readOnly: true });
    const booking = db.prepare("SELECT id, status FROM bookings WHERE user_id = ?").get(CLIENT);
    const owed = db.prepare("SELECT kind FROM outbox WHERE done_at IS NULL ORDER BY id").all()
      .map((r) => String(r.kind));
    db.close();
    assert.equal(booking?.status, "active", "the booking committed");
    assert.deepEqual(owed, ["confirmation", "admin_created"], "and owes its two messages");
    assert.equal(client.messages().filter((m) => m.kind === "document").length, 0);
    assert.ok(!client.messages().some((m) => /You're booked|Booking #/.test(m.text ?? "")));

    child = spawn().spawn();
    const doc = await client.nextMessage((m) => m.kind === "document", 30_000);
    const notice = await fake.user(OWNER).nextMessage(
      (m) => /New booking #1/.test(m.text ?? ""),
      30_000,
    );
    assert.match(doc.caption ?? "", /✅ Booking #1: Haircut, .*\n📎 Add it to your calendar/);
    assert.equal(doc.document?.file_name, "booking-1.ics");
    const ics = new TextDecoder().decode(doc.document!.bytes);
    assert.match(ics, /BEGIN:VEVENT/);
    assert.match(ics, /UID:booking-1@/);
    assert.match(notice.text!, /Kira|Haircut/);
    await fake.waitForIdle(300, 10_000);
    assert.equal(client.messages().filter((m) => m.kind === "document").length, 1, "once");
    assert.equal(
      fake.user(OWNER).messages().filter((m) => /New booking/.test(m.text ?? "")).length,
      1,
      "the owner's notice once",
    );
  } finally {
    if (child) {
      child.kill("SIGTERM");
      await child.status;
    }
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

/** 200 bookings starting in 50 minutes, made long ago: their one-hour reminders are due. */
function seedDueReminders(dataDir: string, count: number, firstUser: number): void {
  const now = Date.now();
  const db = openMigrated(`${dataDir}/booking.db`, now);
  loadDemoData(db, now);
  writeTransaction(db, () => {
    for (let i = 0; i < count; i++) {
      db.prepare(
        "INSERT INTO users (id, first_name, language_code, created_at, updated_at) VALUES (?, 'R', 'en', 0, 0)",
      ).run(firstUser + i);
      // One (inactive) master each, so 200 visits at the same hour do not overlap.
      const staffId = Number(
        db.prepare(
          "INSERT INTO staff (name, is_active, created_at, updated_at) VALUES (?, 0, 0, 0) RETURNING id",
        ).get(`M${i}`)!.id,
      );
      const start = now + 50 * 60_000;
      db.prepare(
        `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
           created_at, updated_at) VALUES (?, 1, ?, ?, ?, 'Reminded Client', '+79160000000', ?, ?)`,
      ).run(firstUser + i, staffId, start, start + 3_600_000, now - 86_400_000, now - 86_400_000);
    }
  });
  db.close();
}

Deno.test("outbox: kill -9 while 200 due reminders go out — after restart all 200 delivered, duplicates at most the one in flight", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-outbox-200-" });
  const spawn = botProcess(fake, dataDir);
  const COUNT = 200;
  const FIRST = 70_000;
  const counts = () =>
    Array.from(
      { length: COUNT },
      (_, i) =>
        fake.chatMessages(FIRST + i).filter((m) => /See you soon/.test(m.text ?? "")).length,
    );
  let child: Deno.ChildProcess | undefined;
  try {
    seedDueReminders(dataDir, COUNT, FIRST);
    child = spawn().spawn();
    // Kill it mid-stream, once a quarter of the reminders are out.
    const deadline = Date.now() + 60_000;
    while (counts().filter((n) => n > 0).length < COUNT / 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
    const before = counts().filter((n) => n > 0).length;
    assert.ok(before >= COUNT / 4 && before < COUNT, `killed mid-stream (${before} out)`);
    const db = openDatabase(`${dataDir}/booking.db`, { readOnly: true });
    const leased = Number(
      db.prepare(
        "SELECT count(*) AS n FROM outbox WHERE done_at IS NULL AND leased_until IS NOT NULL",
      )
        .get()!.n,
    );
    db.close();

    child = spawn().spawn();
    const done = Date.now() + 60_000;
    while (counts().some((n) => n === 0) && Date.now() < done) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await fake.waitForIdle(300, 10_000);
    const got = counts();
    assert.equal(got.filter((n) => n > 0).length, COUNT, "every reminder delivered");
    const duplicated = got.filter((n) => n > 1).length;
    // The sender sends one row at a time: only the one in flight can have reached Telegram
    // without its "done" committing.
    assert.ok(duplicated <= 1, `duplicates ${duplicated} (rows claimed at the kill: ${leased})`);
  } finally {
    if (child) {
      child.kill("SIGTERM");
      await child.status;
    }
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

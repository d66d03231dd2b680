/**
 * The transactional outbox across a hard kill of the real bot process: a booking committed
 * whose confirmation never reached Telegram is confirmed after the restart, once.
 */
import assert from "node:assert/strict";
import { FakeBotApi } from "../support/fake_bot_api.ts";
import { demoSlots, toSummary } from "../support/webhook_cluster.ts";
import { openDatabase } from "../../src/db/connection.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const CLIENT = 5101;
const OWNER = 900;

Deno.test("outbox: kill -9 after a booking commits, before its confirmation is sent — after restart the client has the confirmation and the .ics, once", async () => {
  const fake = await FakeBotApi.start();
  const dataDir = await Deno.makeTempDir({ prefix: "booking-outbox-kill-" });
  const env = {
    BOT_TOKEN: "1:T",
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    ADMIN_IDS: String(OWNER),
    HEALTH_PORT: "0",
    LOG_LEVEL: "ERROR",
  };
  const spawn = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "start"],
      env,
      stdout: "null",
      stderr: "null",
    }).spawn();
  let child: Deno.ChildProcess | undefined;
  try {
    const seed = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "demo-data"],
      env,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(seed.code, 0, new TextDecoder().decode(seed.stderr));
    child = spawn();
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
    for (const h of holds) h.release(); // the calls held were never executed (the bot died)

    const db = openDatabase(`${dataDir}/booking.db`, { readOnly: true });
    const booking = db.prepare("SELECT id, status FROM bookings WHERE user_id = ?").get(CLIENT);
    const owed = db.prepare("SELECT kind FROM outbox WHERE done_at IS NULL ORDER BY id").all()
      .map((r) => String(r.kind));
    db.close();
    assert.equal(booking?.status, "active", "the booking committed");
    assert.deepEqual(owed, ["confirmation", "admin_created"], "and owes its two messages");
    assert.equal(client.messages().filter((m) => m.kind === "document").length, 0);
    assert.ok(!client.messages().some((m) => /You're booked|Booking #/.test(m.text ?? "")));

    child = spawn();
    const doc = await client.nextMessage((m) => m.kind === "document", 30_000);
    const notice = await fake.user(OWNER).nextMessage(
      (m) => /Новая запись №1/.test(m.text ?? ""),
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
      fake.user(OWNER).messages().filter((m) => /Новая запись/.test(m.text ?? "")).length,
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

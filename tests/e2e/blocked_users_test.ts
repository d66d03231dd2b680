import assert from "node:assert/strict";
import { Api } from "grammy";
import { getUser } from "../../src/db/users_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { createJobContext, runTick } from "../../src/jobs/scheduler.ts";
import { startTestBot } from "../support/harness.ts";

Deno.test("blocked users: a 403 on any send marks the user, bulk sends skip them, their next message unmarks them", async () => {
  const t = await startTestBot();
  try {
    const anna = t.fake.user(3101, { first_name: "Anna" });
    const boris = t.fake.user(3102, { first_name: "Boris" });
    for (const u of [anna, boris]) u.sendText("/start");
    await t.idle();
    const polls = t.fake.callsOf("getUpdates");
    assert.ok(polls.length > 0);
    for (const poll of polls) {
      assert.ok(
        (poll.payload.allowed_updates as string[]).includes("my_chat_member"),
        "Telegram is asked for my_chat_member",
      );
    }
    const { db, bookings } = t.running.deps;
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    for (
      const [userId, start] of [[3101, "2026-12-02T07:00:00Z"], [3102, "2026-12-02T09:00:00Z"]]
    ) {
      bookings.createBooking({
        userId: userId as number,
        serviceId: haircut.id,
        staff: 1,
        start: Date.parse(start as string),
        clientName: "Client",
        phone: "+79161234567",
      });
    }

    // Anna blocks the bot without Telegram telling us; the reply to her last message gets 403.
    t.fake.blockUser(3101);
    anna.sendText("/start");
    await t.idle();
    const refused = t.fake.stats.blocked403;
    assert.ok(refused >= 1);
    assert.notEqual(getUser(db, 3101)!.blockedAt, null, "marked by the ordinary reply's 403");

    // The day-before reminders: Boris gets his, Anna is skipped without asking Telegram.
    t.clock.set("2026-12-01T07:00:00Z");
    const ctx = createJobContext({
      config: t.config,
      deps: t.running.deps,
      api: new Api(t.config.botToken!, { apiRoot: t.fake.apiRoot }),
      track: true,
      sleep: (ms) => Promise.resolve(t.clock.advance(ms)),
    });
    await runTick(ctx);
    assert.ok(boris.messages().some((m) => /Напоминание/.test(m.text ?? "")));
    const toAnna = t.fake.callsOf("sendMessage").filter((c) => Number(c.payload.chat_id) === 3101);
    assert.equal(t.fake.stats.blocked403, refused, "no new request for a marked user");
    assert.ok(toAnna.every((c) => !/Напоминание/.test(String(c.payload.text))));

    // She unblocks and writes: unmarked, answered.
    t.fake.unblockUser(3101);
    const reply = anna.nextMessage();
    anna.sendText("/start");
    await reply;
    assert.equal(getUser(db, 3101)!.blockedAt, null);

    // Telegram's own my_chat_member "kicked" update marks her too (it is delivered at all).
    t.fake.blockUser(3101, { notify: true });
    await t.idle();
    assert.notEqual(getUser(db, 3101)!.blockedAt, null, "my_chat_member handled");
    ctx.sender.close();
  } finally {
    await t.close();
  }
});

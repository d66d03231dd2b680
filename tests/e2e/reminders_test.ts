import assert from "node:assert/strict";
import { Api } from "grammy";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { createJobContext, runTick } from "../../src/jobs/scheduler.ts";
import { startTestBot } from "../support/harness.ts";

Deno.test("e2e: a client gets the day-before reminder with three buttons and confirms", async () => {
  const t = await startTestBot({ adminIds: [900] }); // Tue 1 Dec 2026, 09:00 Moscow
  try {
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    anna.sendText("/start");
    await t.idle();
    const { deps } = t.running;
    const haircut = listBookableServices(deps.db).find((s) => s.name === "Haircut")!;
    const booking = deps.bookings.createBooking({
      userId: 101,
      serviceId: haircut.id,
      staff: 1,
      start: Date.parse("2026-12-02T07:00:00Z"), // Wed 10:00 Moscow
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    const ctx = createJobContext({
      config: t.config,
      deps,
      api: new Api(t.config.botToken!, { apiRoot: t.fake.apiRoot }),
      track: true,
      sleep: (ms) => Promise.resolve(t.clock.advance(ms)),
    });

    await runTick(ctx);
    assert.ok(!anna.messages().some((m) => m.text?.includes("Напоминание")), "not before 10:00");

    t.clock.set("2026-12-01T07:00:00Z"); // Tue 10:00 Moscow
    await runTick(ctx);
    const reminder = anna.lastMessage()!;
    assert.match(reminder.text!, /Напоминание: ваш визит завтра в 10:00/);
    assert.match(reminder.text!, /Haircut/);
    assert.deepEqual(anna.buttons().map((b) => b.text), [
      "✅ Приду",
      "🔁 Перенести",
      "❌ Отменить запись",
    ]);
    // The owner got the morning agenda (sent late: the bot "started" after 08:00).
    assert.ok(t.fake.user(900).messages().some((m) => m.text?.includes("Записи на сегодня")));

    anna.press("Приду");
    await t.idle();
    assert.equal(anna.callbackAnswers().at(-1)?.text, "Спасибо, ждём вас!");
    assert.ok(getBooking(deps.db, booking.id)!.confirmedAt !== null);
    assert.deepEqual(anna.buttons(reminder.message_id).map((b) => b.text), [
      "🔁 Перенести",
      "❌ Отменить запись",
    ]);
    // The answered reminder no longer asks «Придёте?».
    const answered = t.fake.getMessage(101, reminder.message_id)!.text!;
    assert.doesNotMatch(answered, /Придёте/);
    assert.match(answered, /Вы подтвердили визит/);

    // Another tick sends nothing new to Anna; the one-hour reminder comes on Wednesday 09:00.
    const count = anna.messages().length;
    await runTick(ctx);
    assert.equal(anna.messages().length, count);
    t.clock.set("2026-12-02T06:00:00Z");
    await runTick(ctx);
    assert.match(anna.lastMessage()!.text!, /Скоро увидимся: ваш визит начинается в 10:00/);
    // An hour before, moving the visit is past the 24-hour cutoff: no button that can only
    // fail (and no «Приду» again: she said so); she can write to the administrator.
    assert.deepEqual(anna.buttons().map((b) => b.text), ["✉️ Написать администратору"]);
  } finally {
    await t.close();
  }
});

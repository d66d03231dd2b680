import assert from "node:assert/strict";
import { startTestBot } from "../support/harness.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";

Deno.test("e2e: a client books a haircut from /start to confirmation, with .ics and admin notice", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    t.fake.user(900, { first_name: "Owner", language_code: "ru" }).sendText("/start");
    await t.idle();
    const anna = t.fake.user(101, {
      first_name: "Анна",
      last_name: "Петрова",
      language_code: "ru",
    });
    anna.sendText("/start");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Здравствуйте, <b>Анна<\/b>/);
    anna.press("Записаться");
    await t.idle();
    const services = anna.lastMessage()!.text!;
    assert.match(services, /Haircut<\/b> — 60 мин/);
    assert.match(services, /Consultation<\/b> — 30 мин\n/); // no price shown when unset
    anna.press("Haircut");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Выберите день/);
    // Today (Tue 1 Dec, 09:00) still has slots after the 60-minute notice; pick Wed 2 Dec.
    anna.press((b) => b.data === "bd:2026-12-02");
    await t.idle();
    const slotButtons = anna.buttons().filter((b) => b.data?.startsWith("bt:"));
    assert.equal(slotButtons[0].text, "09:00");
    assert.ok(!slotButtons.some((b) => b.text === "13:00"), "lunch break is not offered");
    anna.press("10:00");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /На какое имя записать/);
    anna.press("Анна Петрова");
    await t.idle();
    anna.sendContact("+79161234567");
    await t.idle();
    const summary = anna.lastMessage()!;
    assert.match(summary.text!, /Проверьте запись/);
    assert.match(summary.text!, /\+79161234567/);
    anna.press("Подтвердить");
    await t.idle();
    const messages = anna.messages();
    const confirmation = messages.find((m) => m.text?.includes("Вы записаны"));
    assert.ok(confirmation, "confirmation shown");
    assert.match(confirmation.text!, /10:00–11:00/);
    const ics = messages.find((m) => m.kind === "document");
    assert.ok(ics?.document, ".ics sent");
    const icsText = new TextDecoder().decode(ics.document.bytes);
    assert.match(icsText, /DTSTART:20261202T070000Z/);
    assert.match(icsText, /DTEND:20261202T080000Z/);
    const booking = getBooking(t.running.deps.db, 1)!;
    assert.equal(booking.status, "active");
    assert.equal(booking.clientName, "Анна Петрова");
    assert.equal(booking.phone, "+79161234567");
    assert.equal(new Date(booking.start).toISOString(), "2026-12-02T07:00:00.000Z");
    const ownerNotice = t.fake.user(900).messages().find((m) => m.text?.includes("Новая запись"));
    assert.ok(ownerNotice, "owner notified");
    const audit = listAudit(t.running.deps.db, {
      entity: "booking",
      entityId: 1,
      limit: 10,
      offset: 0,
    });
    assert.equal(audit.rows[0].action, "create");
    // The command menu was published in every language (Russian is the default).
    const menus = t.fake.callsOf("setMyCommands").map((c) =>
      c.payload as { language_code?: string; commands: { command: string }[] }
    );
    assert.deepEqual(menus.map((m) => m.language_code ?? "default").sort(), [
      "default",
      "en",
      "uk",
    ]);
    assert.ok(menus.every((m) => m.commands.some((c) => c.command === "book")));
    // Every callback query was answered.
    const presses = t.fake.callsOf("answerCallbackQuery").length;
    assert.ok(presses >= 5);
  } finally {
    await t.close();
  }
});

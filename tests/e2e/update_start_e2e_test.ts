/**
 * Another bot process (a second connection on the same file) writes between a client's updates:
 * the bot reads what an update needs once, as it starts (middleware/update_start.ts), and must
 * still see those writes in the very next update.
 */
import assert from "node:assert/strict";
import { startTestBot } from "../support/harness.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { rememberContact } from "../../src/db/users_repo.ts";
import { BookingService } from "../../src/services/booking_service.ts";

Deno.test("e2e: a confirmation another process owes a client comes before the answer to their next update", async () => {
  const t = await startTestBot();
  const other = openDatabase(`${t.dataDir}/booking.db`);
  try {
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    anna.sendText("/start");
    await t.idle();
    const before = anna.messages().length;
    // Booked in the other process, whose own delivery has not run yet.
    const start = Date.parse("2026-12-02T07:00:00Z");
    const contact = { clientName: "Анна Петрова", phone: "+79161234567" };
    new BookingService(other, t.clock, "Europe/Moscow")
      .createBooking({ userId: 101, serviceId: 1, staff: 1, start, ...contact });
    anna.sendText("/start");
    await t.idle();
    // The confirmation owed to the client is the booking's calendar file.
    const kinds = anna.messages().slice(before).map((m) =>
      m.kind === "document" ? "confirmation" : m.text?.includes("Здравствуйте") ? "menu" : m.kind
    );
    assert.deepEqual(kinds, ["confirmation", "menu"]);
  } finally {
    other.close();
    await t.close();
  }
});

Deno.test("e2e: the name and phone another process remembered are offered by the next update", async () => {
  const t = await startTestBot();
  const other = openDatabase(`${t.dataDir}/booking.db`);
  try {
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    const toSlot = async () => {
      anna.sendText("/book");
      await t.idle();
      for (const button of ["Haircut", "2", "10:00"]) {
        anna.press((b) => b.text === button || b.data === `bd:2026-12-0${button}`);
        await t.idle();
      }
      return anna.lastMessage()!.text!;
    };
    assert.match(await toSlot(), /На какое имя записать/);
    rememberContact(other, 101, "Анна Петрова", "+79161234567", t.clock.now());
    const summary = await toSlot();
    assert.match(summary, /Проверьте запись/);
    assert.match(summary, /Анна Петрова/);
    // Forgotten again (a phone no longer valid): the name step, offering the remembered name.
    rememberContact(other, 101, "Анна Сидорова", "", t.clock.now());
    assert.match(await toSlot(), /На какое имя записать/);
    assert.ok(anna.buttons().some((b) => b.text === "Анна Сидорова"), "the remembered name");
    rememberContact(other, 101, "Анна Сидорова", "+79160000001", t.clock.now());
    anna.sendText("Анна Сидорова");
    await t.idle();
    assert.ok(anna.buttons().some((b) => b.text === "+79160000001"), "the phone remembered since");
  } finally {
    other.close();
    await t.close();
  }
});

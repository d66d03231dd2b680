import assert from "node:assert/strict";
import { startTestBot, type TestBot } from "../support/harness.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";
import { getBooking, listBookingsBetween } from "../../src/db/bookings_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";

/** Walks a user through booking up to (not including) the confirm press. */
async function bookUntilSummary(
  t: TestBot,
  u: FakeUser,
  o: { service: string; date: string; time: string; name?: string; phone?: string },
) {
  u.sendText("/book");
  await t.idle();
  u.press(o.service);
  await t.idle();
  u.press((b) => b.data === `bd:${o.date}`);
  await t.idle();
  u.press((b) => b.text === o.time && b.data!.startsWith("bt:"));
  await t.idle();
  u.sendText(o.name ?? "Test Client");
  await t.idle();
  u.sendText(o.phone ?? "+79161234567");
  await t.idle();
}

async function book(t: TestBot, u: FakeUser, o: Parameters<typeof bookUntilSummary>[2]) {
  await bookUntilSummary(t, u, o);
  u.press(/Confirm|Подтвердить/);
  await t.idle();
}

function activeBookings(t: TestBot) {
  return listBookingsBetween(t.running.deps.db, {
    from: 0,
    to: Number.MAX_SAFE_INTEGER,
    status: "active",
  });
}

Deno.test("e2e: booking in English, with price and duration shown", async () => {
  const t = await startTestBot();
  try {
    const john = t.fake.user(201, { first_name: "John", language_code: "en-US" });
    john.sendText("/start");
    await t.idle();
    assert.match(john.lastMessage()!.text!, /Hello, <b>John<\/b>/);
    john.press("Book");
    await t.idle();
    assert.match(
      john.lastMessage()!.text!,
      /Haircut<\/b> — 60 min · RUB\s?1,500|Haircut<\/b> — 60 min · ₽1,500/,
    );
    await book(t, john, {
      service: "Beard trim",
      date: "2026-12-03",
      time: "15:30",
      name: "John Smith",
    });
    const confirmation = john.messages().find((m) => m.text?.includes("You're booked"));
    assert.ok(confirmation);
    assert.match(confirmation.text!, /15:30–16:00/);
    assert.match(confirmation.text!, /Duration: 30 min/);
    assert.equal(activeBookings(t).length, 1);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: slot taken between view and confirm — told, fresh slots shown, nothing half-saved", async () => {
  const t = await startTestBot();
  try {
    const a = t.fake.user(301, { first_name: "Alice", language_code: "en" });
    const b = t.fake.user(302, { first_name: "Bob", language_code: "en" });
    await bookUntilSummary(t, a, { service: "Haircut", date: "2026-12-02", time: "11:00" });
    await book(t, b, { service: "Haircut", date: "2026-12-02", time: "11:00" });
    assert.equal(activeBookings(t).length, 1);
    a.press("Confirm");
    await t.idle();
    const last = a.lastMessage()!;
    assert.match(last.text!, /just taken/);
    const times = a.buttons().filter((x) => x.data?.startsWith("bt:")).map((x) => x.text);
    assert.ok(!times.includes("11:00") && !times.includes("10:30") && times.includes("12:00"));
    assert.equal(activeBookings(t).length, 1);
    assert.equal(activeBookings(t)[0].userId, 302);
    // Alice picks another time and succeeds.
    a.press("12:00");
    await t.idle();
    a.sendText("Alice Liddell");
    await t.idle();
    a.sendText("+79160000001");
    await t.idle();
    a.press("Confirm");
    await t.idle();
    assert.equal(activeBookings(t).length, 2);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: two users racing for one slot through the bot — exactly one wins", async () => {
  const t = await startTestBot();
  try {
    const users = [401, 402, 403].map((id) =>
      t.fake.user(id, { first_name: `R${id}`, language_code: "en" })
    );
    for (const u of users) {
      await bookUntilSummary(t, u, { service: "Colouring", date: "2026-12-04", time: "10:00" });
    }
    for (const u of users) u.press("Confirm"); // all presses queued at once
    await t.idle();
    const active = activeBookings(t);
    assert.equal(active.length, 1);
    const winners = users.filter((u) =>
      u.messages().some((m) => m.text?.includes("You're booked"))
    );
    const losers = users.filter((u) => u.messages().some((m) => m.text?.includes("just taken")));
    assert.equal(winners.length, 1);
    assert.equal(losers.length, 2);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: cancel before the cutoff works; after it the client is told why and whom to contact", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const owner = t.fake.user(900, {
      first_name: "Olga",
      username: "salon_olga",
      language_code: "en",
    });
    owner.sendText("/start");
    await t.idle();
    const c = t.fake.user(501, { first_name: "Carl", language_code: "en" });
    await book(t, c, { service: "Haircut", date: "2026-12-02", time: "10:00" });
    await book(t, c, { service: "Haircut", date: "2026-12-03", time: "10:00" });
    // Now: Tue 09:00. The Wed 10:00 booking is 25 h away: cancellable.
    c.sendText("/my");
    await t.idle();
    c.press("2 December");
    await t.idle();
    c.press("Cancel booking");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Cancel this booking\?/);
    c.press("Yes, cancel it");
    await t.idle();
    // The card says so (the newest message is the calendar file that removes the event).
    assert.ok(c.messages().some((m) => /has been cancelled/.test(m.text ?? "")));
    const first = getBooking(t.running.deps.db, 1)!;
    assert.equal(first.status, "cancelled");
    assert.equal(first.cancelledBy, 501);
    assert.ok(owner.messages().some((m) => /cancelled by the client/.test(m.text ?? "")));
    // 20 h before the Thu visit: too late.
    t.clock.set("2026-12-02T11:00:00Z");
    c.sendText("/my");
    await t.idle();
    c.press("3 December");
    await t.idle();
    // No button that can only fail: the card says why and whom to contact instead.
    assert.ok(!c.buttons().some((b) => /Cancel booking|Reschedule/.test(b.text)));
    const text = c.lastMessage()!.text!;
    assert.match(text, /cannot be cancelled or rescheduled in the bot/);
    assert.match(text, /up to 24 h before the visit/);
    assert.match(text, /@salon_olga/);
    assert.equal(getBooking(t.running.deps.db, 2)!.status, "active");
  } finally {
    await t.close();
  }
});

Deno.test("e2e: reschedule to a new free slot, audited, admins told", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    t.fake.user(900, { first_name: "Owner", language_code: "en" }).sendText("/start");
    const c = t.fake.user(601, { first_name: "Dora", language_code: "en" });
    await book(t, c, { service: "Haircut", date: "2026-12-03", time: "10:00" });
    c.sendText("/my");
    await t.idle();
    c.press("3 December");
    await t.idle();
    c.press("Reschedule");
    await t.idle();
    c.press((b) => b.data === "bd:2026-12-07");
    await t.idle();
    c.press("16:00");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Move your booking to/);
    c.press("Confirm");
    await t.idle();
    assert.ok(c.messages().some((m) => /has been moved/.test(m.text ?? "")));
    const b = getBooking(t.running.deps.db, 1)!;
    assert.equal(new Date(b.start).toISOString(), "2026-12-07T13:00:00.000Z");
    assert.equal(activeBookings(t).length, 1);
    const audit =
      listAudit(t.running.deps.db, { entity: "booking", entityId: 1, limit: 5, offset: 0 }).rows;
    assert.equal(audit[0].field, "start");
    assert.ok(t.fake.user(900).messages().some((m) => /moved/.test(m.text ?? "")));
  } finally {
    await t.close();
  }
});

Deno.test("e2e: edit contact — bad phone re-asked, then saved and audited", async () => {
  const t = await startTestBot();
  try {
    const c = t.fake.user(701, { first_name: "Eve", language_code: "en" });
    await book(t, c, { service: "Haircut", date: "2026-12-03", time: "10:00" });
    c.sendText("/my");
    await t.idle();
    c.press("3 December");
    await t.idle();
    c.press("Change phone");
    await t.idle();
    c.sendText("12345");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /doesn't look like a phone number/);
    c.sendText("8 (916) 765-43-21");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Contact details updated/);
    assert.equal(getBooking(t.running.deps.db, 1)!.phone, "+79167654321");
    const row =
      listAudit(t.running.deps.db, { entity: "booking", entityId: 1, limit: 1, offset: 0 }).rows[0];
    assert.deepEqual([row.field, row.oldValue, row.newValue], [
      "phone",
      "+79161234567",
      "+79167654321",
    ]);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: invalid name and phone get the reason and a second chance", async () => {
  const t = await startTestBot();
  try {
    const c = t.fake.user(801, { first_name: "X1", language_code: "en" });
    c.sendText("/book");
    await t.idle();
    c.press("Haircut");
    await t.idle();
    c.press((b) => b.data === "bd:2026-12-02");
    await t.idle();
    c.press("09:00");
    await t.idle();
    // The Telegram name "X1" is not a valid name, so it is not offered.
    assert.ok(!c.buttons().some((b) => b.text === "X1"));
    c.sendText("R2-D2");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /only letters/);
    c.sendText("A");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /2 to 100 characters/);
    c.sendText("Ada Lovelace");
    await t.idle();
    c.sendText("call me");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /doesn't look like a phone/);
    c.sendText("+44 20 7946 0958");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Please check your booking/);
    c.press("Confirm");
    await t.idle();
    assert.equal(getBooking(t.running.deps.db, 1)!.phone, "+442079460958");
  } finally {
    await t.close();
  }
});

Deno.test("e2e: a restart of the bot mid-booking continues the dialog", async () => {
  const t = await startTestBot();
  try {
    const c = t.fake.user(901, { first_name: "Fay", language_code: "en" });
    c.sendText("/book");
    await t.idle();
    c.press("Haircut");
    await t.idle();
    c.press((b) => b.data === "bd:2026-12-02");
    await t.idle();
    c.press("14:00");
    await t.idle();
    await t.restart();
    c.sendText("Fay Wray");
    await t.idle();
    c.sendText("+79161112233");
    await t.idle();
    c.press("Confirm");
    await t.idle();
    const b = getBooking(t.running.deps.db, 1)!;
    assert.equal(b.clientName, "Fay Wray");
    assert.equal(new Date(b.start).toISOString(), "2026-12-02T11:00:00.000Z");
  } finally {
    await t.close();
  }
});

Deno.test("e2e: a dialog idle past the timeout resets with a friendly message", async () => {
  const t = await startTestBot();
  try {
    const c = t.fake.user(911, { first_name: "Gus", language_code: "en" });
    c.sendText("/book");
    await t.idle();
    c.press("Haircut");
    await t.idle();
    t.clock.advance(31 * 60_000);
    c.press((b) => b.data === "bd:2026-12-02");
    await t.idle();
    assert.ok(c.messages().some((m) => /idle for too long/.test(m.text ?? "")));
    assert.ok(
      !c.buttons().some((b) => b.data?.startsWith("bt:")),
      "no slots shown for the stale dialog",
    );
  } finally {
    await t.close();
  }
});

Deno.test("e2e: forged callback data for another user's booking is refused and changes nothing", async () => {
  const t = await startTestBot();
  try {
    const victim = t.fake.user(1001, { first_name: "Vic", language_code: "en" });
    await book(t, victim, { service: "Haircut", date: "2026-12-03", time: "10:00" });
    const mallory = t.fake.user(1002, { first_name: "Mal", language_code: "en" });
    mallory.sendText("/start");
    await t.idle();
    for (
      const data of [
        "cd:1",
        "ca:1",
        "mb:1",
        "rs:1",
        "ec:1:phone",
        "ic:1",
        "fr:1:1",
        "cd:999999",
        "cd:-1",
        "cd:1:extra",
        "zz",
        "bt:abc:1",
        "",
      ]
    ) {
      mallory.pressData(data);
      await t.idle();
    }
    const answers = mallory.callbackAnswers();
    assert.equal(answers.length, 13, "every press answered");
    assert.ok(answers.filter((a) => /not found|out of date/.test(a.text ?? "")).length >= 12);
    const b = getBooking(t.running.deps.db, 1)!;
    assert.equal(b.status, "active");
    assert.equal(b.confirmedAt, null);
    assert.ok(
      !mallory.messages().some((m) => (m.text ?? "").includes("+79161234567")),
      "no data leaked",
    );
  } finally {
    await t.close();
  }
});

Deno.test("e2e: flooding gets one soft warning per minute, not a ban", async () => {
  const t = await startTestBot();
  try {
    const c = t.fake.user(1101, { first_name: "Hal", language_code: "en" });
    for (let i = 0; i < 35; i++) c.sendText("/help");
    await t.idle();
    const warnings = c.messages().filter((m) => /going a bit fast/.test(m.text ?? ""));
    assert.equal(warnings.length, 1);
    assert.equal(c.messages().filter((m) => /Help/.test(m.text ?? "")).length, 30);
    t.clock.advance(61_000);
    c.sendText("/help");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Help/);
  } finally {
    await t.close();
  }
});

Deno.test("e2e: deep link opens booking of that service; book again repeats the service", async () => {
  const t = await startTestBot();
  try {
    const colouring = listBookableServices(t.running.deps.db).find((s) => s.name === "Colouring")!;
    const c = t.fake.user(1201, { first_name: "Ira", language_code: "en" });
    c.sendText(`/start svc_${colouring.id}`);
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Colouring<\/b>\nChoose a day/);
    c.press((b) => b.data === "bd:2026-12-02");
    await t.idle();
    c.press("09:00");
    await t.idle();
    c.press("Ira");
    await t.idle();
    assert.ok(c.messages().some((m) => /Your phone number/.test(m.text ?? "")));
    c.sendContact("+79161234567");
    await t.idle();
    c.press("Confirm");
    await t.idle();
    // After the visit the booking is past: "Book again" offers Colouring again.
    t.clock.set("2026-12-03T06:00:00Z");
    c.sendText("/my");
    await t.idle();
    c.press("Past bookings");
    await t.idle();
    c.press("2 December");
    await t.idle();
    c.press("Book again");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Colouring<\/b>\nChoose a day/);
    // The remembered name and phone are used: the summary shows them, one tap confirms.
    c.press((b) => b.data === "bd:2026-12-04");
    await t.idle();
    c.press("10:00");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /Name: Ira\n📞 Phone: \+79161234567/);
    c.press("Confirm");
    await t.idle();
    assert.equal(activeBookings(t).length, 2);
    c.sendText("/start svc_999");
    await t.idle();
    assert.ok(c.messages().some((m) => /not available/.test(m.text ?? "")));
  } finally {
    await t.close();
  }
});

Deno.test("e2e: my bookings are paginated and show status, duration and contact data", async () => {
  const t = await startTestBot();
  try {
    const c = t.fake.user(1301, { first_name: "Jo", language_code: "en" });
    c.sendText("/start");
    await t.idle();
    for (
      const date of [
        "2026-12-02",
        "2026-12-03",
        "2026-12-04",
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
      ]
    ) {
      t.running.deps.bookings.createBooking({
        userId: 1301,
        serviceId: 1,
        staff: "any",
        start: Date.parse(`${date}T07:00:00Z`),
        clientName: "Jo March",
        phone: "+79161234567",
      });
    }
    c.sendText("/my");
    await t.idle();
    const first = c.lastMessage()!;
    assert.match(first.text!, /upcoming bookings<\/b> \(7\)/);
    assert.match(first.text!, /Page 1 of 2/);
    assert.equal(c.buttons().filter((b) => b.data?.startsWith("mb:")).length, 5);
    c.press("▶️");
    await t.idle();
    assert.equal(c.buttons().filter((b) => b.data?.startsWith("mb:")).length, 2);
    c.press("10 December");
    await t.idle();
    const card = c.lastMessage()!.text!;
    for (
      const re of [
        /Haircut/,
        /10:00–11:00/,
        /Duration: 60 min/,
        /Status: confirmed/,
        /Jo March/,
        /\+79161234567/,
      ]
    ) {
      assert.match(card, re);
    }
  } finally {
    await t.close();
  }
});

Deno.test("e2e: unexpected errors get an apology, language switch works", async () => {
  const t = await startTestBot();
  try {
    const c = t.fake.user(1401, { first_name: "Kim", language_code: "ru" });
    c.sendText("/lang");
    await t.idle();
    c.press("English");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /What would you like to do/);
    // Break the database under the bot: the next update fails inside a handler.
    t.running.deps.db.exec("ALTER TABLE services RENAME TO services_gone");
    c.sendText("/book");
    await t.idle();
    assert.match(c.lastMessage()!.text!, /something went wrong/);
    t.running.deps.db.exec("ALTER TABLE services_gone RENAME TO services");
  } finally {
    await t.close();
  }
});

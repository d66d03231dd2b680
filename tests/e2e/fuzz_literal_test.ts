/**
 * SQL-injection strings typed into the bot are stored and shown back exactly as typed, and
 * change nothing else: every write is a bound parameter, every read shows the stored text.
 */
import assert from "node:assert/strict";
import { press, send } from "../support/steps.ts";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { plainText } from "../support/fake_bot_api.ts";
import { SQL_INJECTIONS } from "../support/fuzz.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { getFeedbackForBooking } from "../../src/db/feedback_repo.ts";
import { listServicesWithCounts } from "../../src/db/services_repo.ts";
import { listAllStaff } from "../../src/db/staff_repo.ts";

const OWNER = 900;
const ANNA = 101;
/** 10:00 Moscow on Wednesday 2 December 2026 (the clock starts on Tuesday 1 December). */
const WED_10 = Date.parse("2026-12-02T07:00:00Z");

/** Row counts of the main tables: an injection that ran would change or drop them. */
function tableCounts(t: TestBot): Record<string, number> {
  const db = t.running.deps.db;
  const counts: Record<string, number> = {};
  for (const table of ["bookings", "services", "staff", "users", "feedback"]) {
    counts[table] = Number(
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    );
  }
  return counts;
}

Deno.test("fuzz literal: SQL-injection names and texts are stored and shown back exactly", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const db = t.running.deps.db;
    const anna = t.fake.user(ANNA, { first_name: "Анна", language_code: "ru" });
    await send(anna, "/start");
    const boss = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    const [serviceName, staffName, comment, reason, search] = [
      SQL_INJECTIONS[0],
      SQL_INJECTIONS[2],
      SQL_INJECTIONS[3],
      SQL_INJECTIONS[4],
      SQL_INJECTIONS[1],
    ];

    // A service renamed to an injection: stored as typed, offered to clients as typed.
    await send(boss, "/admin");
    await press(boss, "💇 Услуги");
    await press(boss, "🟢 Haircut");
    await press(boss, "✏️ Название");
    await send(boss, serviceName);
    assert.ok(plainText(boss.lastMessage()).includes(serviceName), "the card shows it");
    const services = listServicesWithCounts(db, { includeDeleted: true });
    assert.equal(services.length, 4, "no service added or dropped");
    assert.equal(services[0].name, serviceName);
    await send(anna, "/book");
    const offered = anna.buttons().filter((b) => b.data?.startsWith("bs:")).map((b) => b.text);
    assert.deepEqual(offered, [serviceName, "Beard trim", "Colouring", "Consultation"]);

    // A master renamed to an injection.
    await send(boss, "/admin");
    await press(boss, "👥 Мастера");
    await press(boss, /Мастер/);
    await press(boss, "✏️ Переименовать");
    await send(boss, staffName);
    assert.deepEqual(listAllStaff(db).map((s) => s.name), [staffName]);
    await send(boss, "/admin");
    await press(boss, "👥 Мастера");
    assert.ok(plainText(boss.lastMessage()).includes(staffName), "the list shows it");

    // A client books that service with an apostrophe in the name (the only quote names allow).
    await press(anna, serviceName);
    await press(anna, (b) => b.data === "bd:2026-12-02");
    await press(anna, "10:00");
    await send(anna, "Жанна д'Арк");
    anna.sendText("+79161234567");
    await t.idle();
    await press(anna, "Подтвердить");
    await t.idle();
    const booking = getBooking(db, 1)!;
    assert.equal(booking.clientName, "Жанна д'Арк");
    assert.equal(booking.serviceName, serviceName);
    assert.ok(anna.messages().some((m) => plainText(m).includes(`Услуга: ${serviceName}`)));

    // The admin's search with an injection finds nothing rather than everything.
    const before = tableCounts(t);
    await send(boss, "/admin");
    await press(boss, "🗓 Записи");
    await press(boss, "🔎 Найти клиента");
    await send(boss, search);
    assert.match(boss.lastMessage()!.text!, /Ничего не найдено/);

    // A cancel reason with an injection reaches the client as typed.
    await send(boss, "/admin");
    await press(boss, "🗓 Записи");
    await press(boss, "🔎 Найти клиента");
    await send(boss, "д'Арк");
    await press(boss, /Жанна д'Арк/);
    await press(boss, "❌ Отменить запись");
    await send(boss, reason);
    await t.idle();
    assert.equal(getBooking(db, booking.id)!.cancelReason, reason);
    const notice = anna.messages().findLast((m) => m.kind === "text");
    assert.ok(plainText(notice).includes(reason), "the client reads the reason");

    // A feedback comment with an injection: stored and shown to the admin as typed.
    const visit = t.running.deps.bookings.createBooking({
      userId: ANNA,
      serviceId: services[0].id,
      staff: 1,
      start: WED_10 + 24 * 3_600_000,
      clientName: "Анна",
      phone: "+79161234567",
    });
    t.clock.set(WED_10 + 26 * 3_600_000);
    t.running.deps.bookings.setStatus(visit.id, { userId: OWNER, isAdmin: true }, "completed");
    anna.pressData(`fr:${visit.id}:5`);
    await t.idle();
    await send(anna, comment);
    assert.equal(getFeedbackForBooking(db, visit.id)?.comment, comment);
    await send(boss, "/admin");
    await press(boss, "⭐ Отзывы");
    assert.ok(plainText(boss.lastMessage()).includes(comment), "the admin reads the comment");

    const after = tableCounts(t);
    assert.deepEqual(after, { ...before, bookings: 2, feedback: 1 }, "nothing else changed");
    assert.equal(getBooking(db, booking.id)!.status, "cancelled");
    assert.equal(getBooking(db, visit.id)!.status, "completed");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/**
 * Safety-net tests written before the admin layer is redesigned: each one failed when the
 * behaviour it guards was broken on purpose. They act only through public behaviour (buttons
 * by label, Russian text, database rows), never through admin feature internals.
 */
import assert from "node:assert/strict";
import { press, send } from "../support/steps.ts";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { type FakeUser, plainText } from "../support/fake_bot_api.ts";
import { type Booking, getBooking } from "../../src/db/bookings_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { prepareCharts } from "../../src/ops/chart.ts";

const OWNER = 900;
const ANNA = 101;
/** 10:00 Moscow on Wednesday 2 December 2026 (the clock starts on Tuesday 1 December). */
const WED_10 = Date.parse("2026-12-02T07:00:00Z");
const HOUR = 3_600_000;

function owner(t: TestBot): FakeUser {
  return t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
}

function anna(t: TestBot): FakeUser {
  return t.fake.user(ANNA, { first_name: "Анна", last_name: "Петрова", language_code: "ru" });
}

function serviceId(t: TestBot, name: string): number {
  return listBookableServices(t.running.deps.db).find((s) => s.name === name)!.id;
}

/** A booking for Anna made through the engine (she greets the bot first so she exists). */
async function bookAnna(t: TestBot, start: number, service = "Haircut"): Promise<Booking> {
  await send(anna(t), "/start");
  return t.running.deps.bookings.createBooking({
    userId: ANNA,
    serviceId: serviceId(t, service),
    staff: 1,
    start,
    clientName: "Анна Петрова",
    phone: "+79161234567",
  });
}

/** The client's text messages that arrived since `before`, as plain text (files left out). */
function newMessages(user: FakeUser, before: number): string[] {
  return user.messages().slice(before).filter((m) => m.kind === "text").map((m) => plainText(m));
}

Deno.test("safety net: the admin editor changes date, service, name and status, and tells the client each change", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const a = await bookAnna(t, WED_10);
    const boss = owner(t);
    await send(boss, "/admin");
    await press(boss, "🗓 Записи");
    await press(boss, "🔎 Найти клиента");
    await send(boss, "+79161234567");
    await press(boss, /Анна Петрова · Haircut/);
    assert.match(boss.lastMessage()!.text!, /Запись №1/);
    const client = anna(t);

    // Date: Wednesday → Thursday, same hour.
    let seen = client.messages().length;
    await press(boss, "📅 Дата");
    await press(boss, "03.12");
    assert.match(boss.lastMessage()!.text!, /Свободное время на/);
    await press(boss, "10:00");
    await press(boss, "Да, перенести");
    assert.match(boss.lastMessage()!.text!, /Сохранено\. Клиенту отправлено уведомление/);
    assert.equal(getBooking(t.running.deps.db, a.id)!.start, WED_10 + 24 * HOUR);
    let told = newMessages(client, seen);
    assert.equal(told.length, 1, "one message per change");
    // A move also brings the revised calendar file (issue 11).
    assert.ok(client.messages().slice(seen).some((m) => m.kind === "document"));
    assert.match(told[0], /Администратор изменил вашу запись №1/);
    assert.match(
      told[0],
      /Дата и время: ср, 2 декабря 2026 г\. 10:00 → чт, 3 декабря 2026 г\. 10:00/,
    );
    assert.doesNotMatch(told[0], /Услуга: .* → |Имя: .* → |Статус: .* → /, "only what changed");

    // Service: Haircut → Beard trim, the start stays.
    seen = client.messages().length;
    await press(boss, "💇 Услуга");
    assert.match(boss.lastMessage()!.text!, /выберите новую услугу/);
    await press(boss, /^Beard trim/);
    assert.match(boss.lastMessage()!.text!, /Сохранено\. Клиенту отправлено уведомление/);
    let row = getBooking(t.running.deps.db, a.id)!;
    assert.equal(row.serviceId, serviceId(t, "Beard trim"));
    assert.equal(row.start, WED_10 + 24 * HOUR);
    assert.equal(row.end, WED_10 + 24 * HOUR + HOUR / 2, "30 minutes now");
    told = newMessages(client, seen);
    assert.equal(told.length, 1);
    assert.match(told[0], /Услуга: Haircut → Beard trim/);
    assert.match(told[0], /Время: 10:00–10:30/);
    assert.doesNotMatch(told[0], /Дата и время: /);

    // Name: typed, validated, saved.
    seen = client.messages().length;
    await press(boss, "🙂 Имя");
    assert.match(boss.lastMessage()!.text!, /Отправьте новое имя для записи №1/);
    await send(boss, "Анна Смирнова");
    assert.match(boss.lastMessage()!.text!, /Сохранено\. Клиенту отправлено уведомление/);
    assert.equal(getBooking(t.running.deps.db, a.id)!.clientName, "Анна Смирнова");
    told = newMessages(client, seen);
    assert.equal(told.length, 1);
    assert.match(told[0], /Имя: Анна Петрова → Анна Смирнова/);

    // Status: after the visit the owner marks it completed.
    t.clock.set(WED_10 + 25 * HOUR);
    seen = client.messages().length;
    await press(boss, "📌 Статус");
    assert.match(boss.lastMessage()!.text!, /сейчас «подтверждена»/);
    await press(boss, "✅ завершена");
    assert.match(boss.lastMessage()!.text!, /Сохранено\. Клиенту отправлено уведомление/);
    row = getBooking(t.running.deps.db, a.id)!;
    assert.equal(row.status, "completed");
    told = newMessages(client, seen);
    assert.equal(told.length, 1);
    assert.match(told[0], /Статус: подтверждена → завершена/);

    // Everything is on the card and in the audit trail, by the owner.
    const card = boss.lastMessage()!.text!;
    assert.match(card, /Beard trim[\s\S]*3 декабря[\s\S]*Анна Смирнова[\s\S]*завершена/);
    const audited = listAudit(t.running.deps.db, {
      entity: "booking",
      entityId: a.id,
      limit: 50,
      offset: 0,
    }).rows.filter((r) => r.action === "update").map((r) => `${r.field}:${r.actorId}`).reverse();
    assert.deepEqual(audited, [
      "start:900",
      "service_id:900",
      // A new service brings its own price (bookings keep the price as booked, migration 0002).
      "price_minor:900",
      "client_name:900",
      "status:900",
    ]);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/** The service buttons a client is offered by /book, in the order shown. */
async function clientServices(t: TestBot): Promise<string[]> {
  const client = anna(t);
  await send(client, "/book");
  return client.buttons().filter((b) => b.data?.startsWith("bs:")).map((b) => b.text);
}

/** "записей: N" of each service line in the admin's service list, by service name. */
function bookingCounts(list: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of list.matchAll(/<b>([^<]+)<\/b> — .*· записей: (\d+)/g)) {
    counts[m[1]] = Number(m[2]);
  }
  return counts;
}

Deno.test("safety net: the admin service list shows each service's own booking count", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await bookAnna(t, WED_10);
    const cancelled = await bookAnna(t, WED_10 + HOUR);
    t.running.deps.bookings.cancelBooking(cancelled.id, { userId: OWNER, isAdmin: true });
    await bookAnna(t, WED_10 + 2 * HOUR, "Beard trim");
    await bookAnna(t, WED_10 + 24 * HOUR);
    const boss = owner(t);
    await send(boss, "/admin");
    await press(boss, "Услуги");
    assert.deepEqual(bookingCounts(boss.lastMessage()!.text!), {
      "Haircut": 3,
      "Beard trim": 1,
      "Colouring": 0,
      "Consultation": 0,
    });
    await press(boss, "🟢 Haircut");
    assert.match(boss.lastMessage()!.text!, /Записей на услугу: 3/);
    await press(boss, "⬅️ К списку услуг");
    await press(boss, "🟢 Beard trim");
    assert.match(boss.lastMessage()!.text!, /Записей на услугу: 1/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("safety net: the client's service list follows the display order the admin sets, not the names", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    // Demo order 10, 20, 30, 40; by name it would be Beard trim, Colouring, Consultation, Haircut.
    assert.deepEqual(await clientServices(t), [
      "Haircut",
      "Beard trim",
      "Colouring",
      "Consultation",
    ]);
    const boss = owner(t);
    await send(boss, "/admin");
    await press(boss, "Услуги");
    await press(boss, "🟢 Consultation");
    await press(boss, "🔢 Порядок");
    await send(boss, "5");
    assert.match(boss.lastMessage()!.text!, /Порядок в списке: 5/);
    await press(boss, "⬅️ К списку услуг");
    await press(boss, "🟢 Haircut");
    await press(boss, "🔢 Порядок");
    await send(boss, "35");
    assert.deepEqual(await clientServices(t), [
      "Consultation",
      "Beard trim",
      "Colouring",
      "Haircut",
    ]);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/** The start times offered to the client for a Haircut on `date`, through the calendar. */
async function clientSlots(t: TestBot, date: string): Promise<string[] | undefined> {
  const client = anna(t);
  await send(client, "/book");
  await press(client, "Haircut");
  if (!client.buttons().some((b) => b.data === `bd:${date}`)) return undefined;
  await press(client, (b) => b.data === `bd:${date}`);
  return client.buttons().filter((b) => b.data?.startsWith("bt:")).map((b) => b.text);
}

Deno.test("safety net: a daily limit set through the bot closes a full day on the next slot list", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await bookAnna(t, WED_10);
    await bookAnna(t, WED_10 + 2 * HOUR);
    assert.ok((await clientSlots(t, "2026-12-02"))?.includes("15:00"), "no limit yet");

    const boss = owner(t);
    await send(boss, "/admin");
    await press(boss, "Расписание");
    await press(boss, "⚙️ Правила записи");
    assert.match(boss.lastMessage()!.text!, /Максимум записей в день на мастера: без лимита/);
    await press(boss, "🔢 Лимит в день");
    await send(boss, "3");
    assert.match(boss.lastMessage()!.text!, /Максимум записей в день на мастера: 3/);

    // Two of three taken on Wednesday: still open; a third fills it.
    assert.ok((await clientSlots(t, "2026-12-02"))?.includes("15:00"), "2 of 3: still open");
    await bookAnna(t, WED_10 + 5 * HOUR);
    const wednesday = await clientSlots(t, "2026-12-02");
    assert.ok(
      wednesday === undefined || wednesday.length === 0,
      `a full day offers nothing: ${wednesday}`,
    );
    assert.ok((await clientSlots(t, "2026-12-03"))?.includes("10:00"), "Thursday is open");
    // Back to no limit: Wednesday opens again.
    await send(boss, "/admin");
    await press(boss, "Расписание");
    await press(boss, "⚙️ Правила записи");
    await press(boss, "🔢 Лимит в день");
    await send(boss, "0");
    assert.ok((await clientSlots(t, "2026-12-02"))?.includes("16:00"), "limit removed");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("safety net: the statistics screen shows each status and the completed share of all", async () => {
  // The first WebAssembly load takes longer than the harness's quiet period.
  await prepareCharts();
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const ids = [];
    for (const h of [0, 1, 4, 5]) ids.push((await bookAnna(t, WED_10 + h * HOUR)).id);
    ids.push((await bookAnna(t, WED_10 + 24 * HOUR)).id);
    const admin = { userId: OWNER, isAdmin: true };
    t.running.deps.bookings.setStatus(ids[0], admin, "completed");
    t.running.deps.bookings.setStatus(ids[1], admin, "completed");
    t.running.deps.bookings.setStatus(ids[2], admin, "no_show");
    t.running.deps.bookings.cancelBooking(ids[3], admin, null);
    // Left: one active. 5 in all: 2 completed (40%), 1 cancelled (20%), 1 active (20%).
    const boss = owner(t);
    await send(boss, "/admin");
    const photo = boss.nextMessage((m) => m.kind === "photo");
    boss.press("📊 Статистика");
    const caption = (await photo).caption!;
    await t.idle();
    assert.match(caption, /Записей: <b>5<\/b>/);
    assert.match(caption, /Активных: 1\n/);
    assert.match(caption, /Завершённых: 2\n/);
    assert.match(caption, /Отменённых: 1\n/);
    assert.match(caption, /Неявок: 1\n/);
    assert.match(caption, /Отмен: <b>20%<\/b> · завершённых: <b>40%<\/b>/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("safety net: a client pressing more than 60 buttons a minute is slowed down alone", async () => {
  const t = await startTestBot();
  try {
    const fast = t.fake.user(201, { first_name: "Fast", language_code: "ru" });
    const calm = t.fake.user(202, { first_name: "Calm", language_code: "ru" });
    await send(fast, "/start");
    await send(calm, "/start");
    // The same menu button pressed again and again (the menu message stays in the chat).
    const myBookings = fast.buttons().find((b) => b.text === "📋 Мои записи")!.data!;
    for (let i = 0; i < 61; i++) {
      fast.pressData(myBookings);
      await fast.waitForCallbackAnswer();
    }
    await t.idle();
    const answers = fast.callbackAnswers();
    assert.equal(answers.length, 61);
    assert.ok(answers.slice(0, 60).every((a) => !a.text?.includes("Слишком быстро")));
    assert.match(answers[60].text ?? "", /Слишком быстро\. Подождите минуту/);
    // Another client in the same minute is served as usual.
    await press(calm, "📋 Мои записи");
    assert.match(calm.lastMessage()!.text!, /У вас нет предстоящих записей/);
    assert.ok(!calm.callbackAnswers().some((a) => a.text?.includes("Слишком быстро")));
    // A minute later the fast client is served again.
    t.clock.advance(60_000);
    fast.pressData(myBookings);
    const again = await fast.waitForCallbackAnswer();
    assert.ok(!again.text?.includes("Слишком быстро"));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

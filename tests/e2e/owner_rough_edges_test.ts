/**
 * Issue 11, point 11: an owner's daily rough edges, from the owner's side in Russian: notices
 * with buttons, days off typed without the year and shown as local dates, the bookings a new
 * day off leaves behind with buttons to open them, and an audit log in words.
 */
import assert from "node:assert/strict";
import { press, send } from "../support/steps.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";

const OWNER = 900;

function owner(t: TestBot): FakeUser {
  return t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
}

function anna(t: TestBot): FakeUser {
  return t.fake.user(101, {
    first_name: "Анна",
    last_name: "Петрова",
    username: "anna_p",
    language_code: "ru",
  });
}

/** Anna books a Haircut on Wed 2 Dec at 10:00 through the buttons. */
async function annaBooks(t: TestBot) {
  const a = anna(t);
  a.sendText("/book");
  await t.idle();
  a.press("Haircut");
  await t.idle();
  a.press((b) => b.data === "bd:2026-12-02");
  await t.idle();
  a.press("10:00");
  await t.idle();
  a.press("Анна Петрова");
  await t.idle();
  a.sendContact("+79161234567");
  await t.idle();
  a.press("Подтвердить");
  await t.idle();
}

/** The owner's newest message containing `text`. */
function ownerNotice(t: TestBot, text: string) {
  return owner(t).messages().filter((m) => m.text?.includes(text)).at(-1);
}

Deno.test("e2e owner notices: a new and a cancelled booking come with 'open' and 'write to the client'", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await send(owner(t), "/start");
    await annaBooks(t);
    const created = ownerNotice(t, "Новая запись №1")!;
    assert.ok(created, "the owner is told");
    assert.match(
      created.text!,
      /Написать клиенту: <a href="tg:\/\/user\?id=101">Анна Петрова<\/a>/,
    );
    const buttons = owner(t).buttons(created.message_id);
    assert.deepEqual(buttons.map((b) => b.text), ["📋 Открыть запись", "✍️ Написать клиенту"]);
    assert.equal(buttons[1].url, "https://t.me/anna_p");

    await press(owner(t), "📋 Открыть запись");
    const card = owner(t).lastMessage()!.text!;
    assert.match(card, /Запись №1/);
    assert.match(card, /Анна Петрова/);

    // The client cancels: that notice has the buttons too.
    const a = anna(t);
    a.sendText("/my");
    await t.idle();
    a.press(/Haircut/);
    await t.idle();
    a.press("Отменить запись");
    await t.idle();
    a.press("Да, отменить");
    await t.idle();
    const cancelled = ownerNotice(t, "Клиент отменил запись №1")!;
    assert.ok(cancelled, "the owner is told of the cancellation");
    assert.ok(
      owner(t).buttons(cancelled.message_id).some((b) => b.text === "📋 Открыть запись"),
    );
  } finally {
    await t.close();
  }
});

Deno.test("e2e owner days off: '04.12' without the year is accepted, dates are local, the booking left on it opens by a button", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await send(anna(t), "/start");
    const haircut = listBookableServices(t.running.deps.db).find((s) => s.name === "Haircut")!;
    const booking = t.running.deps.bookings.createBooking({
      userId: 101,
      serviceId: haircut.id,
      staff: "any",
      start: Date.parse("2026-12-04T08:00:00Z"), // Fri 4 Dec 11:00 Moscow
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    const o = owner(t);
    await send(o, "/admin");
    await press(o, "Расписание");
    await press(o, "Выходные и праздники");
    await press(o, "Добавить выходной");
    assert.match(o.lastMessage()!.text!, /<code>31\.12 Новый год<\/code>/);
    await send(o, "04.12 Санитарный день");
    const text = o.lastMessage()!.text!;
    assert.match(text, /Выходной добавлен: пт, 4 декабря 2026 г\.\n/);
    assert.doesNotMatch(text, /г\.\./, "no double period");
    assert.match(text, /Записей вне расписания: 1/);
    assert.ok(o.buttons().some((b) => b.text === "❌ Убрать 04.12.2026"));
    assert.ok(!o.buttons().some((b) => /2026-12-04/.test(b.text)), "no ISO dates on buttons");

    await press(o, `📋 №${booking.id} · 04.12.2026 11:00`);
    assert.match(o.lastMessage()!.text!, new RegExp(`Запись №${booking.id}`));

    // Or picked on the calendar: next month, the 1st.
    await send(o, "/admin");
    await press(o, "Расписание");
    await press(o, "Выходные и праздники");
    await press(o, "Добавить выходной");
    assert.ok(o.buttons().some((b) => b.text === "Декабрь 2026 г."));
    assert.ok(!o.buttons().some((b) => b.text === "◀️"), "no way back from this month");
    await press(o, "▶️");
    assert.ok(o.buttons().some((b) => b.text === "Январь 2027 г."));
    await press(o, (b) => b.text === "1" && b.data!.startsWith("ahq:"));
    assert.match(o.lastMessage()!.text!, /Выходной добавлен: пт, 1 января 2027 г\./);
    assert.ok(o.buttons().some((b) => b.text === "❌ Убрать 01.01.2027"));
  } finally {
    await t.close();
  }
});

Deno.test("e2e owner audit log: local times, names and words instead of ids and column names", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await send(owner(t), "/start");
    await annaBooks(t);
    t.running.deps.services.schedule.setRule("minNoticeMinutes", 120, OWNER);
    const o = owner(t);
    await send(o, "/admin");
    await press(o, "Журнал");
    const text = o.lastMessage()!.text!;
    assert.match(text, /<b>настройки<\/b> · запись не позже чем за, мин · изменение/);
    assert.match(text, /запись не позже чем за, мин: <code>60<\/code> → <code>120<\/code>/);
    assert.match(
      text,
      /<b>запись<\/b> #1 · создание\n— → <code>услуга: Haircut, мастер: Мастер, время: 02\.12\.2026, 10:00, имя клиента: Анна Петрова, телефон: \+79161234567<\/code>/,
    );
    assert.doesNotMatch(text, /serviceId|staffId|min_notice_minutes|T07:00:00/);
  } finally {
    await t.close();
  }
});

/**
 * Issue 11, the client's side: what a Russian-speaking client meets in daily use, through the
 * real start sequence, buttons pressed by their labels (Tue 1 Dec 2026, 09:00 Moscow).
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import type { Button, FakeUser } from "../support/fake_bot_api.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";

const OWNER = 900;

function setSetting(t: TestBot, key: string, value: string) {
  t.running.deps.db.prepare(
    "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)",
  ).run(key, value);
}

function client(t: TestBot, id = 101, firstName = "Анна"): FakeUser {
  return t.fake.user(id, { first_name: firstName, last_name: "Петрова", language_code: "ru" });
}

/** Presses a button (by label or predicate) and waits for the bot. */
async function tap(
  t: TestBot,
  u: FakeUser,
  match: Parameters<FakeUser["press"]>[0],
  options?: Parameters<FakeUser["press"]>[1],
) {
  u.press(match, options);
  await t.idle();
}

/** Sends a text and waits for the bot. */
async function say(t: TestBot, u: FakeUser, text: string) {
  u.sendText(text);
  await t.idle();
}

/** The calendar button of `iso`. */
const onDay = (iso: string) => (b: Button) => b.data === `bd:${iso}`;
/** The slot button of `hhmm`. */
const atTime = (hhmm: string) => (b: Button) => b.text === hhmm && !!b.data?.startsWith("bt:");

/** A first booking: every step typed, up to the summary. */
async function firstBookingSummary(t: TestBot, u: FakeUser, day: string, time: string) {
  await say(t, u, "/start");
  await tap(t, u, "Записаться");
  await tap(t, u, "Haircut");
  await tap(t, u, onDay(day));
  await tap(t, u, atTime(time));
  await say(t, u, "Анна Петрова");
  await say(t, u, "+79161234567");
}

/** A returning client's booking: service, day, time, confirm. */
async function bookAgain(t: TestBot, u: FakeUser, day: string, time: string) {
  await say(t, u, "/book");
  await tap(t, u, "Haircut");
  await tap(t, u, onDay(day));
  await tap(t, u, atTime(time));
  await tap(t, u, "Подтвердить");
}

function texts(u: FakeUser): string[] {
  return u.messages().map((m) => m.text ?? m.caption ?? "");
}

function icsFiles(u: FakeUser): string[] {
  return u.messages().filter((m) => m.kind === "document")
    .map((m) => new TextDecoder().decode(m.document!.bytes));
}

Deno.test("client 1: a same-day booking says it cannot be changed in the bot, offers no failing button, and reaches the admin", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Ольга", language_code: "ru" });
    owner.sendText("/start");
    setSetting(t, "business.phone", "+7 495 123-45-67");
    const anna = client(t);
    await firstBookingSummary(t, anna, "2026-12-01", "12:00");
    const summary = anna.lastMessage()!.text!;
    assert.match(summary, /Эту запись нельзя будет отменить или перенести в боте/);
    await tap(t, anna, "Подтвердить");
    const confirmation = texts(anna).find((m) => m.includes("Вы записаны"))!;
    assert.match(confirmation, /нельзя будет отменить или перенести в боте/);

    await say(t, anna, "/my");
    await tap(t, anna, "12:00");
    const card = anna.lastMessage()!;
    const labels = anna.buttons().map((b) => b.text);
    assert.ok(!labels.some((l) => /Перенести|Отменить запись/.test(l)), labels.join(", "));
    assert.match(card.text!, /Позвоните нам: \+7 495 123-45-67/);
    await tap(t, anna, "✉️ Написать администратору");
    assert.match(anna.lastMessage()!.text!, /передам администратору вместе с записью/);
    await say(t, anna, "Опоздаю минут на 15, можно?");
    assert.match(anna.lastMessage()!.text!, /Передали администратору/);
    const forwarded = owner.messages().find((m) => /Клиент пишет по записи №1/.test(m.text ?? ""));
    assert.ok(forwarded, "the admin got the message");
    assert.match(forwarded.text!, /Анна Петрова, \+79161234567/);
    assert.match(forwarded.text!, /Haircut/);
    assert.match(forwarded.text!, /«Опоздаю минут на 15, можно\?»/);
    assert.match(forwarded.text!, /tg:\/\/user\?id=101/);

    // A booking further away: free cancellation until a stated moment, and both buttons.
    await say(t, anna, "/book");
    await tap(t, anna, "Haircut");
    await tap(t, anna, onDay("2026-12-04"));
    await tap(t, anna, atTime("15:00"));
    assert.match(
      anna.lastMessage()!.text!,
      /Бесплатная отмена и перенос в боте — до чт, 3 декабря 2026 г\. 15:00/,
    );
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("client 2: the contact prompts keep no buttons, and an old ✖️ Отмена pressed after the booking is confirmed says the dialog is over and shows the booking", async () => {
  const t = await startTestBot();
  try {
    const anna = client(t);
    await say(t, anna, "/book");
    const abandoned = anna.lastMessage()!.message_id;
    await say(t, anna, "/book");
    await tap(t, anna, "Haircut");
    await tap(t, anna, onDay("2026-12-03"));
    await tap(t, anna, atTime("10:00"));
    const namePrompt = anna.lastMessage()!.message_id;
    await say(t, anna, "Анна Петрова");
    const phoneNav = anna.lastMessage()!.message_id;
    await say(t, anna, "+79161234567");
    await tap(t, anna, "Подтвердить");
    // The answered prompts have no buttons left to press.
    assert.deepEqual(anna.buttons(namePrompt), []);
    assert.deepEqual(anna.buttons(phoneNav), []);

    const before = anna.messages().length;
    await tap(t, anna, "Отмена", { messageId: abandoned });
    assert.equal(anna.callbackAnswers().at(-1)?.text, "Этот диалог уже завершён.");
    assert.ok(!texts(anna).join("\n").includes("Ничего не сохранено"), "never 'nothing saved'");
    const now = t.fake.getMessage(101, abandoned)!;
    assert.match(now.text!, /Этот диалог уже завершён/);
    assert.match(now.text!, /Ваши предстоящие записи<\/b> \(1\)/);
    assert.ok(anna.buttons(abandoned).some((b) => /чт, 3 декабря.*10:00 · Haircut/.test(b.text)));
    assert.equal(anna.messages().length, before, "the old message shows the state, no new one");
    assert.equal(getBooking(t.running.deps.db, 1)!.status, "active");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("client 3: the calendar file follows the booking — revised after a move, cancelled after a cancel, from either side", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    setSetting(t, "business.address", "Москва, ул. Ленина, 1");
    const owner = t.fake.user(OWNER, { first_name: "Ольга", language_code: "ru" });
    owner.sendText("/start");
    const anna = client(t);
    await firstBookingSummary(t, anna, "2026-12-03", "10:00");
    await tap(t, anna, "Подтвердить");
    const [created] = icsFiles(anna);
    assert.match(created, /METHOD:PUBLISH/);
    const uid = /UID:(.+)\r\n/.exec(created)![1];
    const sequence = (ics: string) => Number(/SEQUENCE:(\d+)/.exec(ics)![1]);
    assert.match(created, /LOCATION:Москва\\, ул\. Ленина\\, 1/);
    assert.match(
      created,
      /BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Haircut\r\nTRIGGER:-PT60M/,
    );

    // The client moves it: the same event, a higher SEQUENCE, the new time.
    await say(t, anna, "/my");
    await tap(t, anna, "10:00 · Haircut");
    await tap(t, anna, "Перенести");
    await tap(t, anna, onDay("2026-12-04"));
    await tap(t, anna, atTime("16:00"));
    await tap(t, anna, "Подтвердить");
    const moved = icsFiles(anna)[1];
    assert.ok(moved, "a revised file after the move");
    assert.equal(/UID:(.+)\r\n/.exec(moved)![1], uid);
    assert.ok(sequence(moved) > sequence(created));
    assert.match(moved, /DTSTART:20261204T130000Z/);
    assert.ok(
      texts(anna).includes(
        "📎 Обновлённое событие для календаря: откройте файл, и визит перенесётся.",
      ),
    );

    // The client cancels it: METHOD:CANCEL for the same event, higher again.
    await say(t, anna, "/my");
    await tap(t, anna, "16:00 · Haircut");
    await tap(t, anna, "Отменить запись");
    await tap(t, anna, "Да, отменить");
    const cancelled = icsFiles(anna)[2];
    assert.match(cancelled, /METHOD:CANCEL/);
    assert.match(cancelled, /STATUS:CANCELLED/);
    assert.equal(/UID:(.+)\r\n/.exec(cancelled)![1], uid);
    assert.ok(sequence(cancelled) > sequence(moved));

    // The admin's side: a move and a cancel of another booking send the revised files too.
    const second = t.running.deps.bookings.createBooking({
      userId: 101,
      serviceId: 1,
      staff: 1,
      start: Date.parse("2026-12-02T07:00:00Z"),
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    await say(t, owner, "/admin");
    owner.pressData(`abc:${second.id}`);
    await t.idle();
    await tap(t, owner, "🕐 Время");
    await tap(t, owner, "15:00");
    await tap(t, owner, "Да, перенести");
    const adminMoved = icsFiles(anna)[3];
    assert.match(adminMoved, new RegExp(`UID:booking-${second.id}@`));
    assert.match(adminMoved, /DTSTART:20261202T120000Z/);
    assert.ok(sequence(adminMoved) > 0);
    owner.pressData(`abc:${second.id}`);
    await t.idle();
    await tap(t, owner, "❌ Отменить запись");
    await say(t, owner, "Мастер заболел");
    const adminCancelled = icsFiles(anna)[4];
    assert.match(adminCancelled, /METHOD:CANCEL/);
    assert.match(adminCancelled, new RegExp(`UID:booking-${second.id}@`));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("client 4: the confirmation names exactly the reminders that will come", async () => {
  const t = await startTestBot();
  try {
    const anna = client(t);
    // Today 12:00: no day-before reminder, only the one-hour one.
    await firstBookingSummary(t, anna, "2026-12-01", "12:00");
    await tap(t, anna, "Подтвердить");
    let confirmation = texts(anna).findLast((m) => m.includes("Вы записаны"))!;
    assert.match(confirmation, /Мы напомним за час до визита\./);
    assert.doesNotMatch(confirmation, /накануне/);
    // Tomorrow 10:00, booked 25 h ahead: both.
    await bookAgain(t, anna, "2026-12-02", "10:00");
    confirmation = texts(anna).findLast((m) => m.includes("Вы записаны"))!;
    assert.match(confirmation, /Мы напомним накануне и за час до визита\./);
    // At 11:30 the day-before moment for tomorrow (10:00 today) has passed: only the hour one.
    t.clock.set("2026-12-01T08:30:00Z");
    await bookAgain(t, anna, "2026-12-02", "16:00");
    confirmation = texts(anna).findLast((m) => m.includes("Вы записаны"))!;
    assert.match(confirmation, /Мы напомним за час до визита\./);
    assert.doesNotMatch(confirmation, /накануне/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("client 5: a returning client books in 5 taps from /start; «Мои данные» changes what the next booking uses", async () => {
  const t = await startTestBot();
  try {
    const anna = client(t);
    await firstBookingSummary(t, anna, "2026-12-03", "10:00");
    await tap(t, anna, "Подтвердить");

    let taps = 0;
    const counted = (match: Parameters<FakeUser["press"]>[0]) => {
      taps++;
      return tap(t, anna, match);
    };
    await say(t, anna, "/start");
    await counted("Записаться");
    await counted("Haircut");
    await counted(onDay("2026-12-04"));
    await counted(atTime("11:00"));
    const summary = anna.lastMessage()!.text!;
    assert.match(summary, /Имя: Анна Петрова\n📞 Телефон: \+79161234567/);
    await counted("Подтвердить");
    assert.equal(taps, 5);
    assert.ok(texts(anna).some((m) => /Вы записаны[\s\S]*пт, 4 декабря/.test(m)));
    assert.equal(getBooking(t.running.deps.db, 2)!.phone, "+79161234567");

    // The profile: a new phone for future bookings.
    await say(t, anna, "/start");
    await tap(t, anna, "Мои данные");
    assert.match(
      anna.lastMessage()!.text!,
      /Имя: <b>Анна Петрова<\/b>\nТелефон: <b>\+79161234567<\/b>/,
    );
    await tap(t, anna, "Изменить телефон");
    await say(t, anna, "12");
    assert.match(anna.lastMessage()!.text!, /Попробуйте ещё раз/);
    await say(t, anna, "8 903 555-00-00");
    assert.match(anna.lastMessage()!.text!, /Сохранено[\s\S]*Телефон: <b>\+79035550000<\/b>/);
    await tap(t, anna, "Главное меню");
    await tap(t, anna, "Записаться");
    await tap(t, anna, "Haircut");
    await tap(t, anna, onDay("2026-12-07"));
    await tap(t, anna, atTime("10:00"));
    assert.match(anna.lastMessage()!.text!, /Телефон: \+79035550000/);
    // Another name for this one booking only: the contact steps, from the summary.
    await tap(t, anna, "Другое имя или телефон");
    assert.match(anna.lastMessage()!.text!, /На какое имя записать/);
    await say(t, anna, "Мама Анны");
    await tap(t, anna, "+79035550000");
    await tap(t, anna, "Подтвердить");
    assert.equal(getBooking(t.running.deps.db, 3)!.clientName, "Мама Анны");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("client 6: rough edges — ⬅️ from the phone step, stray text, /cancel when idle, old time on a move, сегодня/завтра, the calendar, no suggestion promised", async () => {
  const t = await startTestBot();
  try {
    // A Telegram name too short to offer: the name prompt promises no suggestion.
    const ya = t.fake.user(102, { first_name: "Я", language_code: "ru" });
    await say(t, ya, "/book");
    await tap(t, ya, "Haircut");
    // The calendar: today marked, Saturday (closed) a dot.
    const calendar = ya.buttons().map((b) => b.text);
    assert.ok(calendar.includes("(1)"), "today is marked");
    assert.ok(calendar.includes("·"), "closed days are dots");
    await tap(t, ya, onDay("2026-12-01"));
    assert.match(ya.lastMessage()!.text!, /Haircut<\/b>, сегодня, вт, 1 декабря 2026 г\./);
    await tap(t, ya, atTime("15:00"));
    assert.equal(ya.lastMessage()!.text, "👤 На какое имя записать? Отправьте его сообщением.");

    // ✖️ at the phone step takes the contact keyboard away too.
    await say(t, ya, "Яна");
    assert.ok(ya.replyKeyboard(), "the contact keyboard is up");
    await tap(t, ya, "Отмена");
    assert.equal(ya.replyKeyboard(), undefined, "the contact keyboard is gone");
    assert.ok(!texts(ya).some((m) => /Ваш номер телефона/.test(m)), "phone prompts removed");
    assert.deepEqual(texts(ya).slice(-2), [
      "Отменено. Ничего не сохранено.",
      "Что хотите сделать?",
    ]);

    // ⬅️ from the phone step: the contact keyboard goes, the phone prompts go, the name is asked once.
    const anna = client(t);
    await say(t, anna, "/book");
    await tap(t, anna, "Haircut");
    await tap(t, anna, onDay("2026-12-02"));
    await tap(t, anna, atTime("10:00"));
    const namePrompt = anna.lastMessage()!.message_id;
    await say(t, anna, "Анна Петрова");
    assert.ok(anna.replyKeyboard(), "the contact keyboard is up");
    assert.deepEqual(anna.buttons(namePrompt), [], "the answered name prompt has no buttons left");
    await tap(t, anna, "Назад");
    assert.equal(anna.replyKeyboard(), undefined, "the contact keyboard is gone");
    assert.ok(!texts(anna).some((m) => /Ваш номер телефона/.test(m)), "phone prompts removed");
    const nameAsks = texts(anna).filter((m) => /На какое имя записать/.test(m));
    assert.equal(nameAsks.length, 2, "the old prompt and the new one");
    assert.ok(
      anna.buttons().some((b) => b.text === "Анна Петрова"),
      "the new prompt offers the name",
    );
    await tap(t, anna, "Анна Петрова");
    await say(t, anna, "+79161234567");
    assert.match(anna.lastMessage()!.text!, /Дата: <b>завтра, ср, 2 декабря 2026 г\.<\/b>/);
    await tap(t, anna, "Подтвердить");

    // Stray text shows the menu at once; /cancel with nothing open shows it once.
    let before = anna.messages().length;
    await say(t, anna, "привет");
    assert.equal(anna.messages().length, before + 1);
    assert.match(anna.lastMessage()!.text!, /Не понял вас/);
    assert.ok(anna.buttons().some((b) => b.text === "📅 Записаться"));
    before = anna.messages().length;
    await say(t, anna, "/cancel");
    assert.equal(anna.messages().length, before + 1, "the menu once");
    assert.equal(anna.lastMessage()!.text, "Что хотите сделать?");

    // A move shows where the booking was.
    await say(t, anna, "/my");
    assert.ok(
      anna.buttons().some((b) => /завтра, ср, 2 декабря 2026 г\. 10:00 · Haircut/.test(b.text)),
    );
    await tap(t, anna, "10:00 · Haircut");
    await tap(t, anna, "Перенести");
    await tap(t, anna, onDay("2026-12-04"));
    await tap(t, anna, atTime("16:00"));
    assert.match(anna.lastMessage()!.text!, /Было: завтра, ср, 2 декабря 2026 г\. 10:00/);

    // Days gone by are blank, not dots, once the month has some.
    t.clock.set("2026-12-03T06:00:00Z");
    await say(t, anna, "/book");
    await tap(t, anna, "Haircut");
    // Navigation (3) and weekday names (7), then the days from Monday 30 Nov (padding).
    const grid = anna.buttons().slice(10).map((b) => b.text);
    assert.deepEqual(grid.slice(0, 7), [" ", " ", " ", "(3)", "4", "·", "·"]);
    assert.match(anna.lastMessage()!.text!, /\(N\) — сегодня, · — свободных мест нет/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

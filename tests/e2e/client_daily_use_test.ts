/**
 * Issue 11, the client's side: what a Russian-speaking client meets in daily use, through the
 * real start sequence, buttons pressed by their labels (Tue 1 Dec 2026, 09:00 Moscow).
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";
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

/** A first booking: every step typed, up to the summary. */
async function firstBookingSummary(t: TestBot, u: FakeUser, day: string, time: string) {
  u.sendText("/start");
  await t.idle();
  u.press("Записаться");
  await t.idle();
  u.press("Haircut");
  await t.idle();
  u.press((b) => b.data === `bd:${day}`);
  await t.idle();
  u.press((b) => b.text === time && b.data!.startsWith("bt:"));
  await t.idle();
  u.sendText("Анна Петрова");
  await t.idle();
  u.sendText("+79161234567");
  await t.idle();
}

/** A returning client's booking: service, day, time, confirm. */
async function bookAgain(t: TestBot, u: FakeUser, day: string, time: string) {
  u.sendText("/book");
  await t.idle();
  u.press("Haircut");
  await t.idle();
  u.press((b) => b.data === `bd:${day}`);
  await t.idle();
  u.press((b) => b.text === time && b.data!.startsWith("bt:"));
  await t.idle();
  u.press("Подтвердить");
  await t.idle();
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
    setSetting(t, "business_phone", "+7 495 123-45-67");
    const anna = client(t);
    await firstBookingSummary(t, anna, "2026-12-01", "12:00");
    const summary = anna.lastMessage()!.text!;
    assert.match(summary, /Эту запись нельзя будет отменить или перенести в боте/);
    anna.press("Подтвердить");
    await t.idle();
    const confirmation = texts(anna).find((m) => m.includes("Вы записаны"))!;
    assert.match(confirmation, /нельзя будет отменить или перенести в боте/);

    anna.sendText("/my");
    await t.idle();
    anna.press("12:00");
    await t.idle();
    const card = anna.lastMessage()!;
    const labels = anna.buttons().map((b) => b.text);
    assert.ok(!labels.some((l) => /Перенести|Отменить запись/.test(l)), labels.join(", "));
    assert.match(card.text!, /Позвоните нам: \+7 495 123-45-67/);
    anna.press("✉️ Написать администратору");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /передам администратору вместе с записью/);
    anna.sendText("Опоздаю минут на 15, можно?");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Передали администратору/);
    const forwarded = owner.messages().find((m) => /Клиент пишет по записи №1/.test(m.text ?? ""));
    assert.ok(forwarded, "the admin got the message");
    assert.match(forwarded.text!, /Анна Петрова, \+79161234567/);
    assert.match(forwarded.text!, /Haircut/);
    assert.match(forwarded.text!, /«Опоздаю минут на 15, можно\?»/);
    assert.match(forwarded.text!, /tg:\/\/user\?id=101/);

    // A booking further away: free cancellation until a stated moment, and both buttons.
    anna.sendText("/book");
    await t.idle();
    anna.press("Haircut");
    await t.idle();
    anna.press((b) => b.data === "bd:2026-12-04");
    await t.idle();
    anna.press((b) => b.text === "15:00");
    await t.idle();
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
    anna.sendText("/book");
    await t.idle();
    const abandoned = anna.lastMessage()!.message_id;
    anna.sendText("/book");
    await t.idle();
    anna.press("Haircut");
    await t.idle();
    anna.press((b) => b.data === "bd:2026-12-03");
    await t.idle();
    anna.press((b) => b.text === "10:00");
    await t.idle();
    const namePrompt = anna.lastMessage()!.message_id;
    anna.sendText("Анна Петрова");
    await t.idle();
    const phoneNav = anna.lastMessage()!.message_id;
    anna.sendText("+79161234567");
    await t.idle();
    anna.press("Подтвердить");
    await t.idle();
    // The answered prompts have no buttons left to press.
    assert.deepEqual(anna.buttons(namePrompt), []);
    assert.deepEqual(anna.buttons(phoneNav), []);

    const before = anna.messages().length;
    anna.press("Отмена", { messageId: abandoned });
    await t.idle();
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
    setSetting(t, "business_address", "Москва, ул. Ленина, 1");
    const owner = t.fake.user(OWNER, { first_name: "Ольга", language_code: "ru" });
    owner.sendText("/start");
    const anna = client(t);
    await firstBookingSummary(t, anna, "2026-12-03", "10:00");
    anna.press("Подтвердить");
    await t.idle();
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
    anna.sendText("/my");
    await t.idle();
    anna.press("10:00 · Haircut");
    await t.idle();
    anna.press("Перенести");
    await t.idle();
    anna.press((b) => b.data === "bd:2026-12-04");
    await t.idle();
    anna.press((b) => b.text === "16:00");
    await t.idle();
    anna.press("Подтвердить");
    await t.idle();
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
    anna.sendText("/my");
    await t.idle();
    anna.press("16:00 · Haircut");
    await t.idle();
    anna.press("Отменить запись");
    await t.idle();
    anna.press("Да, отменить");
    await t.idle();
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
    owner.sendText("/admin");
    await t.idle();
    owner.pressData(`abc:${second.id}`);
    await t.idle();
    owner.press("🕐 Время");
    await t.idle();
    owner.press("15:00");
    await t.idle();
    const adminMoved = icsFiles(anna)[3];
    assert.match(adminMoved, new RegExp(`UID:booking-${second.id}@`));
    assert.match(adminMoved, /DTSTART:20261202T120000Z/);
    assert.ok(sequence(adminMoved) > 0);
    owner.pressData(`abc:${second.id}`);
    await t.idle();
    owner.press("❌ Отменить запись");
    await t.idle();
    owner.sendText("Мастер заболел");
    await t.idle();
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
    anna.press("Подтвердить");
    await t.idle();
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
    anna.press("Подтвердить");
    await t.idle();

    let taps = 0;
    const tap = async (match: Parameters<FakeUser["press"]>[0]) => {
      anna.press(match);
      taps++;
      await t.idle();
    };
    anna.sendText("/start");
    await t.idle();
    await tap("Записаться");
    await tap("Haircut");
    await tap((b) => b.data === "bd:2026-12-04");
    await tap((b) => b.text === "11:00");
    const summary = anna.lastMessage()!.text!;
    assert.match(summary, /Имя: Анна Петрова\n📞 Телефон: \+79161234567/);
    await tap("Подтвердить");
    assert.equal(taps, 5);
    assert.ok(
      texts(anna).at(-2)!.includes("Вы записаны") ||
        texts(anna).some((m) => /Вы записаны[\s\S]*пт, 4 декабря/.test(m)),
    );
    assert.equal(getBooking(t.running.deps.db, 2)!.phone, "+79161234567");

    // The profile: a new phone for future bookings.
    anna.sendText("/start");
    await t.idle();
    anna.press("Мои данные");
    await t.idle();
    assert.match(
      anna.lastMessage()!.text!,
      /Имя: <b>Анна Петрова<\/b>\nТелефон: <b>\+79161234567<\/b>/,
    );
    anna.press("Изменить телефон");
    await t.idle();
    anna.sendText("12");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Попробуйте ещё раз/);
    anna.sendText("8 903 555-00-00");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Сохранено[\s\S]*Телефон: <b>\+79035550000<\/b>/);
    anna.press("Главное меню");
    await t.idle();
    anna.press("Записаться");
    await t.idle();
    anna.press("Haircut");
    await t.idle();
    anna.press((b) => b.data === "bd:2026-12-07");
    await t.idle();
    anna.press((b) => b.text === "10:00");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Телефон: \+79035550000/);
    // Another name for this one booking only: the contact steps, from the summary.
    anna.press("Другое имя или телефон");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /На какое имя записать/);
    anna.sendText("Мама Анны");
    await t.idle();
    anna.press("+79035550000");
    await t.idle();
    anna.press("Подтвердить");
    await t.idle();
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
    ya.sendText("/book");
    await t.idle();
    ya.press("Haircut");
    await t.idle();
    // The calendar: today marked, Saturday (closed) a dot.
    const calendar = ya.buttons().map((b) => b.text);
    assert.ok(calendar.includes("(1)"), "today is marked");
    assert.ok(calendar.includes("·"), "closed days are dots");
    ya.press((b) => b.data === "bd:2026-12-01");
    await t.idle();
    assert.match(ya.lastMessage()!.text!, /Haircut<\/b>, сегодня, вт, 1 декабря 2026 г\./);
    ya.press((b) => b.text === "15:00");
    await t.idle();
    assert.equal(ya.lastMessage()!.text, "👤 На какое имя записать? Отправьте его сообщением.");

    // ⬅️ from the phone step: the contact keyboard goes, the phone prompts go, the name is asked once.
    const anna = client(t);
    anna.sendText("/book");
    await t.idle();
    anna.press("Haircut");
    await t.idle();
    anna.press((b) => b.data === "bd:2026-12-02");
    await t.idle();
    anna.press((b) => b.text === "10:00");
    await t.idle();
    const namePrompt = anna.lastMessage()!.message_id;
    anna.sendText("Анна Петрова");
    await t.idle();
    assert.ok(anna.replyKeyboard(), "the contact keyboard is up");
    assert.deepEqual(anna.buttons(namePrompt), [], "the answered name prompt has no buttons left");
    anna.press("Назад");
    await t.idle();
    assert.equal(anna.replyKeyboard(), undefined, "the contact keyboard is gone");
    assert.ok(!texts(anna).some((m) => /Ваш номер телефона/.test(m)), "phone prompts removed");
    const nameAsks = texts(anna).filter((m) => /На какое имя записать/.test(m));
    assert.equal(nameAsks.length, 2, "the old prompt and the new one");
    assert.ok(
      anna.buttons().some((b) => b.text === "Анна Петрова"),
      "the new prompt offers the name",
    );
    anna.press("Анна Петрова");
    await t.idle();
    anna.sendText("+79161234567");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Дата: <b>завтра, ср, 2 декабря 2026 г\.<\/b>/);
    anna.press("Подтвердить");
    await t.idle();

    // Stray text shows the menu at once; /cancel with nothing open shows it once.
    let before = anna.messages().length;
    anna.sendText("привет");
    await t.idle();
    assert.equal(anna.messages().length, before + 1);
    assert.match(anna.lastMessage()!.text!, /Не понял вас/);
    assert.ok(anna.buttons().some((b) => b.text === "📅 Записаться"));
    before = anna.messages().length;
    anna.sendText("/cancel");
    await t.idle();
    assert.equal(anna.messages().length, before + 1, "the menu once");
    assert.equal(anna.lastMessage()!.text, "Что хотите сделать?");

    // A move shows where the booking was.
    anna.sendText("/my");
    await t.idle();
    assert.ok(
      anna.buttons().some((b) => /завтра, ср, 2 декабря 2026 г\. 10:00 · Haircut/.test(b.text)),
    );
    anna.press("10:00 · Haircut");
    await t.idle();
    anna.press("Перенести");
    await t.idle();
    anna.press((b) => b.data === "bd:2026-12-04");
    await t.idle();
    anna.press((b) => b.text === "16:00");
    await t.idle();
    assert.match(anna.lastMessage()!.text!, /Было: завтра, ср, 2 декабря 2026 г\. 10:00/);

    // Days gone by are blank, not dots, once the month has some.
    t.clock.set("2026-12-03T06:00:00Z");
    anna.sendText("/book");
    await t.idle();
    anna.press("Haircut");
    await t.idle();
    // Navigation (3) and weekday names (7), then the days from Monday 30 Nov (padding).
    const grid = anna.buttons().slice(10).map((b) => b.text);
    assert.deepEqual(grid.slice(0, 7), [" ", " ", " ", "(3)", "4", "·", "·"]);
    assert.match(anna.lastMessage()!.text!, /\(N\) — сегодня, · — свободных мест нет/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

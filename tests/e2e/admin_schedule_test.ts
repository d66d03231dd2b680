import assert from "node:assert/strict";
import { startTestBot, type TestBot } from "../support/harness.ts";
import type { Button, FakeUser } from "../support/fake_bot_api.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { addDayOff, listBreaks, listWorkingHours } from "../../src/db/schedule_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { listAllStaff } from "../../src/db/staff_repo.ts";

/** Presses a button and waits for the screen it leads to (every screen is one message). */
async function press(
  _t: TestBot,
  user: FakeUser,
  match: string | RegExp | ((b: Button) => boolean),
) {
  const next = user.nextMessage();
  user.press(match);
  await next;
}

/** Sends text and waits for the answer. */
async function send(_t: TestBot, user: FakeUser, text: string) {
  const next = user.nextMessage();
  user.sendText(text);
  await next;
}

function client(t: TestBot): FakeUser {
  return t.fake.user(101, { first_name: "Анна", last_name: "Петрова", language_code: "ru" });
}

/** Starts a Haircut booking as the client and returns the calendar's bookable dates. */
async function clientCalendar(t: TestBot): Promise<string[]> {
  const anna = client(t);
  await send(t, anna, "/book");
  await press(t, anna, "Haircut");
  return anna.buttons().filter((b) => b.data?.startsWith("bd:")).map((b) => b.data!.slice(3));
}

/** The start times a client is offered for a Haircut on `date`. */
async function clientSlots(t: TestBot, date: string): Promise<string[]> {
  await clientCalendar(t);
  const anna = client(t);
  await press(t, anna, (b) => b.data === `bd:${date}`);
  return anna.buttons().filter((b) => b.data?.startsWith("bt:")).map((b) => b.text);
}

async function admin(t: TestBot, section: string): Promise<FakeUser> {
  const owner = t.fake.user(900, { first_name: "Owner", language_code: "ru" });
  await send(t, owner, "/admin");
  await press(t, owner, section);
  return owner;
}

/** A booking made directly through the engine (the client must be known first). */
async function bookDirectly(t: TestBot, iso: string, staff: number | "any" = "any") {
  await send(t, client(t), "/start");
  const haircut = listBookableServices(t.running.deps.db).find((s) => s.name === "Haircut")!;
  return t.running.deps.bookings.createBooking({
    userId: 101,
    serviceId: haircut.id,
    staff,
    start: Date.parse(iso),
    clientName: "Анна Петрова",
    phone: "+79161234567",
  });
}

Deno.test("e2e admin schedule: new Wednesday hours change the client's slots at once and list the booking now outside", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const booking = await bookDirectly(t, "2026-12-02T07:00:00Z"); // Wed 10:00 Moscow
    assert.ok((await clientSlots(t, "2026-12-02")).includes("09:00"));

    const owner = await admin(t, "Расписание");
    assert.match(owner.lastMessage()!.text!, /<b>Среда<\/b>: 09:00–18:00 · перерыв 13:00–14:00/);
    assert.match(owner.lastMessage()!.text!, /<b>Суббота<\/b>: выходной/);
    await press(t, owner, "Ср");
    await press(t, owner, "Задать часы работы");
    await send(t, owner, "25:00-10:00");
    assert.match(owner.lastMessage()!.text!, /ЧЧ:ММ-ЧЧ:ММ[\s\S]*Среда/);
    await send(t, owner, "15:00-12:00");
    assert.match(owner.lastMessage()!.text!, /Конец должен быть позже начала/);
    await send(t, owner, "12:00-15:00");
    const saved = owner.lastMessage()!.text!;
    assert.match(saved, /Сохранено/);
    assert.match(saved, /Записей вне расписания: 1/);
    assert.match(
      saved,
      new RegExp(
        `№${booking.id} .*10:00–11:00 — Анна Петрова, \\+79161234567 \\(Haircut\\): вне часов работы`,
      ),
    );
    assert.match(saved, /Часы работы: <b>12:00–15:00<\/b>/);

    const db = t.running.deps.db;
    assert.deepEqual(
      { ...listWorkingHours(db, 1).find((h) => h.weekday === 3) },
      { weekday: 3, start: 720, end: 900 },
    );
    const row = listAudit(db, { entity: "schedule", limit: 1, offset: 0 }).rows[0];
    assert.deepEqual([row.field, row.oldValue, row.newValue, row.actorId], [
      "hours_3",
      "09:00–18:00",
      "12:00–15:00",
      900,
    ]);
    // The very next slot list follows the new hours (the break 13:00–14:00 still applies).
    assert.deepEqual(await clientSlots(t, "2026-12-02"), ["12:00", "14:00"]);
    assert.equal(getBooking(db, booking.id)!.status, "active", "the booking is not touched");

    // Making Wednesday a day off closes it in the client's calendar.
    await send(t, owner, "/admin");
    await press(t, owner, "Расписание");
    await press(t, owner, "Ср");
    await press(t, owner, "Сделать выходным");
    assert.match(owner.lastMessage()!.text!, /нерабочий день недели/);
    assert.ok(!(await clientCalendar(t)).includes("2026-12-09"));
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin schedule: a day off closes the day for clients, past dates are refused, removal reopens it", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const booking = await bookDirectly(t, "2026-12-04T08:00:00Z"); // Fri 11:00 Moscow
    assert.ok((await clientCalendar(t)).includes("2026-12-03"));
    const owner = await admin(t, "Расписание");
    await press(t, owner, "Выходные и праздники");
    assert.match(owner.lastMessage()!.text!, /Впереди нет выходных/);
    await press(t, owner, "Добавить выходной");
    await send(t, owner, "01.01.2020");
    assert.match(owner.lastMessage()!.text!, /уже прошла/);
    await send(t, owner, "32.12.2026");
    assert.match(owner.lastMessage()!.text!, /ГГГГ-ММ-ДД или ДД\.ММ\.ГГГГ/);
    await send(t, owner, "03.12.2026 Санитарный день");
    assert.match(owner.lastMessage()!.text!, /Выходной добавлен/);
    assert.match(owner.lastMessage()!.text!, /декабря 2026 г\. — Санитарный день/);
    assert.doesNotMatch(owner.lastMessage()!.text!, /вне расписания/);

    const calendar = await clientCalendar(t);
    assert.ok(!calendar.includes("2026-12-03"), "the day off is not bookable");
    assert.ok(calendar.includes("2026-12-02"));

    // A day off over an existing booking lists it.
    await press(t, owner, "Добавить выходной");
    await send(t, owner, "2026-12-04");
    const text = owner.lastMessage()!.text!;
    assert.match(text, /Записей вне расписания: 1/);
    assert.match(text, new RegExp(`№${booking.id} .*11:00–12:00 — Анна Петрова.*выходной день`));
    await press(t, owner, "Добавить выходной");
    await send(t, owner, "2026-12-04");
    assert.match(owner.lastMessage()!.text!, /уже выходной/);
    await press(t, owner, "Назад");

    await press(t, owner, "Убрать 03.12.2026");
    assert.match(owner.lastMessage()!.text!, /Выходной чт, 3 декабря 2026 г\. убран/);
    assert.ok((await clientCalendar(t)).includes("2026-12-03"), "reopened");
    const actions = listAudit(t.running.deps.db, { entity: "schedule", limit: 10, offset: 0 }).rows
      .filter((r) => r.field === "day_off").map((r) => `${r.action} ${r.oldValue ?? r.newValue}`);
    assert.deepEqual(actions, [
      "delete 2026-12-03 Санитарный день",
      "create 2026-12-04",
      "create 2026-12-03 Санитарный день",
    ]);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin schedule: breaks and booking rules are validated and apply to the next slot list", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const owner = await admin(t, "Расписание");
    await press(t, owner, "Ср");
    await press(t, owner, "Добавить перерыв");
    await send(t, owner, "19:00-20:00");
    assert.match(owner.lastMessage()!.text!, /внутри часов работы \(09:00–18:00\)/);
    await send(t, owner, "12:30-13:30");
    assert.match(owner.lastMessage()!.text!, /пересекается с другим перерывом \(13:00–14:00\)/);
    await send(t, owner, "16:00-17:00");
    assert.match(owner.lastMessage()!.text!, /Перерывы: 13:00–14:00, 16:00–17:00/);
    const slots = await clientSlots(t, "2026-12-02");
    assert.ok(!slots.includes("16:00") && !slots.includes("15:30"), `break respected: ${slots}`);
    assert.ok(slots.includes("17:00"));

    // Hours that would cut a break are refused with the reason.
    await press(t, owner, /Задать часы работы/);
    await send(t, owner, "09:00-15:00");
    assert.match(owner.lastMessage()!.text!, /Перерыв 16:00–17:00 окажется вне новых часов/);
    await press(t, owner, "Назад");
    await press(t, owner, "Убрать перерыв 16:00–17:00");
    assert.match(owner.lastMessage()!.text!, /Перерыв убран/);

    await press(t, owner, "К расписанию");
    await press(t, owner, "Правила записи");
    await press(t, owner, "Шаг слотов");
    await send(t, owner, "3");
    assert.match(owner.lastMessage()!.text!, /от 5 до 240/);
    await send(t, owner, "60");
    assert.match(owner.lastMessage()!.text!, /Шаг слотов: 60 мин/);
    await press(t, owner, "Горизонт записи");
    await send(t, owner, "0");
    assert.match(owner.lastMessage()!.text!, /от 1 до 365/);
    await send(t, owner, "1");
    await press(t, owner, "Лимит в день");
    await send(t, owner, "много");
    assert.match(owner.lastMessage()!.text!, /целое число/);
    await send(t, owner, "0");
    assert.match(owner.lastMessage()!.text!, /Ничего не изменилось/);

    assert.deepEqual(await clientSlots(t, "2026-12-02"), [
      "09:00",
      "10:00",
      "11:00",
      "12:00",
      "14:00",
      "15:00",
      "16:00",
      "17:00",
    ]);
    // Horizon 1 day: Thursday 3 December is already beyond it.
    const calendar = await clientCalendar(t);
    assert.ok(!calendar.includes("2026-12-03") && calendar.includes("2026-12-02"));
    const settings = listAudit(t.running.deps.db, { entity: "settings", limit: 10, offset: 0 }).rows
      .map((r) => `${r.field} ${r.oldValue}->${r.newValue}`);
    assert.deepEqual(settings, ["horizon_days 60->1", "slot_step_minutes 30->60"]);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin masters: a second master makes clients choose; deactivation confirms and lists future bookings", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    await send(t, client(t), "/book");
    await press(t, client(t), "Haircut");
    assert.match(client(t).lastMessage()!.text!, /Выберите день/, "one master: no choice");

    const owner = await admin(t, "Мастера");
    assert.match(owner.lastMessage()!.text!, /клиенты не видят выбора мастера/);
    await press(t, owner, "Добавить мастера");
    await send(t, owner, " ");
    assert.match(owner.lastMessage()!.text!, /от 1 до 100 символов/);
    await send(t, owner, "Ольга");
    assert.match(owner.lastMessage()!.text!, /Мастер Ольга добавлен/);
    const olga = listAllStaff(db).find((s) => s.name === "Ольга")!;
    assert.deepEqual(
      listWorkingHours(db, olga.id),
      listWorkingHours(db, 1),
      "a copy of the main master's week",
    );
    assert.equal(listBreaks(db, olga.id).length, 5);
    assert.equal(
      listAudit(db, { entity: "staff", entityId: olga.id, limit: 1, offset: 0 }).rows[0].action,
      "create",
    );

    await send(t, client(t), "/book");
    await press(t, client(t), "Haircut");
    assert.match(client(t).lastMessage()!.text!, /Выберите мастера/);
    assert.deepEqual(
      client(t).buttons().filter((b) => b.data?.startsWith("bm:")).map((b) => b.text),
      ["👥 Любой мастер", "Мастер", "Ольга"],
    );

    const booking = await bookDirectly(t, "2026-12-02T07:00:00Z", olga.id);
    await press(t, owner, "Отключить");
    const confirm = owner.lastMessage()!.text!;
    assert.match(confirm, /Отключить мастера <b>Ольга<\/b>/);
    assert.match(confirm, /будущих записей: <b>1<\/b>/);
    assert.equal(
      listAllStaff(db).find((s) => s.id === olga.id)!.isActive,
      true,
      "not before confirming",
    );
    await press(t, owner, "Да, отключить");
    const done = owner.lastMessage()!.text!;
    assert.match(done, /Мастер Ольга отключён/);
    assert.match(
      done,
      new RegExp(`№${booking.id} .*Анна Петрова.*мастер Ольга\\): мастер не активен`),
    );
    assert.equal(getBooking(db, booking.id)!.status, "active", "bookings stay");

    await send(t, client(t), "/book");
    await press(t, client(t), "Haircut");
    assert.match(
      client(t).lastMessage()!.text!,
      /Выберите день/,
      "one active master again: no choice",
    );

    // The last active master cannot be deactivated.
    await press(t, owner, "К списку мастеров");
    await press(t, owner, "Мастер");
    owner.press("Отключить");
    const answered = await owner.waitForCallbackAnswer();
    await t.idle();
    assert.match(answered.text ?? "", /последнего активного мастера/);
    assert.equal(listAllStaff(db).find((s) => s.id === 1)!.isActive, true);

    await press(t, owner, "Переименовать");
    await send(t, owner, "Мария");
    assert.match(owner.lastMessage()!.text!, /Имя сохранено[\s\S]*Мария/);
    // Each master has their own week in the schedule.
    await press(t, owner, "Расписание мастера");
    assert.match(owner.lastMessage()!.text!, /Расписание работы<\/b> — Мария/);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin schedule: a viewer's forged schedule and master buttons change nothing and are answered", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    upsertAdmin(db, 555, "viewer", 900, t.clock.now());
    addDayOff(db, "2026-12-31", null, "New Year");
    const viewer = t.fake.user(555, { first_name: "Viewer", language_code: "ru" });
    await send(t, viewer, "/admin");
    await press(t, viewer, "Расписание");
    await press(t, viewer, "Ср");
    assert.ok(!viewer.buttons().some((b) => b.data?.startsWith("ahh:")), "no change buttons");

    const snapshot = () =>
      JSON.stringify(
        ["working_hours", "breaks", "days_off", "settings", "staff"].map((table) =>
          db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()
        ),
      );
    const before = snapshot();
    const auditBefore = listAudit(db, { limit: 1, offset: 0 }).total;
    const breakId = listBreaks(db, 1)[0].id;
    const forged = [
      "ahx:1:3",
      `ahk:1:${breakId}`,
      "ahr:1:1",
      "ahh:1:3",
      "ahb:1:3",
      "aha:1:0",
      "ahe:step",
      "ama:1:0:1",
      "amn",
      "amr:1",
    ];
    const answersBefore = viewer.callbackAnswers().length;
    for (const data of forged) {
      viewer.pressData(data);
      await viewer.waitForCallbackAnswer();
      await t.idle();
    }
    assert.equal(snapshot(), before);
    assert.equal(listAudit(db, { limit: 1, offset: 0 }).total, auditBefore);
    const answers = viewer.callbackAnswers().slice(answersBefore);
    assert.equal(answers.length, forged.length, "every forged press is answered");
    for (const a of answers) assert.match(a.text ?? "", /только для просмотра/);
    // Malformed data of these prefixes is answered as out of date.
    viewer.pressData("ahd:1:9");
    const stale = await viewer.waitForCallbackAnswer();
    await t.idle();
    assert.match(stale.text ?? "", /устарела/);
  } finally {
    await t.close();
  }
});

import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { plainText } from "../support/fake_bot_api.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { outboxOfBooking } from "../../src/db/outbox_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { type Booking, getBooking, updateBooking } from "../../src/db/bookings_repo.ts";
import { parseCsv } from "../../src/domain/csv.ts";

const OWNER = 900;
/** 10:00 Moscow on Wednesday 2 December 2026, and the hours after it. */
const WED_10 = Date.parse("2026-12-02T07:00:00Z");
const HOUR = 3_600_000;

/** Lets clients talk to the bot once so they exist, and the owner too. */
async function meet(t: TestBot, clients: [number, string][]): Promise<void> {
  t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" }).sendText("/start");
  for (const [id, name] of clients) {
    t.fake.user(id, { first_name: name, language_code: "ru" }).sendText("/start");
  }
  await t.idle();
}

function book(
  t: TestBot,
  userId: number,
  start: number,
  clientName: string,
  phone: string,
  serviceId = 1,
): Booking {
  return t.running.deps.bookings.createBooking({
    userId,
    serviceId,
    staff: 1,
    start,
    clientName,
    phone,
  });
}

function auditOf(t: TestBot, id: number) {
  return listAudit(t.running.deps.db, { entity: "booking", entityId: id, limit: 50, offset: 0 })
    .rows;
}

Deno.test("e2e admin bookings: day agenda, date input, search by phone, card", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [102, "Борис"]]);
    book(t, 101, WED_10, "Анна Петрова", "+79161234567");
    book(t, 102, WED_10 + HOUR, "Борис Иванов", "+79035550000", 2);
    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();
    owner.press("🗓 Записи");
    await t.idle();
    owner.press("📅 Сегодня");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /На этот день записей нет/);
    owner.press("02.12 ▶️");
    await t.idle();
    const agenda = owner.lastMessage()!.text!;
    assert.match(agenda, /2 декабря 2026/);
    assert.match(
      agenda,
      /10:00–11:00<\/b> · Haircut · Анна Петрова · \+79161234567 · подтверждена/,
    );
    assert.match(agenda, /11:00–11:30<\/b> · Beard trim · Борис Иванов · \+79035550000/);

    owner.press("📆 Выбрать дату");
    await t.idle();
    owner.sendText("02.12.2026");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Записей: 2, из них активных: 2/);

    owner.press("⬅️ К записям");
    await t.idle();
    owner.press("🔎 Найти клиента");
    await t.idle();
    owner.sendText("903 555-00-00");
    await t.idle();
    const results = owner.lastMessage()!.text!;
    assert.match(results, /Борис Иванов/);
    assert.doesNotMatch(results, /Анна/);
    owner.press(/Борис Иванов · Beard trim/);
    await t.idle();
    const card = owner.lastMessage()!.text!;
    assert.match(card, /Запись №2/);
    assert.match(card, /tg:\/\/user\?id=102/);
    owner.press("📜 История клиента");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /История клиента Борис Иванов[\s\S]*Записей: 1/);
    assert.ok(owner.callbackAnswers().every((a) => !a.show_alert), "no refusals for the owner");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin bookings: status filters and pages of 8 for a period", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"]]);
    // Thursday 3 December: 8 one-hour bookings around lunch; Wednesday: 2 more.
    const thu9 = Date.parse("2026-12-03T06:00:00Z");
    const thuHours = [0, 1, 2, 3, 5, 6, 7, 8];
    for (const h of thuHours) book(t, 101, thu9 + h * HOUR, "Анна", "+79161234567");
    book(t, 101, WED_10, "Анна", "+79161234567");
    const cancelled = book(t, 101, WED_10 + 2 * HOUR, "Анна", "+79161234567");
    t.running.deps.bookings.cancelBooking(cancelled.id, { userId: OWNER, isAdmin: true });
    // Next week: not in this week's list.
    book(t, 101, WED_10 + 7 * 24 * HOUR, "Анна", "+79161234567");

    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();
    owner.press("🗓 Записи");
    await t.idle();
    owner.press("📋 Все записи");
    await t.idle();
    let list = owner.lastMessage()!;
    assert.match(list.text!, /30\.11\.2026 – 06\.12\.2026/);
    assert.match(list.text!, /найдено: 10/);
    assert.match(list.text!, /Страница 1 из 2/);
    assert.equal(list.text!.match(/· Анна ·/g)?.length, 8);
    owner.press("Стр. 2 ➡️");
    await t.idle();
    list = owner.lastMessage()!;
    assert.match(list.text!, /Страница 2 из 2/);
    assert.equal(list.text!.match(/· Анна ·/g)?.length, 2);
    owner.press("Отменённые");
    await t.idle();
    list = owner.lastMessage()!;
    assert.match(list.text!, /Фильтр: Отменённые · найдено: 1/);
    assert.match(list.text!, /02\.12\.2026 12:00–13:00/);
    owner.press("Активные");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /найдено: 9/);
    owner.press("📆 Свой период");
    await t.idle();
    owner.sendText("01.12.2026 - 31.12.2026");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Фильтр: Активные · найдено: 10/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin bookings: a move onto a taken slot is refused; a valid move notifies the client", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [102, "Борис"]]);
    const a = book(t, 101, WED_10, "Анна Петрова", "+79161234567");
    const b = book(t, 102, WED_10 + HOUR, "Борис Иванов", "+79035550000");
    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();
    // Forged but valid data: move A onto B's hour (the confirmed step, ok = 1).
    owner.pressData(`abt:${a.id}:${(WED_10 + HOUR) / 1000}:1:1`);
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /это время только что заняли/);
    assert.equal(getBooking(t.running.deps.db, a.id)!.start, WED_10, "unchanged");
    assert.equal(auditOf(t, a.id).length, 1, "only the create record");
    const anna = t.fake.user(101);
    const annaBefore = anna.messages().length;

    // Through the buttons: card -> Time -> a free slot of the same day.
    owner.pressData(`abc:${a.id}`);
    await t.idle();
    owner.press("🕐 Время");
    await t.idle();
    const slots = owner.buttons().filter((x) => x.data?.startsWith("abt:")).map((x) => x.text);
    assert.ok(slots.includes("15:00"));
    assert.ok(!slots.includes("11:00"), "B's hour is not offered");
    assert.ok(!slots.includes("13:00"), "lunch is not offered");
    owner.press("15:00");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Перенести запись №\d+ .*\?\n.*10:00 → .*15:00/);
    assert.equal(getBooking(t.running.deps.db, a.id)!.start, WED_10, "not before confirming");
    owner.press("Да, перенести");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Сохранено\. Клиенту отправлено уведомление/);
    const moved = getBooking(t.running.deps.db, a.id)!;
    assert.equal(moved.start, WED_10 + 5 * HOUR);
    assert.equal(getBooking(t.running.deps.db, b.id)!.start, WED_10 + HOUR);
    const note = anna.messages().slice(annaBefore).find((m) =>
      m.text?.includes("изменил вашу запись")
    );
    assert.ok(note, "client told");
    assert.match(plainText(note), /10:00 → .*15:00/);
    const update = auditOf(t, a.id).find((r) => r.action === "update" && r.field === "start");
    assert.equal(update?.actorId, OWNER);

    // Service change that no longer fits (Colouring 90 min from 12:00 runs into lunch).
    const c = book(t, 102, WED_10 + 2 * HOUR, "Борис Иванов", "+79035550000", 2);
    owner.pressData(`abr:${c.id}:3`);
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /вне рабочих часов|заняли/);
    assert.equal(getBooking(t.running.deps.db, c.id)!.serviceId, 2);

    // Phone edit with validation.
    owner.pressData(`abe:${a.id}:phone`);
    await t.idle();
    owner.sendText("12345");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /не похоже на номер/);
    owner.sendText("8 916 000-00-01");
    await t.idle();
    assert.equal(getBooking(t.running.deps.db, a.id)!.phone, "+79160000001");
    assert.ok(anna.messages().some((m) => plainText(m).includes("+79161234567 → +79160000001")));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin bookings: cancel with a reason tells the client and is audited; soft delete", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"]]);
    const a = book(t, 101, WED_10, "Анна Петрова", "+79161234567");
    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();
    owner.pressData(`abc:${a.id}`);
    await t.idle();
    owner.press("🗑 Удалить");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /сначала нужно отменить/);
    owner.press("❌ Отменить запись");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Отправьте причину/);
    owner.sendText("Мастер заболел");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Запись отменена\. Клиенту отправлено уведомление/);
    const cancelled = getBooking(t.running.deps.db, a.id)!;
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.cancelReason, "Мастер заболел");
    assert.equal(cancelled.cancelledBy, OWNER);
    // The notice, then the calendar file that removes the visit (issue 11: the .ics follows).
    const note = t.fake.user(101).messages().findLast((m) => m.kind === "text")!;
    assert.match(note.text!, /Администратор отменил вашу запись №1/);
    assert.equal(t.fake.user(101).lastMessage()!.kind, "document");
    assert.match(note.text!, /Мастер заболел/);
    const cancelAudit = auditOf(t, a.id).find((r) => r.action === "cancel");
    assert.equal(cancelAudit?.actorId, OWNER);
    assert.equal(cancelAudit?.newValue, "cancelled: Мастер заболел");

    owner.press("🗑 Удалить");
    await t.idle();
    owner.press("🗑 Да, удалить");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Запись №1 удалена/);
    const deleted = getBooking(t.running.deps.db, a.id)!;
    assert.ok(deleted.deletedAt !== null, "soft-deleted, row kept");
    assert.equal(auditOf(t, a.id)[0].action, "delete");
    owner.pressData(`abc:${a.id}`);
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Запись не найдена/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin bookings: group cancel of a day notifies each client", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [102, "Борис"], [103, "Carl"]]);
    const day = [
      book(t, 101, WED_10, "Анна", "+79161234567"),
      book(t, 102, WED_10 + HOUR, "Борис", "+79035550000"),
      book(t, 103, WED_10 + 4 * HOUR, "Carl", "+447700900123"),
    ];
    const thursday = book(t, 101, WED_10 + 24 * HOUR, "Анна", "+79161234567");
    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();
    owner.pressData("abd:2026-12-02:0");
    await t.idle();
    owner.press("Отменить все активные (3)");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Будет отменено записей: 3/);
    // The notifications are spaced out, so wait for the report rather than for a quiet moment.
    const report = owner.nextMessage((m) => m.text?.includes("Отменено записей") ?? false);
    owner.press("без причины");
    assert.match((await report).text!, /Отменено записей: 3, клиентов уведомлено: 3/);
    await t.idle();
    for (const b of day) {
      assert.equal(getBooking(t.running.deps.db, b.id)!.status, "cancelled");
      assert.ok(auditOf(t, b.id).some((r) => r.action === "cancel" && r.actorId === OWNER));
    }
    assert.equal(getBooking(t.running.deps.db, thursday.id)!.status, "active");
    for (const id of [101, 102, 103]) {
      assert.ok(t.fake.user(id).messages().some((m) => m.text?.includes("Администратор отменил")));
    }
    // Each notice once, delivered from the outbox (whose sender throttles every bulk send:
    // 30/s, 1/s per chat, see jobs_sender_test), each row marked sent.
    const sends = t.fake.callsOf("sendMessage").filter((c) =>
      [101, 102, 103].includes(Number(c.payload.chat_id)) &&
      String(c.payload.text).includes("отменил")
    );
    assert.equal(sends.length, 3);
    for (const b of day) {
      const rows = outboxOfBooking(t.running.deps.db, b.id)
        .filter((r) => r.kind === "client_cancelled");
      assert.deepEqual(rows.map((r) => r.outcome), ["sent"]);
    }
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin bookings: CSV export of a period", async () => {
  const t = await startTestBot({ adminIds: [OWNER], now: "2026-11-20T06:00:00Z" });
  try {
    await meet(t, [[101, "Анна"], [102, "Борис"]]);
    const november = book(t, 101, Date.parse("2026-11-25T07:00:00Z"), "Анна", "+79161234567");
    t.clock.set("2026-12-01T06:00:00Z");
    const first = book(t, 101, WED_10, "Анна", "+79161234567");
    const second = book(t, 102, Date.parse("2026-12-31T12:00:00Z"), "Борис", "+79035550000");
    t.running.deps.bookings.cancelBooking(
      second.id,
      { userId: OWNER, isAdmin: true },
      "Нет мест; «перенос»",
    );
    // Legacy data that the name check would not let in today.
    updateBooking(
      t.running.deps.db,
      first.id,
      { clientName: 'Анна "Аня"; Петрова' },
      t.clock.now(),
    );
    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();
    owner.press("🗓 Записи");
    await t.idle();
    owner.press("📤 Экспорт в CSV");
    await t.idle();
    owner.press("📆 Свой период");
    await t.idle();
    owner.sendText("01.12.2026 – 31.12.2026");
    await t.idle();
    const doc = owner.messages().findLast((m) => m.kind === "document");
    assert.ok(doc?.document?.bytes, "a CSV was sent");
    assert.equal(doc.document.file_name, "bookings-2026-12-01_2026-12-31.csv");
    assert.match(doc.caption!, /: 2$/);
    const bytes = doc.document.bytes;
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
    assert.ok(text.endsWith("\r\n"));
    const lines = text.split("\r\n");
    assert.equal(
      lines[0],
      "№;Дата;Начало;Конец;Услуга;Мастер;Клиент;Телефон;Статус;Причина отмены;Создана;" +
        "Длительность, мин;Цена",
    );
    assert.equal(
      lines[1],
      `${first.id};2026-12-02;10:00;11:00;Haircut;Мастер;"Анна ""Аня""; Петрова";+79161234567;подтверждена;;2026-12-01 09:00;60;1500`,
    );
    const rows = parseCsv(text);
    assert.equal(rows.length, 3, "header and two December bookings");
    assert.equal(rows[1][6], 'Анна "Аня"; Петрова');
    assert.deepEqual(rows[2].slice(1, 4), ["2026-12-31", "15:00", "16:00"]);
    assert.equal(rows[2][8], "отменена");
    assert.equal(rows[2][9], "Нет мест; «перенос»");
    assert.ok(!rows.some((r) => r[0] === String(november.id)), "November is outside the period");

    // The "today" preset: nothing on Tuesday 1 December.
    owner.press("⬅️ К записям");
    await t.idle();
    owner.press("📤 Экспорт в CSV");
    await t.idle();
    owner.press("Сегодня");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /За период 01\.12\.2026 записей нет/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin bookings: forged admin buttons from a client or a viewer change nothing", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [300, "Mallory"], [400, "Viewer"]]);
    upsertAdmin(t.running.deps.db, 400, "viewer", OWNER, t.clock.now());
    const a = book(t, 101, WED_10, "Анна", "+79161234567");
    const forged = [
      `abu:${a.id}:completed`,
      `abn:${a.id}`,
      `abt:${a.id}:${(WED_10 + 5 * HOUR) / 1000}:1`,
      `abr:${a.id}:2`,
      `abxd:${a.id}`,
      `abe:${a.id}:name`,
      "abgd:2026-12-02:1",
    ];
    const snapshot = () => JSON.stringify(getBooking(t.running.deps.db, a.id));
    const before = snapshot();
    const auditBefore = auditOf(t, a.id).length;
    for (
      const [id, refusal] of [[300, /только для администраторов/], [
        400,
        /только для просмотра/,
      ]] as const
    ) {
      const u = t.fake.user(id);
      for (const data of forged) {
        u.pressData(data);
        await t.idle();
      }
      const answers = u.callbackAnswers();
      assert.equal(answers.length, forged.length, "every press answered");
      for (const answer of answers) {
        assert.equal(answer.show_alert, true);
        assert.match(answer.text!, refusal);
      }
      // A typed "reason" after a refused button does nothing either.
      u.sendText("причина");
      await t.idle();
    }
    assert.equal(snapshot(), before, "booking unchanged");
    assert.equal(auditOf(t, a.id).length, auditBefore, "nothing audited");
    assert.equal(t.fake.user(101).messages().length, 1, "the client got only the /start greeting");

    // The viewer may look and export, without edit buttons.
    const viewer = t.fake.user(400);
    viewer.pressData(`abc:${a.id}`);
    await t.idle();
    assert.match(viewer.lastMessage()!.text!, /Запись №1/);
    assert.ok(!viewer.buttons().some((b) => b.data?.startsWith("abe:")), "no editor for viewers");
    viewer.pressData("axe:all:2026-12-01:2026-12-31");
    await t.idle();
    assert.ok(viewer.messages().some((m) => m.kind === "document"));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

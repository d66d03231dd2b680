/**
 * Issue 12 in the admin bookings section: deleted bookings (list, card, restore through the
 * engine), group cancel of chosen bookings, CSV with deleted rows, the version in /admin.
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { type Booking, getBooking } from "../../src/db/bookings_repo.ts";
import { parseCsv } from "../../src/domain/csv.ts";
import { VERSION } from "../../src/version.ts";

const OWNER = 900;
/** 10:00 Moscow on Wednesday 2 December 2026 (the harness's today is Tuesday 1 December). */
const WED_10 = Date.parse("2026-12-02T07:00:00Z");
const HOUR = 3_600_000;
const ADMIN = { userId: OWNER, isAdmin: true };

async function meet(t: TestBot, clients: [number, string][]): Promise<void> {
  t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" }).sendText("/start");
  for (const [id, name] of clients) {
    t.fake.user(id, { first_name: name, language_code: "ru" }).sendText("/start");
  }
  await t.idle();
}

function book(t: TestBot, userId: number, start: number, clientName: string): Booking {
  return t.running.deps.bookings.createBooking({
    userId,
    serviceId: 1,
    staff: 1,
    start,
    clientName,
    phone: `+7916123450${userId % 10}`,
  });
}

function auditOf(t: TestBot, id: number) {
  return listAudit(t.running.deps.db, { entity: "booking", entityId: id, limit: 50, offset: 0 })
    .rows;
}

/** The owner presses a button by its label and waits until the bot is quiet. */
async function press(t: TestBot, label: string | RegExp): Promise<string> {
  const owner = t.fake.user(OWNER);
  owner.press(label);
  await t.idle();
  return owner.lastMessage()!.text!;
}

/** Deletes a booking through its card, as an owner does. */
async function deleteByButtons(t: TestBot, id: number): Promise<void> {
  const owner = t.fake.user(OWNER);
  owner.pressData(`abc:${id}`);
  await t.idle();
  await press(t, "🗑 Удалить");
  assert.match(await press(t, "🗑 Да, удалить"), new RegExp(`Запись №${id} удалена`));
}

/** /admin → bookings → the list with filters → "Удалённые" (this week). */
async function openDeletedList(t: TestBot): Promise<string> {
  t.fake.user(OWNER).sendText("/admin");
  await t.idle();
  await press(t, "🗓 Записи");
  await press(t, "📋 Все записи (фильтры)");
  return await press(t, "Удалённые");
}

Deno.test("e2e deleted bookings: delete, find under «Удалённые», see who and when, restore", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [400, "Viewer"]]);
    upsertAdmin(t.running.deps.db, 400, "viewer", OWNER, t.clock.now());
    const a = book(t, 101, WED_10, "Анна Петрова");
    const kept = book(t, 101, WED_10 + 2 * HOUR, "Анна Петрова");
    t.running.deps.bookings.cancelBooking(a.id, ADMIN, null);
    await deleteByButtons(t, a.id);

    // The ordinary list no longer shows it; the "deleted" filter does, and only it.
    const list = await openDeletedList(t);
    assert.match(list, /Фильтр: Удалённые · найдено: 1/);
    assert.match(list, new RegExp(`№${a.id}\\)`));
    assert.doesNotMatch(list, new RegExp(`№${kept.id}\\)`));
    const card = await press(t, "Анна Петрова · Haircut");
    assert.match(card, new RegExp(`Запись №${a.id}`));
    assert.match(card, /Удалена: .*2026.*, Owner \(900\)/);

    // A viewer sees the card but cannot restore, not even with a forged button.
    const viewer = t.fake.user(400);
    viewer.pressData(`abcd:${a.id}`);
    await t.idle();
    assert.match(viewer.lastMessage()!.text!, /Удалена:/);
    assert.ok(!viewer.buttons().some((b) => b.text.includes("Восстановить")));
    viewer.pressData(`abrs:${a.id}`);
    await t.idle();
    assert.match(viewer.callbackAnswers().at(-1)!.text!, /только для просмотра/);
    assert.ok(getBooking(t.running.deps.db, a.id)!.deletedAt !== null, "still deleted");

    const restored = await press(t, "♻️ Восстановить");
    assert.match(restored, new RegExp(`Запись №${a.id} восстановлена`));
    const back = getBooking(t.running.deps.db, a.id)!;
    assert.equal(back.deletedAt, null);
    assert.equal(back.status, "cancelled", "restored as it was");
    const record = auditOf(t, a.id)[0];
    assert.equal(record.action, "restore");
    assert.equal(record.actorId, OWNER);
    assert.match(await openDeletedList(t), /найдено: 0/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e deleted bookings: a restore onto a time taken meanwhile is refused with the reason", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [102, "Борис"]]);
    // Boris booked first and cancelled; Anna took the freed time.
    const boris = book(t, 102, WED_10, "Борис");
    t.running.deps.bookings.cancelBooking(boris.id, ADMIN, null);
    const anna = book(t, 101, WED_10, "Анна");
    // The visit is over (still "active": nobody marked it); the owner deletes it.
    t.clock.set("2026-12-03T06:00:00Z");
    await deleteByButtons(t, anna.id);
    // Then it turns out Boris came after all: his booking is active again on that time.
    t.running.deps.bookings.setStatus(boris.id, ADMIN, "active");

    t.fake.user(OWNER).pressData(`abl:deleted:2026-12-02:2026-12-02:0`);
    await t.idle();
    await press(t, "Анна · Haircut");
    const refused = await press(t, "♻️ Восстановить");
    assert.match(refused, /Восстановить нельзя: это время у мастера уже занято/);
    assert.match(refused, /Удалена:/, "the deleted card is shown again");
    assert.ok(getBooking(t.running.deps.db, anna.id)!.deletedAt !== null, "still deleted");
    assert.ok(!auditOf(t, anna.id).some((r) => r.action === "restore"), "nothing audited");

    // Once Boris's booking is cancelled again, the restore goes through.
    t.running.deps.bookings.cancelBooking(boris.id, ADMIN, null);
    assert.match(await press(t, "♻️ Восстановить"), /восстановлена/);
    assert.equal(getBooking(t.running.deps.db, anna.id)!.status, "active");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e group cancel: 3 of 5 chosen on a day are cancelled with one reason, the others untouched", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const names: [number, string][] = [
      [101, "Анна"],
      [102, "Борис"],
      [103, "Вера"],
      [104, "Глеб"],
      [105, "Дина"],
    ];
    await meet(t, names);
    // 10, 11, 12, 14 and 15 o'clock (13:00 is the lunch break).
    const hours = [0, 1, 2, 4, 5];
    const day = names.map(([id, name], i) => book(t, id, WED_10 + hours[i] * HOUR, name));
    const owner = t.fake.user(OWNER);
    owner.pressData("abd:2026-12-02:0");
    await t.idle();
    let screen = await press(t, "☑️ Выбрать записи для отмены");
    assert.match(screen, /Выбрано: 0 из 5/);
    // "Select all" ticks the five, "clear" unticks them.
    screen = await press(t, "☑️ Выбрать все");
    assert.match(screen, /Выбрано: 5 из 5/);
    assert.ok(owner.buttons().some((b) => b.text === "❌ Отменить выбранные (5)"));
    screen = await press(t, "⬜️ Снять выбор");
    assert.match(screen, /Выбрано: 0 из 5/);
    assert.ok(!owner.buttons().some((b) => b.text.startsWith("❌ Отменить выбранные")));

    for (const label of ["⬜️ 10:00 Анна", "⬜️ 12:00 Вера", "⬜️ 15:00 Дина"]) await press(t, label);
    const ticked = owner.buttons().filter((b) => b.text.startsWith("☑️ 1")).map((b) => b.text);
    assert.deepEqual(ticked, [
      "☑️ 10:00 Анна · Haircut",
      "☑️ 12:00 Вера · Haircut",
      "☑️ 15:00 Дина · Haircut",
    ]);
    // Unticking and ticking again keeps the count right.
    await press(t, "☑️ 12:00 Вера");
    assert.match(await press(t, "⬜️ 12:00 Вера"), /Выбрано: 3 из 5/);

    assert.match(await press(t, "❌ Отменить выбранные (3)"), /Будет отменено записей: 3/);
    const report = owner.nextMessage((m) => m.text?.includes("Отменено записей") ?? false);
    owner.sendText("Мастер заболел");
    assert.match((await report).text!, /Отменено записей: 3, клиентов уведомлено: 3/);
    await t.idle();

    const chosen = [day[0], day[2], day[4]];
    for (const b of chosen) {
      const now = getBooking(t.running.deps.db, b.id)!;
      assert.equal(now.status, "cancelled");
      assert.equal(now.cancelReason, "Мастер заболел");
      assert.ok(auditOf(t, b.id).some((r) => r.action === "cancel" && r.actorId === OWNER));
    }
    for (const b of [day[1], day[3]]) {
      assert.equal(getBooking(t.running.deps.db, b.id)!.status, "active", "not chosen");
    }
    for (const [id] of names) {
      const told = t.fake.user(id).messages().some((m) =>
        m.text?.includes("Администратор отменил") ?? false
      );
      assert.equal(told, [101, 103, 105].includes(id), `client ${id}`);
    }
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e group cancel: a choice that changed meanwhile is refused and shown again", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [102, "Борис"], [103, "Вера"]]);
    const a = book(t, 101, WED_10, "Анна");
    const b = book(t, 102, WED_10 + HOUR, "Борис");
    const c = book(t, 103, WED_10 + 2 * HOUR, "Вера");
    // A period list (this week) leads to the choice too.
    t.fake.user(OWNER).pressData("abl:all:2026-11-30:2026-12-06:0");
    await t.idle();
    await press(t, "☑️ Выбрать записи для отмены");
    await press(t, "Анна");
    await press(t, "Борис");
    assert.match(await press(t, "❌ Отменить выбранные (2)"), /Будет отменено записей: 2/);
    // Boris cancels his booking himself before the owner confirms.
    t.running.deps.bookings.cancelBooking(b.id, { userId: 102, isAdmin: false }, null);
    const refused = await press(t, "❌ Отменить выбранные (2) без причины");
    assert.match(refused, /Выбранные записи изменились: активными остались 1/);
    assert.equal(getBooking(t.running.deps.db, a.id)!.status, "active", "nothing cancelled");
    assert.match(await press(t, "❌ Отменить выбранные (1)"), /Будет отменено записей: 1/);
    const report = t.fake.user(OWNER).nextMessage((m) => m.text?.includes("Отменено") ?? false);
    t.fake.user(OWNER).press("без причины");
    assert.match((await report).text!, /Отменено записей: 1, клиентов уведомлено: 1/);
    await t.idle();
    assert.equal(getBooking(t.running.deps.db, a.id)!.status, "cancelled");
    assert.equal(getBooking(t.running.deps.db, c.id)!.status, "active");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/** The rows of the last CSV the owner got, and its file name. */
function lastCsv(t: TestBot): { name: string; rows: string[][] } {
  const doc = t.fake.user(OWNER).messages().findLast((m) => m.kind === "document")!;
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(doc.document!.bytes).slice(1);
  return { name: doc.document!.file_name!, rows: parseCsv(text) };
}

Deno.test("e2e CSV: deleted bookings left out by default, included and flagged on request", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, [[101, "Анна"], [102, "Борис"]]);
    const gone = book(t, 101, WED_10, "Анна");
    const live = book(t, 102, WED_10 + HOUR, "Борис");
    t.running.deps.bookings.cancelBooking(gone.id, ADMIN, null);
    await deleteByButtons(t, gone.id);
    t.fake.user(OWNER).sendText("/admin");
    await t.idle();
    await press(t, "🗓 Записи");
    await press(t, "📤 Экспорт в CSV");
    await press(t, "Месяц");
    let csv = lastCsv(t);
    assert.equal(csv.rows.length, 2, "header and the live booking");
    assert.equal(csv.rows[1][0], String(live.id));
    assert.ok(!csv.rows[0].includes("Удалена"), "no flag column without deleted rows");

    await press(t, "⬜️ С удалёнными записями");
    // The menu (edited in place, above the first CSV) now has the option ticked.
    const menu = t.fake.user(OWNER).messages().findLast((m) => m.kind === "text")!;
    const labels = t.fake.user(OWNER).buttons(menu.message_id).map((b) => b.text);
    assert.ok(labels.includes("☑️ С удалёнными записями"), labels.join(" | "));
    await press(t, "Месяц");
    csv = lastCsv(t);
    assert.equal(csv.name, "bookings-2026-12-01_2026-12-31-with-deleted.csv");
    assert.equal(csv.rows[0].at(-1), "Удалена");
    const byId = new Map(csv.rows.slice(1).map((r) => [r[0], r]));
    assert.equal(byId.size, 2);
    assert.equal(byId.get(String(gone.id))!.at(-1), "да");
    assert.equal(byId.get(String(live.id))!.at(-1), "");

    // The list of deleted ones exports only them, flagged.
    await openDeletedList(t);
    await press(t, "📤 Экспорт этого списка в CSV");
    csv = lastCsv(t);
    assert.deepEqual(csv.rows.slice(1).map((r) => [r[0], r.at(-1)]), [[String(gone.id), "да"]]);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin About: the admin menu names the running version", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await meet(t, []);
    t.fake.user(OWNER).sendText("/admin");
    await t.idle();
    assert.match(VERSION, /^\d+\.\d+\.\d+/);
    assert.ok(
      t.fake.user(OWNER).lastMessage()!.text!.includes(`О боте: версия ${VERSION}`),
      t.fake.user(OWNER).lastMessage()!.text!,
    );
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

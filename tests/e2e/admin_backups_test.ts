/**
 * The owners' Backups screen through the real start sequence: the list with verdicts (a file
 * from a newer program is marked and has no restore button), "back up now", and a restore while
 * two clients are in the middle of booking (their updates wait and are answered after the swap).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import type { Db } from "../../src/db/connection.ts";

const OWNER = 900;

/** Acts, then waits for the bot's message (new or edited) matching `expect` in `u`'s chat. */
async function step(u: FakeUser, act: () => void, expect: RegExp): Promise<string> {
  const seen = u.nextMessage((m) => expect.test(m.text ?? ""), 10_000);
  act();
  return (await seen).text ?? "";
}

/** Brings a Russian client to the booking summary of `date` `time`. */
async function toSummary(u: FakeUser, date: string, time: string): Promise<void> {
  await step(u, () => u.sendText("/book"), /Выберите услугу/);
  await step(u, () => u.press("Haircut"), /Выберите день/);
  await step(u, () => u.press((b) => b.data === `bd:${date}`), /Выберите время/);
  await step(u, () => u.press((b) => b.text === time && b.data!.startsWith("bt:")), /имя/);
  await step(u, () => u.sendText("Клиент Тестовый"), /телефон|номер/i);
  await step(u, () => u.sendText("+79161234567"), /Проверьте запись/);
}

async function book(u: FakeUser, date: string, time: string): Promise<void> {
  await toSummary(u, date, time);
  await step(u, () => u.press("Подтвердить"), /Вы записаны/);
}

/** Active bookings as "user@start" (UTC ISO), sorted. */
function bookingsIn(db: Db | DatabaseSync): string[] {
  return db.prepare("SELECT user_id, start_at FROM bookings WHERE status = 'active'").all()
    .map((r) => `${r.user_id}@${new Date(Number(r.start_at)).toISOString()}`).sort();
}

function backupFiles(t: TestBot): string[] {
  return [...Deno.readDirSync(t.config.backupDir)].map((e) => e.name)
    .filter((n) => n.endsWith(".db")).sort();
}

/** A copy of `source` that says it was written by a newer program (schema version 9999). */
function plantTooNew(source: string, target: string): void {
  Deno.copyFileSync(source, target);
  const db = new DatabaseSync(target);
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'x', 0)")
    .run();
  db.close();
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function openBackups(owner: FakeUser, t: TestBot): Promise<string> {
  await t.idle();
  await step(owner, () => owner.sendText("/admin"), /Администрирование/);
  return await step(owner, () => owner.press("💾 Резервные копии"), /Резервные копии<\/b>/);
}

Deno.test("e2e backups: list with verdicts, back up now, restore while two clients are booking", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    const [before, after, dasha, egor] = [101, 102, 103, 104].map((id) =>
      t.fake.user(id, { first_name: `Клиент${id}`, language_code: "ru" })
    );
    owner.sendText("/start");
    await t.idle();
    await book(before, "2026-12-02", "10:00");

    assert.match(await openBackups(owner, t), /Копий пока нет/);
    const made = await step(owner, () => owner.press("📥 Сделать копию сейчас"), /Копия сделана/);
    // 06:00 UTC is 09:00 in the business zone (Moscow), in Russian format.
    assert.match(made, /✅ Копия сделана: вт, 1 декабря 2026 г\. 09:00, [\d,]+ кБ/);
    assert.match(made, /1\. вт, 1 декабря 2026 г\. 09:00 · [\d,]+ кБ · схема \d+\n\s+✅ годна/);
    const [good] = backupFiles(t);
    plantTooNew(
      join(t.config.backupDir, good),
      join(t.config.backupDir, "booking-20261130T120000Z.db"),
    );

    Deno.writeTextFileSync(join(t.config.backupDir, "booking-20261129T120000Z.db"), "garbage");
    t.clock.advance(10 * 60_000);
    await book(after, "2026-12-02", "12:00");
    assert.deepEqual(bookingsIn(t.running.deps.db), [
      "101@2026-12-02T07:00:00.000Z",
      "102@2026-12-02T09:00:00.000Z",
    ]);

    const list = await openBackups(owner, t);
    assert.match(list, /Резервные копии<\/b>: 3/);
    assert.match(list, /3\. вс, 29 ноября 2026 г\. 15:00 · [\d,]+ кБ · схема \?\n\s+⚠️ повреждена/);
    assert.match(
      list,
      /2\. пн, 30 ноября 2026 г\. 15:00 · [\d,]+ кБ · схема 9999\n\s+⛔ из более новой версии бота \(эта знает схему до \d+\): восстановить нельзя/,
    );
    const restoreButtons = owner.buttons().filter((b) => b.data?.startsWith("akr:"));
    assert.deepEqual(restoreButtons.map((b) => b.data), [`akr:${good}:0:0:0`], "only the good one");
    assert.equal(restoreButtons[0].text, "♻️ вт, 1 декабря 2026 г. 09:00");

    // Two clients in the middle of booking: Dasha at her summary, Egor choosing a day.
    await toSummary(dasha, "2026-12-03", "10:00");
    await step(egor, () => egor.sendText("/book"), /Выберите услугу/);
    await step(egor, () => egor.press("Haircut"), /Выберите день/);
    // Egor's next screen is held at the fake API: his update is in progress during the restore.
    const hold = t.fake.hold("editMessageText", { chatId: egor.id });
    egor.press((b) => b.data === "bd:2026-12-03");
    await t.fake.waitForHeld("editMessageText");

    await step(owner, () => owner.press("♻️ вт, 1 декабря"), /Восстановить данные из копии/);
    const restored = owner.nextMessage((m) => /Данные восстановлены/.test(m.text ?? ""), 15_000);
    await step(owner, () => owner.press("♻️ Да, восстановить"), /Восстанавливаю данные/);
    const gate = t.running.deps.backups!.gate;
    await until("the updates to be paused", () => gate.paused);
    // Both clients act while the bot is paused: their updates wait at the gate.
    const dashaBooked = dasha.nextMessage((m) => /Вы записаны/.test(m.text ?? ""), 15_000);
    dasha.press("Подтвердить");
    egor.press((b) => b.data === "bd:2026-12-04");
    await until("two updates waiting", () => gate.waiting === 2);
    assert.deepEqual(
      bookingsIn(t.running.deps.db),
      ["101@2026-12-02T07:00:00.000Z", "102@2026-12-02T09:00:00.000Z"],
      "nothing swapped while an update is in progress",
    );
    hold.release();
    const report = (await restored).text!;
    await t.idle();
    // The same "Yes" pressed again (a double tap) restores nothing a second time.
    const filesAfter = backupFiles(t);
    await step(owner, () => owner.pressData(`akr:${good}:0:1:0`), /Эта кнопка устарела/);
    assert.deepEqual(backupFiles(t), filesAfter);

    assert.match(report, /Данные восстановлены из копии от вт, 1 декабря 2026 г\. 09:00\./);
    assert.match(report, /Прежние данные сохранены в копию от вт, 1 декабря 2026 г\. 09:10/);
    // The restored data is served: the booking made after the backup is gone, the one from
    // before is there, and Dasha's confirmation (answered after the swap) went into it.
    assert.deepEqual(bookingsIn(t.running.deps.db), [
      "101@2026-12-02T07:00:00.000Z",
      "103@2026-12-03T07:00:00.000Z",
    ]);
    assert.match((await dashaBooked).text!, /Вы записаны/);
    assert.match(egor.lastMessage()!.text!, /Выберите время/);
    assert.match(egor.lastMessage()!.text!, /4 декабря|04\.12|Пт/i);
    await step(before, () => before.sendText("/my"), /предстоящие записи<\/b> \(1\)/);
    assert.ok(before.buttons().some((b) => b.text.includes("2 декабря 2026 г. 10:00")));
    await step(after, () => after.sendText("/my"), /\(0\)\n\nУ вас нет предстоящих записей/);
    // The data before the restore is in the pre-restore backup.
    const previous = join(t.config.backupDir, "booking-20261201T061000Z.db");
    const kept = new DatabaseSync(previous, { readOnly: true });
    try {
      assert.deepEqual(bookingsIn(kept), [
        "101@2026-12-02T07:00:00.000Z",
        "102@2026-12-02T09:00:00.000Z",
      ]);
    } finally {
      kept.close();
    }
    const audit = listAudit(t.running.deps.db, { entity: "backup", limit: 5, offset: 0 }).rows;
    assert.deepEqual(
      audit.map((r) => [r.action, r.actorId, r.entityId, r.oldValue, r.newValue]),
      [["restore", OWNER, good, "booking-20261201T061000Z.db", good]],
    );
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e backups: an admin who is not an owner cannot open the section or forge its buttons", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    const admin = t.fake.user(777, { first_name: "Админ", language_code: "ru" });
    const client = t.fake.user(101, { first_name: "Клиент", language_code: "ru" });
    owner.sendText("/start");
    admin.sendText("/start");
    await t.idle();
    upsertAdmin(t.running.deps.db, 777, "admin", OWNER, t.clock.now());
    await openBackups(owner, t);
    owner.press("📥 Сделать копию сейчас");
    await t.idle();
    const [good] = backupFiles(t);
    t.clock.advance(60_000);
    await book(client, "2026-12-02", "10:00");
    const data = bookingsIn(t.running.deps.db);

    await t.idle();
    await step(admin, () => admin.sendText("/admin"), /Ваша роль: администратор/);
    assert.ok(!admin.buttons().some((b) => b.text.includes("Резервные копии")), "no button");
    for (const forged of ["ad:backups", "akl:0", "akn", `akr:${good}:0:0:0`, `akr:${good}:0:1:0`]) {
      admin.pressData(forged);
      await t.idle();
      const answer = admin.callbackAnswers().at(-1)!;
      assert.match(answer.text ?? "", /только владельцы бота/, forged);
    }
    assert.ok(!admin.messages().some((m) => /Резервные копии|Восстан/.test(m.text ?? "")));
    assert.deepEqual(backupFiles(t), [good], "no backup made or restored");
    assert.deepEqual(bookingsIn(t.running.deps.db), data, "nothing changed");
    assert.equal(
      listAudit(t.running.deps.db, { entity: "backup", limit: 5, offset: 0 }).rows.length,
      0,
    );
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

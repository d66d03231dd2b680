import assert from "node:assert/strict";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { listBookableServices, listServicesWithCounts } from "../../src/db/services_repo.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";

/** Presses a button and waits for the screen it leads to (every screen is one message). */
async function press(_t: TestBot, user: FakeUser, match: string | RegExp) {
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

/** The service names a client is offered right now, read from the bot's message. */
async function clientServiceList(t: TestBot, userId = 101): Promise<string[]> {
  const client = t.fake.user(userId, { first_name: "Анна", language_code: "ru" });
  await send(t, client, "/book");
  return client.buttons().filter((b) => b.data?.startsWith("bs:")).map((b) => b.text);
}

async function openServices(t: TestBot) {
  const owner = t.fake.user(900, { first_name: "Owner", language_code: "ru" });
  await send(t, owner, "/admin");
  await press(t, owner, "Услуги");
  return owner;
}

Deno.test("e2e admin services: created step by step, with bad input re-asked, and clients see it at once", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const owner = await openServices(t);
    const list = owner.lastMessage()!.text!;
    assert.match(list, /Haircut<\/b> — 60 мин · 1\s500\s₽ · 🟢 активна · записей: 0/);
    assert.match(list, /Consultation<\/b> — 30 мин · без цены/);
    await press(t, owner, "Новая услуга");
    assert.match(owner.lastMessage()!.text!, /Шаг 1 из 6/);
    await send(t, owner, "   ");
    assert.match(owner.lastMessage()!.text!, /Пустое значение[\s\S]*Шаг 1 из 6/);
    await send(t, owner, "Укладка & стиль");
    assert.match(owner.lastMessage()!.text!, /Шаг 2 из 6/);
    await press(t, owner, "Пропустить");
    assert.match(owner.lastMessage()!.text!, /Шаг 3 из 6/);
    assert.deepEqual(
      owner.buttons().filter((b) => b.data?.startsWith("asc:dur:")).map((b) => b.text),
      ["30 мин", "60 мин", "90 мин", "120 мин"],
    );
    await press(t, owner, "Другая");
    await send(t, owner, "0");
    assert.match(owner.lastMessage()!.text!, /от 5 до 720[\s\S]*Шаг 3 из 6/);
    await send(t, owner, "полчаса");
    assert.match(owner.lastMessage()!.text!, /целое число[\s\S]*Шаг 3 из 6/);
    await send(t, owner, "45");
    assert.match(owner.lastMessage()!.text!, /Шаг 4 из 6/);
    await send(t, owner, "abc");
    assert.match(owner.lastMessage()!.text!, /Не похоже на цену[\s\S]*Шаг 4 из 6/);
    await send(t, owner, "1500.50");
    assert.match(owner.lastMessage()!.text!, /Шаг 5 из 6/);
    await press(t, owner, "В конец списка");
    await press(t, owner, "Да, активна");
    const card = owner.lastMessage()!.text!;
    assert.match(card, /Услуга создана и уже видна клиентам/);
    assert.match(card, /Укладка &amp; стиль/);
    assert.match(card, /45 мин/);
    assert.match(card, /1\s500,50\s₽/);

    const db = t.running.deps.db;
    const created = listServicesWithCounts(db, { includeDeleted: true })
      .find((s) => s.name === "Укладка & стиль")!;
    assert.equal(created.durationMinutes, 45);
    assert.equal(created.priceMinor, 150050);
    assert.equal(created.description, "");
    assert.equal(created.displayOrder, 50, "skip puts it after the last (40)");
    assert.equal(created.isActive, true);
    const audit = listAudit(db, { entity: "service", entityId: created.id, limit: 5, offset: 0 });
    assert.equal(audit.rows[0].action, "create");
    assert.equal(audit.rows[0].actorId, 900);

    const offered = await clientServiceList(t);
    assert.ok(offered.includes("Укладка & стиль"), `client sees the new service: ${offered}`);
    // Every button press was answered.
    assert.equal(owner.callbackAnswers().length, 6);
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin services: editor changes fields, deactivate/delete hide it from clients, restore brings it back", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    const owner = await openServices(t);
    await press(t, owner, "Haircut");
    assert.match(owner.lastMessage()!.text!, /Записей на услугу: 0/);

    await press(t, owner, "Цена");
    assert.match(owner.lastMessage()!.text!, /Сейчас: 1500/);
    await send(t, owner, "12,5");
    assert.match(owner.lastMessage()!.text!, /Сохранено/);
    assert.equal(listBookableServices(db).find((s) => s.id === haircut.id)!.priceMinor, 1250);
    await press(t, owner, "Цена");
    await press(t, owner, "Убрать цену");
    assert.match(owner.lastMessage()!.text!, /Цена: без цены/);
    assert.equal(listBookableServices(db).find((s) => s.id === haircut.id)!.priceMinor, null);

    await press(t, owner, "Длительность");
    await send(t, owner, "721");
    assert.match(owner.lastMessage()!.text!, /от 5 до 720/);
    await press(t, owner, "90 мин");
    assert.equal(listBookableServices(db).find((s) => s.id === haircut.id)!.durationMinutes, 90);

    await press(t, owner, "Название");
    await send(t, owner, "Стрижка");
    assert.match(owner.lastMessage()!.text!, /💇 <b>Стрижка<\/b>/);

    await press(t, owner, "Выключить");
    assert.ok(!(await clientServiceList(t)).includes("Стрижка"), "inactive is hidden");
    await press(t, owner, "Включить");
    assert.ok((await clientServiceList(t)).includes("Стрижка"), "active again");

    await press(t, owner, "Удалить");
    assert.match(owner.lastMessage()!.text!, /Удалить услугу <b>Стрижка<\/b>/);
    await press(t, owner, "Да, удалить");
    assert.match(owner.lastMessage()!.text!, /Услуга удалена/);
    assert.ok(!(await clientServiceList(t)).includes("Стрижка"), "deleted is hidden");
    const deleted = listServicesWithCounts(db, { includeDeleted: true }).find((s) =>
      s.id === haircut.id
    )!;
    assert.ok(deleted.deletedAt !== null, "soft-deleted, still stored");
    // The list of all services shows it as deleted; the active-only list leaves it out.
    await press(t, owner, "К списку услуг");
    assert.match(owner.lastMessage()!.text!, /Стрижка<\/b>.*🗑 удалена/);
    await press(t, owner, "Только активные");
    assert.doesNotMatch(owner.lastMessage()!.text!, /Стрижка/);
    await press(t, owner, "Все услуги");
    await press(t, owner, "Стрижка");
    await press(t, owner, "Восстановить");
    assert.match(owner.lastMessage()!.text!, /Услуга восстановлена/);
    assert.ok((await clientServiceList(t)).includes("Стрижка"), "restored is offered again");

    const fields = listAudit(db, { entity: "service", entityId: haircut.id, limit: 50, offset: 0 })
      .rows.map((r) => `${r.action}:${r.field ?? ""}`).reverse();
    assert.deepEqual(fields, [
      "create:",
      "update:price_minor",
      "update:price_minor",
      "update:duration_minutes",
      "update:name",
      "update:is_active",
      "update:is_active",
      "delete:deleted_at",
      "restore:deleted_at",
    ]);
    const priceRow = listAudit(db, {
      entity: "service",
      entityId: haircut.id,
      limit: 50,
      offset: 0,
    })
      .rows.find((r) => r.field === "price_minor" && r.newValue === null)!;
    assert.equal(priceRow.oldValue, "1250");
  } finally {
    await t.close();
  }
});

Deno.test("e2e admin services: a viewer sees the list but forged change buttons change nothing", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    upsertAdmin(db, 555, "viewer", 900, t.clock.now());
    const viewer = t.fake.user(555, { first_name: "Viewer", language_code: "ru" });
    await send(t, viewer, "/admin");
    await press(t, viewer, "Услуги");
    assert.match(viewer.lastMessage()!.text!, /Haircut/);
    assert.ok(!viewer.buttons().some((b) => b.text.includes("Новая услуга")), "no create button");
    await press(t, viewer, "Haircut");
    assert.ok(!viewer.buttons().some((b) => b.data?.startsWith("ase:")), "no edit buttons");

    const before = JSON.stringify(listServicesWithCounts(db, { includeDeleted: true }));
    const auditBefore = listAudit(db, { limit: 1, offset: 0 }).total;
    const forged = [
      "asn",
      "ase:1:name",
      "ass:1:active:0",
      "ass:1:dur:120",
      "ass:1:noprice:0",
      "asd:1:1",
      "asr:1",
      "asc:active:1",
    ];
    const answersBefore = viewer.callbackAnswers().length;
    for (const data of forged) {
      viewer.pressData(data);
      await viewer.waitForCallbackAnswer();
      await t.idle();
    }
    // A viewer's text is not taken as input either.
    await send(t, viewer, "Hacked");
    assert.equal(JSON.stringify(listServicesWithCounts(db, { includeDeleted: true })), before);
    assert.equal(listAudit(db, { limit: 1, offset: 0 }).total, auditBefore);
    const answers = viewer.callbackAnswers().slice(answersBefore);
    assert.equal(answers.length, forged.length, "every forged press is answered");
    for (const a of answers) assert.match(a.text ?? "", /только для просмотра/);
  } finally {
    await t.close();
  }
});

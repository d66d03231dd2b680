import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { cb } from "../../src/ui/callback_data.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";

const OWNER = 900;
const CLIENT = 777;
const ADMIN = { userId: OWNER, isAdmin: true };

/** Books the client at the first free time of `date` (a fixture, made quietly). */
function book(t: TestBot, serviceId: number, date: string) {
  const engine = t.running.deps.bookings;
  const slot = engine.freeSlots(serviceId, "any", Temporal.PlainDate.from(date))[0];
  return engine.createBooking({
    userId: CLIENT,
    serviceId,
    staff: "any",
    start: slot.start,
    clientName: "Анна Смирнова",
    phone: "+7 900 123-45-67",
  });
}

/**
 * 3 visits (two at 1 500 ₽, one after a price change at 2 000 ₽), 1 cancel, 1 no-show and one
 * still to come; returns the first booking's id.
 */
function scriptHistory(t: TestBot): number {
  const db = t.running.deps.db;
  const service = listBookableServices(db)[0];
  assert.equal(service.priceMinor, 150000);
  const engine = t.running.deps.bookings;
  const a = book(t, service.id, "2026-12-02");
  const b = book(t, service.id, "2026-12-03");
  db.prepare("UPDATE services SET price_minor = 200000 WHERE id = ?").run(service.id);
  const c = book(t, service.id, "2026-12-04");
  const d = book(t, service.id, "2026-12-07");
  const e = book(t, service.id, "2026-12-08");
  t.clock.set("2026-12-09T06:00:00Z");
  const f = book(t, service.id, "2026-12-10");
  for (const x of [a, b, c]) engine.setStatus(x.id, ADMIN, "completed");
  engine.cancelBooking(d.id, ADMIN, null);
  engine.setStatus(e.id, ADMIN, "no_show");
  assert.equal(f.status, "active");
  return a.id;
}

/** The client's button in the search results. */
const HIT = "Анна Смирнова · +79001234567 · записей: 6";

/** A running bot with an owner and a client who has the scripted history. */
interface Scene {
  t: TestBot;
  owner: FakeUser;
  client: FakeUser;
  /** The client's first booking. */
  firstId: number;
}

/** Runs `fn` on a fresh scene and closes the bot afterwards. */
async function withScene(fn: (s: Scene) => Promise<void>): Promise<void> {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Ирина", language_code: "ru" });
    const client = t.fake.user(CLIENT, {
      first_name: "Аня",
      username: "anya",
      language_code: "ru",
    });
    client.sendText("/start");
    await t.idle();
    await fn({ t, owner, client, firstId: scriptHistory(t) });
  } finally {
    await t.close();
  }
}

/** `user` opens the clients section and types `query`. */
async function search(t: TestBot, user: FakeUser, query: string): Promise<void> {
  user.sendText("/admin");
  await t.idle();
  user.press("👤 Клиенты");
  await t.idle();
  user.sendText(query);
  await t.idle();
}

Deno.test("e2e client card: counts, spend at booked prices, private notes", async () => {
  await withScene(async ({ t, owner, client, firstId }) => {
    // From the section: search by part of the phone.
    await search(t, owner, "123-45");
    assert.match(owner.lastMessage()!.text!, /Найдено по запросу «123-45»: 1/);
    owner.press(HIT);
    await t.idle();
    const card = owner.lastMessage()!.text!;
    assert.match(card, /Анна Смирнова/);
    assert.match(card, /@anya/);
    assert.match(card, /Визиты: 3 · отмены: 1 · неявки: 1/);
    assert.match(card, /Предстоящих записей: 1/);
    assert.match(card, /Потрачено: 5\s000\s₽/);
    assert.match(card, /Первый визит: .*2 дек/);
    assert.match(card, /Последний визит: .*4 дек/);
    assert.match(card, /Заметок пока нет/);

    // A private note, with its author, then the card from a booking card.
    owner.press("📝 Добавить заметку");
    await t.idle();
    owner.sendText("Любит тишину, кофе без сахара");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Заметка сохранена/);
    assert.match(owner.lastMessage()!.text!, /Ирина: Любит тишину, кофе без сахара/);
    const audit = listAudit(t.running.deps.db, {
      entity: "user",
      entityId: CLIENT,
      limit: 5,
      offset: 0,
    });
    assert.deepEqual(audit.rows.map((r) => [r.action, r.actorId]), [["note", OWNER]]);

    owner.pressData(cb.adminBooking.pack({ id: firstId }));
    await t.idle();
    owner.press("👤 Карточка клиента");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Визиты: 3[\s\S]*Ирина: Любит тишину/);

    // The client never sees it, whatever they open.
    client.sendText("/my");
    await t.idle();
    client.sendText("/start");
    await t.idle();
    const seen = t.fake.chatMessages(CLIENT, true).map((m) => m.text ?? m.caption ?? "");
    assert.ok(seen.length > 0);
    assert.ok(seen.every((text) => !text.includes("тишину")), "the client sees no note");
    assertNoErrors(t);
  });
});

Deno.test("e2e client card: a viewer reads it but cannot write notes; search by @username", async () => {
  await withScene(async ({ t }) => {
    t.running.deps.db.prepare(
      "INSERT INTO admins (user_id, role, added_by, added_at) VALUES (?, 'viewer', ?, 0)",
    ).run(555, OWNER);
    const viewer = t.fake.user(555, { first_name: "Вера", language_code: "ru" });
    await search(t, viewer, "@anya");
    viewer.press(HIT);
    await t.idle();
    assert.match(viewer.lastMessage()!.text!, /Визиты: 3/);
    assert.ok(!viewer.buttons().some((b) => b.text === "📝 Добавить заметку"));
    viewer.pressData(`acn:${CLIENT}`);
    await t.idle();
    viewer.sendText("тайная заметка");
    await t.idle();
    const notes = t.running.deps.db.prepare("SELECT count(*) AS n FROM client_notes").get()!;
    assert.equal(notes.n, 0);
  });
});

Deno.test("e2e book for this client: the engine books with the client's contact and tells them", async () => {
  await withScene(async ({ t, owner, client }) => {
    const before = client.messages().length;
    await search(t, owner, "Смирнова");
    owner.press(HIT);
    await t.idle();
    owner.press("➕ Записать клиента");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Запись для Анна Смирнова/);
    owner.press(listBookableServices(t.running.deps.db)[0].name);
    await t.idle();
    owner.press("11.12");
    await t.idle();
    owner.press("10:00");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Записать Анна Смирнова \(\+79001234567\)/);
    owner.press("✅ Записать");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Клиент записан/);
    assert.match(owner.lastMessage()!.text!, /Предстоящих записей: 2/);
    const row = t.running.deps.db.prepare(
      "SELECT user_id AS u, client_name AS n, phone AS p FROM bookings ORDER BY id DESC LIMIT 1",
    ).get()!;
    assert.deepEqual({ ...row }, { u: CLIENT, n: "Анна Смирнова", p: "+79001234567" });
    await t.running.deps.outbox?.deliver();
    await t.idle();
    assert.ok(client.messages().length > before, "the client is told");
    assertNoErrors(t);
  });
});

Deno.test("e2e retention in statistics: the month's figures and a lapsed client's card", async () => {
  await withScene(async ({ t, owner }) => {
    // The client's only upcoming booking is cancelled.
    const upcoming = t.running.deps.db.prepare(
      "SELECT id FROM bookings WHERE status = 'active'",
    ).get()!.id as number;
    t.running.deps.bookings.cancelBooking(upcoming, ADMIN, null);
    owner.sendText("/admin");
    await t.idle();
    owner.press("📊 Статистика");
    await t.idle();
    owner.press("Месяц");
    await t.idle();
    owner.press("🔁 Возвращаемость");
    await t.idle();
    const text = owner.lastMessage()!.text!;
    assert.match(text, /Возвращаемость клиентов/);
    assert.match(text, /Клиентов с визитами: 1/);
    assert.match(text, /Вернувшихся: 1 \(100%\)/);
    assert.match(text, /Визитов на клиента: 3/);
    assert.match(text, /Потрачено в среднем на клиента: 5\s000\s₽/);
    assert.match(text, /больше 8 недель.*: 0/);

    // Ten weeks later the client is in the "not back for 4 weeks" list.
    t.clock.set("2027-02-20T06:00:00Z");
    owner.press("4 нед.");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /больше 4 недель.*: 1/);
    assert.match(owner.lastMessage()!.text!, /Анна Смирнова — последний визит/);
    owner.press("Анна Смирнова");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Визиты: 3 · отмены: 2 · неявки: 1/);
    assertNoErrors(t);
  });
});

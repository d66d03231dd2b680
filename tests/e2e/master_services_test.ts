import assert from "node:assert/strict";
import { startTestBot, type TestBot } from "../support/harness.ts";
import type { Button, FakeUser } from "../support/fake_bot_api.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { listAllStaff } from "../../src/db/staff_repo.ts";
import { BookingError } from "../../src/services/booking_service.ts";

/** Presses a button and waits for the screen it leads to. */
async function press(user: FakeUser, match: string | RegExp | ((b: Button) => boolean)) {
  const next = user.nextMessage();
  user.press(match);
  await next;
}

/** Sends text and waits for the answer. */
async function send(user: FakeUser, text: string) {
  const next = user.nextMessage();
  user.sendText(text);
  await next;
}

function client(t: TestBot): FakeUser {
  return t.fake.user(101, { first_name: "Анна", last_name: "Петрова", language_code: "ru" });
}

/** The client starts booking a Haircut: the master buttons offered, or [] when none. */
async function clientMasters(t: TestBot): Promise<string[]> {
  await send(client(t), "/book");
  await press(client(t), "Haircut");
  return client(t).buttons().filter((b) => b.data?.startsWith("bm:")).map((b) => b.text);
}

/** The owner opens Haircut's "who does it" screen. */
async function haircutMasters(t: TestBot): Promise<FakeUser> {
  const owner = t.fake.user(900, { first_name: "Owner", language_code: "ru" });
  await send(owner, "/admin");
  await press(owner, "Услуги");
  await press(owner, /Haircut/);
  await press(owner, "👥 Мастера");
  return owner;
}

const WED_10 = Date.parse("2026-12-02T07:00:00Z"); // Wednesday 10:00 Moscow

Deno.test("e2e masters and services: the owner unticks a master, clients and 'any master' no longer get her, the engine refuses her", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    const catalog = t.running.deps.services.catalog;
    const olga = catalog.addMaster("Ольга", 900);
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    const master = listAllStaff(db).find((s) => s.name === "Мастер")!;
    assert.deepEqual(await clientMasters(t), ["👥 Любой мастер", "Мастер", "Ольга"]);

    const owner = await haircutMasters(t);
    let screen = owner.lastMessage()!.text!;
    assert.match(screen, /Кто выполняет «Haircut»/);
    assert.match(screen, /☑️ Ольга — 60 мин · 1\s500\s₽/);
    assert.deepEqual(
      owner.buttons().filter((b) => b.data?.startsWith("asw:")).map((b) => b.text),
      ["☑️ Мастер", "☑️ Ольга"],
    );
    await press(owner, "☑️ Ольга");
    screen = owner.lastMessage()!.text!;
    assert.match(screen, /Сохранено/);
    assert.match(screen, /⬜ Ольга — не выполняет/);
    assert.ok(owner.buttons().some((b) => b.text === "⬜ Ольга"));
    const entry = listAudit(db, { entity: "service", entityId: haircut.id, limit: 1, offset: 0 })
      .rows[0];
    assert.equal(entry.action, "master_removed");
    assert.equal(entry.actorId, 900);

    // One master left for Haircut: the client is not asked to choose.
    assert.deepEqual(await clientMasters(t), []);
    assert.match(client(t).lastMessage()!.text!, /Выберите день/);
    await press(client(t), "Назад");
    assert.match(client(t).lastMessage()!.text!, /Выберите услугу/, "back skips the master step");

    // A forged press of an old "Ольга" button is refused.
    client(t).pressData(`bm:${olga.id}`);
    const answer = await client(t).waitForCallbackAnswer();
    assert.match(String(answer.text), /устарела/);

    // "Any master": Master's 10:00 is taken, so 10:00 is gone though Ольга is free then.
    const engine = t.running.deps.bookings;
    const date = Temporal.PlainDate.from("2026-12-02");
    assert.ok(engine.freeSlots(haircut.id, "any", date).some((s) => s.start === WED_10));
    engine.createBooking({
      userId: 101,
      serviceId: haircut.id,
      staff: "any",
      start: WED_10,
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    const any = engine.freeSlots(haircut.id, "any", date);
    assert.ok(!any.some((s) => s.start === WED_10), "Ольга does not stand in for Master");
    assert.ok(any.every((s) => s.staffId === master.id));

    // The engine refuses a booking for a master who does not do the service.
    assert.throws(
      () =>
        engine.createBooking({
          userId: 101,
          serviceId: haircut.id,
          staff: olga.id,
          start: WED_10 + 3 * 3_600_000,
          clientName: "Анна Петрова",
          phone: "+79161234567",
        }),
      (e) => e instanceof BookingError && e.code === "staff_not_for_service",
    );

    // Ticked again: she is offered again.
    await press(owner, "⬜ Ольга");
    assert.match(owner.lastMessage()!.text!, /☑️ Ольга — 60 мин/);
    assert.deepEqual(await clientMasters(t), ["👥 Любой мастер", "Мастер", "Ольга"]);
  } finally {
    await t.close();
  }
});

Deno.test("e2e masters and services: a master's own duration and price are what the client books", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    const olga = t.running.deps.services.catalog.addMaster("Ольга", 900);
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    const owner = await haircutMasters(t);
    await press(owner, "⏱ Ольга: время и цена");
    assert.match(owner.lastMessage()!.text!, /сейчас 60 мин · 1\s500\s₽/);
    await send(owner, "девяносто");
    assert.match(owner.lastMessage()!.text!, /целое число/);
    await send(owner, "90 2500");
    assert.match(owner.lastMessage()!.text!, /☑️ Ольга — 90 мин · 2\s500\s₽/);
    assert.match(owner.lastMessage()!.text!, /☑️ Мастер — 60 мин · 1\s500\s₽/);

    await send(client(t), "/start");
    const booking = t.running.deps.bookings.createBooking({
      userId: 101,
      serviceId: haircut.id,
      staff: olga.id,
      start: WED_10,
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    assert.equal(booking.end - booking.start, 90 * 60_000);
    assert.equal(booking.priceMinor, 250_000);

    await press(owner, "⏱ Ольга: время и цена");
    await press(owner, "↩️ Как у услуги");
    assert.match(owner.lastMessage()!.text!, /☑️ Ольга — 60 мин · 1\s500\s₽/);
    const entry = listAudit(db, { entity: "service", entityId: haircut.id, limit: 1, offset: 0 })
      .rows[0];
    assert.equal(entry.action, "master_terms");
  } finally {
    await t.close();
  }
});

Deno.test("e2e masters and services: from the master's card, untick a service and the client no longer sees the master for it", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    t.running.deps.services.catalog.addMaster("Ольга", 900);
    const owner = t.fake.user(900, { first_name: "Owner", language_code: "ru" });
    await send(owner, "/admin");
    await press(owner, "👥 Мастера");
    await press(owner, "🟢 Ольга");
    await press(owner, "💇 Услуги");
    assert.match(owner.lastMessage()!.text!, /Услуги мастера Ольга/);
    assert.ok(owner.buttons().some((b) => b.text === "☑️ Haircut"));
    await press(owner, "☑️ Haircut");
    assert.match(owner.lastMessage()!.text!, /Сохранено/);
    assert.ok(owner.buttons().some((b) => b.text === "⬜ Haircut"));
    assert.ok(owner.buttons().some((b) => b.text === "☑️ Beard trim"), "other services stay");
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    const entry = listAudit(db, { entity: "service", entityId: haircut.id, limit: 1, offset: 0 })
      .rows[0];
    assert.equal(entry.action, "master_removed");
    assert.equal(entry.newValue, "Ольга");
    assert.deepEqual(await clientMasters(t), [], "only Мастер does Haircut now");
  } finally {
    await t.close();
  }
});

Deno.test("e2e masters and services: a viewer's or a client's forged toggles change nothing and are answered", async () => {
  const t = await startTestBot({ adminIds: [900] });
  try {
    const db = t.running.deps.db;
    const olga = t.running.deps.services.catalog.addMaster("Ольга", 900);
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    const viewer = t.fake.user(400, { first_name: "Viewer", language_code: "ru" });
    await send(viewer, "/start");
    upsertAdmin(db, 400, "viewer", 900, t.clock.now());
    await send(client(t), "/start");
    const links = () => db.prepare("SELECT * FROM master_services ORDER BY 1, 2").all();
    const before = JSON.stringify(links());
    const forged = [
      `asw:${haircut.id}:${olga.id}:0`,
      `ast:${haircut.id}:${olga.id}:1`,
      `amt:${olga.id}:${haircut.id}:0`,
    ];
    for (const user of [viewer, client(t)]) {
      for (const data of forged) {
        user.pressData(data);
        const answer = await user.waitForCallbackAnswer();
        assert.equal(answer.show_alert, true, `${data} refused`);
      }
    }
    assert.equal(JSON.stringify(links()), before);
  } finally {
    await t.close();
  }
});

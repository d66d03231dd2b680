import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import type { Button, FakeUser } from "../support/fake_bot_api.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { listDaysOff } from "../../src/db/schedule_repo.ts";
import { listAllStaff } from "../../src/db/staff_repo.ts";
import { upsertUser } from "../../src/db/users_repo.ts";

const OWNER = 900;
const OLGA_TG = 700;
const HOUR = 3_600_000;
/** 12:00 Moscow on Tuesday 1 December 2026 (the test's "today"). */
const TODAY_NOON = Date.parse("2026-12-01T09:00:00Z");

async function press(user: FakeUser, match: string | RegExp | ((b: Button) => boolean)) {
  const next = user.nextMessage();
  user.press(match);
  await next;
}

async function send(user: FakeUser, text: string) {
  const next = user.nextMessage();
  user.sendText(text);
  await next;
}

/** The owner opens master `name`'s card and presses "invite": the link in the reply. */
async function inviteLink(owner: FakeUser, name: string): Promise<string> {
  await send(owner, "/admin");
  await press(owner, /Мастера/);
  await press(owner, new RegExp(name));
  await press(owner, "🔗 Пригласить в Telegram");
  const text = owner.lastMessage()!.text!;
  assert.match(text, new RegExp(`Ссылка-приглашение для мастера ${name}`));
  assert.match(text, /действует 48 часов/);
  const link = /https:\/\/t\.me\/test_booking_bot\?start=(staff_[A-Za-z0-9_-]+)/.exec(text);
  assert.ok(link, text);
  return link[1];
}

/** Bookings: two of Ольга's today, one tomorrow; one of the other master today. */
function bookings(t: TestBot, olga: number, other: number) {
  const engine = t.running.deps.bookings;
  const haircut = listBookableServices(t.running.deps.db).find((s) => s.name === "Haircut")!;
  const book = (staff: number, start: number, name: string, userId: number) => {
    upsertUser(t.running.deps.db, { id: userId, first_name: name, language_code: "ru" }, 0);
    return engine.createBooking({
      userId,
      serviceId: haircut.id,
      staff,
      start,
      clientName: name,
      phone: "+79161234567",
    });
  };
  return {
    olgaNoon: book(olga, TODAY_NOON, "Анна Петрова", 101),
    olgaLate: book(olga, TODAY_NOON + 3 * HOUR, "Борис Иванов", 102),
    olgaTomorrow: book(olga, TODAY_NOON + 24 * HOUR, "Вера Смирнова", 103),
    otherNoon: book(other, TODAY_NOON, "Глеб Орлов", 104),
  };
}

Deno.test("e2e masters in Telegram: invite once, my day, done and didn't come, forged press refused", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const db = t.running.deps.db;
    const olga = t.running.deps.services.catalog.addMaster("Ольга", OWNER);
    const other = listAllStaff(db).find((s) => s.id !== olga.id)!;
    const b = bookings(t, olga.id, other.id);
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    const master = t.fake.user(OLGA_TG, { first_name: "Ольга", language_code: "ru" });
    const stranger = t.fake.user(701, { first_name: "Пётр", language_code: "ru" });

    // Before linking Ольга is a client like any other: no "My day", and its buttons refuse her.
    await send(master, "/start");
    assert.ok(!master.buttons().some((x) => x.text === "🗓 Мой день"));
    master.pressData(`mxb:${b.olgaNoon.id}`);
    assert.match(String((await master.waitForCallbackAnswer()).text), /для мастеров салона/);

    const token = await inviteLink(owner, "Ольга");
    await send(master, `/start ${token}`);
    assert.match(master.lastMessage()!.text!, /Готово, Ольга! Ваш Telegram привязан/);
    const link = listAudit(db, { entity: "staff", entityId: olga.id, limit: 5, offset: 0 }).rows;
    assert.deepEqual(link.slice(0, 2).map((r) => [r.action, r.actorId]), [
      ["link", OLGA_TG],
      ["invite", OWNER],
    ]);

    // The link works once.
    await send(stranger, `/start ${token}`);
    assert.match(stranger.lastMessage()!.text!, /уже использована/);
    assert.ok(!stranger.buttons().some((x) => x.text === "🗓 Мой день"));

    // A link older than 48 hours is refused.
    const old = await inviteLink(owner, "Ольга");
    t.clock.set(t.clock.now() + 48 * HOUR + 1);
    await send(stranger, `/start ${old}`);
    assert.match(stranger.lastMessage()!.text!, /Срок этой ссылки-приглашения истёк/);
    t.clock.set(Date.parse("2026-12-01T06:00:00Z"));

    // My day: exactly her two bookings of today, in time order; tomorrow's on the next day.
    await send(master, "/menu");
    await press(master, "🗓 Мой день");
    let day = master.lastMessage()!.text!;
    assert.match(day, /Ольга<\/b>, ваши записи на вт, 1 декабря 2026/);
    const lines = master.buttons().filter((x) => x.data?.startsWith("mxb:")).map((x) => x.text);
    assert.deepEqual(lines, [
      "🟢 12:00 — Haircut, Анна Петрова",
      "🟢 15:00 — Haircut, Борис Иванов",
    ]);
    await press(master, "Позже ➡️");
    day = master.lastMessage()!.text!;
    assert.match(day, /2 декабря/);
    assert.deepEqual(
      master.buttons().filter((x) => x.data?.startsWith("mxb:")).map((x) => x.text),
      ["🟢 12:00 — Haircut, Вера Смирнова"],
    );
    await press(master, "⬅️ Раньше");

    // Done, and didn't come.
    await press(master, "🟢 12:00 — Haircut, Анна Петрова");
    assert.match(master.lastMessage()!.text!, /Анна Петрова[\s\S]*\+79161234567/);
    await press(master, "✅ Пришёл/выполнено");
    assert.match(master.lastMessage()!.text!, /Отмечено: визит состоялся/);
    assert.equal(getBooking(db, b.olgaNoon.id)!.status, "completed");
    await press(master, "⬅️ К моему дню");
    await press(master, "🟢 15:00 — Haircut, Борис Иванов");
    await press(master, "🚫 Не пришёл");
    assert.match(master.lastMessage()!.text!, /клиент не пришёл/);
    assert.equal(getBooking(db, b.olgaLate.id)!.status, "no_show");
    const marks = listAudit(db, { entity: "booking", entityId: b.olgaLate.id, limit: 1, offset: 0 })
      .rows[0];
    assert.deepEqual([marks.actorId, marks.newValue], [OLGA_TG, "no_show"]);

    // Forged presses on the other master's booking change nothing.
    const forged = [
      `mxb:${b.otherNoon.id}`,
      `mxm:${b.otherNoon.id}:done`,
      `mxc:${b.otherNoon.id}`,
      `mxr:${b.otherNoon.id}:0`,
      `mxt:${b.otherNoon.id}:${TODAY_NOON + 5 * HOUR}`,
    ];
    for (const data of forged) {
      master.pressData(data);
      assert.match(String((await master.waitForCallbackAnswer()).text), /не ваша запись/);
    }
    master.pressData(`mxm:${b.otherNoon.id}:no_show`);
    assert.match(String((await master.waitForCallbackAnswer()).text), /не ваша запись/);
    assert.equal(getBooking(db, b.otherNoon.id)!.status, "active");
    assert.equal(getBooking(db, b.otherNoon.id)!.start, TODAY_NOON);

    // Cancel with a reason: the booking is cancelled with it.
    await press(master, "⬅️ К моему дню");
    await press(master, "Позже ➡️");
    await press(master, "🟢 12:00 — Haircut, Вера Смирнова");
    await press(master, "🔁 Перенести");
    assert.match(
      master.lastMessage()!.text!,
      /Новое время для записи «Haircut» \(Вера Смирнова\), ср, 2 декабря/,
    );
    assert.ok(!master.buttons().some((x) => x.text === "13:00"), "her lunch break is not offered");
    await press(master, "16:00");
    assert.match(master.lastMessage()!.text!, /Запись перенесена[\s\S]*2 декабря 2026 г\. 16:00/);
    assert.equal(getBooking(db, b.olgaTomorrow.id)!.start, TODAY_NOON + 28 * HOUR);
    await press(master, "❌ Отменить с причиной");
    assert.match(master.lastMessage()!.text!, /причину отмены/);
    await send(master, "Заболела");
    assert.match(master.lastMessage()!.text!, /Запись отменена/);
    const cancelled = getBooking(db, b.olgaTomorrow.id)!;
    assert.deepEqual([cancelled.status, cancelled.cancelReason], ["cancelled", "Заболела"]);

    // The owner unlinks her: "My day" is gone and its buttons are refused.
    await send(owner, "/admin");
    await press(owner, /Мастера/);
    await press(owner, /Ольга/);
    assert.match(owner.lastMessage()!.text!, new RegExp(`Telegram: привязан \\(id ${OLGA_TG}\\)`));
    await press(owner, "⛓ Отвязать Telegram");
    assert.match(
      owner.lastMessage()!.text!,
      /Telegram мастера отвязан[\s\S]*Telegram: не привязан/,
    );
    master.pressData("mxd:0");
    assert.match(String((await master.waitForCallbackAnswer()).text), /для мастеров салона/);
    await send(master, "/menu");
    assert.ok(!master.buttons().some((x) => x.text === "🗓 Мой день"));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e masters in Telegram: only owners invite and unlink", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const db = t.running.deps.db;
    const olga = t.running.deps.services.catalog.addMaster("Ольга", OWNER);
    upsertAdmin(db, 555, "admin", OWNER, t.clock.now());
    const admin = t.fake.user(555, { first_name: "Админ", language_code: "ru" });
    await send(admin, "/admin");
    await press(admin, /Мастера/);
    await press(admin, /Ольга/);
    assert.ok(!admin.buttons().some((x) => x.text === "🔗 Пригласить в Telegram"));
    admin.pressData(`ami:${olga.id}`);
    assert.match(String((await admin.waitForCallbackAnswer()).text), /только владельцы/);
    assert.equal(
      listAudit(db, { entity: "staff", entityId: olga.id, limit: 5, offset: 0 }).rows
        .filter((r) => r.action === "invite").length,
      0,
    );
  } finally {
    await t.close();
  }
});

Deno.test("e2e masters in Telegram: a master is told of each new, moved and cancelled booking of theirs", async () => {
  const t = await startTestBot({ adminIds: [OWNER], owedMessages: true });
  try {
    const db = t.running.deps.db;
    const masters = t.running.deps.services.masters;
    const olga = t.running.deps.services.catalog.addMaster("Ольга", OWNER);
    const other = listAllStaff(db).find((s) => s.id !== olga.id)!;
    masters.redeem(masters.invite(olga.id, OWNER), OLGA_TG);
    const master = t.fake.user(OLGA_TG, { first_name: "Ольга", language_code: "ru" });
    const said = () => master.messages().map((m) => m.text ?? "");

    const b = bookings(t, olga.id, other.id);
    await t.idle();
    const news = said().filter((x) => x.includes("Новая запись к вам"));
    assert.equal(news.length, 3, "one notice per booking of hers, none for the other master's");
    assert.ok(news.some((x) => /Haircut, вт, 1 декабря 2026 г\. 12:00\n👤 Анна Петрова/.test(x)));

    const engine = t.running.deps.bookings;
    engine.rescheduleBooking(b.olgaLate.id, { userId: OWNER, isAdmin: true }, {
      start: TODAY_NOON + 4 * HOUR,
    });
    engine.cancelBooking(b.olgaTomorrow.id, { userId: OWNER, isAdmin: true });
    engine.cancelBooking(b.otherNoon.id, { userId: OWNER, isAdmin: true });
    await t.idle();
    const moved = said().find((x) => x.includes("Запись перенесена"));
    assert.match(moved ?? "", /Борис Иванов\nБыло: .*15:00\nСтало: .*16:00/);
    const gone = said().filter((x) => x.includes("Запись отменена"));
    assert.equal(gone.length, 1);
    assert.match(gone[0], /Вера Смирнова/);

    // The notice's button opens the booking in her day.
    await press(master, (x) => x.text === "📋 Открыть запись" && x.data === `mxb:${b.olgaNoon.id}`);
    const card = master.messages().find((m) => /Анна Петрова\n📞 \+79161234567/.test(m.text ?? ""));
    assert.ok(card, "the booking's card is shown");
    assert.ok(
      (card.reply_markup?.inline_keyboard ?? []).flat().some((x) =>
        x?.text === "✅ Пришёл/выполнено"
      ),
    );

    // Her own change is not announced to her.
    const before = said().length;
    masters.mark(OLGA_TG, b.olgaNoon.id, "completed");
    masters.cancel(OLGA_TG, b.olgaLate.id, "Заболела");
    await t.idle();
    assert.equal(said().length, before);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e masters in Telegram: days off asked and approved with one press, or set by masters when owners allow", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const db = t.running.deps.db;
    const masters = t.running.deps.services.masters;
    const olga = t.running.deps.services.catalog.addMaster("Ольга", OWNER);
    masters.redeem(masters.invite(olga.id, OWNER), OLGA_TG);
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    const master = t.fake.user(OLGA_TG, { first_name: "Ольга", language_code: "ru" });
    const off = (day: string) =>
      listDaysOff(db, day, olga.id).filter((x) => x.day === day && x.staffId === olga.id).length;
    await send(owner, "/start");

    // By default she asks; the owners get the request with one button.
    await send(master, "/menu");
    await press(master, "🗓 Мой день");
    await press(master, "🏖 Взять выходной");
    assert.match(master.lastMessage()!.text!, /Владельцы получат запрос/);
    await press(master, "03.12.2026");
    assert.match(
      master.lastMessage()!.text!,
      /Запрос на выходной чт, 3 декабря 2026 г\. отправлен/,
    );
    assert.equal(off("2026-12-03"), 0, "asking changes nothing yet");
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Мастер Ольга просит выходной: чт, 3 декабря 2026/);

    // She cannot approve it herself.
    master.pressData(`mxy:${olga.id}:2026-12-03`);
    assert.match(String((await master.waitForCallbackAnswer()).text), /только для администраторов/);
    assert.equal(off("2026-12-03"), 0);

    await press(owner, "✅ Одобрить");
    assert.match(
      owner.lastMessage()!.text!,
      /Выходной мастера Ольга чт, 3 декабря 2026 г\. одобрен/,
    );
    assert.equal(off("2026-12-03"), 1);
    await t.idle();
    assert.match(master.lastMessage()!.text!, /Владелец одобрил ваш выходной чт, 3 декабря/);

    // The owner lets masters set their own days off.
    await send(owner, "/admin");
    await press(owner, /Мастера/);
    await press(owner, "⚙️ Выходные мастеров: по запросу");
    assert.ok(owner.buttons().some((x) => x.text === "⚙️ Выходные мастеров: ставят сами"));
    assert.equal(masters.ownDaysOff(), true);
    await send(master, "/menu");
    await press(master, "🗓 Мой день");
    await press(master, "🏖 Взять выходной");
    await press(master, "05.12.2026");
    assert.match(master.lastMessage()!.text!, /Выходной сб, 5 декабря 2026 г\. добавлен/);
    assert.equal(off("2026-12-05"), 1);
    await press(master, "⬅️ К моему дню");
    await press(master, "🏖 Взять выходной");
    master.press("05.12.2026");
    assert.match(String((await master.waitForCallbackAnswer()).text), /уже выходной/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

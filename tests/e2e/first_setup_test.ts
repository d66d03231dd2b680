/**
 * Issue 11, point 9: a new install does not lead clients into a dead end. The first /admin
 * walks the owner through the setup; a service is never called bookable when no slot exists;
 * a client never pages through empty months.
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";

const OWNER = 900;

async function press(t: TestBot, user: FakeUser, label: string | RegExp) {
  user.press(label);
  await t.idle();
}

async function send(t: TestBot, user: FakeUser, text: string) {
  user.sendText(text);
  await t.idle();
}

const last = (user: FakeUser) => user.lastMessage()!.text!;
const labels = (user: FakeUser) => user.buttons().map((b) => b.text);

Deno.test("e2e first setup: profile → hours → first service → test booking, step by step", async () => {
  const t = await startTestBot({ adminIds: [OWNER], demoData: false });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await send(t, owner, "/admin");
    assert.match(
      last(owner),
      /Настроим бота — шаг 1 из 4[\s\S]*Профиль салона[\s\S]*Ещё не сделано/,
    );
    assert.deepEqual(labels(owner), [
      "🏠 Заполнить профиль",
      "Дальше ➡️",
      "Пропустить настройку",
    ]);
    await press(t, owner, "🏠 Заполнить профиль");
    await press(t, owner, "✏️ Название");
    await send(t, owner, "Локон");
    await press(t, owner, "✏️ Телефон");
    await send(t, owner, "+7 495 123-45-67");
    // Back to /admin: the setup goes on where it stopped (the profile is done).
    await send(t, owner, "/admin");
    assert.match(last(owner), /шаг 2 из 4[\s\S]*Рабочие часы[\s\S]*⚠️ Ещё не сделано/);
    await press(t, owner, "Дальше ➡️");
    assert.match(last(owner), /шаг 3 из 4[\s\S]*Первая услуга/);

    // The first service, while no working hours exist: the owner is told what is missing.
    await press(t, owner, "➕ Создать услугу");
    assert.match(last(owner), /Шаг 1 из 6/);
    await send(t, owner, "Стрижка");
    await press(t, owner, "Пропустить");
    await press(t, owner, "60 мин");
    await send(t, owner, "1500");
    await press(t, owner, "В конец списка");
    await press(t, owner, "Да, активна");
    const card = last(owner);
    assert.doesNotMatch(card, /уже видна клиентам/);
    assert.match(card, /записаться на неё пока нельзя: не заданы рабочие часы/);

    // A client meanwhile: no empty calendar, but the reason, the contacts and the way out.
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await send(t, anna, "/start");
    await press(t, anna, "Записаться");
    await press(t, anna, "Стрижка");
    const dead = last(anna);
    assert.match(dead, /На «Стрижка» пока нет свободного времени/);
    assert.match(dead, /🏠 <b>Локон<\/b>\n📞 \+7 495 123-45-67/);
    assert.deepEqual(labels(anna), ["🏠 Главное меню"]);
    assert.ok(!anna.buttons().some((b) => b.data?.startsWith("bc:")), "no month paging");
    await press(t, anna, "Главное меню");
    assert.match(last(anna), /Что хотите сделать\?/);

    // The hours, from the setup.
    await send(t, owner, "/admin");
    assert.match(last(owner), /шаг 2 из 4/);
    await press(t, owner, "⏰ Задать часы");
    await press(t, owner, "Ср");
    await press(t, owner, "Задать часы работы");
    await send(t, owner, "10:00-19:00");
    assert.match(last(owner), /Сохранено/);

    // Everything is there: the last step is the test booking, then the menu for good.
    await send(t, owner, "/admin");
    assert.match(last(owner), /шаг 4 из 4[\s\S]*Пробная запись: нажмите \/start/);
    await press(t, owner, "✅ Готово");
    assert.match(last(owner), /Администрирование/);
    await send(t, owner, "/admin");
    assert.match(last(owner), /Администрирование/);
    assert.ok(labels(owner).includes("🏠 Профиль"));

    // And the client now gets a calendar with Wednesday in it.
    await press(t, anna, "Записаться");
    await press(t, anna, "Стрижка");
    assert.match(last(anna), /Выберите день/);
    assert.ok(anna.buttons().some((b) => b.data === "bd:2026-12-02"));
    const actions = listAudit(t.running.deps.db, { entity: "settings", limit: 20, offset: 0 })
      .rows.map((r) => r.action);
    assert.ok(actions.includes("setup_started") && actions.includes("setup_finished"));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e first setup: skipped once, /admin opens the menu from then on; admins never see it", async () => {
  const t = await startTestBot({ adminIds: [OWNER], demoData: false });
  try {
    upsertAdmin(t.running.deps.db, 555, "admin", OWNER, t.clock.now());
    const admin = t.fake.user(555, { first_name: "Ольга", language_code: "ru" });
    await send(t, admin, "/admin");
    assert.match(last(admin), /Администрирование/);
    admin.pressData("ape:1");
    await t.idle();
    assert.equal(t.running.deps.services.profile.setupDone(), false, "an admin cannot end it");

    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await send(t, owner, "/admin");
    assert.match(last(owner), /шаг 1 из 4/);
    await press(t, owner, "Пропустить настройку");
    assert.match(last(owner), /Администрирование/);
    await send(t, owner, "/admin");
    assert.match(last(owner), /Администрирование/);
    const skipped = listAudit(t.running.deps.db, { entity: "settings", limit: 5, offset: 0 })
      .rows.find((r) => r.action === "setup_skipped");
    assert.equal(skipped?.actorId, OWNER);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e first setup: an install that already works opens the menu, no setup", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "en" });
    await send(t, owner, "/admin");
    assert.match(last(owner), /Administration/);
    assert.ok(labels(owner).includes("🏠 Profile"));
  } finally {
    await t.close();
  }
});

Deno.test("e2e first setup: a service longer than any working day is not called bookable", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await send(t, owner, "/admin");
    await press(t, owner, "💇 Услуги");
    await press(t, owner, "Новая услуга");
    await send(t, owner, "Марафон");
    await press(t, owner, "Пропустить");
    await press(t, owner, "Другая");
    await send(t, owner, "600"); // 10 h: the demo week is 9 h a day with a lunch break
    await send(t, owner, "0");
    await press(t, owner, "В конец списка");
    await press(t, owner, "Да, активна");
    const card = last(owner);
    assert.doesNotMatch(card, /уже видна клиентам/);
    assert.match(card, /свободного времени для неё в ближайшие \d+ дн\. нет/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

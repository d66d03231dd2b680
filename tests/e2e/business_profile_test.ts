/**
 * Issue 11, point 7: the salon's identity. An owner fills in the profile in /admin; clients
 * see it in the welcome, /help, booking cards and the .ics; an admin cannot change it.
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import { businessProfile } from "../../src/db/profile_repo.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";

const OWNER = 900;

async function press(t: TestBot, user: FakeUser, label: Parameters<FakeUser["press"]>[0]) {
  user.press(label);
  await t.idle();
}

async function send(t: TestBot, user: FakeUser, text: string) {
  user.sendText(text);
  await t.idle();
}

/** The owner types one field of the profile through its button. */
async function fill(t: TestBot, owner: FakeUser, label: string, value: string) {
  await press(t, owner, `✏️ ${label}`);
  await send(t, owner, value);
}

Deno.test("e2e profile: the owner fills in the salon's profile, checked field by field", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await send(t, owner, "/admin");
    await press(t, owner, "🏠 Профиль");
    let screen = owner.lastMessage()!.text!;
    assert.match(screen, /Профиль салона/);
    assert.match(screen, /Название: — не указано/);

    await press(t, owner, "✏️ Название");
    assert.match(owner.lastMessage()!.text!, /Напишите название салона/);
    await send(t, owner, "Салон «Локон»");
    screen = owner.lastMessage()!.text!;
    assert.match(screen, /✅ Сохранено\.[\s\S]*Название: Салон «Локон»/);

    await fill(t, owner, "Телефон", "позвоните");
    assert.match(owner.lastMessage()!.text!, /не похоже на телефон/);
    await send(t, owner, "+7 495 123-45-67");
    await fill(t, owner, "Ссылка на карту", "http://maps.example/locon");
    assert.match(owner.lastMessage()!.text!, /начинающаяся с https:\/\//);
    await send(t, owner, "https://yandex.ru/maps/-/locon");
    await fill(t, owner, "Адрес", "Москва, ул. Ленина, 1");
    await fill(t, owner, "Часы работы", "Пн–Пт 9:00–18:00");
    screen = owner.lastMessage()!.text!;
    assert.match(screen, /Адрес: Москва, ул\. Ленина, 1/);
    assert.match(screen, /Телефон: \+7 495 123-45-67/);
    assert.match(screen, /Часы работы: Пн–Пт 9:00–18:00/);

    // "-" clears a field.
    await fill(t, owner, "Часы работы", "-");
    assert.match(owner.lastMessage()!.text!, /Часы работы: — не указано/);
    await fill(t, owner, "Часы работы", "Пн–Пт 9:00–18:00");

    assert.deepEqual(businessProfile(t.running.deps.db), {
      name: "Салон «Локон»",
      address: "Москва, ул. Ленина, 1",
      phone: "+7 495 123-45-67",
      mapUrl: "https://yandex.ru/maps/-/locon",
      hours: "Пн–Пт 9:00–18:00",
    });
    const audit = listAudit(t.running.deps.db, { entity: "settings", limit: 20, offset: 0 }).rows;
    const name = audit.find((r) => r.field === "business.name")!;
    assert.deepEqual(
      [name.action, name.actorId, name.oldValue, name.newValue],
      ["update", OWNER, null, "Салон «Локон»"],
    );
    assert.equal(audit.filter((r) => r.field === "business.hours").length, 3);

    // An admin (not an owner) has no Profile button, and a forged press changes nothing.
    upsertAdmin(t.running.deps.db, 555, "admin", OWNER, t.clock.now());
    const admin = t.fake.user(555, { first_name: "Ольга", language_code: "ru" });
    await send(t, admin, "/admin");
    assert.ok(!admin.buttons().some((b) => b.text.includes("Профиль")));
    admin.pressData("apf:name");
    const refused = await admin.waitForCallbackAnswer();
    assert.match(refused.text ?? "", /только владельцы/);
    await t.idle();
    assert.doesNotMatch(admin.lastMessage()!.text!, /Напишите название/);
    await send(t, admin, "Чужое название");
    assert.equal(businessProfile(t.running.deps.db).name, "Салон «Локон»");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e profile: clients see the salon in the welcome, /help, the booking card and the .ics", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const profile = t.running.deps.services.profile;
    profile.update("name", "Салон «Локон»", OWNER);
    profile.update("address", "Москва, ул. Ленина, 1", OWNER);
    profile.update("phone", "+7 495 123-45-67", OWNER);
    profile.update("mapUrl", "https://yandex.ru/maps/-/locon", OWNER);
    profile.update("hours", "Пн–Пт 9:00–18:00", OWNER);

    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await send(t, anna, "/start");
    const welcome = anna.lastMessage()!.text!;
    assert.match(welcome, /Здравствуйте, <b>Анна<\/b>/);
    assert.match(welcome, /🏠 <b>Салон «Локон»<\/b>/);
    assert.match(welcome, /📍 Москва, ул\. Ленина, 1/);
    assert.match(welcome, /<a href="https:\/\/yandex\.ru\/maps\/-\/locon">Открыть на карте<\/a>/);
    assert.match(welcome, /📞 \+7 495 123-45-67/);
    assert.match(welcome, /🕘 Пн–Пт 9:00–18:00/);

    await send(t, anna, "/help");
    assert.match(anna.lastMessage()!.text!, /Помощь[\s\S]*📞 \+7 495 123-45-67/);

    // A booking: the confirmation card and the .ics carry the address.
    await press(t, anna, "Записаться");
    await press(t, anna, "Haircut");
    await press(t, anna, (b) => b.data === "bd:2026-12-02");
    await press(t, anna, "10:00");
    await press(t, anna, "Анна");
    anna.sendContact("+79161234567");
    await t.idle();
    await press(t, anna, "Подтвердить");
    const confirmation = anna.messages().find((m) => m.text?.includes("Вы записаны"))!;
    assert.match(confirmation.text!, /📍 Москва, ул\. Ленина, 1/);
    assert.match(confirmation.text!, /📞 \+7 495 123-45-67/);
    const ics = anna.messages().find((m) => m.kind === "document")!;
    const icsText = new TextDecoder().decode(ics.document!.bytes);
    assert.match(icsText, /LOCATION:Салон «Локон»\\, Москва\\, ул\. Ленина\\, 1/);

    // Her bookings show the contacts on the card too.
    await send(t, anna, "/my");
    await press(t, anna, /Haircut/);
    assert.match(anna.lastMessage()!.text!, /Запись №1[\s\S]*📍 Москва, ул\. Ленина, 1/);

    // A Ukrainian client reads the same block in Ukrainian.
    const olena = t.fake.user(102, { first_name: "Олена", language_code: "uk" });
    await send(t, olena, "/start");
    assert.match(olena.lastMessage()!.text!, /Відкрити на мапі/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

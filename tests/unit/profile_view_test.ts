/** The salon profile's screens, the identity block and the value rules, without Telegram. */
import assert from "node:assert/strict";
import type { Booking } from "../../src/db/bookings_repo.ts";
import {
  type BusinessProfile,
  PROFILE_FIELDS,
  PROFILE_KEYS,
  setSetting,
} from "../../src/db/profile_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { renderNotice } from "../../src/ui/notices.ts";
import {
  firstOpenStep,
  profileView,
  setupView,
} from "../../src/bot/features/admin/profile/views.ts";
import { profileProblem } from "../../src/services/profile_service.ts";
import { loadCatalogs, translator } from "../../src/ui/i18n.ts";
import { noFreeDaysScreen, salonBlock, salonLocation } from "../../src/ui/profile.ts";

const catalogs = loadCatalogs();
const ru = translator(catalogs, "ru");
const uk = translator(catalogs, "uk");
const EMPTY: BusinessProfile = { name: "", address: "", phone: "", mapUrl: "", hours: "" };
const LOCON: BusinessProfile = {
  name: "Локон",
  address: "ул. Ленина, 1",
  phone: "+7 495 123-45-67",
  mapUrl: "https://maps.example/?a=1&b=2",
  hours: "Пн–Пт 9–18",
};

Deno.test("salon block: only the fields that are set, the map link escaped, nothing when empty", () => {
  assert.equal(salonBlock(EMPTY, ru), "");
  const block = salonBlock(LOCON, ru);
  assert.equal(
    block,
    '🏠 <b>Локон</b>\n📍 ул. Ленина, 1\n🗺 <a href="https://maps.example/?a=1&amp;b=2">Открыть на карте</a>\n📞 +7 495 123-45-67\n🕘 Пн–Пт 9–18',
  );
  assert.doesNotMatch(salonBlock(LOCON, ru, { hours: false }), /🕘/);
  assert.equal(salonBlock({ ...EMPTY, phone: "+7 900" }, ru), "📞 +7 900");
  assert.equal(salonLocation(LOCON), "Локон, ул. Ленина, 1");
  assert.equal(salonLocation(EMPTY), undefined);
});

Deno.test("profile rules: phone digits, https links, length limits; '' always clears", () => {
  assert.equal(profileProblem("phone", "+7 (495) 123-45-67"), undefined);
  assert.equal(profileProblem("phone", "звоните"), "bad_phone");
  assert.equal(profileProblem("mapUrl", "http://x.example"), "bad_url");
  assert.equal(profileProblem("mapUrl", "maps"), "bad_url");
  assert.equal(profileProblem("mapUrl", "https://x.example/a"), undefined);
  assert.equal(profileProblem("name", "я".repeat(101)), "too_long");
  assert.equal(profileProblem("phone", ""), undefined);
});

Deno.test("profile view: every field with its value or 'not set', a button per field", () => {
  const screen = profileView({ ...EMPTY, name: "Локон" }, ru);
  assert.match(screen.text, /Название: Локон\nАдрес: — не указано/);
  assert.deepEqual(
    screen.buttons.flat().map((b) => b.text),
    ["✏️ Название", "✏️ Адрес", "✏️ Телефон", "✏️ Ссылка на карту", "✏️ Часы работы"],
  );
});

Deno.test("setup view: the first open step, its state, the way on and out", () => {
  assert.equal(firstOpenStep({ profile: false, hours: false, service: false }), 1);
  assert.equal(firstOpenStep({ profile: true, hours: false, service: true }), 2);
  assert.equal(firstOpenStep({ profile: true, hours: true, service: false }), 3);
  assert.equal(firstOpenStep({ profile: true, hours: true, service: true }), 4);
  const hours = setupView(2, { profile: true, hours: false, service: false }, ru);
  assert.match(hours.text, /шаг 2 из 4[\s\S]*Рабочие часы[\s\S]*⚠️ Ещё не сделано/);
  assert.deepEqual(hours.buttons.flat().map((b) => b.text), [
    "⏰ Задать часы",
    "Дальше ➡️",
    "Пропустить настройку",
  ]);
  const last = setupView(4, { profile: true, hours: true, service: true }, uk);
  assert.match(last.text, /крок 4 з 4[\s\S]*Пробний запис/);
  assert.deepEqual(last.buttons.flat().map((b) => b.text), ["✅ Завершити"]);
});

Deno.test("no free days: the reason, the salon's contacts and only the main-menu button", () => {
  const screen = noFreeDaysScreen("Стрижка", 30, LOCON, ru);
  assert.match(screen.text, /На «Стрижка» пока нет свободного времени[\s\S]*📞 \+7 495 123-45-67/);
  assert.deepEqual(
    screen.buttons.flat().map((b) => [b.text, "callback_data" in b ? b.callback_data : ""]),
    [
      ["🏠 Главное меню", "m:main"],
    ],
  );
});

Deno.test("an admin's notice to a client ends with the salon's contacts", () => {
  const start = Date.parse("2026-12-02T07:00:00Z");
  const b = {
    id: 7,
    userId: 101,
    start,
    end: start + 3_600_000,
    clientName: "Анна",
    phone: "+79161234567",
    status: "cancelled",
    cancelReason: "Болезнь",
    serviceName: "Стрижка",
    durationMinutes: 60,
    priceMinor: null,
    staffName: "Мария",
  } as Booking;
  const db = openMigrated(":memory:", 0);
  for (const field of PROFILE_FIELDS) setSetting(db, PROFILE_KEYS[field], LOCON[field], 0);
  const notice = renderNotice("client_cancelled", {}, b, {
    t: ru,
    lang: "ru",
    timeZone: "Europe/Moscow",
    showStaff: false,
    now: start,
    botUsername: "test_bot",
    db,
    cutoffHours: 24,
  })!;
  db.close();
  const text = notice.text;
  assert.match(text, /Администратор отменил вашу запись №7[\s\S]*📍 ул\. Ленина, 1\n.*\n📞/);
  assert.doesNotMatch(text, /🕘/, "the hours note is not on a card");
});

/**
 * `/cancel` in the middle of every dialog that waits for typed text: the bot says nothing was
 * saved, shows the main menu, and the value typed next is no longer taken as the answer.
 * Only public behaviour: buttons by label, Russian text, database rows.
 */
import assert from "node:assert/strict";
import { press, send } from "../support/steps.ts";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { getFeedbackForBooking } from "../../src/db/feedback_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";

const OWNER = 900;
const ANNA = 101;
/** 10:00 Moscow on Wednesday 2 December 2026 (the clock starts on Tuesday 1 December). */
const WED_10 = Date.parse("2026-12-02T07:00:00Z");

/** Everything written so far: audit rows, bookings, services, feedback. */
function snapshot(t: TestBot): string {
  const db = t.running.deps.db;
  const count = (table: string) =>
    Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  return JSON.stringify({
    audit: listAudit(db, { limit: 1, offset: 0 }).total,
    bookings: db.prepare("SELECT * FROM bookings ORDER BY id").all(),
    services: db.prepare("SELECT * FROM services ORDER BY id").all(),
    feedback: db.prepare("SELECT * FROM feedback ORDER BY id").all(),
    admins: db.prepare("SELECT * FROM admins ORDER BY user_id").all(),
    staff: count("staff"),
    clientNotes: count("client_notes"),
  });
}

/**
 * Checks the dialog is asking (`asks`), sends /cancel, checks the "nothing saved" notice and the main menu, then types `value` (what
 * the dialog asked for) and checks it changed nothing and got the same answer as any stray text.
 */
async function cancelAndCheck(
  t: TestBot,
  user: FakeUser,
  dialog: string,
  asks: RegExp,
  value: string,
) {
  await t.idle();
  const recent = user.messages().slice(-3).map((m) => m.text ?? "");
  assert.ok(recent.some((text) => asks.test(text)), `${dialog}: asked ${asks}: ${recent}`);
  const before = user.messages().length;
  user.sendText("/cancel");
  await t.idle();
  const replies = user.messages().slice(before).map((m) => m.text ?? "");
  assert.ok(
    replies.includes("Отменено. Ничего не сохранено."),
    `${dialog}: /cancel says nothing was saved: ${JSON.stringify(replies)}`,
  );
  assert.match(replies.at(-1)!, /Что хотите сделать\?/, `${dialog}: back to the main menu`);
  const state = snapshot(t);
  const count = user.messages().length;
  user.sendText(value);
  await t.idle();
  assert.equal(snapshot(t), state, `${dialog}: the value typed after /cancel saved nothing`);
  const answer = user.messages().slice(count).map((m) => m.text ?? "");
  assert.deepEqual(
    answer,
    ["Не понял вас. Вот меню:\n\nЧто хотите сделать?"],
    `${dialog}: after /cancel the value is stray text`,
  );
  // Advance past the rate limit's window so that many dialogs in a row are never throttled.
  t.clock.advance(61_000);
}

function anna(t: TestBot): FakeUser {
  return t.fake.user(ANNA, { first_name: "Анна", last_name: "Петрова", language_code: "ru" });
}

Deno.test("dialogs: /cancel at each client step returns to the menu and drops the dialog", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const client = anna(t);
    await send(client, "/start");
    const startBook = async () => {
      await send(client, "/book");
      await press(client, "Haircut");
      await press(client, (b) => b.data === "bd:2026-12-02");
    };
    // Day chosen, waiting for a time.
    await startBook();
    await cancelAndCheck(t, client, "booking: time", /Свободное время|Выберите время/, "10:00");
    // Waiting for the name.
    await startBook();
    await press(client, "10:00");
    await cancelAndCheck(t, client, "booking: name", /На какое имя записать/, "Анна Петрова");
    // Waiting for the phone.
    await startBook();
    await press(client, "10:00");
    await send(client, "Анна Петрова");
    await cancelAndCheck(t, client, "booking: phone", /Ваш номер телефона/, "+79161234567");
    // Waiting for the confirmation.
    await startBook();
    await press(client, "10:00");
    await send(client, "Анна Петрова");
    await send(client, "+79161234567");
    await t.idle();
    assert.match(client.lastMessage()!.text!, /Проверьте запись/);
    await cancelAndCheck(t, client, "booking: confirm", /Проверьте запись/, "да");
    assert.equal(t.running.deps.db.prepare("SELECT count(*) AS n FROM bookings").get()!.n, 0);

    // Contact edit of an existing booking, name and phone.
    const booking = t.running.deps.bookings.createBooking({
      userId: ANNA,
      serviceId: listBookableServices(t.running.deps.db)[0].id,
      staff: 1,
      start: WED_10,
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    for (
      const [label, value] of [["✏️ Изменить имя", "Мария"], [
        "✏️ Изменить телефон",
        "+79035550000",
      ]]
    ) {
      await send(client, "/my");
      await press(client, /Haircut/);
      await press(client, label);
      await cancelAndCheck(
        t,
        client,
        `contact edit: ${label}`,
        /Отправьте нов(ое имя|ый номер)/,
        value,
      );
    }
    const kept = getBooking(t.running.deps.db, booking.id)!;
    assert.deepEqual([kept.clientName, kept.phone], ["Анна Петрова", "+79161234567"]);

    // The comment after a rating.
    t.clock.set(WED_10 + 2 * 3_600_000);
    t.running.deps.bookings.setStatus(booking.id, { userId: OWNER, isAdmin: true }, "completed");
    client.pressData(`fr:${booking.id}:4`);
    await t.idle();
    assert.match(client.lastMessage()!.text!, /Хотите добавить комментарий/);
    await cancelAndCheck(
      t,
      client,
      "feedback comment",
      /Хотите добавить комментарий/,
      "Всё понравилось",
    );
    assert.equal(getFeedbackForBooking(t.running.deps.db, booking.id)?.comment, null);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/** A dialog of the admin side: how to reach its question, and a valid answer to it. */
interface AdminDialog {
  name: string;
  open: (boss: FakeUser) => Promise<void>;
  /** The question the bot shows. */
  asks: RegExp;
  value: string;
}

async function openCard(boss: FakeUser) {
  await press(boss, "🗓 Записи");
  await press(boss, "🔎 Найти клиента");
  await send(boss, "+79161234567");
  await press(boss, /Анна Петрова · Haircut/);
}

const ADMIN_DIALOGS: AdminDialog[] = [
  {
    name: "clients: search",
    open: (b) => press(b, "👤 Клиенты"),
    asks: /Отправьте имя, телефон или @username клиента/,
    value: "Анна",
  },
  {
    name: "clients: private note",
    open: async (b) => {
      await openCard(b);
      await press(b, "👤 Карточка клиента");
      await press(b, "📝 Добавить заметку");
    },
    asks: /Напишите заметку о клиенте/,
    value: "Любит тишину",
  },
  {
    name: "bookings: pick a date",
    open: async (b) => {
      await press(b, "🗓 Записи");
      await press(b, "📆 Выбрать дату");
    },
    asks: /Отправьте дату в формате/,
    value: "02.12.2026",
  },
  {
    name: "bookings: search",
    open: async (b) => {
      await press(b, "🗓 Записи");
      await press(b, "🔎 Найти клиента");
    },
    asks: /Отправьте имя, телефон/,
    value: "Анна",
  },
  {
    name: "bookings: custom period of the list",
    open: async (b) => {
      await press(b, "🗓 Записи");
      await press(b, "📋 Все записи");
      await press(b, "📆 Свой период");
    },
    asks: /Отправьте период/,
    value: "01.12.2026 - 31.12.2026",
  },
  {
    name: "bookings: custom period of the export",
    open: async (b) => {
      await press(b, "🗓 Записи");
      await press(b, "📤 Экспорт в CSV");
      await press(b, "📆 Свой период");
    },
    asks: /Отправьте период/,
    value: "01.12.2026 - 31.12.2026",
  },
  {
    name: "bookings: cancel reason",
    open: async (b) => {
      await openCard(b);
      await press(b, "❌ Отменить запись");
    },
    asks: /Отправьте причину отмены/,
    value: "Мастер заболел",
  },
  {
    name: "bookings: client name",
    open: async (b) => {
      await openCard(b);
      await press(b, "🙂 Имя");
    },
    asks: /Отправьте новое имя для записи/,
    value: "Мария",
  },
  {
    name: "bookings: client phone",
    open: async (b) => {
      await openCard(b);
      await press(b, "📞 Телефон");
    },
    asks: /Отправьте новый телефон/,
    value: "+79035550000",
  },
  {
    name: "bookings: move to a typed date",
    open: async (b) => {
      await openCard(b);
      await press(b, "📅 Дата");
    },
    asks: /или отправьте дату сообщением/,
    value: "03.12.2026",
  },
  {
    name: "bookings: reason of a day's group cancel",
    open: async (b) => {
      await openCard(b);
      await press(b, "📅 К дню");
      await press(b, /Отменить все активные/);
    },
    asks: /Отправьте причину сообщением/,
    value: "Мастер заболел",
  },
  {
    name: "bookings: reason of cancelling chosen bookings",
    open: async (b) => {
      await openCard(b);
      await press(b, "📅 К дню");
      await press(b, "☑️ Выбрать записи для отмены");
      await press(b, "☑️ Выбрать все");
      await press(b, "❌ Отменить выбранные (1)");
    },
    asks: /Отменить выбранные записи\?[\s\S]*Отправьте причину сообщением/,
    value: "Мастер заболел",
  },
  {
    name: "services: new service, name",
    open: async (b) => {
      await press(b, "💇 Услуги");
      await press(b, "➕ Новая услуга");
    },
    asks: /Шаг 1 из 6/,
    value: "Укладка",
  },
  {
    name: "services: new service, price",
    open: async (b) => {
      await press(b, "💇 Услуги");
      await press(b, "➕ Новая услуга");
      await send(b, "Укладка");
      await press(b, "Пропустить");
      await press(b, "30 мин");
    },
    asks: /Шаг 4 из 6/,
    value: "900",
  },
  {
    name: "services: rename",
    open: async (b) => {
      await press(b, "💇 Услуги");
      await press(b, "🟢 Haircut");
      await press(b, "✏️ Название");
    },
    asks: /Отправьте новое название/,
    value: "Стрижка",
  },
  {
    name: "services: price",
    open: async (b) => {
      await press(b, "💇 Услуги");
      await press(b, "🟢 Haircut");
      await press(b, "💰 Цена");
    },
    asks: /Отправьте новую цену/,
    value: "999",
  },
  {
    name: "services: a master's own time and price",
    open: async (b) => {
      await press(b, "💇 Услуги");
      await press(b, "🟢 Haircut");
      await press(b, "👥 Мастера");
      await press(b, "⏱ Мастер: время и цена");
    },
    asks: /Пришлите свою длительность в минутах/,
    value: "90 2500",
  },
  {
    name: "schedule: working hours",
    open: async (b) => {
      await press(b, "⏰ Расписание");
      await press(b, "Ср");
      await press(b, "✏️ Задать часы работы");
    },
    asks: /отправьте часы работы/,
    value: "10:00-19:00",
  },
  {
    name: "schedule: break",
    open: async (b) => {
      await press(b, "⏰ Расписание");
      await press(b, "Ср");
      await press(b, "➕ Добавить перерыв");
    },
    asks: /отправьте перерыв/,
    value: "16:00-17:00",
  },
  {
    name: "schedule: day off",
    open: async (b) => {
      await press(b, "⏰ Расписание");
      await press(b, "📅 Выходные и праздники");
      await press(b, "➕ Добавить выходной");
    },
    asks: /Отправьте дату выходного/,
    value: "31.12.2026 Новый год",
  },
  {
    name: "schedule: daily limit",
    open: async (b) => {
      await press(b, "⏰ Расписание");
      await press(b, "⚙️ Правила записи");
      await press(b, "🔢 Лимит в день");
    },
    asks: /Максимум записей в день на мастера \(/,
    value: "3",
  },
  {
    name: "schedule: slot step",
    open: async (b) => {
      await press(b, "⏰ Расписание");
      await press(b, "⚙️ Правила записи");
      await press(b, "🕐 Шаг слотов");
    },
    asks: /Шаг слотов в минутах/,
    value: "60",
  },
  {
    name: "masters: new master",
    open: async (b) => {
      await press(b, "👥 Мастера");
      await press(b, "➕ Добавить мастера");
    },
    asks: /Отправьте имя нового мастера/,
    value: "Ольга",
  },
  {
    name: "admins: add by id",
    open: async (b) => {
      await press(b, "🔑 Админы");
      await press(b, "➕ Добавить администратора");
    },
    asks: /Отправьте Telegram id/,
    value: "123456789",
  },
  {
    name: "feedback: custom dates",
    open: async (b) => {
      await press(b, "⭐ Отзывы");
      await press(b, "🗓 Период");
      await press(b, "📅 Выбрать даты");
    },
    asks: /Пришлите период двумя датами/,
    value: "01.12.2026 31.12.2026",
  },
  {
    name: "audit log: booking number",
    open: async (b) => {
      await press(b, "📝 Журнал");
      await press(b, "🔎 Запись №");
    },
    asks: /Пришлите номер записи/,
    value: "1",
  },
  {
    name: "audit log: who",
    open: async (b) => {
      await press(b, "📝 Журнал");
      await press(b, "👤 Кто");
    },
    asks: /пришлите Telegram id/,
    value: "900",
  },
  {
    name: "profile: the salon's name",
    open: async (b) => {
      await press(b, "🏠 Профиль");
      await press(b, "✏️ Название");
    },
    asks: /Напишите название салона/,
    value: "Локон",
  },
];

Deno.test("dialogs: /cancel in the middle of every admin text dialog returns to the menu", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    await send(anna(t), "/start");
    t.running.deps.bookings.createBooking({
      userId: ANNA,
      serviceId: listBookableServices(t.running.deps.db)[0].id,
      staff: 1,
      start: WED_10,
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    const boss = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    for (const dialog of ADMIN_DIALOGS) {
      await send(boss, "/admin");
      await dialog.open(boss);
      await cancelAndCheck(t, boss, dialog.name, dialog.asks, dialog.value);
    }
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("dialogs: /cancel while a master types a cancel reason keeps the booking", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const masters = t.running.deps.services.masters;
    const olga = t.running.deps.services.catalog.addMaster("Ольга", OWNER);
    const master = t.fake.user(700, { first_name: "Ольга", language_code: "ru" });
    await send(master, "/start");
    masters.redeem(masters.invite(olga.id, OWNER), 700);
    await send(anna(t), "/start");
    const booking = t.running.deps.bookings.createBooking({
      userId: ANNA,
      serviceId: listBookableServices(t.running.deps.db)[0].id,
      staff: olga.id,
      start: WED_10,
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    await send(master, "/menu");
    await press(master, "🗓 Мой день");
    await press(master, "Позже ➡️");
    await press(master, /Анна Петрова/);
    await press(master, "❌ Отменить с причиной");
    await cancelAndCheck(t, master, "master: cancel reason", /причину отмены/, "Заболела");
    assert.equal(getBooking(t.running.deps.db, booking.id)!.status, "active");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

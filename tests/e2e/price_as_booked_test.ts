/**
 * A booking keeps the price it was booked at: changing the service's price in the admin
 * services screen does not rewrite the month's revenue, the CSV export or the booking card.
 */
import assert from "node:assert/strict";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";
import type { BotMessage, FakeUser } from "../support/fake_bot_api.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { parseCsv } from "../../src/domain/csv.ts";
import { prepareCharts } from "../../src/ops/chart.ts";

const OWNER = 900;

/** Does something and waits for the message (sent or edited) it leads to. */
async function step(t: TestBot, user: FakeUser, action: () => void): Promise<BotMessage> {
  const next = user.nextMessage();
  action();
  const message = await next;
  await t.idle();
  return message;
}

/** A client books a haircut at `time` on Wed 2 December through the buttons. */
async function bookHaircut(
  t: TestBot,
  client: FakeUser,
  time: string,
  name: string,
  phone: string,
) {
  await step(t, client, () => client.sendText("/book"));
  await step(t, client, () => client.press("Haircut"));
  await step(t, client, () => client.press((b) => b.data === "bd:2026-12-02"));
  await step(t, client, () => client.press(time));
  await step(t, client, () => client.sendText(name));
  const next = client.nextMessage((m) => m.text?.includes("Проверьте запись") ?? false);
  client.sendContact(phone);
  const summary = await next;
  await t.idle();
  await step(t, client, () => client.press("Подтвердить"));
  assert.ok(client.messages().some((m) => m.text?.includes("Вы записаны")), "booked");
  return summary.text!;
}

Deno.test("e2e: book at 1 500, the price becomes 2 000: revenue, CSV and card still say 1 500", async () => {
  await prepareCharts();
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    const db = t.running.deps.db;
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await step(t, owner, () => owner.sendText("/start"));
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await step(t, anna, () => anna.sendText("/start"));

    const summary = await bookHaircut(t, anna, "10:00", "Анна Петрова", "+79161234567");
    assert.match(summary, /Цена: 1\s500\s₽/);
    const annaBooking = getBooking(db, 1)!;
    assert.equal(annaBooking.priceMinor, 150000);

    // The owner raises the price in the services screen.
    await step(t, owner, () => owner.sendText("/admin"));
    await step(t, owner, () => owner.press("Услуги"));
    await step(t, owner, () => owner.press("Haircut"));
    await step(t, owner, () => owner.press("Цена"));
    assert.match(owner.lastMessage()!.text!, /Сейчас: 1500/);
    await step(t, owner, () => owner.sendText("2000"));
    assert.match(owner.lastMessage()!.text!, /Сохранено/);
    assert.equal(listBookableServices(db).find((s) => s.name === "Haircut")!.priceMinor, 200000);

    // A booking made after the change pays the new price.
    const boris = t.fake.user(102, { first_name: "Борис", language_code: "ru" });
    await step(t, boris, () => boris.sendText("/start"));
    const borisSummary = await bookHaircut(t, boris, "12:00", "Борис Иванов", "+79035550000");
    assert.match(borisSummary, /Цена: 2\s000\s₽/);

    // Revenue of the month: 1 500 + 2 000, not 2 × 2 000.
    await step(t, owner, () => owner.sendText("/admin"));
    let photo = owner.nextMessage((m) => m.kind === "photo");
    owner.press("Статистика");
    await photo;
    await t.idle();
    photo = owner.nextMessage((m) => m.kind === "photo");
    owner.press("Месяц");
    const month = (await photo).caption!;
    await t.idle();
    assert.match(month, /Статистика: Декабрь 2026/);
    assert.match(month, /Выручка: <b>3\s500\s₽<\/b>/);
    assert.match(month, /Haircut — 2 · 3\s500\s₽/);

    // The CSV export of December: each booking with its own price.
    await step(t, owner, () => owner.sendText("/admin"));
    await step(t, owner, () => owner.press("🗓 Записи"));
    await step(t, owner, () => owner.press("📤 Экспорт в CSV"));
    await step(t, owner, () => owner.press("📆 Свой период"));
    const doc = owner.nextMessage((m) => m.kind === "document");
    owner.sendText("01.12.2026 – 31.12.2026");
    const bytes = (await doc).document!.bytes!;
    await t.idle();
    const rows = parseCsv(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ""));
    const header = rows[0];
    const price = header.indexOf("Цена");
    const minutes = header.indexOf("Длительность, мин");
    assert.ok(price > 0 && minutes > 0, header.join(";"));
    const byClient = new Map(rows.slice(1).map((r) => [r[6], r]));
    assert.equal(byClient.get("Анна Петрова")![price], "1500");
    assert.equal(byClient.get("Борис Иванов")![price], "2000");
    assert.equal(byClient.get("Анна Петрова")![minutes], "60");

    // The admin's booking card.
    await step(t, owner, () => owner.press("⬅️ К записям"));
    await step(t, owner, () => owner.press("🔎 Найти клиента"));
    await step(t, owner, () => owner.sendText("+79161234567"));
    const card = await step(t, owner, () => owner.press(/Анна Петрова · Haircut/));
    assert.match(card.text!, /Запись №1/);
    assert.match(card.text!, /Цена: 1\s500\s₽/);
    assert.doesNotMatch(card.text!, /2\s000/);

    // The client's own card and calendar file say 1 500 too.
    await step(t, anna, () => anna.sendText("/my"));
    const mine = await step(t, anna, () => anna.press(/10:00/));
    assert.match(mine.text!, /Цена: 1\s500\s₽/);
    const ics = anna.messages().find((m) => m.kind === "document")!;
    assert.match(new TextDecoder().decode(ics.document!.bytes), /Цена: 1\\?\s?500/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

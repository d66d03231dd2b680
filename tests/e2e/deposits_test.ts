/**
 * Deposits through Telegram Payments: a service that asks for a deposit holds the slot while
 * the client pays, the payment books; an unpaid hold expires; a cancellation before the cutoff
 * owes the deposit back (the owners are told the charge id), after it the deposit is kept.
 */
import assert from "node:assert/strict";
import { Api } from "grammy";
import { depositOfBooking, getDeposit } from "../../src/db/deposits_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { serviceFigures } from "../../src/db/stats_repo.ts";
import { createJobContext, runTick } from "../../src/jobs/scheduler.ts";
import { parseCsv } from "../../src/domain/csv.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";

const OWNER = 900;
const TOKEN = { PAYMENT_PROVIDER_TOKEN: "381764678:TEST:deposits" };

async function tap(t: TestBot, u: FakeUser, match: Parameters<FakeUser["press"]>[0]) {
  u.press(match);
  await t.idle();
}

async function say(t: TestBot, u: FakeUser, text: string) {
  u.sendText(text);
  await t.idle();
}

/** Haircut asks for a 500 ₽ deposit. */
function haircutWithDeposit(t: TestBot): number {
  const deps = t.running.deps;
  const haircut = listBookableServices(deps.db).find((s) => s.name === "Haircut")!;
  deps.services.deposits.setTerms(haircut.id, { minor: 50000, percent: null }, OWNER);
  return haircut.id;
}

/** Goes through the dialog up to the summary of a haircut on Wed 2 December at `time`. */
async function toSummary(t: TestBot, u: FakeUser, time: string, name: string): Promise<string> {
  await say(t, u, "/book");
  await tap(t, u, "Haircut");
  await tap(t, u, (b) => b.data === "bd:2026-12-02");
  await tap(t, u, time);
  // A returning client's contact is remembered: the summary comes at once.
  if (u.lastMessage()!.text!.includes("Проверьте запись")) return u.lastMessage()!.text!;
  await say(t, u, name);
  u.sendContact("+79161234567");
  await t.idle();
  return u.lastMessage()!.text!;
}

/** The times offered for a haircut on Wed 2 December. */
async function offeredTimes(t: TestBot, u: FakeUser): Promise<string[]> {
  await say(t, u, "/book");
  await tap(t, u, "Haircut");
  await tap(t, u, (b) => b.data === "bd:2026-12-02");
  return u.buttons().map((b) => b.text);
}

/** Haircut asks for a deposit; Anna chooses Wed 10:00 and presses the pay button. */
async function annaGetsInvoice(t: TestBot): Promise<FakeUser> {
  haircutWithDeposit(t);
  const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
  await say(t, anna, "/start");
  await toSummary(t, anna, "10:00", "Анна Петрова");
  await tap(t, anna, "💳 Оплатить предоплату и записаться");
  return anna;
}

function jobs(t: TestBot) {
  return createJobContext({
    config: t.config,
    deps: t.running.deps,
    api: new Api(t.config.botToken!, { apiRoot: t.fake.apiRoot }),
    track: true,
    sleep: (ms) => Promise.resolve(t.clock.advance(ms)),
  });
}

Deno.test("e2e deposits: invoice, the slot held, payment books; a cancel in time owes it back", async () => {
  const t = await startTestBot({ adminIds: [OWNER], env: TOKEN });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await say(t, owner, "/start");
    haircutWithDeposit(t);
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await say(t, anna, "/start");
    const summary = await toSummary(t, anna, "10:00", "Анна Петрова");
    assert.match(summary, /Предоплата: 500\s₽/);
    assert.match(summary, /предоплату вернём/);
    assert.ok(!anna.buttons().some((b) => b.text === "✅ Подтвердить"));
    await tap(t, anna, "💳 Оплатить предоплату и записаться");

    const invoice = anna.lastInvoice()!.invoice!;
    assert.equal(invoice.currency, "RUB");
    assert.equal(invoice.total_amount, 50000);
    assert.equal(invoice.provider_token, TOKEN.PAYMENT_PROVIDER_TOKEN);
    assert.match(invoice.payload, /^deposit:\d+$/);
    assert.ok(anna.messages().some((m) => m.text?.includes("держим за вами 15 мин")));
    const db = t.running.deps.db;
    assert.equal(db.prepare("SELECT count(*) AS n FROM bookings").get()!.n, 0, "not booked yet");

    // While Anna pays, nobody else is offered 10:00.
    const boris = t.fake.user(102, { first_name: "Борис", language_code: "ru" });
    await say(t, boris, "/start");
    const times = await offeredTimes(t, boris);
    assert.ok(times.includes("11:00") && !times.includes("10:00"), times.join(", "));

    const { answer, payment } = await anna.pay();
    assert.equal(answer.ok, true);
    await t.idle();
    assert.ok(payment);
    const done = anna.messages().map((m) => m.text ?? "").find((x) => x.includes("Вы записаны"));
    assert.match(done ?? "", /Предоплата 500\s₽ получена[\s\S]*Вы записаны/);
    const booking = db.prepare("SELECT id, status FROM bookings").get()!;
    assert.equal(booking.status, "active");
    const deposit = depositOfBooking(db, Number(booking.id))!;
    assert.equal(deposit.status, "paid");
    assert.equal(deposit.telegramChargeId, payment.telegram_payment_charge_id);
    assert.equal(deposit.providerChargeId, payment.provider_payment_charge_id);

    // Anna cancels more than 24 hours before: the deposit is due back; the owner is told.
    await say(t, anna, "/my");
    await tap(t, anna, (b) => b.text.includes("10:00 · Haircut"));
    await tap(t, anna, "Отменить запись");
    await tap(t, anna, "Да, отменить");
    await t.running.deps.outbox?.deliver();
    await t.idle();
    assert.equal(getDeposit(db, deposit.id)!.status, "refund_due");
    const told = owner.messages().map((m) => m.text ?? "").find((x) => x.includes("вернуть"));
    assert.ok(told, owner.messages().map((m) => m.text).join("\n---\n"));
    assert.ok(told.includes(payment.telegram_payment_charge_id), told);
    assert.match(told, /500\s₽/);

    // The owner refunds it through the provider and marks it in /admin.
    await say(t, owner, "/admin");
    await tap(t, owner, "💳 Предоплаты");
    assert.match(owner.lastMessage()!.text!, /К возврату: 1/);
    assert.ok(owner.lastMessage()!.text!.includes(payment.telegram_payment_charge_id));
    await tap(t, owner, (b) => b.text.startsWith("↩️ Вернули 500"));
    assert.match(owner.lastMessage()!.text!, /Возврат отмечен[\s\S]*К возврату: 0/);
    assert.equal(getDeposit(db, deposit.id)!.status, "refunded");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e deposits: an unpaid hold expires, the slot is offered again, a late pre-checkout is refused", async () => {
  const t = await startTestBot({ adminIds: [OWNER], env: TOKEN });
  try {
    const anna = await annaGetsInvoice(t);
    assert.ok(anna.lastInvoice());

    const boris = t.fake.user(102, { first_name: "Борис", language_code: "ru" });
    await say(t, boris, "/start");
    assert.ok(!(await offeredTimes(t, boris)).includes("10:00"));

    // 16 minutes later, before the job has run: the hold is over, the payment is refused.
    t.clock.advance(16 * 60_000);
    const early = await anna.pay();
    assert.equal(early.answer.ok, false);
    assert.equal(early.payment, undefined);

    await runTick(jobs(t));
    assert.ok((await offeredTimes(t, boris)).includes("10:00"), "offered again");

    const { answer, payment } = await anna.pay();
    assert.equal(answer.ok, false);
    assert.equal(answer.error_message, "Время брони истекло. Пожалуйста, выберите время заново.");
    assert.equal(payment, undefined);
    assert.equal(t.running.deps.db.prepare("SELECT count(*) AS n FROM bookings").get()!.n, 0);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e deposits: cancelled after the cutoff, the deposit is kept", async () => {
  const t = await startTestBot({ adminIds: [OWNER], env: TOKEN });
  try {
    const anna = await annaGetsInvoice(t);
    await anna.pay();
    await t.idle();
    const db = t.running.deps.db;
    const id = Number(db.prepare("SELECT id FROM bookings").get()!.id);
    assert.equal(depositOfBooking(db, id)!.status, "paid");

    t.clock.set("2026-12-02T05:00:00Z"); // Wed 08:00 Moscow: two hours before
    t.running.deps.bookings.cancelBooking(id, { userId: OWNER, isAdmin: true }, "called");
    assert.equal(depositOfBooking(db, id)!.status, "kept");
    // The kept deposit is the revenue of the cancelled visit.
    const month = serviceFigures(db, Date.parse("2026-12-01T00:00:00Z"), Date.parse("2027-01-01"));
    assert.equal(month.find((f) => f.name === "Haircut")!.revenueMinor, 50000);

    // ...and it is in the CSV export, in its own column.
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await say(t, owner, "/start");
    await say(t, owner, "/admin");
    await tap(t, owner, "🗓 Записи");
    await tap(t, owner, "📤 Экспорт в CSV");
    await tap(t, owner, "📆 Свой период");
    await say(t, owner, "01.12.2026 – 31.12.2026");
    const doc = owner.messages().findLast((m) => m.kind === "document")!;
    const text = new TextDecoder().decode(doc.document!.bytes).replace(/^\uFEFF/, "");
    const rows = parseCsv(text);
    const column = rows[0].indexOf("Предоплата");
    assert.ok(column > 0, rows[0].join(";"));
    assert.equal(rows[1][column], "500");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e deposits: without PAYMENT_PROVIDER_TOKEN nothing changes", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    haircutWithDeposit(t);
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await say(t, anna, "/start");
    const summary = await toSummary(t, anna, "10:00", "Анна Петрова");
    assert.doesNotMatch(summary, /Предоплата/);
    await tap(t, anna, "✅ Подтвердить");
    assert.ok(anna.messages().some((m) => m.text?.includes("Вы записаны")));
    assert.equal(anna.lastInvoice(), undefined);
    // Owners see no deposits section.
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await say(t, owner, "/start");
    await say(t, owner, "/admin");
    assert.ok(!owner.buttons().some((b) => b.text.includes("Предоплаты")));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e deposits: owners set a service's deposit and the no-shows policy in /admin", async () => {
  const t = await startTestBot({ adminIds: [OWNER], env: TOKEN });
  try {
    const owner = t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" });
    await say(t, owner, "/start");
    await say(t, owner, "/admin");
    await tap(t, owner, "💳 Предоплаты");
    assert.match(owner.lastMessage()!.text!, /Кто платит: все клиенты/);
    await tap(t, owner, "Haircut: нет");
    await say(t, owner, "30%");
    assert.match(owner.lastMessage()!.text!, /Сохранено[\s\S]*Haircut: 30% цены/);
    await tap(t, owner, "Haircut: 30% цены");
    await say(t, owner, "500");
    assert.match(owner.lastMessage()!.text!, /Haircut: 500\s₽/);
    await tap(t, owner, "После неявок");
    await say(t, owner, "1");
    assert.match(owner.lastMessage()!.text!, /1 и более неявок за 12 месяцев/);

    // Anna never missed a visit: no deposit. After a no-show she must pay one.
    const anna = t.fake.user(101, { first_name: "Анна", language_code: "ru" });
    await say(t, anna, "/start");
    const before = await toSummary(t, anna, "10:00", "Анна Петрова");
    assert.doesNotMatch(before, /Предоплата/);
    const deps = t.running.deps;
    const haircut = listBookableServices(deps.db).find((s) => s.name === "Haircut")!;
    const missed = deps.bookings.createBooking({
      userId: 101,
      serviceId: haircut.id,
      staff: 1,
      start: Date.parse("2026-12-02T12:00:00Z"),
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
    deps.bookings.setStatus(missed.id, { userId: OWNER, isAdmin: true }, "no_show");
    const after = await toSummary(t, anna, "11:00", "Анна Петрова");
    assert.match(after, /Предоплата: 500\s₽/);
    assert.ok(anna.buttons().some((b) => b.text === "💳 Оплатить предоплату и записаться"));
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/**
 * The waitlist with one-tap claim (issue 13): a full day; client B joins the waitlist; client
 * A cancels; B gets the offer and takes the time with one press. With two waiting, the first
 * one's hold runs out on the clock and the second gets it. A claim of a time someone booked
 * meanwhile is refused and the wait is kept. Buttons are pressed by their Russian labels.
 */
import assert from "node:assert/strict";
import { Api } from "grammy";
import { type Booking, listBookingsBetween } from "../../src/db/bookings_repo.ts";
import { rememberContact, upsertUser } from "../../src/db/users_repo.ts";
import { getWait } from "../../src/db/waitlist_repo.ts";
import { createJobContext, runTick } from "../../src/jobs/scheduler.ts";
import type { FakeUser } from "../support/fake_bot_api.ts";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";

const ANNA = 101;
const BORIS = 102;
const CLARA = 103;
const WED = "2026-12-02";
/** 10:00 Moscow on Wednesday 2 December 2026. */
const WED_10 = Date.parse("2026-12-02T07:00:00Z");

/** Anna's Haircut at 10:00, then everyone else's until Wednesday has no free time left. */
function fillWednesday(t: TestBot): Booking {
  const { db, bookings, clock } = t.running.deps;
  const base = { serviceId: 1, staff: 1, phone: "+79161234567" } as const;
  const anna = bookings.createBooking({ ...base, userId: ANNA, start: WED_10, clientName: "Анна" });
  for (let id = 200;; id++) {
    const free = bookings.freeSlots(1, 1, Temporal.PlainDate.from(WED));
    if (free.length === 0) break;
    upsertUser(db, { id, first_name: `Client${id}` }, clock.now());
    bookings.createBooking({ ...base, userId: id, start: free[0].start, clientName: "Гость" });
  }
  return anna;
}

async function meet(t: TestBot, id: number, name: string): Promise<FakeUser> {
  const u = t.fake.user(id, { first_name: name, language_code: "ru" });
  u.sendText("/start");
  await t.idle();
  return u;
}

/** The client opens Wednesday, finds it full and asks to be told when a time frees up. */
async function joinWaitlist(t: TestBot, u: FakeUser): Promise<void> {
  u.sendText("/book");
  await t.idle();
  u.press("Haircut");
  await t.idle();
  u.press((b) => b.data === `bd:${WED}`);
  await t.idle();
  assert.match(u.lastMessage()!.text!, /свободного времени не осталось/);
  u.press("🔔 Сообщить, если освободится");
  await t.idle();
  assert.match(u.lastMessage()!.text!, /Какое время вам удобно/);
  u.press("Любое время");
  await t.idle();
  assert.match(u.lastMessage()!.text!, /вы в листе ожидания/);
}

/** Anna cancels her 10:00 in "Мои записи". */
async function annaCancels(t: TestBot, anna: FakeUser): Promise<void> {
  anna.sendText("/my");
  await t.idle();
  anna.press(/10:00 · Haircut/);
  await t.idle();
  anna.press("❌ Отменить запись");
  await t.idle();
  anna.press("Да, отменить");
  await t.idle();
}

function offerOf(u: FakeUser) {
  return u.messages().findLast((m) => /Освободилось время/.test(m.text ?? ""));
}

function activeAt(t: TestBot, start: number): Booking[] {
  return listBookingsBetween(t.running.deps.db, { from: start, to: start + 1, status: "active" });
}

function jobsOf(t: TestBot) {
  return createJobContext({
    config: t.config,
    deps: t.running.deps,
    api: new Api(t.config.botToken!, { apiRoot: t.fake.apiRoot }),
    sleep: (ms) => Promise.resolve(t.clock.advance(ms)),
  });
}

async function setUp() {
  const t = await startTestBot({ adminIds: [900] });
  const anna = await meet(t, ANNA, "Анна");
  const boris = await meet(t, BORIS, "Борис");
  const clara = await meet(t, CLARA, "Клара");
  const now = t.clock.now();
  rememberContact(t.running.deps.db, BORIS, "Борис", "+79160000002", now);
  rememberContact(t.running.deps.db, CLARA, "Клара", "+79160000003", now);
  fillWednesday(t);
  return { t, anna, boris, clara };
}

Deno.test("e2e waitlist: a full day, B waits, A cancels, B takes the time with one press", async () => {
  const { t, anna, boris } = await setUp();
  try {
    await joinWaitlist(t, boris);
    // "Мои записи" shows the wait.
    boris.sendText("/my");
    await t.idle();
    assert.match(boris.lastMessage()!.text!, /Лист ожидания:[\s\S]*Haircut — Любое время/);

    await annaCancels(t, anna);
    const offer = offerOf(boris);
    assert.ok(offer, "Boris got the offer");
    assert.match(offer.text!, /Haircut[\s\S]*10:00[\s\S]*Держим его для вас до 09:15/);
    boris.press("Занять 10:00");
    await t.idle();
    assert.ok(boris.messages().some((m) => /Готово, вы записаны/.test(m.text ?? "")));
    assert.equal(
      boris.lastMessage()!.kind,
      "document",
      "then the calendar file, as for any booking",
    );
    const taken = activeAt(t, WED_10);
    assert.equal(taken.length, 1);
    assert.equal(taken[0].userId, BORIS);
    assert.equal(taken[0].phone, "+79160000002");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e waitlist: the first one's hold runs out on the clock and the second gets the time", async () => {
  const { t, anna, boris, clara } = await setUp();
  try {
    await joinWaitlist(t, boris);
    await joinWaitlist(t, clara);
    await annaCancels(t, anna);
    assert.ok(offerOf(boris), "the first in line is offered the time");
    assert.equal(offerOf(clara), undefined, "one at a time");

    const jobs = jobsOf(t);
    t.clock.advance(14 * 60_000);
    await runTick(jobs);
    assert.equal(offerOf(clara), undefined, "still held for Boris");
    t.clock.advance(2 * 60_000);
    await runTick(jobs);
    await t.idle();
    assert.ok(offerOf(clara), "the hold ran out: Clara is offered the time");

    boris.press("Занять 10:00");
    await t.idle();
    assert.match(boris.lastMessage()!.text!, /предложение больше не действует/);
    clara.press("Занять 10:00");
    await t.idle();
    assert.ok(clara.messages().some((m) => /Готово, вы записаны/.test(m.text ?? "")));
    assert.equal(activeAt(t, WED_10)[0].userId, CLARA);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e waitlist: a time booked meanwhile is refused and the wait is kept", async () => {
  const { t, anna, boris } = await setUp();
  try {
    await joinWaitlist(t, boris);
    await annaCancels(t, anna);
    assert.ok(offerOf(boris));
    // Someone books 10:00 the ordinary way before Boris presses.
    const { bookings } = t.running.deps;
    bookings.createBooking({
      userId: CLARA,
      serviceId: 1,
      staff: 1,
      start: WED_10,
      clientName: "Клара",
      phone: "+79160000003",
    });
    boris.press("Занять 10:00");
    await t.idle();
    assert.match(
      boris.lastMessage()!.text!,
      /Это время уже заняли\. Вы остаётесь в листе ожидания/,
    );
    assert.equal(activeAt(t, WED_10).length, 1, "never double-booked");
    assert.equal(activeAt(t, WED_10)[0].userId, CLARA);
    const wait = t.running.deps.services.waitlist.mine(BORIS);
    assert.equal(wait.length, 1);
    assert.equal(getWait(t.running.deps.db, wait[0].id)!.status, "waiting");

    // Admins see who waits on the day; the morning agenda says how many.
    const owner = await meet(t, 900, "Owner");
    owner.sendText("/admin");
    await t.idle();
    owner.pressData(`abd:${WED}:0`);
    await t.idle();
    assert.match(
      owner.lastMessage()!.text!,
      /Ждут, если освободится: 1\n• Борис · Haircut · Любое время/,
    );
    t.clock.set("2026-12-02T08:05:00+03:00");
    await runTick(jobsOf(t));
    const agenda = owner.messages().findLast((m) => /Записи на сегодня/.test(m.text ?? ""));
    assert.match(agenda!.text!, /В листе ожидания на сегодня: 1/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/**
 * No-shows (issue 13): after a visit's end an admin marks "didn't come" with one press on the
 * card; before the end the mark is refused; the statistics show the no-show rate (of the visits
 * that were due: completed and no-show).
 */
import assert from "node:assert/strict";
import { prepareCharts } from "../../src/ops/chart.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { buttonsOf } from "../support/fake_bot_api.ts";
import { assertNoErrors, startTestBot } from "../support/harness.ts";

const OWNER = 900;
/** 10:00 and 12:00 Moscow on Wednesday 2 December 2026. */
const WED_10 = Date.parse("2026-12-02T07:00:00Z");
const WED_12 = Date.parse("2026-12-02T09:00:00Z");

Deno.test("e2e no-shows: one press after the end, refused before it, rate in statistics", async () => {
  await prepareCharts();
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" }).sendText("/start");
    t.fake.user(101, { first_name: "Анна", language_code: "ru" }).sendText("/start");
    await t.idle();
    const engine = t.running.deps.bookings;
    const base = { userId: 101, serviceId: 1, staff: 1, clientName: "Анна", phone: "+79161234567" };
    const came = engine.createBooking({ ...base, start: WED_10 });
    const missed = engine.createBooking({ ...base, start: WED_12 });
    // A cancelled visit was never due: it does not count in the rate.
    const dropped = engine.createBooking({ ...base, start: WED_12 + 3 * 3_600_000 });
    engine.cancelBooking(dropped.id, { userId: OWNER, isAdmin: true }, null);
    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();

    // Before the end: no button on the card, and a forged press is refused.
    owner.pressData(`abc:${missed.id}`);
    await t.idle();
    assert.ok(!buttonsOf(owner.lastMessage()).some((b) => b.text === "⚪️ Не пришёл"));
    owner.pressData(`abu:${missed.id}:no_show`);
    await t.idle();
    assert.match(owner.lastMessage()!.text!, /Визит ещё не закончился/);
    assert.equal(getBooking(t.running.deps.db, missed.id)!.status, "active");

    t.clock.set("2026-12-02T18:00:00+03:00");
    engine.setStatus(came.id, { userId: OWNER, isAdmin: true }, "completed");
    owner.pressData(`abc:${missed.id}`);
    await t.idle();
    owner.press("⚪️ Не пришёл");
    await t.idle();
    assert.equal(getBooking(t.running.deps.db, missed.id)!.status, "no_show");
    assert.match(owner.lastMessage()!.text!, /неявка/);

    owner.sendText("/admin");
    await t.idle();
    owner.press("Статистика");
    await t.idle();
    owner.press("Всё время");
    await t.idle();
    const caption = owner.messages().findLast((m) => m.kind === "photo")!.caption!;
    assert.match(caption, /Неявок: 1\n/);
    assert.match(caption, /Доля неявок: <b>50\s?%<\/b>/);
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

Deno.test("e2e no-shows: from the day agenda, only beside visits that have ended", async () => {
  const t = await startTestBot({ adminIds: [OWNER] });
  try {
    t.fake.user(OWNER, { first_name: "Owner", language_code: "ru" }).sendText("/start");
    t.fake.user(101, { first_name: "Анна", language_code: "ru" }).sendText("/start");
    await t.idle();
    const engine = t.running.deps.bookings;
    const base = { userId: 101, serviceId: 1, staff: 1, clientName: "Анна", phone: "+79161234567" };
    const ended = engine.createBooking({ ...base, start: WED_10 });
    const later = engine.createBooking({ ...base, start: WED_12 });
    t.clock.set("2026-12-02T11:30:00+03:00");
    const owner = t.fake.user(OWNER);
    owner.sendText("/admin");
    await t.idle();
    owner.pressData("abd:2026-12-02:0");
    await t.idle();
    const marks = buttonsOf(owner.lastMessage()).filter((b) => b.text === "⚪️ Не пришёл");
    assert.equal(marks.length, 1, "only the visit that has ended");
    owner.press("⚪️ Не пришёл");
    await t.idle();
    assert.equal(getBooking(t.running.deps.db, ended.id)!.status, "no_show");
    assert.equal(getBooking(t.running.deps.db, later.id)!.status, "active");
    assertNoErrors(t);
  } finally {
    await t.close();
  }
});

/**
 * The waitlist's rules (issue 13) on the real service of a running bot: at most 3 waits per
 * client and one per wish, the part of the day, waits ending with their day, leaving the list.
 */
import assert from "node:assert/strict";
import { getWait } from "../../src/db/waitlist_repo.ts";
import { fitsPart, WaitlistError } from "../../src/services/waitlist.ts";
import { startTestBot } from "../support/harness.ts";

const BORIS = 102;

Deno.test("waitlist rules: 3 waits at most, one per wish, leave, expire with the day", async () => {
  const t = await startTestBot();
  try {
    t.fake.user(BORIS, { first_name: "Борис", language_code: "ru" }).sendText("/start");
    await t.idle();
    const waitlist = t.running.deps.services.waitlist;
    const wish = (day: string) => ({
      userId: BORIS,
      serviceId: 1,
      staffId: null,
      day,
      part: "any" as const,
    });
    const first = waitlist.join(wish("2026-12-02"));
    assert.throws(
      () => waitlist.join(wish("2026-12-02")),
      (e) => e instanceof WaitlistError && e.code === "duplicate",
    );
    waitlist.join(wish("2026-12-03"));
    waitlist.join(wish("2026-12-04"));
    assert.throws(
      () => waitlist.join(wish("2026-12-07")),
      (e) => e instanceof WaitlistError && e.code === "limit",
    );
    waitlist.leave(BORIS, first);
    assert.equal(getWait(t.running.deps.db, first)!.status, "left");
    assert.throws(
      () => waitlist.leave(999, first + 1),
      (e) => e instanceof WaitlistError && e.code === "not_found",
    );
    const fourth = waitlist.join(wish("2026-12-07"));
    assert.equal(waitlist.mine(BORIS).length, 3);

    t.clock.set("2026-12-04T00:30:00+03:00"); // Friday: the waits of Wednesday and Thursday end
    waitlist.sweep();
    assert.deepEqual(waitlist.mine(BORIS).map((w) => w.day), ["2026-12-04", "2026-12-07"]);
    assert.equal(waitlist.mine(BORIS).at(-1)!.id, fourth);
    assert.equal(getWait(t.running.deps.db, first + 1)!.status, "expired", "Thursday's wait ended");
  } finally {
    await t.close();
  }
});

Deno.test("waitlist rules: the parts of the day", () => {
  assert.ok(fitsPart("morning", 9) && !fitsPart("morning", 12));
  assert.ok(fitsPart("afternoon", 12) && fitsPart("afternoon", 16) && !fitsPart("afternoon", 17));
  assert.ok(fitsPart("evening", 17) && !fitsPart("evening", 16));
  assert.ok(fitsPart("any", 0) && fitsPart("any", 23));
});

Deno.test("waitlist rules: a freed morning time is offered to the morning wish, not the evening one", async () => {
  const t = await startTestBot();
  try {
    for (const id of [102, 103]) t.fake.user(id, { first_name: `C${id}` }).sendText("/start");
    await t.idle();
    const { bookings, db } = t.running.deps;
    const wed = Temporal.PlainDate.from("2026-12-02");
    const base = {
      userId: 102,
      serviceId: 1,
      staff: 1,
      clientName: "Гость",
      phone: "+79161234567",
    };
    const made = [];
    for (
      let free = bookings.freeSlots(1, 1, wed);
      free.length;
      free = bookings.freeSlots(1, 1, wed)
    ) {
      made.push(bookings.createBooking({ ...base, start: free[0].start }));
    }
    const waitlist = t.running.deps.services.waitlist;
    const evening = waitlist.join({
      userId: 102,
      serviceId: 1,
      staffId: null,
      day: "2026-12-02",
      part: "evening",
    });
    const morning = waitlist.join({
      userId: 103,
      serviceId: 1,
      staffId: 1,
      day: "2026-12-02",
      part: "morning",
    });
    bookings.cancelBooking(made[0].id, { userId: 102, isAdmin: true }, null); // the first morning time
    assert.equal(waitlist.sweep(), 1);
    assert.equal(getWait(db, evening)!.status, "waiting");
    assert.equal(getWait(db, morning)!.status, "offered");
    assert.equal(getWait(db, morning)!.offerStart, made[0].start);
  } finally {
    await t.close();
  }
});

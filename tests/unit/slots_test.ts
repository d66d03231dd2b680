import assert from "node:assert/strict";
import {
  type BookingRules,
  dayState,
  DEFAULT_RULES,
  freeSlots,
  slotProblem,
  type SlotQuery,
} from "../../src/domain/slots.ts";
import { canClientChange } from "../../src/domain/policies.ts";

const MOSCOW = "Europe/Moscow";
const BERLIN = "Europe/Berlin";
const at = (iso: string) => Date.parse(iso);
const rules = (over: Partial<BookingRules> = {}): BookingRules => ({
  ...DEFAULT_RULES,
  minNoticeMinutes: 0,
  ...over,
});

function query(over: Partial<SlotQuery> = {}): SlotQuery {
  return {
    date: Temporal.PlainDate.from("2026-12-01"), // a Tuesday
    timeZone: MOSCOW,
    durationMinutes: 60,
    schedule: { hours: { start: 9 * 60, end: 18 * 60 }, breaks: [], dayOff: false },
    busy: [],
    bookingsThatDay: 0,
    rules: rules(),
    now: at("2026-11-25T09:00:00Z"),
    ...over,
  };
}

const labels = (q: SlotQuery) => freeSlots(q).map((s) => s.label);

Deno.test("slots: a plain day offers every step from opening to the last fitting start", () => {
  const l = labels(query());
  assert.equal(l[0], "09:00");
  assert.equal(l.at(-1), "17:00");
  assert.equal(l.length, 17);
});

Deno.test("slots: instants are in the business time zone", () => {
  const first = freeSlots(query())[0];
  assert.equal(new Date(first.start).toISOString(), "2026-12-01T06:00:00.000Z");
  assert.equal(first.end - first.start, 60 * 60_000);
});

Deno.test("slots: a break removes every slot that overlaps it", () => {
  const q = query({
    schedule: {
      hours: { start: 540, end: 1080 },
      breaks: [{ start: 13 * 60, end: 14 * 60 }],
      dayOff: false,
    },
  });
  const l = labels(q);
  assert.ok(l.includes("12:00"));
  assert.ok(!l.includes("12:30")); // 12:30-13:30 overlaps the break
  assert.ok(!l.includes("13:00"));
  assert.ok(!l.includes("13:30"));
  assert.ok(l.includes("14:00"));
});

Deno.test("slots: a 90-minute booking blocks everything it overlaps, for any duration", () => {
  const busy = [{ start: at("2026-12-01T07:00:00Z"), end: at("2026-12-01T08:30:00Z") }]; // 10:00-11:30
  const l60 = labels(query({ busy }));
  assert.ok(l60.includes("09:00")); // 09:00-10:00 touches, does not overlap
  assert.ok(!l60.includes("09:30"));
  assert.ok(!l60.includes("10:00"));
  assert.ok(!l60.includes("11:00"));
  assert.ok(l60.includes("11:30"));
  const l30 = labels(query({ busy, durationMinutes: 30 }));
  assert.ok(l30.includes("09:30"));
  assert.ok(!l30.includes("11:00"));
  const l120 = labels(query({ busy, durationMinutes: 120 }));
  assert.ok(!l120.includes("08:30"));
  assert.ok(!l120.includes("09:00")); // 09:00-11:00 overlaps
  assert.equal(l120.at(-1), "16:00");
});

Deno.test("slots: minimum notice hides slots starting too soon, today", () => {
  const q = query({
    date: Temporal.PlainDate.from("2026-11-25"),
    now: at("2026-11-25T08:10:00Z"), // 11:10 Moscow
    rules: rules({ minNoticeMinutes: 60 }),
  });
  assert.equal(labels(q)[0], "12:30");
  assert.equal(slotProblem(q, at("2026-11-25T09:00:00Z")), "too_soon"); // 12:00
  assert.equal(slotProblem(q, at("2026-11-25T09:30:00Z")), undefined);
  assert.equal(slotProblem(q, at("2026-11-25T07:00:00Z")), "in_past");
});

Deno.test("slots: booking 'now' is impossible even with zero notice", () => {
  const now = at("2026-11-25T09:00:00Z"); // 12:00 Moscow, exactly a slot start
  const q = query({ date: Temporal.PlainDate.from("2026-11-25"), now });
  assert.ok(!freeSlots(q).some((s) => s.start < now));
  assert.equal(slotProblem(q, now), "in_past");
});

Deno.test("slots: past days, days beyond the horizon, days off and closed days offer nothing", () => {
  assert.equal(dayState(query({ date: Temporal.PlainDate.from("2026-11-24") })), "past");
  const horizon = query({ rules: rules({ horizonDays: 6 }) });
  assert.equal(dayState(horizon), "open"); // 25 Nov + 6 = 1 Dec
  assert.equal(
    dayState({ ...horizon, date: Temporal.PlainDate.from("2026-12-02") }),
    "beyond_horizon",
  );
  assert.equal(labels({ ...horizon, date: Temporal.PlainDate.from("2026-12-02") }).length, 0);
  const off = query({ schedule: { hours: { start: 540, end: 1080 }, breaks: [], dayOff: true } });
  assert.equal(dayState(off), "day_off");
  assert.equal(labels(off).length, 0);
  const closed = query({ schedule: { breaks: [], dayOff: false } });
  assert.equal(dayState(closed), "closed");
});

Deno.test("slots: the daily maximum closes the day once reached", () => {
  const q = query({ rules: rules({ maxBookingsPerDay: 3 }), bookingsThatDay: 2 });
  assert.ok(labels(q).length > 0);
  const full = { ...q, bookingsThatDay: 3 };
  assert.equal(dayState(full), "full");
  assert.equal(labels(full).length, 0);
  assert.equal(slotProblem(full, freeSlots(q)[0].start), "day_full");
});

Deno.test("slots: slot step 15 and a 45-minute service fit the grid", () => {
  const l = labels(query({ durationMinutes: 45, rules: rules({ slotStepMinutes: 15 }) }));
  assert.equal(l[1], "09:15");
  assert.equal(l.at(-1), "17:15");
});

Deno.test("slots: taken and off-grid starts are refused with the reason", () => {
  const busy = [{ start: at("2026-12-01T07:00:00Z"), end: at("2026-12-01T08:00:00Z") }];
  const q = query({ busy });
  assert.equal(slotProblem(q, at("2026-12-01T07:00:00Z")), "slot_taken");
  assert.equal(slotProblem(q, at("2026-12-01T11:10:00Z")), "closed"); // 14:10, off the grid
  assert.equal(slotProblem(q, at("2026-12-01T15:00:00Z")), "closed"); // 18:00, after hours
  assert.equal(slotProblem(q, at("2026-12-01T06:00:00Z")), undefined);
});

Deno.test("DST: Berlin spring-forward day keeps every business slot at its wall-clock time", () => {
  const date = Temporal.PlainDate.from("2027-03-28"); // clocks go 02:00 -> 03:00
  const slots = freeSlots(query({ date, timeZone: BERLIN, now: at("2027-03-01T00:00:00Z") }));
  assert.equal(slots.length, 17);
  assert.equal(new Date(slots[0].start).toISOString(), "2027-03-28T07:00:00.000Z"); // 09:00 CEST
  const starts = new Set(slots.map((s) => s.start));
  assert.equal(starts.size, slots.length);
  for (let i = 1; i < slots.length; i++) {
    assert.equal(slots[i].start - slots[i - 1].start, 1_800_000);
  }
});

Deno.test("DST: a night business on the spring-forward day has no slot in the gap, none doubled", () => {
  const date = Temporal.PlainDate.from("2027-03-28");
  const q = query({
    date,
    timeZone: BERLIN,
    durationMinutes: 60,
    rules: rules({ slotStepMinutes: 60 }),
    schedule: { hours: { start: 0, end: 6 * 60 }, breaks: [], dayOff: false },
    now: at("2027-03-01T00:00:00Z"),
  });
  const slots = freeSlots(q);
  assert.deepEqual(slots.map((s) => s.label), ["00:00", "01:00", "03:00", "04:00", "05:00"]);
  // Every slot lasts exactly one real hour and none overlaps the next.
  for (let i = 1; i < slots.length; i++) assert.ok(slots[i].start >= slots[i - 1].end);
});

Deno.test("DST: the fall-back day offers each wall-clock time once, at its first occurrence", () => {
  const date = Temporal.PlainDate.from("2026-10-25"); // clocks go 03:00 -> 02:00
  const q = query({
    date,
    timeZone: BERLIN,
    rules: rules({ slotStepMinutes: 60 }),
    schedule: { hours: { start: 0, end: 6 * 60 }, breaks: [], dayOff: false },
    now: at("2026-10-01T00:00:00Z"),
  });
  const slots = freeSlots(q);
  assert.deepEqual(slots.map((s) => s.label), [
    "00:00",
    "01:00",
    "02:00",
    "03:00",
    "04:00",
    "05:00",
  ]);
  assert.equal(new Date(slots[2].start).toISOString(), "2026-10-25T00:00:00.000Z"); // 02:00 CEST
  assert.equal(new Date(slots[3].start).toISOString(), "2026-10-25T02:00:00.000Z"); // 03:00 CET
  assert.equal(new Set(slots.map((s) => s.start)).size, 6);
});

Deno.test("DST: Berlin fall-back day business hours shift offset, not wall-clock", () => {
  const date = Temporal.PlainDate.from("2026-10-25");
  const slots = freeSlots(query({ date, timeZone: BERLIN, now: at("2026-10-01T00:00:00Z") }));
  assert.equal(slots.length, 17);
  assert.equal(new Date(slots[0].start).toISOString(), "2026-10-25T08:00:00.000Z"); // 09:00 CET
});

Deno.test("policy: cancellation allowed at exactly the cutoff, refused a millisecond later", () => {
  const start = at("2026-12-01T10:00:00Z");
  assert.equal(canClientChange(start, at("2026-11-30T10:00:00Z"), 24), true);
  assert.equal(canClientChange(start, at("2026-11-30T10:00:00.001Z"), 24), false);
  assert.equal(canClientChange(start, at("2026-11-30T09:59:59.999Z"), 24), true);
  assert.equal(canClientChange(start, at("2026-12-01T09:00:00Z"), 0), true);
  assert.equal(canClientChange(start, at("2026-12-01T10:00:00.001Z"), 0), false);
});

Deno.test("slots: a limit returns the first free slots only, after the same skips", () => {
  const busy = [{ start: at("2026-12-01T06:00:00Z"), end: at("2026-12-01T07:30:00Z") }];
  const q = query({
    busy,
    schedule: { hours: { start: 9 * 60, end: 18 * 60 }, breaks: [], dayOff: false },
  });
  const all = freeSlots(q);
  assert.deepEqual(freeSlots(q, 1), all.slice(0, 1));
  assert.deepEqual(freeSlots(q, 3).map((s) => s.label), ["10:30", "11:00", "11:30"]);
  assert.deepEqual(freeSlots(q, 100), all);
});

import assert from "node:assert/strict";
import { parseDay } from "../../src/domain/date_input.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { parsePriceMinor, parseTimeRange, parseWholeNumber } from "../../src/domain/admin_input.ts";
import { findConflicts, scheduleConflict } from "../../src/domain/schedule_conflicts.ts";
import type { DaySchedule } from "../../src/domain/slots.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { getBooking } from "../../src/db/bookings_repo.ts";
import { listBreaks, listWorkingHours } from "../../src/db/schedule_repo.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";
import { listActiveStaff } from "../../src/db/staff_repo.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import {
  CatalogError,
  createService,
  setServiceDeletedState,
  updateService,
} from "../../src/services/catalog.ts";
import {
  addDayOffEntry,
  addStaffMember,
  addWeekdayBreak,
  removeDayOffEntry,
  ScheduleError,
  setBookingRule,
  setStaffMemberActive,
  setWeekdayHours,
  upcomingDaysOff,
} from "../../src/services/schedule_admin.ts";
import { conflictingBookings } from "../../src/services/schedule_coverage.ts";

const TZ = "Europe/Moscow";
const NOW = Date.parse("2026-12-01T06:00:00Z"); // Tue 09:00 Moscow
const WED = Temporal.PlainDate.from("2026-12-02");
const act = { actorId: 900, now: NOW };

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "schedule-admin-" });
  const path = `${dir}/booking.db`;
  const db = openMigrated(path, NOW);
  loadDemoData(db, NOW);
  upsertUser(db, { id: 101, first_name: "Anna" }, NOW);
  const clock = new FakeClock(NOW);
  const engine = new BookingService(db, clock, TZ);
  const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!.id;
  const book = (iso: string, staff: number | "any" = "any") =>
    engine.createBooking({
      userId: 101,
      serviceId: haircut,
      staff,
      start: Date.parse(iso),
      clientName: "Анна Петрова",
      phone: "+79161234567",
    });
  return {
    db,
    path,
    engine,
    haircut,
    book,
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScheduleError || error instanceof CatalogError) return error.code;
    throw error;
  }
  return "ok";
}

// ---------------------------------------------------------------------------
// Pure parts
// ---------------------------------------------------------------------------

Deno.test("admin input: prices, time ranges, dates and numbers parse or say why not", () => {
  assert.deepEqual(parsePriceMinor("1500"), { ok: true, value: 150000 });
  assert.deepEqual(parsePriceMinor("1500.50"), { ok: true, value: 150050 });
  assert.deepEqual(parsePriceMinor("1 500,5 ₽"), { ok: true, value: 150050 });
  assert.deepEqual(parsePriceMinor("skip"), { ok: true, value: null });
  assert.deepEqual(parsePriceMinor("Пропустить"), { ok: true, value: null });
  assert.deepEqual(parsePriceMinor("abc"), { ok: false, problem: "price_format" });
  assert.deepEqual(parsePriceMinor("-5"), { ok: false, problem: "price_format" });
  assert.deepEqual(parsePriceMinor("1.234"), { ok: false, problem: "price_format" });
  assert.deepEqual(parseTimeRange("9:00 – 18:00"), { ok: true, value: { start: 540, end: 1080 } });
  assert.deepEqual(parseTimeRange("20:00-24:00"), { ok: true, value: { start: 1200, end: 1440 } });
  assert.deepEqual(parseTimeRange("18:00-09:00"), { ok: false, problem: "range_order" });
  assert.deepEqual(parseTimeRange("25:00-26:00"), { ok: false, problem: "range_format" });
  assert.deepEqual(parseTimeRange("9-18"), { ok: false, problem: "range_format" });
  const iso = parseDay("2026-12-31");
  assert.ok(iso.ok && iso.value.toString() === "2026-12-31");
  const dotted = parseDay("3.1.2027");
  assert.ok(dotted.ok && dotted.value.toString() === "2027-01-03");
  assert.deepEqual(parseDay("31.02.2027"), { ok: false, problem: "date_format" });
  assert.deepEqual(parseDay("tomorrow"), { ok: false, problem: "date_format" });
  assert.deepEqual(parseWholeNumber(" 45 ", 5, 720), { ok: true, value: 45 });
  assert.deepEqual(parseWholeNumber("0", 5, 720), { ok: false, problem: "number_range" });
  assert.deepEqual(parseWholeNumber("4.5", 5, 720), { ok: false, problem: "number_format" });
});

Deno.test("conflicts: a booking fits only inside hours, outside breaks and off days", () => {
  const day: DaySchedule = {
    hours: { start: 12 * 60, end: 15 * 60 },
    breaks: [{ start: 13 * 60, end: 14 * 60 }],
    dayOff: false,
  };
  const span = (from: string, to: string) => ({
    start: Date.parse(`2026-12-02T${from}:00+03:00`),
    end: Date.parse(`2026-12-02T${to}:00+03:00`),
  });
  assert.equal(scheduleConflict(span("12:00", "13:00"), day, TZ), undefined);
  assert.equal(scheduleConflict(span("14:00", "15:00"), day, TZ), undefined);
  assert.equal(scheduleConflict(span("10:00", "11:00"), day, TZ), "outside_hours");
  assert.equal(scheduleConflict(span("14:30", "15:30"), day, TZ), "outside_hours");
  assert.equal(scheduleConflict(span("12:30", "13:30"), day, TZ), "in_break");
  assert.equal(scheduleConflict(span("12:00", "13:00"), { ...day, dayOff: true }, TZ), "day_off");
  assert.equal(
    scheduleConflict(span("12:00", "13:00"), { ...day, hours: undefined }, TZ),
    "closed",
  );
  // Closing at midnight (24:00) covers a visit ending at midnight.
  const late = {
    start: Date.parse("2026-12-02T23:00:00+03:00"),
    end: Date.parse("2026-12-03T00:00:00+03:00"),
  };
  assert.equal(
    scheduleConflict(late, { hours: { start: 0, end: 1440 }, breaks: [], dayOff: false }, TZ),
    undefined,
  );
  assert.equal(
    scheduleConflict(late, { hours: { start: 0, end: 1410 }, breaks: [], dayOff: false }, TZ),
    "outside_hours",
  );
  // Wall-clock comparison on a DST day: 10:00-11:00 Berlin on the spring-forward Sunday.
  const dst = {
    start: Date.parse("2026-03-29T08:00:00Z"),
    end: Date.parse("2026-03-29T09:00:00Z"),
  };
  assert.equal(
    scheduleConflict(
      dst,
      { hours: { start: 600, end: 660 }, breaks: [], dayOff: false },
      "Europe/Berlin",
    ),
    undefined,
  );

  const bookings = [
    { id: 1, staffId: 1, ...span("12:00", "13:00") },
    { id: 2, staffId: 1, ...span("10:00", "11:00") },
    { id: 3, staffId: 2, ...span("12:00", "13:00") },
  ];
  const found = findConflicts(bookings, {
    daySchedule: () => day,
    isStaffActive: (id) => id === 1,
  }, TZ);
  assert.deepEqual(found.map((c) => [c.booking.id, c.reason]), [
    [2, "outside_hours"],
    [3, "staff_inactive"],
  ]);
});

// ---------------------------------------------------------------------------
// On SQLite
// ---------------------------------------------------------------------------

Deno.test("schedule admin: saved hours are what the next slot list uses, audited, with conflicts listed", async () => {
  const s = await setup();
  try {
    const booking = s.book("2026-12-02T07:00:00Z"); // Wed 10:00
    // An engine built before the change (and one on another connection) must see it too.
    const other = new BookingService(openMigrated(s.path, NOW), new FakeClock(NOW), TZ);
    assert.equal(s.engine.freeSlots(s.haircut, "any", WED)[0].label, "09:00");

    assert.equal(
      code(() => setWeekdayHours(s.db, 1, 3, { start: 720, end: 780 }, act)),
      "hours_exclude_break",
    );
    assert.deepEqual(setWeekdayHours(s.db, 1, 3, { start: 720, end: 900 }, act), { changed: true });
    assert.deepEqual(setWeekdayHours(s.db, 1, 3, { start: 720, end: 900 }, act), {
      changed: false,
    });

    assert.deepEqual(s.engine.freeSlots(s.haircut, "any", WED).map((x) => x.label), [
      "12:00",
      "14:00",
    ]);
    assert.deepEqual(other.freeSlots(s.haircut, "any", WED).map((x) => x.label), [
      "12:00",
      "14:00",
    ]);
    other.db.close();

    const audit = listAudit(s.db, { entity: "schedule", limit: 10, offset: 0 }).rows;
    assert.equal(audit.filter((r) => r.field === "hours_3").length, 1, "no audit for a no-op");
    assert.deepEqual([audit[0].oldValue, audit[0].newValue, audit[0].entityId], [
      "09:00–18:00",
      "12:00–15:00",
      "1",
    ]);

    const conflicts = conflictingBookings(s.db, TZ, NOW);
    assert.deepEqual(conflicts.map((c) => [c.booking.id, c.reason]), [[
      booking.id,
      "outside_hours",
    ]]);
    assert.equal(getBooking(s.db, booking.id)!.status, "active");

    // A non-working weekday: no slots, and the booking is reported as on a closed day.
    setWeekdayHours(s.db, 1, 3, undefined, act);
    assert.deepEqual(s.engine.freeSlots(s.haircut, "any", WED), []);
    assert.equal(conflictingBookings(s.db, TZ, NOW)[0].reason, "closed");
    // Bookings already over are not reported.
    assert.deepEqual(conflictingBookings(s.db, TZ, Date.parse("2026-12-02T09:00:00Z")), []);
  } finally {
    await s.close();
  }
});

Deno.test("schedule admin: breaks must fit the hours and not overlap; a new break is used at once", async () => {
  const s = await setup();
  try {
    assert.equal(
      code(() => addWeekdayBreak(s.db, 1, 3, { start: 1140, end: 1200 }, act)),
      "break_outside_hours",
    );
    assert.equal(
      code(() => addWeekdayBreak(s.db, 1, 3, { start: 750, end: 810 }, act)),
      "break_overlap",
    );
    assert.equal(
      code(() => addWeekdayBreak(s.db, 1, 6, { start: 600, end: 660 }, act)),
      "no_hours",
    );
    assert.equal(
      code(() => addWeekdayBreak(s.db, 99, 3, { start: 600, end: 660 }, act)),
      "staff_not_found",
    );
    const booking = s.book("2026-12-02T13:00:00Z"); // Wed 16:00
    addWeekdayBreak(s.db, 1, 3, { start: 960, end: 1020 }, act);
    const labels = s.engine.freeSlots(s.haircut, "any", WED).map((x) => x.label);
    assert.ok(!labels.includes("15:30") && !labels.includes("16:00") && labels.includes("17:00"));
    assert.deepEqual(conflictingBookings(s.db, TZ, NOW).map((c) => [c.booking.id, c.reason]), [
      [booking.id, "in_break"],
    ]);
    const audit = listAudit(s.db, { entity: "schedule", limit: 1, offset: 0 }).rows[0];
    assert.deepEqual([audit.action, audit.field, audit.newValue], [
      "create",
      "break_3",
      "16:00–17:00",
    ]);
  } finally {
    await s.close();
  }
});

Deno.test("schedule admin: days off are validated, close the calendar day, and can be removed", async () => {
  const s = await setup();
  try {
    const today = Temporal.PlainDate.from("2026-12-01");
    const day = Temporal.PlainDate.from("2026-12-03");
    const entry = { day, staffId: null, reason: "Inventory" };
    assert.equal(
      code(() => addDayOffEntry(s.db, { ...entry, day: today.subtract({ days: 1 }) }, today, act)),
      "day_past",
    );
    assert.equal(
      code(() => addDayOffEntry(s.db, { ...entry, day: today.add({ years: 4 }) }, today, act)),
      "day_far",
    );
    assert.equal(
      code(() => addDayOffEntry(s.db, { ...entry, reason: "x".repeat(101) }, today, act)),
      "reason_long",
    );
    addDayOffEntry(s.db, entry, today, act);
    assert.equal(code(() => addDayOffEntry(s.db, entry, today, act)), "day_off_exists");
    assert.equal(
      code(() => addDayOffEntry(s.db, { ...entry, staffId: 1 }, today, act)),
      "day_off_exists",
    );
    const calendar = s.engine.monthCalendar(
      s.haircut,
      "any",
      Temporal.PlainYearMonth.from("2026-12"),
    );
    assert.equal(calendar.get("2026-12-03"), "unavailable");
    assert.equal(calendar.get("2026-12-02"), "free");

    const off = upcomingDaysOff(s.db, today, 1);
    assert.deepEqual(off.map((d) => [d.day, d.staffId, d.reason]), [[
      "2026-12-03",
      null,
      "Inventory",
    ]]);
    assert.equal(code(() => removeDayOffEntry(s.db, 999, 1, today, act)), "day_off_not_found");
    removeDayOffEntry(s.db, off[0].id, 1, today, act);
    assert.equal(
      s.engine.monthCalendar(s.haircut, "any", Temporal.PlainYearMonth.from("2026-12")).get(
        "2026-12-03",
      ),
      "free",
    );
    const rows = listAudit(s.db, { entity: "schedule", entityId: "all", limit: 5, offset: 0 }).rows;
    assert.deepEqual(rows.map((r) => r.action), ["delete", "create"]);
  } finally {
    await s.close();
  }
});

Deno.test("schedule admin: booking rules stay within limits, are audited and apply to slots", async () => {
  const s = await setup();
  try {
    assert.equal(code(() => setBookingRule(s.db, "slotStepMinutes", 4, act)), "rule_range");
    assert.equal(code(() => setBookingRule(s.db, "horizonDays", 366, act)), "rule_range");
    assert.equal(
      code(() => setBookingRule(s.db, "cancellationCutoffHours", 169, act)),
      "rule_range",
    );
    assert.equal(code(() => setBookingRule(s.db, "maxBookingsPerDay", 1.5, act)), "rule_range");
    setBookingRule(s.db, "slotStepMinutes", 90, act);
    assert.deepEqual(
      s.engine.freeSlots(s.haircut, "any", WED).map((x) => x.label),
      ["09:00", "10:30", "12:00", "15:00", "16:30"],
    );
    setBookingRule(s.db, "maxBookingsPerDay", 1, act);
    s.book("2026-12-02T06:00:00Z");
    assert.deepEqual(s.engine.freeSlots(s.haircut, "any", WED), []);
    const audit = listAudit(s.db, { entity: "settings", limit: 5, offset: 0 }).rows;
    assert.deepEqual(audit.map((r) => `${r.field}:${r.oldValue}->${r.newValue}`), [
      "max_bookings_per_day:0->1",
      "slot_step_minutes:30->90",
    ]);
  } finally {
    await s.close();
  }
});

Deno.test("masters: a new one copies the default week; deactivation keeps bookings and reports them", async () => {
  const s = await setup();
  try {
    assert.equal(code(() => addStaffMember(s.db, "   ", act)), "staff_name");
    const olga = addStaffMember(s.db, "  Olga   K. ", act);
    assert.equal(olga.name, "Olga K.");
    assert.deepEqual(listWorkingHours(s.db, olga.id), listWorkingHours(s.db, 1));
    assert.deepEqual(
      listBreaks(s.db, olga.id).map((b) => [b.weekday, b.start, b.end]),
      listBreaks(s.db, 1).map((b) => [b.weekday, b.start, b.end]),
    );
    assert.equal(listActiveStaff(s.db).length, 2);
    const booking = s.book("2026-12-02T07:00:00Z", olga.id);
    setStaffMemberActive(s.db, olga.id, false, act);
    assert.equal(getBooking(s.db, booking.id)!.status, "active");
    assert.deepEqual(conflictingBookings(s.db, TZ, NOW, olga.id).map((c) => c.reason), [
      "staff_inactive",
    ]);
    assert.equal(code(() => setStaffMemberActive(s.db, 1, false, act)), "last_active_staff");
    const audit = listAudit(s.db, { entity: "staff", entityId: olga.id, limit: 5, offset: 0 }).rows;
    assert.deepEqual(
      audit.map((r) => `${r.action}:${r.oldValue ?? ""}->${r.newValue ?? ""}`).slice(0, 1),
      [
        "deactivate:true->false",
      ],
    );
  } finally {
    await s.close();
  }
});

Deno.test("catalogue: create, edit, delete and restore are validated, audited and seen by clients", async () => {
  const s = await setup();
  try {
    const base = {
      name: "Styling",
      description: "",
      durationMinutes: 45,
      priceMinor: null,
      displayOrder: null,
      isActive: true,
    };
    assert.equal(
      code(() => createService(s.db, { ...base, durationMinutes: 0 }, 900, NOW)),
      "duration_range",
    );
    assert.equal(code(() => createService(s.db, { ...base, name: "" }, 900, NOW)), "name_invalid");
    assert.equal(
      code(() => createService(s.db, { ...base, priceMinor: -1 }, 900, NOW)),
      "price_range",
    );
    const created = createService(s.db, base, 900, NOW);
    assert.equal(created.displayOrder, 50);
    assert.ok(listBookableServices(s.db).some((x) => x.id === created.id));
    assert.equal(
      code(() => updateService(s.db, created.id, "durationMinutes", 721, 900, NOW)),
      "duration_range",
    );
    assert.deepEqual(updateService(s.db, created.id, "priceMinor", 99900, 900, NOW).changed, true);
    assert.deepEqual(updateService(s.db, created.id, "priceMinor", 99900, 900, NOW).changed, false);
    updateService(s.db, created.id, "isActive", false, 900, NOW);
    assert.ok(!listBookableServices(s.db).some((x) => x.id === created.id));
    updateService(s.db, created.id, "isActive", true, 900, NOW);
    setServiceDeletedState(s.db, created.id, true, 900, NOW);
    assert.ok(!listBookableServices(s.db).some((x) => x.id === created.id));
    assert.equal(code(() => updateService(s.db, created.id, "name", "X", 900, NOW)), "deleted");
    setServiceDeletedState(s.db, created.id, false, 900, NOW);
    assert.ok(listBookableServices(s.db).some((x) => x.id === created.id));
    const actions = listAudit(s.db, {
      entity: "service",
      entityId: created.id,
      limit: 10,
      offset: 0,
    })
      .rows.map((r) => `${r.action}:${r.field ?? ""}`).reverse();
    assert.deepEqual(actions, [
      "create:",
      "update:price_minor",
      "update:is_active",
      "update:is_active",
      "delete:deleted_at",
      "restore:deleted_at",
    ]);
  } finally {
    await s.close();
  }
});

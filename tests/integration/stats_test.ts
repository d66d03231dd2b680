import assert from "node:assert/strict";
import { join } from "node:path";
import { type Db, writeTransaction } from "../../src/db/connection.ts";
import { addDayOff, setWorkingHours } from "../../src/db/schedule_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { insertStaff } from "../../src/db/staff_repo.ts";
import { countInRanges } from "../../src/db/stats_repo.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { chartBuckets, periodContaining } from "../../src/domain/stats.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { capacityMinutes, periodStats } from "../../src/services/stats.ts";

const TZ = "Europe/Moscow";
const date = (s: string) => Temporal.PlainDate.from(s);
/** A Moscow wall-clock time (UTC+3) as an instant. */
const msk = (local: string) => Date.parse(`${local}:00+03:00`);

/**
 * A small known dataset around the week Mon 30 Nov – Sun 6 Dec 2026 (demo services:
 * 1 Haircut 60 min 1500.00, 2 Beard trim 30 min 700.00, 3 Colouring 90 min 3500.00,
 * 4 Consultation 30 min without price; master 1 works Mon–Fri 09–18 with lunch 13–14).
 */
async function withDataset(fn: (db: Db) => void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "stats-" });
  const clock = new FakeClock(Date.parse("2026-11-20T06:00:00Z"));
  const db = openMigrated(join(dir, "booking.db"), clock.now());
  try {
    loadDemoData(db, clock.now());
    upsertUser(db, { id: 101, first_name: "Anna" }, clock.now());
    const service = new BookingService(db, clock, TZ);
    const admin = { userId: 900, isAdmin: true };
    const book = (serviceId: number, local: string) =>
      service.createBooking({
        userId: 101,
        serviceId,
        staff: 1,
        start: msk(local),
        clientName: "Anna Petrova",
        phone: "+79161234567",
      }).id;
    // Previous week: two bookings.
    book(1, "2026-11-24T10:00");
    book(2, "2026-11-25T10:00");
    // This week.
    const b1 = book(1, "2026-11-30T10:00");
    const b2 = book(2, "2026-11-30T11:00");
    book(1, "2026-12-01T10:00");
    const b4 = book(3, "2026-12-01T14:00");
    book(4, "2026-12-02T09:00");
    const b6 = book(1, "2026-12-02T15:00");
    const gone = book(2, "2026-12-03T10:00");
    // Next week: outside the period.
    book(1, "2026-12-07T10:00");
    service.setStatus(b1, admin, "completed");
    service.cancelBooking(b2, admin, "ill");
    service.setStatus(b4, admin, "no_show");
    service.setStatus(b6, admin, "completed");
    // A soft-deleted booking never counts.
    db.prepare("UPDATE bookings SET deleted_at = ? WHERE id = ?").run(clock.now(), gone);
    writeTransaction(db, () => {
      // A second master working only Wednesdays 10:00–14:00, and the business closed on Friday.
      const second = insertStaff(db, "Second", clock.now());
      setWorkingHours(db, second, 3, { start: 600, end: 840 });
      addDayOff(db, "2026-12-04", null, "holiday");
    });
    fn(db);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("stats: a week's counts, change, per-service revenue and load from SQL", async () => {
  await withDataset((db) => {
    const s = periodStats(db, TZ, periodContaining("week", date("2026-12-02")));
    assert.deepEqual(s.counts, { active: 2, cancelled: 1, completed: 2, no_show: 1 });
    assert.equal(s.total, 6);
    assert.equal(s.cancelledPercent, 17);
    assert.equal(s.completedPercent, 33);
    assert.equal(s.previousTotal, 2);
    assert.deepEqual(s.change, { kind: "up", percent: 200 });
    assert.deepEqual(
      s.services.map((x) => [x.name, x.bookings, x.kept, x.bookedMinutes, x.revenueMinor]),
      [
        // Revenue: active + completed at the booked price; no-show and cancelled earn nothing.
        ["Haircut", 3, 3, 180, 3 * 150000],
        ["Beard trim", 1, 0, 0, 0],
        ["Colouring", 1, 1, 90, 0],
        ["Consultation", 1, 1, 30, null],
      ],
    );
    assert.equal(s.revenueMinor, 450000);
    assert.equal(s.bookedMinutes, 300);
    // Master 1: 4 working days (Friday closed) x 480 min; master 2: Wednesday 240 min.
    assert.equal(s.availableMinutes, 4 * 480 + 240);
    assert.equal(s.loadPercent, Math.round((300 / 2160) * 100));
    assert.deepEqual(s.chart.values, [2, 2, 2, 0, 0, 0, 0]);
    assert.deepEqual(s.chart.labels, ["30", "1", "2", "3", "4", "5", "6"]);
  });
});

Deno.test("stats: a day shows hour bars over the working hours; a month compares to the last", async () => {
  await withDataset((db) => {
    const day = periodStats(db, TZ, periodContaining("day", date("2026-12-01")));
    assert.equal(day.total, 2);
    assert.equal(day.previousTotal, 2, "Monday 30 Nov had two bookings");
    assert.deepEqual(day.change, { kind: "same" });
    assert.deepEqual(day.chart.labels, ["9", "10", "11", "12", "13", "14", "15", "16", "17"]);
    assert.deepEqual(day.chart.values, [0, 1, 0, 0, 0, 1, 0, 0, 0]);
    assert.equal(day.availableMinutes, 480);

    const month = periodStats(db, TZ, periodContaining("month", date("2026-12-15")));
    assert.equal(month.total, 5, "1, 2 and 7 December; the deleted one is left out");
    assert.equal(month.previousTotal, 4);
    assert.deepEqual(month.change, { kind: "up", percent: 25 });
    assert.equal(month.chart.values.length, 31);
    assert.equal(month.chart.values.reduce((a, b) => a + b, 0), 5);

    const empty = periodStats(db, TZ, periodContaining("week", date("2027-02-10")));
    assert.equal(empty.total, 0);
    assert.equal(empty.cancelledPercent, undefined);
    assert.equal(empty.revenueMinor, null);
    assert.deepEqual(empty.change, { kind: "same" });
  });
});

Deno.test("stats: capacity subtracts a master's own day off; buckets cover every booking once", async () => {
  await withDataset((db) => {
    const week = periodContaining("week", date("2026-12-02"));
    writeTransaction(db, () => addDayOff(db, "2026-12-02", 1, "dentist"));
    assert.equal(capacityMinutes(db, week), 3 * 480 + 240);
    const buckets = chartBuckets(periodContaining("month", date("2026-11-01")), TZ);
    assert.equal(countInRanges(db, buckets).reduce((a, b) => a + b, 0), 4);
  });
});

Deno.test("stats: aggregates stay fast on many bookings (indexed ranges, grouped in SQL)", async () => {
  await withDataset((db) => {
    // 200,000 cancelled bookings over ~4.5 years (the overlap trigger ignores cancelled ones).
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
      INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
        status, created_at, updated_at)
      SELECT 101, 1 + i % 4, 1, ${msk("2024-01-01T09:00")} + i * 720000,
        ${msk("2024-01-01T09:00")} + i * 720000 + 1800000, 'X', '+70000000000', 'cancelled', 0, 0
      FROM n`);
    const started = performance.now();
    const month = periodStats(db, TZ, periodContaining("month", date("2025-06-15")));
    const elapsed = performance.now() - started;
    assert.ok(month.counts.cancelled > 3000);
    assert.ok(elapsed < 1000, `month statistics took ${elapsed.toFixed(0)} ms`);
  });
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { openMigrated } from "../../src/db/setup.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { periodContaining } from "../../src/domain/stats.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { periodStats } from "../../src/services/stats.ts";

const TZ = "Europe/Moscow";
/** A Moscow wall-clock time (UTC+3) as an instant. */
const msk = (local: string) => Date.parse(`${local}:00+03:00`);

Deno.test("stats: every status counted apart, and each percentage from its own status", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stats-percent-" });
  const clock = new FakeClock(Date.parse("2026-11-20T06:00:00Z"));
  const db = openMigrated(join(dir, "booking.db"), clock.now());
  try {
    loadDemoData(db, clock.now());
    upsertUser(db, { id: 101, first_name: "Anna" }, clock.now());
    const service = new BookingService(db, clock, TZ);
    const admin = { userId: 900, isAdmin: true };
    // Ten one-hour Haircuts (1500.00) in the week of Mon 30 Nov 2026, mornings only.
    const starts = [
      "2026-11-30T09:00",
      "2026-11-30T10:00",
      "2026-11-30T11:00",
      "2026-11-30T12:00",
      "2026-12-01T09:00",
      "2026-12-01T10:00",
      "2026-12-01T11:00",
      "2026-12-01T12:00",
      "2026-12-02T09:00",
      "2026-12-02T10:00",
    ];
    const ids = starts.map((local) =>
      service.createBooking({
        userId: 101,
        serviceId: 1,
        staff: 1,
        start: msk(local),
        clientName: "Anna Petrova",
        phone: "+79161234567",
      }).id
    );
    // After the week: 5 completed, 2 still active, 2 cancelled, 1 no-show — all different.
    clock.set("2026-12-07T06:00:00Z");
    for (const id of ids.slice(0, 5)) service.setStatus(id, admin, "completed");
    for (const id of ids.slice(7, 9)) service.cancelBooking(id, admin, "ill");
    service.setStatus(ids[9], admin, "no_show");

    const s = periodStats(db, TZ, periodContaining("week", Temporal.PlainDate.from("2026-12-02")));
    assert.deepEqual(s.counts, { active: 2, cancelled: 2, completed: 5, no_show: 1 });
    assert.equal(s.total, 10);
    assert.equal(s.completedPercent, 50, "completed of all, not active of all");
    assert.equal(s.cancelledPercent, 20);
    // Kept = not cancelled (8 hours); paid = active + completed (7 × 1500.00).
    assert.deepEqual(
      s.services.map((x) => [x.name, x.bookings, x.kept, x.bookedMinutes, x.revenueMinor]),
      [["Haircut", 10, 8, 480, 7 * 150000]],
    );
    assert.equal(s.revenueMinor, 7 * 150000);

    // One day alone: Tuesday has 1 completed, 2 active and 1 cancelled.
    const tuesday = periodStats(
      db,
      TZ,
      periodContaining("day", Temporal.PlainDate.from("2026-12-01")),
    );
    assert.deepEqual(tuesday.counts, { active: 2, cancelled: 1, completed: 1, no_show: 0 });
    assert.equal(tuesday.completedPercent, 25);
    assert.equal(tuesday.cancelledPercent, 25);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

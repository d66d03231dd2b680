import assert from "node:assert/strict";
import { join } from "node:path";
import { openMigrated } from "../../src/db/setup.ts";
import { rangePeriod, shiftPeriod } from "../../src/domain/stats.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { allTimePeriod, peakHours, periodStats } from "../../src/services/stats.ts";

const TZ = "Europe/Moscow";
const date = (s: string) => Temporal.PlainDate.from(s);
const msk = (local: string) => Date.parse(`${local}:00+03:00`);

Deno.test("stats: a long range has a bar per month with its cancelled part; all time and peak hours", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stats-periods-" });
  const db = openMigrated(join(dir, "booking.db"), 0);
  try {
    loadDemoData(db, 0);
    db.prepare("INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'A', 0, 0)")
      .run();
    const insert = db.prepare(
      `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
         status, deleted_at, created_at, updated_at) VALUES (1, 1, 1, ?, ?, 'A', '+1', ?, ?, 0, 0)`,
    );
    const add = (local: string, status = "completed", deleted: number | null = null) =>
      insert.run(msk(local), msk(local) + 3_600_000, status, deleted);
    add("2026-09-02T10:00");
    add("2026-09-30T23:30"); // still September in Moscow, October in UTC
    add("2026-10-14T10:00", "cancelled");
    add("2026-11-04T10:00");
    add("2026-11-05T10:00", "completed", 1);

    const range = rangePeriod(date("2026-09-01"), date("2026-11-30"));
    const s = periodStats(db, TZ, range);
    assert.equal(s.chart.unit, "month");
    assert.deepEqual(s.chart.labels, ["9", "10", "11"]);
    assert.deepEqual(s.chart.values, [2, 1, 1]);
    assert.deepEqual(s.chart.cancelled, [0, 1, 0]);
    assert.equal(s.total, 4);
    assert.equal(s.deleted, 1);
    assert.ok(s.compared);
    assert.deepEqual(shiftPeriod(range, -1), rangePeriod(date("2026-06-02"), date("2026-08-31")));

    const all = allTimePeriod(db, TZ, date("2026-12-01"));
    assert.deepEqual([all.kind, all.start.toString(), all.end.toString()], [
      "all",
      "2026-09-02",
      "2026-12-02",
    ]);
    assert.equal(periodStats(db, TZ, all).compared, false);

    const grid = peakHours(db, TZ, range);
    assert.equal(grid[2][10], 2, "Wednesdays 10:00 (2 Sep, 4 Nov)");
    assert.equal(grid[2][23], 1, "Wednesday 23:30 local, not Thursday in UTC");
    assert.equal(grid.flat().reduce((a, b) => a + b, 0), 3, "cancelled and deleted left out");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/connection.ts";
import { appliedVersions, loadMigrations, migrateDown, migrateUp } from "../../src/db/migrate.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { emptyFunnel, funnelRows } from "../../src/domain/funnel.ts";
import { funnelOf, FunnelService } from "../../src/services/funnel.ts";

const date = (s: string) => Temporal.PlainDate.from(s);

async function withDb(fn: (path: string) => void) {
  const dir = await Deno.makeTempDir({ prefix: "booking-funnel-" });
  try {
    fn(`${dir}/booking.db`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("funnel: counts per local day (Moscow midnight, not UTC), summed over a period", () =>
  withDb((path) => {
    const db = openDatabase(path);
    migrateUp(db, 0);
    // 23:30 Moscow on 1 December is 20:30 UTC; 00:30 on 2 December is still 1 December in UTC.
    const clock = new FakeClock(Date.parse("2026-12-01T20:30:00Z"));
    const funnel = new FunnelService(db, clock, "Europe/Moscow");
    funnel.record("started");
    funnel.record("service");
    clock.set(Date.parse("2026-12-01T21:30:00Z"));
    funnel.record("started");
    assert.deepEqual(funnelOf(db, date("2026-12-01"), date("2026-12-01")), {
      ...emptyFunnel(),
      started: 1,
      service: 1,
    });
    assert.equal(funnelOf(db, date("2026-12-02"), date("2026-12-02")).started, 1);
    assert.equal(funnelOf(db, date("2026-11-01"), date("2026-12-31")).started, 2);
    assert.throws(() => db.exec("INSERT INTO funnel_daily VALUES ('2026-12-01', 'typed', 1)"));
    db.close();
  }));

Deno.test("funnel: share of the started and drop-off from the step before", () => {
  const rows = funnelRows({ started: 10, service: 9, slot: 8, contact: 7, confirmed: 6 });
  assert.deepEqual(rows.map((r) => [r.step, r.count, r.ofStarted, r.dropOff]), [
    ["started", 10, 100, undefined],
    ["service", 9, 90, 10],
    ["slot", 8, 80, 11],
    ["contact", 7, 70, 13],
    ["confirmed", 6, 60, 14],
  ]);
  assert.equal(funnelRows(emptyFunnel())[1].dropOff, undefined, "nothing to divide by");
});

Deno.test("migration 0003: down drops funnel_daily and nothing else; up brings it back empty", () =>
  withDb((path) => {
    const db = openDatabase(path);
    // Up to 0003 only: later migrations are not what this test is about.
    const upTo3 = loadMigrations().filter((m) => m.version <= 3);
    migrateUp(db, 0, upTo3);
    db.exec("INSERT INTO funnel_daily VALUES ('2026-12-01', 'started', 3)");
    const tables = () =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
        .map((r) => String(r.name));
    const before = tables();
    assert.deepEqual(migrateDown(db, 1, upTo3).map((m) => m.version), [3]);
    assert.deepEqual(tables(), before.filter((t) => t !== "funnel_daily"));
    assert.deepEqual(migrateUp(db, 0, upTo3).map((m) => m.version), [3]);
    assert.deepEqual(appliedVersions(db).at(-1), 3);
    assert.equal(db.prepare("SELECT count(*) AS n FROM funnel_daily").get()!.n, 0);
    db.close();
  }));

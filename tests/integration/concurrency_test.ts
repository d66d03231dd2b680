import assert from "node:assert/strict";
import { openMigrated } from "../../src/db/setup.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";

const NOW = "2026-12-01T06:00:00Z"; // Tue 09:00 Moscow

Deno.test("concurrency: two OS processes racing for the same slots, exactly one booking per slot", async () => {
  const dir = await Deno.makeTempDir({ prefix: "booking-race-" });
  const dbPath = `${dir}/booking.db`;
  try {
    const db = openMigrated(dbPath, Date.parse(NOW));
    loadDemoData(db, Date.parse(NOW));
    const clock = new FakeClock(Date.parse(NOW));
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    const engine = new BookingService(db, clock, "Europe/Moscow");
    // 16 hourly-grid slots on two days; each process tries each slot 4 times = 128 attempts.
    const slots = [
      ...engine.freeSlots(haircut.id, "any", Temporal.PlainDate.from("2026-12-02")),
      ...engine.freeSlots(haircut.id, "any", Temporal.PlainDate.from("2026-12-03")),
    ].filter((s) => s.minute % 60 === 0).slice(0, 16).map((s) => s.start);
    db.close();
    assert.equal(slots.length, 16);
    const attempts = [...slots, ...slots, ...slots, ...slots];
    const worker = new URL("../support/booking_worker.ts", import.meta.url).pathname;
    const run = (userBase: number, order: number[]) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          worker,
          dbPath,
          NOW,
          String(haircut.id),
          String(userBase),
          JSON.stringify(order),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const [a, b] = await Promise.all([run(10_000, attempts), run(20_000, [...attempts].reverse())]);
    for (const r of [a, b]) {
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    }
    const outcomes = [
      ...JSON.parse(new TextDecoder().decode(a.stdout).trim().split("\n").at(-1)!),
      ...JSON.parse(new TextDecoder().decode(b.stdout).trim().split("\n").at(-1)!),
    ] as string[];
    assert.equal(outcomes.length, 128);
    const wins = outcomes.filter((o) => o === "ok").length;
    const taken = outcomes.filter((o) => o === "slot_taken").length;
    const other = outcomes.filter((o) => o !== "ok" && o !== "slot_taken");
    assert.deepEqual(other, [], "no SQLITE_BUSY or other errors escape");
    assert.equal(wins, 16);
    assert.equal(taken, 112);

    const check = openMigrated(dbPath, Date.parse(NOW));
    const perSlot = check.prepare(
      `SELECT start_at, count(*) AS n FROM bookings WHERE status = 'active' GROUP BY start_at`,
    ).all();
    check.close();
    assert.equal(perSlot.length, 16);
    assert.ok(perSlot.every((r) => r.n === 1));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

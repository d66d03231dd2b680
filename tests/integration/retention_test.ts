import assert from "node:assert/strict";
import { join } from "node:path";
import type { Db } from "../../src/db/connection.ts";
import { insertBooking } from "../../src/db/bookings_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { periodContaining } from "../../src/domain/stats.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { retentionStats } from "../../src/services/retention.ts";

const TZ = "Europe/Moscow";
const NOW = Date.parse("2026-12-01T09:00:00+03:00");
const msk = (local: string) => Date.parse(`${local}T10:00:00+03:00`);
/** Demo services: 1 Haircut 1 500.00, 2 Beard trim 700.00, 3 Colouring 3 500.00. */
const PRICE: Record<number, number> = { 1: 150000, 2: 70000, 3: 350000 };

type Status = "completed" | "cancelled" | "no_show" | "active" | "deleted";

/**
 * Clients over October and November 2026 (today is 1 December):
 * 101 Oct 5 + Nov 10 (came before November: returning);
 * 102 Nov 3 + Nov 24 (twice in November: returning); 103 Nov 15 only (new);
 * 104 Oct 1 only (gone 8+ weeks); 105 Oct 20 and booked for Dec 5 (not gone);
 * 106 Nov 20 cancelled, Nov 21 no-show (no visit); 107 a deleted visit on Nov 12;
 * 108 Oct 25 only (gone 4+ weeks, not 8).
 */
const HISTORY: [number, number, string, Status][] = [
  [101, 1, "2026-10-05", "completed"],
  [101, 1, "2026-11-10", "completed"],
  [102, 2, "2026-11-03", "completed"],
  [102, 2, "2026-11-24", "completed"],
  [103, 3, "2026-11-15", "completed"],
  [104, 1, "2026-10-01", "completed"],
  [105, 2, "2026-10-20", "completed"],
  [105, 2, "2026-12-05", "active"],
  [106, 1, "2026-11-20", "cancelled"],
  [106, 1, "2026-11-21", "no_show"],
  [107, 3, "2026-11-12", "deleted"],
  [108, 1, "2026-10-25", "completed"],
];

async function withClients(fn: (db: Db) => void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "retention-" });
  const db = openMigrated(join(dir, "booking.db"), NOW);
  try {
    loadDemoData(db, NOW);
    for (const [userId, serviceId, day, status] of HISTORY) {
      upsertUser(db, { id: userId, first_name: `Client ${userId}` }, NOW);
      const start = msk(day);
      const id = insertBooking(db, {
        userId,
        serviceId,
        staffId: 1,
        start,
        end: start + 3_600_000,
        clientName: `Client ${userId}`,
        phone: "+79160000000",
        priceMinor: PRICE[serviceId],
      }, NOW);
      if (status === "deleted") {
        db.prepare("UPDATE bookings SET status = 'completed', deleted_at = ? WHERE id = ?")
          .run(NOW, id);
      } else db.prepare("UPDATE bookings SET status = ? WHERE id = ?").run(status, id);
    }
    fn(db);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const NOVEMBER = periodContaining("month", Temporal.PlainDate.from("2026-11-15"));
const OCTOBER = periodContaining("month", Temporal.PlainDate.from("2026-10-15"));

Deno.test("retention: returning rate, visits and spend per client over a month", async () => {
  await withClients((db) => {
    const nov = retentionStats(db, TZ, NOVEMBER, NOW, 8);
    assert.equal(nov.clients, 3);
    assert.equal(nov.returning, 2);
    assert.equal(nov.returningPercent, 67);
    assert.equal(nov.visits, 4);
    assert.equal(nov.visitsPerClient.toFixed(2), "1.33");
    // (1 500 + 700 + 700 + 3 500) / 3 clients, at the prices as booked.
    assert.equal(nov.spendPerClientMinor, 213333);

    const oct = retentionStats(db, TZ, OCTOBER, NOW, 8);
    assert.deepEqual(
      [oct.clients, oct.returning, oct.returningPercent, oct.visits, oct.spendPerClientMinor],
      [4, 0, 0, 4, Math.round((150000 + 150000 + 70000 + 150000) / 4)],
    );
  });
});

Deno.test("retention: clients who have not come back for N weeks, nothing booked ahead", async () => {
  await withClients((db) => {
    const eight = retentionStats(db, TZ, NOVEMBER, NOW, 8);
    assert.equal(eight.lapsedTotal, 1);
    assert.deepEqual(eight.lapsed.map((c) => [c.userId, c.visits]), [[104, 1]]);
    const four = retentionStats(db, TZ, NOVEMBER, NOW, 4);
    assert.equal(four.lapsedTotal, 2);
    assert.deepEqual(four.lapsed.map((c) => c.userId), [104, 108]);
    assert.equal(four.lapsed[1].name, "Client 108");
    assert.equal(four.lapsed[1].lastVisit, msk("2026-10-25"));
    const short = retentionStats(db, TZ, NOVEMBER, NOW, 4, 1);
    assert.deepEqual([short.lapsedTotal, short.lapsed.length], [2, 1]);
  });
});

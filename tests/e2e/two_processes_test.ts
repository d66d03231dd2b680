import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/connection.ts";
import { demoSlots, startCluster, toSummary } from "../support/webhook_cluster.ts";

const USERS = Number(Deno.env.get("CLUSTER_USERS") ?? 40);
const SLOTS = Number(Deno.env.get("CLUSTER_SLOTS") ?? 5);

Deno.test(`two bot processes in webhook mode on one database: ${USERS} attempts at ${SLOTS} slots, one booking per slot`, async () => {
  const cluster = await startCluster(2);
  try {
    const slots = demoSlots(SLOTS);
    const users = Array.from(
      { length: USERS },
      (_, i) => cluster.fake.user(50_000 + i, { first_name: `Racer${i}`, language_code: "en" }),
    );
    await Promise.all(
      users.map((u, i) => toSummary(u, slots[i % SLOTS].date, slots[i % SLOTS].time)),
    );
    // Everybody confirms at once.
    const outcomes = await Promise.all(users.map((u) => {
      const answer = u.nextMessage((m) => /You're booked|just taken/.test(m.text ?? ""), 60_000);
      u.press("Confirm");
      return answer.then((m) => (/You're booked/.test(m.text ?? "") ? "won" : "lost"));
    }));
    assert.equal(outcomes.filter((o) => o === "won").length, SLOTS);
    assert.equal(outcomes.filter((o) => o === "lost").length, USERS - SLOTS);
    assert.ok(cluster.forwarded.every((n) => n > 0), `both processes served: ${cluster.forwarded}`);
    const db = openDatabase(`${cluster.dataDir}/booking.db`, { readOnly: true });
    const perSlot = db.prepare(
      "SELECT start_at, count(*) AS n FROM bookings WHERE status = 'active' GROUP BY start_at",
    ).all();
    db.close();
    assert.equal(perSlot.length, SLOTS);
    assert.ok(perSlot.every((r) => r.n === 1));
  } finally {
    await cluster.stop();
  }
});

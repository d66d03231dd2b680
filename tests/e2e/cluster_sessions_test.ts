/**
 * Dialog state shared by bot processes: each process serves sessions from memory while their
 * versionstamp in Deno KV is unchanged, so a step another process handled must be seen.
 */
import assert from "node:assert/strict";
import { demoSlots, startCluster, step, toSummary } from "../support/webhook_cluster.ts";

Deno.test("two bot processes taking turns with one client's updates: the dialog goes on as one", async () => {
  const cluster = await startCluster(2, undefined, { alternate: true });
  try {
    const [first, second] = demoSlots(2);
    const u = cluster.fake.user(60_001, { first_name: "Turns", language_code: "en" });
    await toSummary(u, first.date, first.time);
    await step(u, () => u.press("Confirm"), /You're booked/);
    // Once more (name and phone remembered now): each process holds an old session of theirs.
    await step(u, () => u.sendText("/book"), /Choose a service/);
    await step(u, () => u.press("Haircut"), /Choose a day/);
    if (!u.buttons().some((b) => b.data === `bd:${second.date}`)) {
      await step(u, () => u.press("▶️"), /Choose a day/);
    }
    await step(u, () => u.press((b) => b.data === `bd:${second.date}`), /Choose a time/);
    const time = (b: { text: string; data?: string }) =>
      b.text === second.time && b.data!.startsWith("bt:");
    await step(u, () => u.press(time), /Please check your booking/);
    await step(u, () => u.press("Confirm"), /You're booked/);
    assert.deepEqual(cluster.forwarded.map((n) => n >= 7), [true, true], `${cluster.forwarded}`);
  } finally {
    await cluster.stop();
  }
});

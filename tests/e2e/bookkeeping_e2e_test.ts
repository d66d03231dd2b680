/**
 * The bookkeeping batch in the running bot (src/db/bookkeeping.ts): funnel counts and the
 * messages tracked for the cleanup job wait in memory (here for an hour), a second connection
 * does not see them yet, and stopping the bot writes them before the database closes.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { FakeUser } from "../support/fake_bot_api.ts";
import { assertNoErrors, startTestBot, type TestBot } from "../support/harness.ts";

async function act(t: TestBot, user: FakeUser, action: () => void): Promise<void> {
  const next = user.nextMessage(undefined, 15_000);
  action();
  await next;
  await t.idle();
}

Deno.test("e2e: funnel counts and tracked buttons wait in the batch and are written when the bot stops", async () => {
  const t = await startTestBot({ bookkeepingDelayMs: 3_600_000 });
  const other = new DatabaseSync(t.config.dbPath, { readOnly: true });
  const count = (sql: string) => Number(other.prepare(sql).get()!.n);
  const started = "SELECT coalesce(sum(count), 0) AS n FROM funnel_daily WHERE step = 'started'";
  const tracked = "SELECT count(*) AS n FROM bot_messages";
  try {
    const u = t.fake.user(301, { first_name: "Анна", language_code: "ru" });
    await act(t, u, () => u.sendText("/start"));
    await act(t, u, () => u.press("Записаться"));
    assertNoErrors(t);
    const withButtons = t.fake.callsOf("sendMessage")
      .filter((c) => JSON.stringify(c.payload).includes("inline_keyboard")).length;
    assert.ok(withButtons >= 1, "the bot sent a message with buttons to track");
    assert.equal(count(started), 0, "the count waits in the batch");
    assert.equal(count(tracked), 0, "the tracked messages wait in the batch");
    await t.restart();
    assert.equal(count(started), 1, "written when the bot stopped");
    assert.equal(count(tracked), withButtons, "tracked messages written when the bot stopped");
  } finally {
    other.close();
    await t.close();
  }
});

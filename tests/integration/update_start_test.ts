/**
 * The reads an update starts with, made once (update_start_repo.ts, middleware/update_start.ts),
 * and the configuration cache's check made once per update (withinUpdate), on a real SQLite
 * file with a second connection standing for another bot process.
 */
import assert from "node:assert/strict";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { withinUpdate } from "../../src/db/config_cache.ts";
import { enqueue, hasOwed } from "../../src/db/outbox_repo.ts";
import { getService, updateServiceField } from "../../src/db/services_repo.ts";
import { readUpdateStart } from "../../src/db/update_start_repo.ts";
import { getUser, rememberContact, upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import type { BotContext } from "../../src/bot/context.ts";
import { refreshStart, updateStart } from "../../src/bot/middleware/update_start.ts";
import { owedFirst } from "../../src/bot/middleware/owed_first.ts";
import { statementsOf } from "../support/sql_trace.ts";

const NOW = Date.parse("2026-12-01T06:00:00Z");
const GENERATION = "SELECT n FROM config_generation WHERE id = 1";

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function withFile(fn: (path: string, db: Db, other: Db) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "booking-update-start-" });
  const path = `${dir}/booking.db`;
  const db = openMigrated(path, NOW);
  loadDemoData(db, NOW);
  const other = openDatabase(path);
  try {
    await fn(path, db, other);
  } finally {
    other.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A message owed to `chatId` from `notBefore` on (another process enqueues it). */
function owe(db: Db, chatId: number, notBefore = NOW, expiresAt?: number): void {
  enqueue(db, [{ kind: "confirmation", bookingId: 0, chatId, expiresAt }], notBefore);
}

Deno.test("update start: one statement reads what getUser and hasOwed read", () =>
  withFile(async (_path, db, other) => {
    await nextTask();
    const start = () => readUpdateStart(db, 101, 101, NOW);
    assert.deepEqual(start(), { user: undefined, owed: false });
    upsertUser(other, { id: 101, first_name: "Анна", username: "anna" }, NOW);
    rememberContact(other, 101, "Анна Петрова", "+79161234567", NOW);
    owe(other, 102);
    owe(other, 101, NOW + 1000);
    owe(other, 101, NOW - 2000, NOW - 1000);
    assert.deepEqual(start(), { user: { ...getUser(db, 101) }, owed: false });
    assert.equal(start().user!.lastClientName, "Анна Петрова");
    assert.equal(hasOwed(db, 101, NOW), false, "not due yet, or expired");
    owe(other, 101);
    assert.equal(start().owed, true);
    assert.equal(hasOwed(db, 101, NOW), true);
    assert.deepEqual(
      statementsOf(() => start()).filter((sql) => sql !== GENERATION).length,
      1,
      "one statement",
    );
  }));

Deno.test("update start: its read of the generation is the cache's check, current at the time", () =>
  withFile(async (_path, db, other) => {
    const id = getService(db, 1)!.id;
    await nextTask();
    updateServiceField(other, id, "name", "Стрижка у окна", NOW);
    const seen = statementsOf(() => {
      readUpdateStart(db, 101, 101, NOW);
      assert.equal(getService(db, id)!.name, "Стрижка у окна");
    });
    assert.ok(!seen.includes(GENERATION), seen.join("\n"));
    assert.ok(seen.some((sql) => sql.includes("FROM services")), "the changed service read again");
  }));

Deno.test("update start: within one update the generation is checked once, across its awaits", () =>
  withFile(async (_path, db, other) => {
    const id = 1;
    let later: Promise<string> | undefined;
    await withinUpdate(async () => {
      assert.equal(getService(db, id)!.name, "Haircut");
      await nextTask();
      updateServiceField(other, id, "name", "Стрижка у окна", NOW);
      await nextTask();
      assert.deepEqual(statementsOf(() => getService(db, id)), [], "the update's check holds");
      // Left running by the update: checks again once the update is over.
      later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => getService(db, id)!.name);
    });
    assert.equal(await later, "Стрижка у окна", "after the update, its check no longer holds");
    updateServiceField(other, id, "name", "Стрижка у двери", NOW);
    await withinUpdate(async () => {
      assert.equal(getService(db, id)!.name, "Стрижка у двери", "changed before it started");
      await nextTask();
      updateServiceField(db, id, "name", "Стрижка", NOW);
      assert.equal(getService(db, id)!.name, "Стрижка", "its own change at once");
    });
  }));

/** A context as the middleware sees it: a private chat with `userId`. */
function contextOf(db: Db, userId: number, delivered: number[]): BotContext {
  return {
    from: { id: userId, is_bot: false, first_name: "Анна" },
    chat: { id: userId, type: "private", first_name: "Анна" },
    deps: {
      db,
      clock: new FakeClock(NOW),
      outbox: { deliver: () => Promise.resolve(void delivered.push(userId)) },
    },
  } as unknown as BotContext;
}

Deno.test("update start: read while an earlier update of the chat runs, it is read again after it", () =>
  withFile(async (_path, db) => {
    upsertUser(db, { id: 101, first_name: "Анна" }, NOW);
    const delivered: number[] = [];
    const middleware = updateStart();
    let release = () => {};
    const running = new Promise<void>((resolve) => release = resolve);
    const first = contextOf(db, 101, delivered);
    const earlier = middleware(first, async () => {
      await running;
      // What the earlier update writes: a booking's contact and its confirmation.
      rememberContact(db, 101, "Анна Петрова", "+79161234567", NOW);
      owe(db, 101);
    });
    assert.equal(first.start?.current, true, "nothing of the chat was running before");
    const second = contextOf(db, 101, delivered);
    const otherChat = contextOf(db, 102, delivered);
    await middleware(second, () => Promise.resolve());
    await middleware(otherChat, () => Promise.resolve());
    assert.equal(second.start?.current, false, "the earlier update of the chat was running");
    assert.equal(otherChat.start?.current, true, "another chat's update does not count");
    release();
    await earlier;
    // owedFirst runs once the earlier update ended (sequentialize): it reads the start again.
    await owedFirst()(second, () => Promise.resolve());
    assert.deepEqual(delivered, [101], "the confirmation the earlier update owed goes first");
    assert.equal(second.start?.current, true);
    assert.equal(second.start?.user?.lastClientName, "Анна Петрова");
    const third = contextOf(db, 101, delivered);
    await middleware(third, () => Promise.resolve());
    assert.equal(third.start?.current, true, "the earlier updates ended");
    assert.equal(refreshStart(third, third.start!).owed, true);
  }));

/**
 * The durability barrier on a real SQLite file: deferred transactions commit with
 * `synchronous = NORMAL` and leave the WAL to the barrier's sync (counted here), FULL ones are
 * unchanged, the booking engine and the outbox use deferred, and a restore's close and reopen
 * keep it working.
 */
import assert from "node:assert/strict";
import {
  attachWalSync,
  closeForSwap,
  type Db,
  durable,
  hasUnsyncedWrites,
  writeTransaction,
} from "../../src/db/connection.ts";
import { syncWalFile } from "../../src/db/wal_sync.ts";
import { durableUpdates } from "../../src/bot/middleware/durable_updates.ts";
import type { BotContext } from "../../src/bot/context.ts";
import { claimDue, markDone } from "../../src/db/outbox_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { upsertUser } from "../../src/db/users_repo.ts";

const T0 = Date.parse("2026-12-01T06:00:00Z"); // Tue 09:00 Moscow
const WED_10 = Date.parse("2026-12-02T07:00:00Z");

/** A real database with a barrier whose syncs are the real ones, counted. */
async function withDb(fn: (db: Db, path: string, syncs: string[]) => void | Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "booking-walsync-" });
  const path = `${dir}/booking.db`;
  const db = openMigrated(path, T0);
  const syncs: string[] = [];
  attachWalSync(db, path, async (p) => {
    syncs.push(p);
    await syncWalFile(p);
  });
  try {
    await fn(db, path, syncs);
  } finally {
    if (db.isOpen) db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function synchronousNow(db: Db): number {
  return Number(db.prepare("PRAGMA synchronous").get()!.synchronous);
}

const FULL = 2;
const NORMAL = 1;

function insertRow(db: Db, id: number): void {
  db.exec("CREATE TABLE IF NOT EXISTS scratch (x INTEGER)");
  db.prepare("INSERT INTO scratch (x) VALUES (?)").run(id);
}

Deno.test("wal sync: a deferred transaction commits without fsync and leaves it to flush", async () => {
  await withDb(async (db, path, syncs) => {
    let inside = 0;
    writeTransaction(db, () => {
      inside = synchronousNow(db);
      insertRow(db, 1);
    }, { durability: "deferred" });
    assert.equal(inside, NORMAL, "the COMMIT does not fsync the WAL on this thread");
    assert.equal(synchronousNow(db), FULL, "restored after the transaction");
    assert.equal(hasUnsyncedWrites(db), true);
    assert.equal(syncs.length, 0, "nothing synced until someone needs it durable");
    assert.ok(Deno.statSync(`${path}-wal`).size > 0, "the commit is in the WAL file");
    await durable(db);
    assert.deepEqual(syncs, [path]);
    assert.equal(hasUnsyncedWrites(db), false);
    await durable(db);
    assert.equal(syncs.length, 1, "clean: no second sync");
  });
});

Deno.test("wal sync: FULL transactions are unchanged, and a failed deferred one marks nothing", async () => {
  await withDb(async (db, _path, syncs) => {
    let inside = 0;
    writeTransaction(db, () => {
      inside = synchronousNow(db);
      insertRow(db, 1);
    });
    assert.equal(inside, FULL);
    assert.equal(hasUnsyncedWrites(db), false);
    assert.throws(() =>
      writeTransaction(db, () => {
        insertRow(db, 2);
        throw new Error("refused");
      }, { durability: "deferred" })
    );
    assert.equal(synchronousNow(db), FULL, "restored after a rollback too");
    assert.equal(hasUnsyncedWrites(db), false, "rolled back: nothing to make durable");
    assert.equal(db.prepare("SELECT count(*) AS n FROM scratch").get()!.n, 1);
    await durable(db);
    assert.equal(syncs.length, 0);
  });
});

Deno.test("wal sync: without a barrier a deferred transaction is a FULL one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "booking-walsync-" });
  const db = openMigrated(`${dir}/booking.db`, T0);
  try {
    let inside = 0;
    writeTransaction(db, () => {
      inside = synchronousNow(db);
      insertRow(db, 1);
    }, { durability: "deferred" });
    assert.equal(inside, FULL);
    assert.equal(hasUnsyncedWrites(db), false);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wal sync: a booking, the outbox's claim and its done mark are deferred", async () => {
  await withDb(async (db, _path, syncs) => {
    const clock = new FakeClock(T0);
    loadDemoData(db, T0);
    upsertUser(db, { id: 101, first_name: "Anna" }, T0);
    const engine = new BookingService(db, clock, "Europe/Moscow");
    engine.createBooking({
      userId: 101,
      serviceId: 1,
      staff: 1,
      start: WED_10,
      clientName: "Анна",
      phone: "+79161234567",
    });
    assert.equal(hasUnsyncedWrites(db), true, "createBooking");
    await durable(db);
    const [row] = claimDue(db, T0, 60_000, 10);
    assert.ok(row, "the confirmation is owed");
    assert.equal(hasUnsyncedWrites(db), true, "claimDue");
    await durable(db);
    markDone(db, row.id, "sent", T0);
    assert.equal(hasUnsyncedWrites(db), true, "markDone");
    await durable(db);
    assert.equal(syncs.length, 3);
  });
});

Deno.test("wal sync: a restore's close and reopen keep the barrier working", async () => {
  await withDb(async (db, path, syncs) => {
    writeTransaction(db, () => insertRow(db, 1), { durability: "deferred" });
    const closed = closeForSwap(db);
    // The last connection closed: SQLite checkpointed, synced and deleted the WAL.
    assert.throws(() => Deno.statSync(`${path}-wal`), Deno.errors.NotFound);
    await durable(db); // falls back to syncing the main file
    assert.equal(syncs.length, 1);
    closed.reopen();
    assert.equal(synchronousNow(db), FULL);
    writeTransaction(db, () => insertRow(db, 2), { durability: "deferred" });
    assert.equal(hasUnsyncedWrites(db), true, "the same barrier after the reopen");
    assert.ok(Deno.statSync(`${path}-wal`).size > 0, "a new WAL file");
    await durable(db);
    assert.equal(syncs.length, 2);
    assert.equal(db.prepare("SELECT count(*) AS n FROM scratch").get()!.n, 2);
  });
});

Deno.test("wal sync: an update ends only once its deferred writes are synced, failed ones too", async () => {
  await withDb(async (db, path) => {
    let release = () => {};
    const syncs: string[] = [];
    attachWalSync(db, path, (p) => {
      syncs.push(p);
      return new Promise((resolve) => release = resolve);
    });
    const endOfUpdate = durableUpdates(db);
    const ctx = {} as BotContext;
    for (const fails of [false, true]) {
      let ended = false;
      const update = Promise.resolve(endOfUpdate(ctx, () => {
        writeTransaction(db, () => insertRow(db, 1), { durability: "deferred" });
        if (fails) throw new Error("handler failed after its write");
        return Promise.resolve();
      })).then(() => ended = true, () => ended = true);
      for (let i = 0; i < 10; i++) await Promise.resolve();
      assert.equal(syncs.length, fails ? 2 : 1, "the update asked for the fsync");
      assert.equal(ended, false, "and is not finished before it completes");
      release();
      await update;
      assert.equal(ended, true);
    }
    await endOfUpdate(ctx, () => Promise.resolve());
    assert.equal(syncs.length, 2, "an update that wrote nothing deferred syncs nothing");
  });
});

Deno.test("wal sync: the real sync fails when the database file is gone", async () => {
  const dir = await Deno.makeTempDir({ prefix: "booking-walsync-" });
  try {
    await assert.rejects(syncWalFile(`${dir}/missing.db`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

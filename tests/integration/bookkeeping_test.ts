/**
 * The bookkeeping write-behind (src/db/bookkeeping.ts) on a real SQLite file: funnel counts and
 * tracked messages are queued, merged and written in one transaction — after the delay (a timer
 * the test fires by hand), with the next write transaction, before reads, backups and close —
 * and a failed batch is dropped without reaching the caller.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  type Bookkeeping,
  type FlushTimer,
  startBookkeeping,
  trackBotMessage,
} from "../../src/db/bookkeeping.ts";
import { closeDatabase, type Db, writeTransaction } from "../../src/db/connection.ts";
import { messagesToClean } from "../../src/db/jobs_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { changeMark, createBackup } from "../../src/ops/backup.ts";
import { funnelOf, FunnelService } from "../../src/services/funnel.ts";

const NOW = Date.parse("2026-12-01T09:00:00Z"); // 12:00 in Moscow
const TODAY = Temporal.PlainDate.from("2026-12-01");

/** A timer the test fires by hand: at most one may be armed. */
class HandTimer implements FlushTimer {
  armed = new Map<number, () => void>();
  started = 0;
  #next = 1;
  start(fn: () => void): number {
    this.started++;
    this.armed.set(this.#next, fn);
    return this.#next++;
  }
  stop(id: number): void {
    this.armed.delete(id);
  }
  fire(): void {
    const fns = [...this.armed.values()];
    this.armed.clear();
    for (const fn of fns) fn();
  }
}

interface Fixture {
  path: string;
  dir: string;
  db: Db;
  timer: HandTimer;
  bookkeeping: Bookkeeping;
  funnel: FunnelService;
  dropped: { error: unknown; operations: number }[];
  /** A count read by a second connection, which sees only what is committed. */
  committed(sql: string): number;
}

async function withBookkeeping(fn: (f: Fixture) => void | Promise<void>, maxQueued?: number) {
  const dir = await Deno.makeTempDir({ prefix: "booking-bookkeeping-" });
  const path = `${dir}/booking.db`;
  const db = openMigrated(path, NOW);
  const timer = new HandTimer();
  const dropped: Fixture["dropped"] = [];
  const bookkeeping = startBookkeeping(db, {
    timer,
    maxQueued,
    onDropped: (error, operations) => dropped.push({ error, operations }),
  });
  const other = new DatabaseSync(path, { readOnly: true });
  const committed = (sql: string) => Number(other.prepare(sql).get()!.n);
  const funnel = new FunnelService(db, new FakeClock(NOW), "Europe/Moscow");
  try {
    await fn({ path, dir, db, timer, bookkeeping, funnel, dropped, committed });
  } finally {
    other.close();
    closeDatabase(db);
    await Deno.remove(dir, { recursive: true });
  }
}

const FUNNEL_SUM = "SELECT coalesce(sum(count), 0) AS n FROM funnel_daily";
const TRACKED = "SELECT count(*) AS n FROM bot_messages";

/** Frames in the WAL since it was last emptied: each commit appends its pages, at least one. */
function walFrames(db: Db): number {
  return Number(db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get()!.log);
}

function emptyWal(db: Db): void {
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

/** An ordinary write: one job mark per call. */
function markJob(db: Db): void {
  db.prepare("INSERT INTO job_marks (kind, key, done_at) VALUES ('test', ?, 0)")
    .run(crypto.randomUUID());
}

const MARKS = "SELECT count(*) AS n FROM job_marks WHERE kind = 'test'";

function track(db: Db, chatId: number, messageId: number): void {
  trackBotMessage(db, { chatId, messageId, sentAt: NOW });
}

Deno.test("bookkeeping: 50 funnel counts and 5 messages are one transaction, merged per day and step", () =>
  withBookkeeping((f) => {
    emptyWal(f.db);
    const changesBefore = Number(f.db.prepare("SELECT total_changes() AS n").get()!.n);
    for (let i = 0; i < 50; i++) f.funnel.record(i < 30 ? "started" : "service");
    for (let i = 1; i <= 5; i++) track(f.db, 1000 + i, i);
    assert.equal(f.committed(FUNNEL_SUM), 0, "queued, not written");
    assert.equal(f.committed(TRACKED), 0);
    assert.equal(f.timer.started, 1, "one timer for the whole queue");
    f.timer.fire();
    assert.equal(f.committed(FUNNEL_SUM), 50);
    assert.equal(f.committed(TRACKED), 5);
    // Two UPSERTs (started, service) adding 30 and 20, and five inserts: 7 row changes, not 55.
    const changes = Number(f.db.prepare("SELECT total_changes() AS n").get()!.n) - changesBefore;
    assert.equal(changes, 7);
    // One commit: the two tables' pages once (a commit per operation appends >= 55 frames).
    assert.ok(walFrames(f.db) <= 6, `${walFrames(f.db)} WAL frames`);
    assert.deepEqual(funnelOf(f.db, TODAY, TODAY), {
      started: 30,
      service: 20,
      slot: 0,
      contact: 0,
      confirmed: 0,
    });
    assert.equal(f.timer.armed.size, 0);
  }));

Deno.test("bookkeeping: reading the funnel or the messages to clean sees what is still queued", () =>
  withBookkeeping((f) => {
    f.funnel.record("started");
    f.funnel.record("started");
    f.funnel.record("slot");
    assert.equal(f.committed(FUNNEL_SUM), 0);
    const counts = funnelOf(f.db, TODAY, TODAY);
    assert.equal(counts.started, 2);
    assert.equal(counts.slot, 1);
    assert.equal(f.timer.armed.size, 0, "written by the read: no timer left");
    track(f.db, 1001, 7);
    const due = messagesToClean(f.db, NOW - 1, NOW, 10);
    assert.deepEqual(due.map((m) => ({ ...m })), [{ chatId: 1001, messageId: 7, sentAt: NOW }]);
  }));

Deno.test("bookkeeping: the queue joins the next write transaction, and survives its rollback", () =>
  withBookkeeping((f) => {
    f.funnel.record("contact");
    assert.throws(() =>
      writeTransaction(f.db, () => {
        markJob(f.db);
        throw new Error("refused");
      })
    );
    assert.equal(f.bookkeeping.queued, 1, "a rolled-back transaction leaves the queue queued");
    assert.equal(f.committed(FUNNEL_SUM), 0);
    writeTransaction(f.db, () => markJob(f.db));
    assert.equal(f.committed(FUNNEL_SUM), 1, "committed with the job mark");
    assert.equal(f.committed(MARKS), 1);
    assert.equal(f.bookkeeping.queued, 0);
    assert.equal(f.timer.armed.size, 0, "the timer is stopped once joined");
    assert.equal(f.dropped.length, 0);
  }));

Deno.test("bookkeeping: stop writes the queue and leaves no timer; later counts are written at once", () =>
  withBookkeeping((f) => {
    f.funnel.record("started");
    track(f.db, 1001, 1);
    assert.equal(f.timer.armed.size, 1);
    f.bookkeeping.stop();
    assert.equal(f.timer.armed.size, 0);
    assert.equal(f.committed(FUNNEL_SUM), 1);
    assert.equal(f.committed(TRACKED), 1);
    f.funnel.record("started");
    assert.equal(f.committed(FUNNEL_SUM), 2, "no bookkeeping running: written directly");
    assert.equal(f.timer.armed.size, 0);
  }));

Deno.test("bookkeeping: a full queue is written at once, without waiting for the timer", () =>
  withBookkeeping((f) => {
    for (let i = 1; i <= 9; i++) track(f.db, 1001, i);
    assert.equal(f.committed(TRACKED), 0);
    track(f.db, 1001, 10);
    assert.equal(f.committed(TRACKED), 10);
    assert.equal(f.timer.armed.size, 0);
  }, 10));

Deno.test("bookkeeping: a failing batch is reported and dropped, never thrown at the caller", () =>
  withBookkeeping((f) => {
    f.funnel.record("started");
    f.bookkeeping.countFunnelStep("2026-12-01", "typed"); // refused by the CHECK on step
    assert.doesNotThrow(() => f.timer.fire());
    assert.equal(f.dropped.length, 1);
    assert.equal(f.dropped[0].operations, 2);
    assert.equal(f.committed(FUNNEL_SUM), 0, "the whole batch is dropped");
    assert.equal(f.bookkeeping.queued, 0);
    // Joined to a transaction, a failing batch drops itself and nothing of the transaction.
    f.funnel.record("slot"); // written before the refused one, then rolled back with it
    f.bookkeeping.countFunnelStep("2026-12-01", "typed");
    writeTransaction(f.db, () => markJob(f.db));
    assert.equal(f.committed(MARKS), 1);
    assert.equal(f.committed(FUNNEL_SUM), 0);
    assert.equal(f.dropped.length, 2);
    assert.equal(f.db.isTransaction, false);
  }));

Deno.test("bookkeeping: a backup contains the queued counts and messages; they count as a change", () =>
  withBookkeeping(async (f) => {
    const mark = changeMark(f.db);
    f.funnel.record("confirmed");
    track(f.db, 1001, 42);
    assert.notEqual(changeMark(f.db), mark, "queued rows are written before the mark is taken");
    f.funnel.record("confirmed");
    track(f.db, 1001, 43);
    const info = await createBackup(f.db, `${f.dir}/backups`, NOW);
    const copy = new DatabaseSync(info.path, { readOnly: true });
    try {
      assert.equal(Number(copy.prepare(FUNNEL_SUM).get()!.n), 2);
      assert.equal(Number(copy.prepare(TRACKED).get()!.n), 2);
    } finally {
      copy.close();
    }
  }));

Deno.test("bookkeeping: with real timers, closing the database writes the queue and leaves no timer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "booking-bookkeeping-" });
  try {
    const db = openMigrated(`${dir}/booking.db`, NOW);
    startBookkeeping(db, { onDropped: (error) => assert.fail(String(error)) });
    new FunnelService(db, new FakeClock(NOW), "Europe/Moscow").record("started");
    closeDatabase(db); // the test's op sanitizer fails if the flush timer were still armed
    const again = openMigrated(`${dir}/booking.db`, NOW);
    assert.equal(funnelOf(again, TODAY, TODAY).started, 1);
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

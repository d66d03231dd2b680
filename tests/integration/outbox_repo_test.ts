/**
 * The outbox on a real SQLite file with an injected clock: rows written with the change, claim
 * with a lease, lease expiry, done, retry, and the rows each booking change owes.
 */
import assert from "node:assert/strict";
import { upsertAdmin } from "../../src/db/admins_repo.ts";
import type { Db } from "../../src/db/connection.ts";
import {
  claimDue,
  enqueue,
  getOutboxRow,
  hasOwed,
  markDone,
  outboxOfBooking,
  pendingCount,
  pruneDone,
  releaseAllLeases,
  releaseForRetry,
} from "../../src/db/outbox_repo.ts";
import { insertService } from "../../src/db/services_repo.ts";
import { openMigrated } from "../../src/db/setup.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { BookingError, BookingService } from "../../src/services/booking_service.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";

const LEASE = 60_000;
const T0 = Date.parse("2026-12-01T06:00:00Z"); // Tue 09:00 Moscow
const WED_10 = Date.parse("2026-12-02T07:00:00Z");

async function withDb(fn: (db: Db, clock: FakeClock) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "booking-outbox-" });
  const clock = new FakeClock(T0);
  const db = openMigrated(`${dir}/booking.db`, clock.now());
  try {
    await fn(db, clock);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A booking row to hang outbox rows on (the foreign key wants one). */
function aBooking(db: Db, clock: FakeClock): number {
  loadDemoData(db, clock.now());
  upsertUser(db, { id: 101, first_name: "Anna" }, clock.now());
  const engine = new BookingService(db, clock, "Europe/Moscow", { silent: true });
  return engine.createBooking({
    userId: 101,
    serviceId: 1,
    staff: 1,
    start: WED_10,
    clientName: "Anna Petrova",
    phone: "+79161234567",
  }).id;
}

Deno.test("outbox: claim leases a row; nobody else gets it until the lease runs out", () =>
  withDb((db, clock) => {
    const id = aBooking(db, clock);
    enqueue(db, [{ kind: "confirmation", bookingId: id, chatId: 101 }], clock.now());
    const [row] = claimDue(db, clock.now(), LEASE, 10);
    assert.equal(row.kind, "confirmation");
    assert.equal(row.attempts, 1);
    assert.equal(row.leasedUntil, T0 + LEASE);
    assert.deepEqual(claimDue(db, clock.now(), LEASE, 10), [], "leased");
    clock.advance(LEASE - 1);
    assert.deepEqual(claimDue(db, clock.now(), LEASE, 10), [], "still leased");
    clock.advance(1);
    const [again] = claimDue(db, clock.now(), LEASE, 10);
    assert.equal(again.id, row.id, "the lease ran out: claimed again");
    assert.equal(again.attempts, 2);
  }));

Deno.test("outbox: a row marked done is never claimed again; pruning forgets old done rows", () =>
  withDb((db, clock) => {
    const id = aBooking(db, clock);
    enqueue(db, [{ kind: "confirmation", bookingId: id, chatId: 101 }], clock.now());
    const [row] = claimDue(db, clock.now(), LEASE, 10);
    markDone(db, row.id, "sent", clock.now());
    assert.equal(getOutboxRow(db, row.id)!.outcome, "sent");
    assert.equal(pendingCount(db), 0);
    assert.equal(hasOwed(db, 101, clock.now()), false);
    clock.advance(10 * LEASE);
    assert.deepEqual(claimDue(db, clock.now(), LEASE, 10), []);
    assert.equal(pruneDone(db, clock.now() - LEASE), 1);
    assert.equal(getOutboxRow(db, row.id), undefined);
  }));

Deno.test("outbox: a row given back waits for its retry time; a start alone frees every lease", () =>
  withDb((db, clock) => {
    const id = aBooking(db, clock);
    enqueue(db, [
      { kind: "reminder_day", bookingId: id, chatId: 101 },
      { kind: "admin_created", bookingId: id, chatId: 900 },
    ], clock.now());
    const claimed = claimDue(db, clock.now(), LEASE, 10);
    // Most urgent first: the admins' notice before the reminder.
    assert.deepEqual(claimed.map((r) => r.kind), ["admin_created", "reminder_day"]);
    releaseForRetry(db, claimed[0].id, clock.now() + 5_000);
    assert.deepEqual(claimDue(db, clock.now(), LEASE, 10), []);
    assert.equal(hasOwed(db, 900, clock.now()), false, "not before its retry time");
    clock.advance(5_000);
    assert.equal(hasOwed(db, 900, clock.now()), true);
    assert.deepEqual(claimDue(db, clock.now(), LEASE, 10).map((r) => r.kind), ["admin_created"]);
    // The process holding them died; a bot starting alone on the folder takes them back at once.
    assert.equal(releaseAllLeases(db), 2);
    assert.deepEqual(claimDue(db, clock.now(), LEASE, 10).map((r) => r.kind), [
      "admin_created",
      "reminder_day",
    ]);
  }));

Deno.test("outbox: each booking change writes its messages in its own transaction", () =>
  withDb((db, clock) => {
    loadDemoData(db, clock.now());
    upsertAdmin(db, 900, "owner", null, clock.now());
    upsertAdmin(db, 901, "viewer", 900, clock.now());
    upsertUser(db, { id: 101, first_name: "Anna" }, clock.now());
    let kicks = 0;
    const engine = new BookingService(db, clock, "Europe/Moscow", { onOwed: () => kicks++ });
    const client = { userId: 101, isAdmin: false };
    const admin = { userId: 900, isAdmin: true };
    const b = engine.createBooking({
      userId: 101,
      serviceId: 1,
      staff: 1,
      start: WED_10,
      clientName: "Anna Petrova",
      phone: "+79161234567",
    });
    const owed = () => outboxOfBooking(db, b.id).map((r) => `${r.kind}>${r.chatId}`);
    assert.deepEqual(owed(), ["confirmation>101", "admin_created>900", "admin_created>901"]);
    assert.equal(kicks, 1);

    engine.rescheduleBooking(b.id, client, { start: WED_10 + 3_600_000 });
    assert.deepEqual(owed().slice(3), ["admin_moved>900", "admin_moved>901"]);
    assert.equal(outboxOfBooking(db, b.id)[3].payload.from, WED_10);
    engine.updateContact(b.id, admin, { phone: "+79160000001" });
    assert.deepEqual(owed().slice(5), ["client_changed>101"]);
    assert.equal(outboxOfBooking(db, b.id)[5].payload.phone, "+79161234567", "the old phone");
    engine.updateContact(b.id, admin, { phone: "+79160000001" });
    assert.equal(owed().length, 6, "nothing changed, nothing owed");
    engine.cancelBooking(b.id, client);
    assert.deepEqual(owed().slice(6), ["admin_cancelled>900", "admin_cancelled>901"]);
    assert.equal(kicks, 4);

    // A refused change writes nothing: the rows live and die with the transaction.
    assert.throws(() => engine.cancelBooking(b.id, client), BookingError);
    assert.equal(owed().length, 8);
    // Fixtures and imports: a silent engine owes nothing.
    const quiet = new BookingService(db, clock, "Europe/Moscow", { silent: true });
    const c = quiet.createBooking({
      userId: 101,
      serviceId: insertService(db, {
        name: "Quiet",
        description: "",
        durationMinutes: 30,
        priceMinor: null,
        displayOrder: 9,
        isActive: true,
      }, clock.now()),
      staff: 1,
      start: WED_10 + 24 * 3_600_000,
      clientName: "Anna Petrova",
      phone: "+79161234567",
    });
    assert.deepEqual(outboxOfBooking(db, c.id), []);
  }));

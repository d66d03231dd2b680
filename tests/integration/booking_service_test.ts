import assert from "node:assert/strict";
import { openMigrated } from "../../src/db/setup.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { BookingError, BookingService } from "../../src/services/booking_service.ts";
import { listBookableServices, setServiceDeleted } from "../../src/db/services_repo.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { getBooking, insertBooking, updateBooking } from "../../src/db/bookings_repo.ts";
import { listAudit } from "../../src/db/audit_repo.ts";
import { addDayOff, setRule } from "../../src/db/schedule_repo.ts";
import { insertStaff, setStaffActive } from "../../src/db/staff_repo.ts";
import { setWorkingHours } from "../../src/db/schedule_repo.ts";

const NOW = Date.parse("2026-12-01T06:00:00Z"); // Tue 09:00 Moscow
const at = (iso: string) => Date.parse(iso);

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "booking-svc-" });
  const db = openMigrated(`${dir}/booking.db`, NOW);
  loadDemoData(db, NOW);
  const clock = new FakeClock(NOW);
  for (const id of [1, 2, 3]) upsertUser(db, { id, first_name: `U${id}` }, NOW);
  const engine = new BookingService(db, clock, "Europe/Moscow");
  const services = Object.fromEntries(listBookableServices(db).map((s) => [s.name, s.id]));
  return {
    db,
    clock,
    engine,
    services,
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const book = (e: BookingService, userId: number, serviceId: number, start: number) =>
  e.createBooking({
    userId,
    serviceId,
    staff: "any",
    start,
    clientName: "Анна Петрова",
    phone: "89161234567",
  });

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof BookingError) return error.code;
    throw error;
  }
  return "ok";
}

Deno.test("service: create validates, normalises, audits and blocks overlapping durations", async () => {
  const s = await setup();
  try {
    const b = book(s.engine, 1, s.services.Colouring, at("2026-12-02T07:00:00Z")); // 10:00-11:30
    assert.equal(b.phone, "+79161234567");
    assert.equal(b.end - b.start, 90 * 60_000);
    assert.equal(
      code(() => book(s.engine, 2, s.services.Haircut, at("2026-12-02T08:00:00Z"))),
      "slot_taken",
    );
    assert.equal(
      code(() => book(s.engine, 2, s.services["Beard trim"], at("2026-12-02T08:00:00Z"))),
      "slot_taken",
    );
    assert.equal(
      book(s.engine, 2, s.services["Beard trim"], at("2026-12-02T08:30:00Z")).status,
      "active",
    );
    const audit = listAudit(s.db, { entity: "booking", entityId: b.id, limit: 5, offset: 0 });
    assert.equal(audit.rows[0].action, "create");
    assert.match(audit.rows[0].newValue!, /\+79161234567/);
    assert.equal(
      code(() =>
        s.engine.createBooking({
          userId: 1,
          serviceId: s.services.Haircut,
          staff: "any",
          start: at("2026-12-03T07:00:00Z"),
          clientName: "A",
          phone: "+79161234567",
        })
      ),
      "name_length",
    );
    assert.equal(
      code(() =>
        s.engine.createBooking({
          userId: 1,
          serviceId: s.services.Haircut,
          staff: "any",
          start: at("2026-12-03T07:00:00Z"),
          clientName: "Anna",
          phone: "123",
        })
      ),
      "phone_format",
    );
  } finally {
    await s.close();
  }
});

Deno.test("service: rules — notice, lunch, weekend, day off, horizon, inactive service, max per day", async () => {
  const s = await setup();
  try {
    const e = s.engine;
    assert.equal(
      code(() => book(e, 1, s.services.Haircut, at("2026-12-01T06:30:00Z"))),
      "too_soon",
    );
    assert.equal(code(() => book(e, 1, s.services.Haircut, at("2026-12-02T10:00:00Z"))), "closed"); // 13:00, lunch
    assert.equal(code(() => book(e, 1, s.services.Haircut, at("2026-12-05T07:00:00Z"))), "closed"); // Saturday
    addDayOff(s.db, "2026-12-04", null, "holiday");
    assert.equal(code(() => book(e, 1, s.services.Haircut, at("2026-12-04T07:00:00Z"))), "day_off");
    assert.equal(
      code(() => book(e, 1, s.services.Haircut, at("2027-03-01T07:00:00Z"))),
      "beyond_horizon",
    );
    setServiceDeleted(s.db, s.services.Colouring, NOW, NOW);
    assert.equal(
      code(() => book(e, 1, s.services.Colouring, at("2026-12-02T07:00:00Z"))),
      "service_unavailable",
    );
    setRule(s.db, "maxBookingsPerDay", 1, NOW);
    book(e, 1, s.services.Haircut, at("2026-12-03T07:00:00Z"));
    assert.equal(
      code(() => book(e, 2, s.services.Haircut, at("2026-12-03T09:00:00Z"))),
      "day_full",
    );
  } finally {
    await s.close();
  }
});

Deno.test("service: lunch break and the 13:00 slot", async () => {
  const s = await setup();
  try {
    // 12:30-13:30 overlaps lunch (13:00-14:00) for a 60-minute service.
    assert.equal(
      code(() => book(s.engine, 1, s.services.Haircut, at("2026-12-02T09:30:00Z"))),
      "closed",
    );
    assert.equal(
      book(s.engine, 1, s.services["Beard trim"], at("2026-12-02T09:30:00Z")).status,
      "active",
    );
  } finally {
    await s.close();
  }
});

Deno.test("service: clients cancel and move only before the cutoff; admins any time; owners only", async () => {
  const s = await setup();
  try {
    const e = s.engine;
    const b = book(e, 1, s.services.Haircut, at("2026-12-03T07:00:00Z"));
    assert.equal(code(() => e.cancelBooking(b.id, { userId: 2, isAdmin: false })), "forbidden");
    s.clock.set("2026-12-02T07:00:00Z"); // exactly 24 h before
    const moved = e.rescheduleBooking(b.id, { userId: 1, isAdmin: false }, {
      start: at("2026-12-03T08:00:00Z"),
    });
    assert.equal(moved.start, at("2026-12-03T08:00:00Z"));
    s.clock.set("2026-12-02T08:00:00.001Z"); // 1 ms past the cutoff of the moved booking
    assert.equal(
      code(() => e.cancelBooking(b.id, { userId: 1, isAdmin: false })),
      "too_late_to_change",
    );
    const cancelled = e.cancelBooking(b.id, { userId: 99, isAdmin: true }, "master ill");
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.cancelReason, "master ill");
    assert.equal(code(() => e.cancelBooking(b.id, { userId: 99, isAdmin: true })), "not_active");
    const fields = listAudit(s.db, { entity: "booking", entityId: b.id, limit: 10, offset: 0 }).rows
      .map((r) => `${r.action}:${r.field ?? ""}`);
    assert.deepEqual(fields, ["cancel:status", "update:start", "create:"]);
  } finally {
    await s.close();
  }
});

Deno.test("service: contact edit is validated and audited with old and new values", async () => {
  const s = await setup();
  try {
    const b = book(s.engine, 1, s.services.Haircut, at("2026-12-03T07:00:00Z"));
    assert.equal(
      code(() => s.engine.updateContact(b.id, { userId: 1, isAdmin: false }, { phone: "12" })),
      "phone_format",
    );
    const updated = s.engine.updateContact(b.id, { userId: 1, isAdmin: false }, {
      clientName: "Anna Karenina",
    });
    assert.equal(updated.clientName, "Anna Karenina");
    const row = listAudit(s.db, { entity: "booking", entityId: b.id, limit: 1, offset: 0 }).rows[0];
    assert.deepEqual([row.field, row.oldValue, row.newValue], [
      "client_name",
      "Анна Петрова",
      "Anna Karenina",
    ]);
  } finally {
    await s.close();
  }
});

Deno.test("service: with two masters 'any' picks a free one and the second booking lands on the other", async () => {
  const s = await setup();
  try {
    const second = insertStaff(s.db, "Olga", NOW);
    for (let d = 1; d <= 5; d++) setWorkingHours(s.db, second, d, { start: 540, end: 1080 });
    const start = at("2026-12-02T07:00:00Z");
    const a = book(s.engine, 1, s.services.Haircut, start);
    const b = book(s.engine, 2, s.services.Haircut, start);
    assert.notEqual(a.staffId, b.staffId);
    assert.equal(code(() => book(s.engine, 3, s.services.Haircut, start)), "slot_taken");
    assert.ok(
      !s.engine.freeSlots(s.services.Haircut, "any", Temporal.PlainDate.from("2026-12-02")).some((
        x,
      ) => x.start === start),
    );
    setStaffActive(s.db, second, false, NOW);
    assert.equal(
      code(() =>
        s.engine.createBooking({
          userId: 3,
          serviceId: s.services.Haircut,
          staff: second,
          start: at("2026-12-02T09:00:00Z"),
          clientName: "Olga K",
          phone: "+79161234567",
        })
      ),
      "staff_unavailable",
    );
  } finally {
    await s.close();
  }
});

Deno.test("service: a booking keeps its price when the service's price changes and when moved; another service brings its own", async () => {
  const s = await setup();
  try {
    const admin = { userId: 1, isAdmin: true };
    const b = book(s.engine, 1, s.services.Haircut, at("2026-12-02T07:00:00Z")); // 10:00, 1 500
    assert.equal(b.priceMinor, 150000);
    assert.equal(b.durationMinutes, 60);
    s.db.prepare("UPDATE services SET price_minor = 200000, duration_minutes = 90 WHERE id = ?")
      .run(s.services.Haircut);
    const later = book(s.engine, 2, s.services.Haircut, at("2026-12-03T07:00:00Z"));
    assert.equal(later.priceMinor, 200000, "a new booking takes today's price");
    assert.equal(later.durationMinutes, 90);

    // Moved by the client: same service, the price the client booked at.
    const moved = s.engine.rescheduleBooking(b.id, { userId: 1, isAdmin: false }, {
      start: at("2026-12-04T07:00:00Z"),
    });
    assert.equal(moved.priceMinor, 150000);
    assert.equal(moved.durationMinutes, (moved.end - moved.start) / 60_000);

    // The admin editor changes the service: the new service's price and duration.
    const beard = s.engine.rescheduleBooking(b.id, admin, {
      start: moved.start,
      serviceId: s.services["Beard trim"],
    });
    assert.equal(beard.priceMinor, 70000);
    assert.equal(beard.durationMinutes, 30);
    assert.equal(beard.end - beard.start, 30 * 60_000);
    const consult = s.engine.rescheduleBooking(b.id, admin, {
      start: moved.start,
      serviceId: s.services.Consultation,
    });
    assert.equal(consult.priceMinor, null, "an unpriced service has no price");
    const audit = listAudit(s.db, { entity: "booking", entityId: b.id, limit: 20, offset: 0 })
      .rows.filter((r) => r.field === "price_minor").map((r) => [r.oldValue, r.newValue]);
    assert.deepEqual(audit.sort(), [["150000", "70000"], ["70000", null]].sort());
  } finally {
    await s.close();
  }
});

Deno.test("service: restore brings a deleted booking back as it was, through the rules and the overlap trigger", async () => {
  const s = await setup();
  try {
    const admin = { userId: 3, isAdmin: true };
    const soft = (id: number) => updateBooking(s.db, id, { deletedAt: s.clock.now() }, NOW);
    // A live booking is not "deleted": nothing to restore.
    const live = book(s.engine, 1, s.services.Haircut, at("2026-12-02T07:00:00Z"));
    assert.equal(code(() => s.engine.restoreBooking(live.id, admin)), "not_found");

    // A cancelled one comes back cancelled; the restore is audited.
    const cancelled = book(s.engine, 2, s.services.Haircut, at("2026-12-02T09:00:00Z"));
    s.engine.cancelBooking(cancelled.id, admin, null);
    soft(cancelled.id);
    const back = s.engine.restoreBooking(cancelled.id, admin);
    assert.equal(back.deletedAt, null);
    assert.equal(back.status, "cancelled");
    const record =
      listAudit(s.db, { entity: "booking", entityId: cancelled.id, limit: 1, offset: 0 })
        .rows[0];
    assert.deepEqual([record.action, record.field, record.actorId], ["restore", "deleted_at", 3]);

    // An active one still to come must fit the rules again: its day became a day off.
    const friday = book(s.engine, 1, s.services.Haircut, at("2026-12-04T07:00:00Z"));
    soft(friday.id);
    addDayOff(s.db, "2026-12-04", null, "holiday");
    assert.notEqual(code(() => s.engine.restoreBooking(friday.id, admin)), "ok");
    assert.ok(getBooking(s.db, friday.id)!.deletedAt !== null, "still deleted");

    // A past active one whose time is taken now: the overlap trigger refuses it.
    const past = book(s.engine, 1, s.services.Haircut, at("2026-12-03T07:00:00Z"));
    s.clock.set(at("2026-12-05T06:00:00Z"));
    soft(past.id);
    const other = insertBooking(s.db, {
      userId: 2,
      serviceId: past.serviceId,
      staffId: past.staffId,
      start: past.start,
      end: past.end,
      clientName: "Борис",
      phone: "+79035550000",
      priceMinor: null,
    }, s.clock.now());
    assert.equal(code(() => s.engine.restoreBooking(past.id, admin)), "slot_taken");
    s.engine.setStatus(other, admin, "cancelled");
    assert.equal(s.engine.restoreBooking(past.id, admin).status, "active");
  } finally {
    await s.close();
  }
});

Deno.test("service: 'any' free slots name the master with fewer bookings that day, once per start", async () => {
  const s = await setup();
  try {
    const second = insertStaff(s.db, "Olga", NOW);
    for (let d = 1; d <= 5; d++) setWorkingHours(s.db, second, d, { start: 540, end: 1080 });
    const day = Temporal.PlainDate.from("2026-12-02");
    const busier = book(s.engine, 1, s.services.Haircut, at("2026-12-02T07:00:00Z")).staffId;
    const slots = s.engine.freeSlots(s.services.Haircut, "any", day);
    const starts = slots.map((x) => x.start);
    assert.deepEqual(starts, [...new Set(starts)].sort((a, b) => a - b));
    assert.ok(slots.length > 10);
    for (const slot of slots) assert.notEqual(slot.staffId, busier, slot.label);
    assert.deepEqual(Object.keys(slots[0]), ["start", "end", "minute", "label", "staffId"]);
  } finally {
    await s.close();
  }
});

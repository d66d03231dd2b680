/**
 * Two OS processes race for the same freed times on one database file: one claims the offers
 * made to waiting clients, the other books the same times the ordinary way. Exactly one wins
 * each time; nobody is double-booked and no SQLITE_BUSY escapes.
 */
import assert from "node:assert/strict";
import { openMigrated } from "../../src/db/setup.ts";
import { rememberContact, upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { loadDemoData } from "../../src/services/demo_data.ts";
import { BookingService } from "../../src/services/booking_service.ts";
import { WaitlistService } from "../../src/services/waitlist.ts";
import { listBookableServices } from "../../src/db/services_repo.ts";

const NOW = "2026-12-01T06:00:00Z"; // Tue 09:00 Moscow
const DAY = Temporal.PlainDate.from("2026-12-02");
const TZ = "Europe/Moscow";
const RACES = 6;

/** A full day, RACES waiting clients, RACES times freed and offered; the offers as stored. */
function setUp(dbPath: string) {
  const db = openMigrated(dbPath, Date.parse(NOW));
  loadDemoData(db, Date.parse(NOW));
  const clock = new FakeClock(Date.parse(NOW));
  const engine = new BookingService(db, clock, TZ, { silent: true });
  const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
  const booked = [];
  for (let user = 1000;; user++) {
    const [slot] = engine.freeSlots(haircut.id, "any", DAY);
    if (!slot) break;
    upsertUser(db, { id: user, first_name: "Regular" }, clock.now());
    booked.push(engine.createBooking({
      userId: user,
      serviceId: haircut.id,
      staff: slot.staffId,
      start: slot.start,
      clientName: "Regular Client",
      phone: "+79160000000",
    }));
  }
  const waitlist = new WaitlistService(db, clock, engine, TZ, 15);
  for (let i = 0; i < RACES; i++) {
    const userId = 2000 + i;
    upsertUser(db, { id: userId, first_name: "Waiting" }, clock.now());
    rememberContact(db, userId, "Waiting Client", "+79160000001", clock.now());
    waitlist.join({
      userId,
      serviceId: haircut.id,
      staffId: null,
      day: DAY.toString(),
      part: "any",
    });
  }
  for (const b of booked.slice(0, RACES)) engine.cancelBooking(b.id, { userId: 1, isAdmin: true });
  waitlist.sweep();
  const offers = db.prepare(
    "SELECT id, user_id, offer_start, offer_staff FROM waitlist WHERE status = 'offered' ORDER BY offer_start",
  ).all().map((r) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    start: Number(r.offer_start),
    staff: Number(r.offer_staff),
  }));
  db.close();
  return { offers, serviceId: haircut.id };
}

Deno.test("waitlist: a claim and an ordinary booking racing for one freed time — exactly one wins", async () => {
  const dir = await Deno.makeTempDir({ prefix: "booking-wait-race-" });
  const dbPath = `${dir}/booking.db`;
  try {
    const { offers, serviceId } = setUp(dbPath);
    assert.equal(offers.length, RACES, "every freed time is offered to one waiting client");
    const worker = new URL("../support/waitlist_worker.ts", import.meta.url).pathname;
    const startAt = Date.now() + 1_500;
    const run = (mode: string, items: [number, number][]) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          worker,
          dbPath,
          NOW,
          String(serviceId),
          mode,
          String(startAt),
          JSON.stringify(items),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const [claims, books] = await Promise.all([
      run("claim", offers.map((o) => [o.id, o.userId])),
      run("book", offers.map((o) => [o.start, o.staff])),
    ]);
    const outcomes = [claims, books].map((r) => {
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
      return JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").at(-1)!) as string[];
    });
    const all = outcomes.flat();
    assert.deepEqual(all.filter((o) => o !== "ok" && o !== "slot_taken"), [], "no other error");
    for (let i = 0; i < RACES; i++) {
      const won = [outcomes[0][i], outcomes[1][i]].filter((o) => o === "ok");
      assert.equal(won.length, 1, `exactly one of claim/booking won time ${i}`);
    }
    const db = openMigrated(dbPath, Date.parse(NOW));
    for (const o of offers) {
      const n = Number(
        db.prepare(
          "SELECT count(*) AS n FROM bookings WHERE start_at = ? AND staff_id = ? AND status = 'active'",
        ).get(o.start, o.staff)!.n,
      );
      assert.equal(n, 1, "one active booking per freed time");
    }
    // A lost claim keeps the wait (it goes back to waiting for the next freed time).
    const lost = outcomes[0].filter((o) => o === "slot_taken").length;
    const waiting = Number(
      db.prepare("SELECT count(*) AS n FROM waitlist WHERE status = 'waiting'").get()!.n,
    );
    assert.equal(waiting, lost);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

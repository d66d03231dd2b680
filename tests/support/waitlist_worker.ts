/**
 * A separate OS process for the waitlist race: from a shared instant on, either claims offered
 * waits (mode "claim", items [waitId, userId]) or books the same times the ordinary way (mode
 * "book", items [start, staffId]); prints one JSON line with the outcome of each attempt.
 * Args: dbPath nowIso serviceId mode startAtEpochMs itemsJson
 */
import { openDatabase } from "../../src/db/connection.ts";
import { upsertUser } from "../../src/db/users_repo.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { BookingError, BookingService } from "../../src/services/booking_service.ts";
import { WaitlistError, WaitlistService } from "../../src/services/waitlist.ts";

const [dbPath, nowIso, serviceId, mode, startAt, itemsJson] = Deno.args;
const items = JSON.parse(itemsJson) as [number, number][];
const db = openDatabase(dbPath);
const clock = new FakeClock(Date.parse(nowIso));
const engine = new BookingService(db, clock, "Europe/Moscow", { silent: true });
const waitlist = new WaitlistService(db, clock, engine, "Europe/Moscow", 15);
const outcomes: string[] = [];
while (Date.now() < Number(startAt)) {
  // Both processes start at the same instant, so their attempts interleave.
}
for (const [a, b] of items) {
  try {
    if (mode === "claim") waitlist.claim(b, a);
    else {
      upsertUser(db, { id: 30_000 + outcomes.length, first_name: "Walk-in" }, clock.now());
      engine.createBooking({
        userId: 30_000 + outcomes.length,
        serviceId: Number(serviceId),
        staff: b,
        start: a,
        clientName: "Walk In",
        phone: "+79160000002",
      });
    }
    outcomes.push("ok");
  } catch (error) {
    if (error instanceof BookingError || error instanceof WaitlistError) outcomes.push(error.code);
    else outcomes.push(`error:${error instanceof Error ? error.message : String(error)}`);
  }
}
db.close();
console.log(JSON.stringify(outcomes));

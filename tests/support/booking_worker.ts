/**
 * A separate OS process for the concurrency test: makes booking attempts on a shared
 * database file and prints one JSON line with the outcome of each attempt.
 * Args: dbPath nowIso serviceId userIdBase attemptsJson
 */
import { openDatabase } from "../../src/db/connection.ts";
import { FakeClock } from "../../src/domain/clock.ts";
import { BookingError, BookingService } from "../../src/services/booking_service.ts";
import { upsertUser } from "../../src/db/users_repo.ts";

const [dbPath, nowIso, serviceId, userBase, attemptsJson] = Deno.args;
const starts = JSON.parse(attemptsJson) as number[];
const db = openDatabase(dbPath);
const clock = new FakeClock(Date.parse(nowIso));
const service = new BookingService(db, clock, "Europe/Moscow");
const outcomes: string[] = [];
for (let i = 0; i < starts.length; i++) {
  const userId = Number(userBase) + i;
  try {
    upsertUser(db, { id: userId, first_name: "Racer" }, clock.now());
    service.createBooking({
      userId,
      serviceId: Number(serviceId),
      staff: "any",
      start: starts[i],
      clientName: "Racer Test",
      phone: "+79160000000",
    });
    outcomes.push("ok");
  } catch (error) {
    if (error instanceof BookingError) outcomes.push(error.code);
    else outcomes.push(`error:${error instanceof Error ? error.message : String(error)}`);
  }
}
db.close();
console.log(JSON.stringify(outcomes));

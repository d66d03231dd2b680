/**
 * Database benchmark: free-slot query with N bookings stored (default 1,000,000), booking
 * transaction latency (synchronous = FULL, so each commit is fsynced), size per 1,000 bookings.
 * Usage: deno run -A bench/db_bench.ts [bookings]
 */
import { openMigrated } from "../src/db/setup.ts";
import { FakeClock } from "../src/domain/clock.ts";
import { BookingService } from "../src/services/booking_service.ts";
import { listBookableServices } from "../src/db/services_repo.ts";
import { dayBounds, wallClockInstant } from "../src/domain/time.ts";
import { fillDatabase, STAFF, TZ } from "./fill.ts";

/** One measured figure. */
export interface Figure {
  name: string;
  value: string;
  target: string;
  ok: boolean;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Runs the database benchmark and returns its figures. */
export async function runDbBench(total = 1_000_000): Promise<Figure[]> {
  const dir = await Deno.makeTempDir({ prefix: "booking-bench-" });
  const path = `${dir}/booking.db`;
  const now = Date.parse("2026-12-01T06:00:00Z");
  // 50 masters, 6 of 8 hours booked every weekday around "now": a busy salon.
  const fillSeconds = fillDatabase(path, total, now);
  const db = openMigrated(path, now);
  const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
  const pageSize = Number(db.prepare("PRAGMA page_size").get()!.page_size);
  const pages = Number(db.prepare("PRAGMA page_count").get()!.page_count);
  const bytes = pageSize * pages;
  const perThousandMb = bytes / (total / 1000) / (1 << 20);

  const clock = new FakeClock(now);
  const engine = new BookingService(db, clock, TZ);
  // Free slots of one master and of "any" (all 50) on a busy future day.
  const busyDay = Temporal.PlainDate.from("2026-12-02");
  const single: number[] = [];
  const any: number[] = [];
  for (let i = 0; i < 200; i++) {
    let t = performance.now();
    engine.freeSlots(haircut.id, 1 + (i % STAFF), busyDay);
    single.push(performance.now() - t);
    if (i < 40) {
      t = performance.now();
      engine.freeSlots(haircut.id, "any", busyDay);
      any.push(performance.now() - t);
    }
  }
  single.sort((a, b) => a - b);
  any.sort((a, b) => a - b);

  // Booking transactions into the free 12:00 and 17:00 gaps of future days.
  const tx: number[] = [];
  let day = Temporal.PlainDate.from("2026-12-02");
  let made = 0;
  let userId = 2;
  const addUser = db.prepare(
    "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (?, 'U', 0, 0)",
  );
  while (made < 300) {
    if (day.dayOfWeek <= 5) {
      for (const hour of [12, 17]) {
        for (let staff = 1; staff <= STAFF && made < 300; staff += 7) {
          addUser.run(userId);
          const start = wallClockInstant(day, hour * 60, TZ)!;
          const t = performance.now();
          engine.createBooking({
            userId,
            serviceId: haircut.id,
            staff,
            start,
            clientName: "Bench Client",
            phone: "+79160000000",
          });
          tx.push(performance.now() - t);
          userId++;
          made++;
        }
      }
    }
    day = day.add({ days: 1 });
  }
  tx.sort((a, b) => a - b);
  const [from, to] = dayBounds(busyDay, TZ);
  const dayCount = Number(
    db.prepare("SELECT count(*) AS n FROM bookings WHERE start_at >= ? AND start_at < ?").get(
      from,
      to,
    )!.n,
  );
  db.close();
  await Deno.remove(dir, { recursive: true });

  const ms = (v: number) => `${v.toFixed(3)} ms`;
  return [
    {
      name: `bookings stored (filled in ${fillSeconds.toFixed(1)} s)`,
      value: total.toLocaleString("en"),
      target: "1,000,000",
      ok: total >= 1_000_000,
    },
    {
      name: `free slots, one master, median (day has ${dayCount} bookings)`,
      value: ms(percentile(single, 0.5)),
      target: "< 5 ms",
      ok: percentile(single, 0.5) < 5,
    },
    {
      name: "free slots, one master, p99",
      value: ms(percentile(single, 0.99)),
      target: "-",
      ok: true,
    },
    {
      name: `free slots, "any" of ${STAFF} masters, median`,
      value: ms(percentile(any, 0.5)),
      target: "-",
      ok: true,
    },
    {
      name: "booking transaction, median (FULL sync)",
      value: ms(percentile(tx, 0.5)),
      target: "< 2 ms",
      ok: percentile(tx, 0.5) < 2,
    },
    { name: "booking transaction, p99", value: ms(percentile(tx, 0.99)), target: "-", ok: true },
    {
      name: "database size per 1,000 bookings",
      value: `${perThousandMb.toFixed(3)} MB`,
      target: "<= 0.5 MB",
      ok: perThousandMb <= 0.5,
    },
  ];
}

/** Prints figures as a table. */
export function printTable(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) {
    console.log(
      `  ${f.name.padEnd(width)}  ${f.value.padStart(14)}  target ${f.target.padEnd(10)} ${
        f.ok ? "ok" : "MISSED"
      }`,
    );
  }
}

if (import.meta.main) {
  const total = Deno.args[0] ? Number(Deno.args[0]) : 1_000_000;
  printTable(
    `Database (${Deno.build.os}, ${navigator.hardwareConcurrency} cores)`,
    await runDbBench(total),
  );
}

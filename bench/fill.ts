/** The database shared by the benchmarks: a busy salon with many bookings. */
import { openMigrated } from "../src/db/setup.ts";
import { writeTransaction } from "../src/db/connection.ts";
import { setWorkingHours } from "../src/db/schedule_repo.ts";
import { listBookableServices } from "../src/db/services_repo.ts";
import { localDate, wallClockInstant } from "../src/domain/time.ts";
import { loadDemoData } from "../src/services/demo_data.ts";

/** Business time zone of the benchmark data. */
export const TZ = "Europe/Moscow";
/** Masters in the benchmark data. */
export const STAFF = 50;
/** Hourly bookings per master and working day (of 8 working hours: gaps stay free). */
export const PER_DAY = 6;
const HOURS = [9, 10, 11, 14, 15, 16];

/**
 * The benchmark database: demo data, 50 masters working
 * Mon-Fri 9-18, bookings on 6 of their 8 hours of every weekday from 30 days ahead of `now`
 * backwards until `total` are stored. Returns the seconds the bookings took to insert.
 */
export function fillDatabase(path: string, total: number, now: number): number {
  const db = openMigrated(path, now);
  try {
    loadDemoData(db, now);
    const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
    writeTransaction(db, () => {
      const add = db.prepare(
        "INSERT INTO staff (name, is_active, display_order, created_at, updated_at) VALUES (?, 1, ?, ?, ?)",
      );
      for (let i = 2; i <= STAFF; i++) add.run(`Master ${i}`, i, now, now);
      for (let id = 2; id <= STAFF; id++) {
        for (let d = 1; d <= 5; d++) setWorkingHours(db, id, d, { start: 540, end: 1080 });
      }
    });
    const workdaysNeeded = Math.ceil(total / (STAFF * PER_DAY));
    let date = localDate(now, TZ).add({ days: 30 });
    const days: Temporal.PlainDate[] = [];
    while (days.length < workdaysNeeded) {
      if (date.dayOfWeek <= 5) days.push(date);
      date = date.subtract({ days: 1 });
    }
    const started = performance.now();
    const insert = db.prepare(
      `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name, phone,
         status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.exec("INSERT INTO users (id, first_name, created_at, updated_at) VALUES (1, 'Bench', 0, 0)");
    let inserted = 0;
    const batch = 20_000;
    while (inserted < total) {
      writeTransaction(db, () => {
        for (let i = 0; i < batch && inserted < total; i++, inserted++) {
          const slot = inserted % (STAFF * PER_DAY);
          const day = days[Math.floor(inserted / (STAFF * PER_DAY))];
          const staffId = 1 + Math.floor(slot / PER_DAY);
          const start = wallClockInstant(day, HOURS[slot % PER_DAY] * 60, TZ)!;
          const status = start > now ? "active" : (inserted % 10 === 0 ? "cancelled" : "completed");
          // created a week before the visit (or now, for visits closer than that)
          const created = Math.min(now, start - 7 * 86_400_000);
          insert.run(
            1,
            haircut.id,
            staffId,
            start,
            start + 3_600_000,
            "Bench Client",
            "+79160000000",
            status,
            created,
            created,
          );
        }
      });
    }
    const seconds = (performance.now() - started) / 1000;
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return seconds;
  } finally {
    db.close();
  }
}

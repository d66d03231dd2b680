/**
 * Scale benchmark: a database with `total` bookings (default 1,000,000: 50 masters, 6 bookings
 * per master and weekday, past ones completed or cancelled, future ones active, around the real
 * "now"), then the queries the bot runs on it: free slots, the day agenda, the month statistics
 * and the CSV export. Also the cold start of the real bot process (`deno run -A src/main.ts
 * start`) on 100,000 bookings until its first getUpdates reaches a fake Bot API, the integrity
 * check at start alone, and the start of a trivial `deno run` for comparison.
 * Usage: deno run -A bench/scale_bench.ts [bookings]
 */
import { DatabaseSync } from "node:sqlite";
import { writeTransaction } from "../src/db/connection.ts";
import { listBookingsBetween } from "../src/db/bookings_repo.ts";
import { setWorkingHours } from "../src/db/schedule_repo.ts";
import { listBookableServices } from "../src/db/services_repo.ts";
import { openMigrated } from "../src/db/setup.ts";
import { FakeClock } from "../src/domain/clock.ts";
import { periodContaining, periodInstants } from "../src/domain/stats.ts";
import { dayBounds, localDate, wallClockInstant } from "../src/domain/time.ts";
import { checkDatabaseFile } from "../src/ops/backup.ts";
import { bookingsCsv, type ExportLabels } from "../src/services/admin_bookings.ts";
import { BookingService } from "../src/services/booking_service.ts";
import { loadDemoData } from "../src/services/demo_data.ts";
import { periodStats } from "../src/services/stats.ts";
import { FakeBotApi } from "../tests/support/fake_bot_api.ts";
import { type Figure, printTable } from "./db_bench.ts";

const TZ = "Europe/Moscow";
const STAFF = 50;
const PER_DAY = 6; // hourly bookings per master and working day, leaving gaps free
const HOURS = [9, 10, 11, 14, 15, 16];
const COLD_START_BOOKINGS = 100_000;
/** Cold starts measured (after one unmeasured warm-up run). */
const COLD_RUNS = 3;
const ROOT = new URL("../", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const result = fn();
  return [result, performance.now() - t];
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;

/**
 * The database of bench/db_bench.ts (same shape, copied): demo data, 50 masters working
 * Mon-Fri 9-18, bookings on 6 of their 8 hours of every weekday from 30 days ahead of `now`
 * backwards until `total` are stored. Returns the seconds the bookings took to insert.
 */
function fillDatabase(path: string, total: number, now: number): number {
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

/** PRAGMA quick_check (no index-to-table cross-check) on a file, in ms: for comparison only. */
function quickCheckMs(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const [rows, duration] = timed(() => db.prepare("PRAGMA quick_check").all());
    if (String(Object.values(rows[0])[0]) !== "ok") throw new Error("quick_check failed");
    return duration;
  } finally {
    db.close();
  }
}

/** Runs `fn` `times` times; the median duration in ms and the last result. */
function repeat<T>(times: number, fn: () => T): [T, number] {
  const durations: number[] = [];
  let result!: T;
  for (let i = 0; i < times; i++) {
    const [r, d] = timed(fn);
    result = r;
    durations.push(d);
  }
  return [result, median(durations)];
}

/** One cold start of the bot process: spawn to its first getUpdates, and where the time went. */
interface ColdStart {
  /** Spawn to the first getUpdates reaching the fake. */
  totalMs: number;
  /** Spawn to the "Starting" log record (Deno start, modules loaded, config parsed). */
  toStartingMs?: number;
  /** "Starting" to "Bot identity" (database check and open, KV, bot created, getMe). */
  toIdentityMs?: number;
}

function logTime(log: string, message: string): number | undefined {
  const line = log.split("\n").find((l) => l.includes(` ${message}`));
  return line ? Date.parse(line.slice(0, line.indexOf(" "))) : undefined;
}

/** Stops a child process: SIGTERM (the bot stops cleanly), SIGKILL after 10 s. */
async function stopChild(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // already exited
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // exited meanwhile
      }
      resolve();
    }, 10_000);
  });
  await Promise.race([child.status, killed]);
  await child.status;
  clearTimeout(timer);
}

async function coldStart(fake: FakeBotApi, dbFile: string): Promise<ColdStart> {
  const dataDir = await Deno.makeTempDir({ prefix: "booking-cold-" });
  try {
    await Deno.copyFile(dbFile, `${dataDir}/booking.db`);
    const firstPoll = fake.waitForCall("getUpdates", undefined, 30_000);
    const wallStart = Date.now();
    const t = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "src/main.ts", "start"],
      cwd: ROOT,
      env: {
        BOT_TOKEN: "123456:BENCH",
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATA_DIR: dataDir,
        HEALTH_PORT: "0",
        BUSINESS_TIMEZONE: TZ,
        LOG_LEVEL: "INFO",
        ADMIN_IDS: "",
        WEBHOOK_URL: "",
      },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const log = new Response(child.stderr).text();
    let totalMs: number;
    try {
      await Promise.race([
        firstPoll,
        child.status.then((s) => {
          throw new Error(`the bot exited with code ${s.code} before polling`);
        }),
      ]);
      totalMs = performance.now() - t;
    } catch (error) {
      await stopChild(child);
      throw new Error(`${error}\n${await log}`);
    }
    await stopChild(child);
    const text = await log;
    const starting = logTime(text, "Starting");
    const identity = logTime(text, "Bot identity");
    return {
      totalMs,
      toStartingMs: starting === undefined ? undefined : starting - wallStart,
      toIdentityMs: starting === undefined || identity === undefined
        ? undefined
        : identity - starting,
    };
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** Spawn to exit of `deno run` on an empty module (Deno's own start). */
async function trivialRunMs(dir: string): Promise<number> {
  const file = `${dir}/trivial.ts`;
  await Deno.writeTextFile(file, "export {};\n");
  const runs: number[] = [];
  for (let i = 0; i <= COLD_RUNS; i++) {
    const t = performance.now();
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", file],
      cwd: dir,
      stdout: "null",
      stderr: "null",
    }).output();
    if (code !== 0) throw new Error(`deno run exited with ${code}`);
    if (i > 0) runs.push(performance.now() - t); // the first one warms the file cache
  }
  return median(runs);
}

/** Runs the scale benchmark and returns its figures. */
export async function runScaleBench(total = 1_000_000): Promise<Figure[]> {
  const dir = await Deno.makeTempDir({ prefix: "booking-scale-" });
  const fake = await FakeBotApi.start({ record: false, pollCapMs: 1 });
  try {
    const now = Date.now();
    const today = localDate(now, TZ);
    const bigPath = `${dir}/big.db`;
    const coldPath = `${dir}/cold.db`;
    const fillSeconds = fillDatabase(bigPath, total, now);
    fillDatabase(coldPath, COLD_START_BOOKINGS, now);
    const mb = (path: string) => (Deno.statSync(path).size / (1 << 20)).toFixed(0);
    const bigMb = mb(bigPath);
    const coldMb = mb(coldPath);

    // Queries on the big database, as the bot runs them.
    const db = openMigrated(bigPath, now);
    const figures: Figure[] = [{
      name: `bookings stored (filled in ${fillSeconds.toFixed(1)} s, ${bigMb} MB)`,
      value: total.toLocaleString("en"),
      target: "1,000,000",
      ok: total >= 1_000_000,
    }];
    try {
      const engine = new BookingService(db, new FakeClock(now), TZ);
      const haircut = listBookableServices(db).find((s) => s.name === "Haircut")!;
      let busyDay = today.add({ days: 1 });
      while (busyDay.dayOfWeek > 5) busyDay = busyDay.add({ days: 1 });
      const [dayFrom, dayTo] = dayBounds(busyDay, TZ);

      let staff = 0;
      const [, single] = repeat(
        200,
        () => engine.freeSlots(haircut.id, 1 + (staff++ % STAFF), busyDay),
      );
      const [, any] = repeat(40, () => engine.freeSlots(haircut.id, "any", busyDay));
      const [agenda, agendaMs] = repeat(
        50,
        () => listBookingsBetween(db, { from: dayFrom, to: dayTo }),
      );

      const month = periodContaining("month", today);
      const [, statsFirstMs] = timed(() => periodStats(db, TZ, month));
      const [stats, statsMs] = repeat(5, () => periodStats(db, TZ, month));

      const labels: ExportLabels = {
        header: [
          "id",
          "date",
          "time",
          "end",
          "service",
          "master",
          "name",
          "phone",
          "status",
          "reason",
          "created",
        ],
        status: (s) => s,
      };
      const exportOf = async (from: number, to: number) => {
        const t = performance.now();
        let bytes = 0;
        let rows = -1; // the header
        for await (const chunk of bookingsCsv(db, { from, to }, TZ, labels)) {
          bytes += chunk.length;
          for (const b of chunk) if (b === 10) rows++;
        }
        return { rows, mb: bytes / (1 << 20), seconds: (performance.now() - t) / 1000 };
      };
      const [monthFrom, monthTo] = periodInstants(month, TZ);
      const monthCsv = await exportOf(monthFrom, monthTo);
      const year = { start: today.with({ month: 1, day: 1 }) };
      const yearCsv = await exportOf(
        dayBounds(year.start, TZ)[0],
        dayBounds(year.start.add({ years: 1 }), TZ)[0],
      );
      const csvText = (e: typeof monthCsv) =>
        `${e.seconds.toFixed(2)} s, ${e.rows.toLocaleString("en")} rows, ${e.mb.toFixed(1)} MB`;

      figures.push(
        {
          name: `free slots, one master, median (${busyDay}, ${agenda.length} bookings that day)`,
          value: ms(single),
          target: "< 5 ms",
          ok: single < 5,
        },
        {
          name: `free slots, "any" of ${STAFF} masters, median`,
          value: ms(any),
          target: "-",
          ok: true,
        },
        {
          name: `day agenda, all masters (listBookingsBetween, ${agenda.length} rows), median`,
          value: ms(agendaMs),
          target: "-",
          ok: true,
        },
        {
          name: `month statistics (periodStats ${
            month.start.toString().slice(0, 7)
          }, ${stats.total} bookings), median`,
          value: ms(statsMs),
          target: "-",
          ok: true,
        },
        { name: "month statistics, first call", value: ms(statsFirstMs), target: "-", ok: true },
        {
          name: "CSV export of the month (bookingsCsv)",
          value: csvText(monthCsv),
          target: "-",
          ok: true,
        },
        {
          name: `CSV export of ${year.start.year} (bookingsCsv)`,
          value: csvText(yearCsv),
          target: "-",
          ok: true,
        },
      );
    } finally {
      db.close();
    }

    const [bigCheck, bigCheckMs] = timed(() => checkDatabaseFile(bigPath));
    const [coldCheck, coldCheckMs] = timed(() => checkDatabaseFile(coldPath));
    if (!bigCheck.ok || !coldCheck.ok) throw new Error("the benchmark database failed its check");
    const coldQuickMs = quickCheckMs(coldPath);

    // Cold starts of the real bot process on the 100k file.
    await coldStart(fake, coldPath); // warm-up: module and npm caches
    const starts: ColdStart[] = [];
    for (let i = 0; i < COLD_RUNS; i++) starts.push(await coldStart(fake, coldPath));
    const totals = starts.map((s) => s.totalMs);
    const cold = median(totals);
    const part = (values: (number | undefined)[]) => {
      const known = values.filter((v): v is number => v !== undefined);
      return known.length ? `${median(known).toFixed(0)} ms` : "?";
    };
    const trivial = await trivialRunMs(dir);

    figures.push(
      {
        name: `integrity check at start (checkDatabaseFile), ${
          COLD_START_BOOKINGS.toLocaleString("en")
        } bookings, ${coldMb} MB`,
        value: ms(coldCheckMs),
        target: "-",
        ok: true,
      },
      {
        name: "  for comparison: PRAGMA quick_check on the same file",
        value: ms(coldQuickMs),
        target: "-",
        ok: true,
      },
      {
        name: `integrity check, ${total.toLocaleString("en")} bookings, ${bigMb} MB`,
        value: ms(bigCheckMs),
        target: "-",
        ok: true,
      },
      {
        name: `cold start to first getUpdates, 100k bookings, median of ${COLD_RUNS} (${
          Math.min(...totals).toFixed(0)
        }-${Math.max(...totals).toFixed(0)})`,
        value: ms(cold),
        target: "< 500 ms",
        ok: cold < 500,
      },
      {
        name: '  of which spawn to "Starting" log (Deno start, modules, config)',
        value: part(starts.map((s) => s.toStartingMs)),
        target: "-",
        ok: true,
      },
      {
        name: '  of which "Starting" to "Bot identity" (db check+open, KV, getMe)',
        value: part(starts.map((s) => s.toIdentityMs)),
        target: "-",
        ok: true,
      },
      {
        name: "trivial `deno run` (empty module), spawn to exit, median",
        value: ms(trivial),
        target: "-",
        ok: true,
      },
    );
    return figures;
  } finally {
    await fake.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const total = Deno.args[0] ? Number(Deno.args[0]) : 1_000_000;
  printTable(
    `Scale (${Deno.build.os}, ${navigator.hardwareConcurrency} cores)`,
    await runScaleBench(total),
  );
}

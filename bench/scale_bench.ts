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
import { listBookingsBetween } from "../src/db/bookings_repo.ts";
import { listBookableServices } from "../src/db/services_repo.ts";
import { openMigrated } from "../src/db/setup.ts";
import { FakeClock } from "../src/domain/clock.ts";
import { periodContaining, periodInstants } from "../src/domain/stats.ts";
import { dayBounds, localDate } from "../src/domain/time.ts";
import { checkDatabaseFile } from "../src/ops/backup.ts";
import { bookingsCsv, type ExportLabels } from "../src/services/export.ts";
import { BookingService } from "../src/services/booking_service.ts";
import { periodStats } from "../src/services/stats.ts";
import { FakeBotApi } from "../tests/support/fake_bot_api.ts";
import { type Figure, printTable } from "./db_bench.ts";
import { fillDatabase, STAFF, TZ } from "./fill.ts";
import { startFlags } from "./load_bench.ts";

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

export async function coldStart(fake: FakeBotApi, dbFile: string): Promise<ColdStart> {
  const dataDir = await Deno.makeTempDir({ prefix: "booking-cold-" });
  try {
    await Deno.copyFile(dbFile, `${dataDir}/booking.db`);
    const firstPoll = fake.waitForCall("getUpdates", undefined, 30_000);
    const wallStart = Date.now();
    const t = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...startFlags(), "src/main.ts", "start"],
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
        name: `full integrity_check (backups, check command), ${
          COLD_START_BOOKINGS.toLocaleString("en")
        } bookings, ${coldMb} MB`,
        value: ms(coldCheckMs),
        target: "-",
        ok: true,
      },
      {
        name: "  quick_check on the same file (what start runs)",
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
        target: "< 350 ms",
        ok: cold < 350,
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

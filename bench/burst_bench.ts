/**
 * Burst benchmark: `count` one-hour reminders fall due at the same moment and the real
 * reminders job sends them through the real throttled sender (real clock, real timers) to the
 * fake Bot API enforcing Telegram's flood limits (30 messages a second per bot, 1 a second per
 * chat, answered with real 429 + retry_after). At 30 a second the floor is count / 30 seconds;
 * the figures are the time against that floor, lost and duplicated reminders, and the 429s.
 * Runs about 100 s for the default 3,000 reminders.
 * Usage: deno run -A bench/burst_bench.ts [reminders]
 */
import type { RawApi, Transformer } from "grammy";
import { parseConfig } from "../src/config.ts";
import { loadCatalogs } from "../src/ui/i18n.ts";
import { writeTransaction } from "../src/db/connection.ts";
import { insertService } from "../src/db/services_repo.ts";
import { openMigrated } from "../src/db/setup.ts";
import { systemClock } from "../src/domain/clock.ts";
import { createJobsApi, type JobDeps } from "../src/jobs/context.ts";
import { createJobContext, runJob } from "../src/jobs/scheduler.ts";
import { type Logger, nullLogger } from "../src/ops/log.ts";
import { createBotMetrics } from "../src/ops/metrics.ts";
import { FakeBotApi } from "../tests/support/fake_bot_api.ts";
import { type Figure, printTable } from "./db_bench.ts";

const TOKEN = "123456:BENCH";
const MINUTE = 60_000;
const FIRST_USER = 1_000_001;
/** Reminder runs at most (a run after the first only retries what failed). */
const MAX_RUNS = 5;

/** One sendMessage request as the jobs' API client saw it. */
interface Request {
  /** performance.now() when the request left, and when its answer came. */
  at: number;
  ms: number;
  ok: boolean;
  code?: number;
}

/** Records every request of the jobs' API client (installed after message tracking). */
function recordRequests(into: Request[]): Transformer<RawApi> {
  return async (prev, method, payload, signal) => {
    const at = performance.now();
    const result = await prev(method, payload, signal);
    if (method === "sendMessage") {
      into.push({
        at,
        ms: performance.now() - at,
        ok: result.ok,
        code: result.ok ? undefined : result.error_code,
      });
    }
    return result;
  };
}

/** A silent logger that counts the sender's flood waits and the job's failed sends. */
function countingLogger(counts: { floodWaits: number; failedSends: number }): Logger {
  const logger: Logger = {
    ...nullLogger,
    warning(message) {
      if (message === "Telegram asked to slow down") counts.floodWaits++;
      else if (message === "Could not send a scheduled message") counts.failedSends++;
    },
    child: () => logger,
  };
  return logger;
}

/** Runs the burst benchmark and returns its figures. */
export async function runBurstBench(count = 3000): Promise<Figure[]> {
  const fake = await FakeBotApi.start({
    record: false,
    faults: { enforceLimits: { perBotPerSecond: 30, perChatPerSecond: 1 } },
  });
  const dataDir = await Deno.makeTempDir({ prefix: "booking-burst-" });
  try {
    const config = parseConfig({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      BUSINESS_TIMEZONE: "Europe/Moscow",
      HEALTH_PORT: "0",
    });
    const now = systemClock.now();
    const db = openMigrated(config.dbPath, now);
    const counts = { floodWaits: 0, failedSends: 0 };
    const deps: JobDeps = {
      db,
      clock: systemClock,
      catalogs: loadCatalogs(),
      logger: countingLogger(counts),
      metrics: createBotMetrics(),
    };

    // `count` clients, each with a haircut starting in 50 minutes (so the one-hour reminder
    // is due now), booked two days ago. One master per booking: the schema refuses
    // overlapping bookings of one master.
    const start = Math.floor(now / MINUTE) * MINUTE + 50 * MINUTE;
    const created = now - 2 * 24 * 60 * MINUTE;
    writeTransaction(db, () => {
      const serviceId = insertService(db, {
        name: "Haircut",
        description: "",
        durationMinutes: 60,
        priceMinor: 150000,
        displayOrder: 0,
        isActive: true,
      }, created);
      const addStaff = db.prepare(
        "INSERT INTO staff (name, is_active, display_order, created_at, updated_at) VALUES (?, 1, ?, ?, ?)",
      );
      const addUser = db.prepare(
        `INSERT INTO users (id, first_name, language_code, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?)`,
      );
      const addBooking = db.prepare(
        `INSERT INTO bookings (user_id, service_id, staff_id, start_at, end_at, client_name,
           phone, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
      );
      for (let i = 0; i < count; i++) {
        const staffId = i === 0
          ? 1
          : Number(addStaff.run(`Master ${i + 1}`, i, created, created).lastInsertRowid);
        const userId = FIRST_USER + i;
        addUser.run(userId, `Client ${i}`, i % 2 ? "en" : "ru", created, created);
        addBooking.run(
          userId,
          serviceId,
          staffId,
          start,
          start + 60 * MINUTE,
          `Client ${i}`,
          "+79160000000",
          created,
          created,
        );
      }
    });

    const requests: Request[] = [];
    const api = createJobsApi(config, deps);
    api.config.use(recordRequests(requests));
    const ctx = createJobContext({ config, deps, api });

    const started = performance.now();
    let runs = 0;
    let sentByJob = 0;
    // As a tick runs them: the reminders job puts what is due into the outbox, the outbox job
    // of the same tick sends it through the throttled sender.
    while (runs < MAX_RUNS) {
      const queued = await runJob(ctx, "reminders");
      if (queued.error) throw new Error(`The reminders job failed: ${queued.error}`);
      const run = await runJob(ctx, "outbox");
      runs++;
      sentByJob += run.done;
      if (run.error) throw new Error(`The outbox job failed: ${run.error}`);
      if ((queued.due === 0 && run.due === 0) || sentByJob >= count) break;
    }
    const seconds = (performance.now() - started) / 1000;
    ctx.sender.close();

    const unclaimed = Number(
      db.prepare(
        "SELECT count(*) AS n FROM bookings WHERE reminder_hour_sent_at IS NULL",
      ).get()!.n,
    );
    db.close();
    let received = 0;
    let duplicates = 0;
    for (let i = 0; i < count; i++) {
      const n = fake.chatMessages(FIRST_USER + i, true).length;
      if (n > 0) received++;
      if (n > 1) duplicates++;
    }
    const lost = count - received;

    // Where the time went: the sender's pauses after 429s, and the requests' own latency.
    const sorted = requests.map((r) => r.ms).sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
    const answered429 = requests.filter((r) => r.code === 429).length;
    let longestGap = 0;
    for (let i = 1; i < requests.length; i++) {
      longestGap = Math.max(longestGap, requests[i].at - requests[i - 1].at);
    }
    // For each 429: how long after the 30th accepted request before it did it leave (the
    // sender counts a send when it reserves the slot, the fake when the request arrives).
    const gaps: number[] = [];
    const accepted: number[] = [];
    for (const r of requests) {
      if (r.code === 429 && accepted.length >= 30) gaps.push(r.at - accepted[accepted.length - 30]);
      if (r.ok) accepted.push(r.at);
    }
    const gapText = gaps.length
      ? `${Math.min(...gaps).toFixed(1)}-${Math.max(...gaps).toFixed(1)} ms`
      : "-";
    const floor = count / 30;
    const ratio = seconds / floor;
    return [
      {
        name: `${count.toLocaleString("en")} reminders due at once: total time (${runs} job run${
          runs > 1 ? "s" : ""
        })`,
        value: `${seconds.toFixed(1)} s`,
        target: `floor ${floor.toFixed(0)} s`,
        ok: true,
      },
      {
        name: "total time / floor (30 messages a second)",
        value: `${ratio.toFixed(3)}x`,
        target: "<= 1.05x",
        ok: ratio <= 1.05,
      },
      {
        name: "reminders lost (clients with none received)",
        value: String(lost),
        target: "0",
        ok: lost === 0,
      },
      {
        name: "bookings left without reminder_hour_sent_at",
        value: String(unclaimed),
        target: "0",
        ok: unclaimed === 0,
      },
      {
        name: "duplicates (clients with more than one reminder)",
        value: String(duplicates),
        target: "0",
        ok: duplicates === 0,
      },
      {
        name: "429 answers received (fake's count)",
        value: `${answered429} (${fake.stats.rejected429})`,
        target: "-",
        ok: true,
      },
      {
        name: "429s: time since the 30th accepted request before",
        value: gapText,
        target: "-",
        ok: true,
      },
      {
        name: "flood waits logged / failed sends logged",
        value: `${counts.floodWaits} / ${counts.failedSends}`,
        target: "-",
        ok: true,
      },
      {
        name: "sendMessage requests (incl. 429-answered)",
        value: String(requests.length),
        target: "-",
        ok: true,
      },
      {
        name: "request round trip (claim excluded), median / p99",
        value: `${p(0.5).toFixed(1)} / ${p(0.99).toFixed(1)} ms`,
        target: "-",
        ok: true,
      },
      {
        name: "longest pause between two requests",
        value: `${(longestGap / 1000).toFixed(2)} s`,
        target: "-",
        ok: true,
      },
    ];
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) {
  const count = Deno.args[0] ? Number(Deno.args[0]) : 3000;
  printTable(
    `Reminder burst (${Deno.build.os}, ${navigator.hardwareConcurrency} cores)`,
    await runBurstBench(count),
  );
}

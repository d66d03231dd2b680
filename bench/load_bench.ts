/**
 * Load benchmark: simulated clients walk complete booking journeys against the real bot
 * process over HTTP (webhook mode: the response returns when the update is handled, so its
 * time is the latency the bot adds), on a fast local fake Bot API. A bare grammY echo bot on
 * the same fake API, driven the same way, gives the ceiling.
 * Usage: deno run -A bench/load_bench.ts [seconds] [concurrency]
 */
import { FakeBotApi } from "../tests/support/fake_bot_api.ts";
import { freePorts } from "../tests/support/webhook_cluster.ts";
import { openMigrated } from "../src/db/setup.ts";
import { loadDemoData } from "../src/services/demo_data.ts";
import { writeTransaction } from "../src/db/connection.ts";
import { setWorkingHours } from "../src/db/schedule_repo.ts";
import { wallClockInstant } from "../src/domain/time.ts";
import type { Figure } from "./db_bench.ts";

const TZ = "Europe/Moscow";
const MASTERS = Number(Deno.env.get("BENCH_MASTERS") ?? 3);
const root = new URL("../", import.meta.url).pathname;

interface Run {
  updates: number;
  seconds: number;
  latencies: number[];
  bookings: number;
  peakRssMb: number;
  errors: number;
  /** CPU time (user + system, all threads) the process spent during the run, in ms. */
  cpuMs: number;
}

/** CPU time used so far by `pid` (user + system, all threads), in ms; 0 if unknown. */
function cpuMs(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function peakRssMb(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (true) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Slots to book: every (weekday, hour) in the horizon, each once per master. */
function* slotStream(): Generator<{ date: string; start: number }> {
  const hours = [9, 10, 11, 12, 14, 15, 16, 17];
  for (let round = 0; round < MASTERS; round++) {
    let d = Temporal.Now.plainDateISO(TZ).add({ days: 2 });
    for (let i = 0; i < 55; i++, d = d.add({ days: 1 })) {
      if (d.dayOfWeek > 5) continue;
      for (const h of hours) yield { date: d.toString(), start: wallClockInstant(d, h * 60, TZ)! };
    }
  }
}

async function drive(
  fake: FakeBotApi,
  port: number,
  pid: number,
  seconds: number,
  concurrency: number,
  kind: "bot" | "echo",
): Promise<Run> {
  let updateId = 1;
  let nextUser = 1_000_000 + (kind === "echo" ? 500_000 : 0);
  const slots = slotStream();
  const latencies: number[] = [];
  let errors = 0;
  let bookings = 0;
  const post = async (update: Record<string, unknown>) => {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "bench" },
      body: JSON.stringify({ update_id: updateId++, ...update }),
    });
    await res.body?.cancel();
    latencies.push(performance.now() - started);
    if (!res.ok) errors++;
  };
  const date = () => Math.floor(Date.now() / 1000);
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpuBefore = cpuMs(pid);
  const client = async () => {
    while (performance.now() < deadline) {
      const id = nextUser++;
      const from = { id, is_bot: false, first_name: "Load", language_code: "en" };
      const chat = { id, type: "private", first_name: "Load" };
      let messageId = 1;
      const text = (t: string) =>
        post({
          message: {
            message_id: messageId++,
            date: date(),
            chat,
            from,
            text: t,
            entities: t.startsWith("/")
              ? [{ type: "bot_command", offset: 0, length: t.length }]
              : undefined,
          },
        });
      const press = (data: string) => {
        const last = fake.lastMessageIn(id);
        return post({
          callback_query: {
            id: `${id}-${messageId++}`,
            from,
            chat_instance: "load",
            data,
            message: last ? fake.toTelegramMessage(last) : undefined,
          },
        });
      };
      const slot = slots.next().value;
      if (!slot) break;
      await text("/book");
      await press("bs:1");
      await press(`bd:${slot.date}`);
      await press(`bt:${slot.start / 1000}:0`);
      await text("Load Client");
      await text("+79161234567");
      await press("bo");
      bookings++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  return {
    updates: latencies.length,
    seconds: elapsed,
    latencies,
    bookings,
    peakRssMb: peakRssMb(pid),
    errors,
    cpuMs: cpuMs(pid) - cpuBefore,
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Runs the bot and the echo bot under the same load and returns the figures. */
export async function runLoadBench(seconds = 10, concurrency = 32): Promise<Figure[]> {
  const fake = await FakeBotApi.start({ record: false, validateHtml: false });
  const dataDir = await Deno.makeTempDir({ prefix: "booking-load-" });
  const [botPort, echoPort] = freePorts(2);
  try {
    const db = openMigrated(`${dataDir}/booking.db`, Date.now());
    loadDemoData(db, Date.now());
    writeTransaction(db, () => {
      const add = db.prepare(
        "INSERT INTO staff (name, is_active, display_order, created_at, updated_at) VALUES (?, 1, ?, 0, 0)",
      );
      for (let i = 2; i <= MASTERS; i++) add.run(`Master ${i}`, i);
      for (let id = 2; id <= MASTERS; id++) {
        for (let d = 1; d <= 5; d++) setWorkingHours(db, id, d, { start: 540, end: 1080 });
      }
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('horizon_days', '90', 0)")
        .run();
    });
    db.close();
    const env = {
      BOT_TOKEN: "1:BENCH",
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATA_DIR: dataDir,
      HEALTH_PORT: "0",
      LOG_LEVEL: "WARNING",
      WEBHOOK_URL: "https://127.0.0.1:9/",
      WEBHOOK_SECRET: "bench",
      WEBHOOK_PORT: String(botPort),
      NO_COLOR: "1",
    };
    const bot = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        ...(Deno.env.get("BENCH_BOT_FLAGS")?.split(" ").filter(Boolean) ?? []),
        `${root}src/main.ts`,
        "start",
      ],
      env,
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    await waitForPort(botPort);
    // A short warm-up so JIT and caches are hot in both runs.
    await drive(fake, botPort, bot.pid, 1, 4, "bot");
    const ours = await drive(fake, botPort, bot.pid, seconds, concurrency, "bot");
    bot.kill("SIGTERM");
    await bot.status;

    const echo = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${root}bench/echo_bot.ts`],
      env: { ...env, WEBHOOK_PORT: String(echoPort) },
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    await waitForPort(echoPort);
    await drive(fake, echoPort, echo.pid, 1, 4, "echo");
    const ceiling = await drive(fake, echoPort, echo.pid, seconds, concurrency, "echo");
    echo.kill("SIGTERM");
    await echo.status;

    const ourRate = ours.updates / ours.seconds;
    const echoRate = ceiling.updates / ceiling.seconds;
    const lat = [...ours.latencies].sort((a, b) => a - b);
    const echoLat = [...ceiling.latencies].sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    return [
      {
        name: `updates/s, booking bot (${concurrency} clients, ${ours.bookings} journeys)`,
        value: ourRate.toFixed(0),
        target: ">= 1,000",
        ok: ourRate >= 1000,
      },
      {
        name: "updates/s, bare grammY echo bot",
        value: echoRate.toFixed(0),
        target: "-",
        ok: true,
      },
      {
        name: "throughput ratio bot / echo",
        value: (ourRate / echoRate).toFixed(2),
        target: ">= 0.7",
        ok: ourRate / echoRate >= 0.7,
      },
      { name: "latency per update p50", value: ms(pct(lat, 0.5)), target: "-", ok: true },
      {
        name: "latency per update p99",
        value: ms(pct(lat, 0.99)),
        target: "< 20 ms",
        ok: pct(lat, 0.99) < 20,
      },
      {
        name: "echo latency p50 / p99",
        value: `${pct(echoLat, 0.5).toFixed(1)}/${pct(echoLat, 0.99).toFixed(1)} ms`,
        target: "-",
        ok: true,
      },
      {
        // Less sensitive to other load on the machine than the rates: the work one update costs.
        name: "CPU per update, bot / echo (all threads)",
        value: `${(ours.cpuMs / ours.updates).toFixed(2)}/${
          (ceiling.cpuMs / ceiling.updates).toFixed(2)
        } ms`,
        target: "-",
        ok: true,
      },
      {
        name: "peak RSS of the bot process (echo bot)",
        value: `${ours.peakRssMb.toFixed(0)} MB (${ceiling.peakRssMb.toFixed(0)} MB)`,
        target: "< 80 MB",
        ok: ours.peakRssMb < 80,
      },
      {
        name: "HTTP errors (bot / echo)",
        value: `${ours.errors} / ${ceiling.errors}`,
        target: "0",
        ok: ours.errors === 0,
      },
    ];
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) {
  const { printTable } = await import("./db_bench.ts");
  const seconds = Number(Deno.args[0] ?? 10);
  const concurrency = Number(Deno.args[1] ?? 32);
  printTable("Load", await runLoadBench(seconds, concurrency));
}

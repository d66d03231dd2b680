/**
 * Load benchmark: simulated clients walk complete booking journeys against the real bot
 * process over HTTP (webhook mode: the response returns when the update is handled, so its
 * time is the latency the bot adds), on a fast local fake Bot API. The same clients drive, one
 * after the other in the same run:
 * - the same-work yardstick (`yardstick_bot.ts`: plain grammY, state in a Map, a reply or an
 *   answer plus an edit with a 24-button keyboard per update), the fair comparison;
 * - a bare grammY echo bot (`echo_bot.ts`: one call per update, no state), the ceiling.
 * Phases per process: idle RSS after start, one client alone (3 s: the latency of an update
 * with nothing queued), closed loop (`clients` clients for `seconds`), open loop (updates offered
 * at 50, 200 and 500 per second whatever the answers), then journeys up to 10,000 and the RSS
 * after them, and the peak RSS.
 * Usage: deno run -A bench/load_bench.ts [seconds] [clients] [open-loop seconds per rate]
 * Env: BENCH_BOT_FLAGS (extra `deno run` flags for the bot, e.g. --cpu-prof), BENCH_BOT_STDOUT,
 * BENCH_JOURNEYS, BENCH_ONLY_BOT (skip the yardstick and the echo bot).
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
/** Six masters over a 365-day horizon: ~12,000 distinct slots, enough for every journey. */
const MASTERS = Number(Deno.env.get("BENCH_MASTERS") ?? 6);
const HORIZON_DAYS = 365;
const JOURNEYS = Number(Deno.env.get("BENCH_JOURNEYS") ?? 10_000);
export const OPEN_RATES = [50, 200, 500];
/** Seconds of the one-client run. */
const ALONE_SECONDS = 3;
const root = new URL("../", import.meta.url).pathname;

/** CPU time used so far by `pid` (user + system, all threads), in ms; 0 if unknown. */
export function cpuMs(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** A field of /proc/PID/status in MB (VmRSS now, VmHWM the peak); 0 if unknown. */
export function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

export async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (true) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The flags `deno task start` passes to `deno run` (from deno.json), so the bench runs the bot as shipped. */
export function startFlags(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(`${root}deno.json`));
  const words = String(config.tasks.start).split(" ");
  return words.slice(2, words.indexOf("src/main.ts")).filter((w) => w !== "--allow-all");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Slots to book: every (weekday, hour) in the horizon, each once per master. */
function* slotStream(): Generator<{ date: string; start: number }> {
  const hours = [9, 10, 11, 12, 14, 15, 16, 17];
  for (let round = 0; round < MASTERS; round++) {
    let d = Temporal.Now.plainDateISO(TZ).add({ days: 2 });
    for (let i = 0; i < HORIZON_DAYS - 5; i++, d = d.add({ days: 1 })) {
      if (d.dayOfWeek > 5) continue;
      for (const h of hours) yield { date: d.toString(), start: wallClockInstant(d, h * 60, TZ)! };
    }
  }
}

/** One process under test and the clients' state for it. */
export class Target {
  updateId = 1;
  nextUser: number;
  journeys = 0;
  errors = 0;
  readonly slots = slotStream();
  constructor(
    readonly name: string,
    readonly fake: FakeBotApi,
    readonly port: number,
    readonly process: Deno.ChildProcess,
    userBase: number,
  ) {
    this.nextUser = userBase;
  }
  get pid() {
    return this.process.pid;
  }
  async post(update: Record<string, unknown>): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.port}/`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "bench" },
      body: JSON.stringify({ update_id: this.updateId++, ...update }),
    });
    await res.body?.cancel();
    if (!res.ok) this.errors++;
  }
  /** A new client with a booking journey of 7 updates; undefined when the slots ran out. */
  journey(): Journey | undefined {
    const slot = this.slots.next().value;
    return slot ? new Journey(this, this.nextUser++, slot) : undefined;
  }
  async stop(): Promise<void> {
    this.process.kill("SIGTERM");
    await this.process.status;
  }
}

/** /book, service, day, time, name, phone, confirm: 4 presses and 3 texts. */
class Journey {
  #step = 0;
  #messageId = 1;
  readonly #from;
  readonly #chat;
  constructor(
    readonly target: Target,
    readonly id: number,
    readonly slot: { date: string; start: number },
  ) {
    this.#from = { id, is_bot: false, first_name: "Load", language_code: "en" };
    this.#chat = { id, type: "private", first_name: "Load" };
  }
  get done(): boolean {
    return this.#step >= 7;
  }
  /** Sends the next update and resolves when the bot has answered it. */
  next(): Promise<void> {
    const step = this.#step++;
    if (step === 6) this.target.journeys++;
    switch (step) {
      case 0:
        return this.#text("/book");
      case 1:
        return this.#press("bs:1");
      case 2:
        return this.#press(`bd:${this.slot.date}`);
      case 3:
        return this.#press(`bt:${this.slot.start / 1000}:0`);
      case 4:
        return this.#text("Load Client");
      case 5:
        return this.#text("+79161234567");
      default:
        return this.#press("bo");
    }
  }
  #text(t: string): Promise<void> {
    return this.target.post({
      message: {
        message_id: this.#messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.#chat,
        from: this.#from,
        text: t,
        entities: t.startsWith("/")
          ? [{ type: "bot_command", offset: 0, length: t.length }]
          : undefined,
      },
    });
  }
  #press(data: string): Promise<void> {
    const last = this.target.fake.lastMessageIn(this.id);
    return this.target.post({
      callback_query: {
        id: `${this.id}-${this.#messageId++}`,
        from: this.#from,
        chat_instance: "load",
        data,
        message: last ? this.target.fake.toTelegramMessage(last) : undefined,
      },
    });
  }
}

export interface ClosedRun {
  updates: number;
  seconds: number;
  latencies: number[];
  /** CPU time (user + system, all threads) the process spent during the run, in ms. */
  cpuMs: number;
}

/** `clients` clients each walking journeys back to back until `seconds` or `journeys` is reached. */
export async function closedLoop(
  t: Target,
  clients: number,
  until: { seconds?: number; journeys?: number },
): Promise<ClosedRun> {
  const latencies: number[] = [];
  const deadline = performance.now() + (until.seconds ?? Infinity) * 1000;
  const started = performance.now();
  const cpuBefore = cpuMs(t.pid);
  const client = async () => {
    while (performance.now() < deadline && t.journeys < (until.journeys ?? Infinity)) {
      const j = t.journey();
      if (!j) break;
      while (!j.done) {
        const sent = performance.now();
        await j.next();
        latencies.push(performance.now() - sent);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return {
    updates: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies,
    cpuMs: cpuMs(t.pid) - cpuBefore,
  };
}

/**
 * Open loop: `rate` updates a second for `seconds`, each sent at its scheduled instant whatever
 * the earlier answers (a client's next step goes out only after its previous one was answered,
 * so each arrival takes a waiting client or starts a new journey). Latency counts from the
 * scheduled instant, so a late send is not hidden.
 */
async function openLoop(t: Target, rate: number, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const ready: Journey[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const at = started + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait >= 1) await sleep(wait);
    const j = ready.pop() ?? t.journey();
    if (!j) break;
    pending.push(
      j.next().then(() => {
        latencies.push(performance.now() - at);
        if (!j.done) ready.push(j);
      }),
    );
  }
  await Promise.all(pending);
  return latencies;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);

interface Measured {
  idleMb: number;
  /** Latencies of one client walking journeys alone. */
  alone: number[];
  closed: ClosedRun;
  open: number[][];
  afterJourneysMb: number;
  journeys: number;
  peakMb: number;
  errors: number;
}

/** Prepares the booking bot's data directory (demo data, `MASTERS` masters, long horizon). */
export function seed(dataDir: string): void {
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
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('horizon_days', ?, 0)")
      .run(String(HORIZON_DAYS));
  });
  db.close();
}

/** The environment of a bot under load: webhook mode (add WEBHOOK_PORT), the fake Bot API. */
export function botEnv(apiRoot: string, dataDir: string): Record<string, string> {
  return {
    BOT_TOKEN: "1:BENCH",
    TELEGRAM_API_ROOT: apiRoot,
    DATA_DIR: dataDir,
    HEALTH_PORT: "0",
    LOG_LEVEL: "WARNING",
    WEBHOOK_URL: "https://127.0.0.1:9/",
    WEBHOOK_SECRET: "bench",
    NO_COLOR: "1",
  };
}

/** Runs the bot, the yardstick and the echo bot under the same load and returns the figures. */
export async function runLoadBench(
  seconds = 10,
  concurrency = 32,
  openSeconds = 5,
): Promise<Figure[]> {
  const fake = await FakeBotApi.start({ record: false, validateHtml: false });
  // The clients post updates straight to the bots, so the fake never saw these queries: answer
  // them as Telegram answers a fresh query.
  fake.onMethod("answerCallbackQuery", () => true);
  const dataDir = await Deno.makeTempDir({ prefix: "booking-load-" });
  const ports = freePorts(4);
  try {
    seed(dataDir);
    const env = botEnv(fake.apiRoot, dataDir);
    const spawn = async (
      name: string,
      script: string,
      port: number,
      flags: string[],
      extraEnv: Record<string, string> = {},
    ) => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", ...flags, `${root}${script}`, ...(name === "bot" ? ["start"] : [])],
        env: { ...env, ...extraEnv, WEBHOOK_PORT: String(port) },
        // BENCH_BOT_STDOUT=inherit shows e.g. --v8-flags=--trace-gc output.
        stdout: name === "bot" && Deno.env.get("BENCH_BOT_STDOUT") === "inherit"
          ? "inherit"
          : "null",
        stderr: "inherit",
      }).spawn();
      await waitForPort(port);
      return new Target(name, fake, port, child, 1_000_000 * (1 + ports.indexOf(port)));
    };
    const measure = async (t: Target, full: boolean): Promise<Measured> => {
      await sleep(1000);
      const idleMb = statusMb(t.pid, "VmRSS");
      // A short warm-up so JIT and caches are hot in every run.
      await closedLoop(t, 4, { seconds: 1 });
      // One client alone: the time an update takes with nothing queued (no other client waits).
      const alone = (await closedLoop(t, 1, { seconds: ALONE_SECONDS })).latencies;
      const closed = await closedLoop(t, concurrency, { seconds });
      const open: number[][] = [];
      let afterJourneysMb = 0;
      if (full) {
        for (const rate of OPEN_RATES) {
          open.push(await openLoop(t, rate, openSeconds));
          await sleep(200);
        }
        await closedLoop(t, concurrency, { journeys: JOURNEYS });
        await sleep(1000);
        afterJourneysMb = statusMb(t.pid, "VmRSS");
      }
      const peakMb = statusMb(t.pid, "VmHWM");
      await t.stop();
      return {
        idleMb,
        alone,
        closed,
        open,
        afterJourneysMb,
        journeys: t.journeys,
        peakMb,
        errors: t.errors,
      };
    };
    const botFlags = [
      ...startFlags(),
      ...Deno.env.get("BENCH_BOT_FLAGS")?.split(" ").filter(Boolean) ?? [],
    ];
    const bot = await measure(await spawn("bot", "src/main.ts", ports[0], botFlags), true);
    // BENCH_ONLY_BOT=1 (experiments with bot flags): the bot alone, its figures twice over.
    if (Deno.env.get("BENCH_ONLY_BOT")) return loadFigures(bot, bot, bot, concurrency, openSeconds);
    const yard = await measure(
      await spawn("yardstick", "bench/yardstick_bot.ts", ports[1], []),
      true,
    );
    // The yardstick once more with its state in Deno KV: what durable dialog state alone costs.
    const yardKv = await measure(
      await spawn("yardstick-kv", "bench/yardstick_bot.ts", ports[3], [], { YARDSTICK_KV: "1" }),
      false,
    );
    const echo = await measure(await spawn("echo", "bench/echo_bot.ts", ports[2], []), false);
    return [
      ...loadFigures(bot, yard, echo, concurrency, openSeconds),
      ...kvYardstickFigures(bot, yardKv),
    ];
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** The yardstick with durable state: the part of the gap that is the cost of Deno KV alone. */
function kvYardstickFigures(bot: Measured, yardKv: Measured): Figure[] {
  const rate = (m: Measured) => m.closed.updates / m.closed.seconds;
  const cpu = (m: Measured) => m.closed.cpuMs / m.closed.updates;
  return [{
    name: "yardstick with its state in Deno KV: updates/s, CPU per update",
    value: `${rate(yardKv).toFixed(0)}/s, ${cpu(yardKv).toFixed(2)} ms`,
    target: "-",
    ok: true,
  }, {
    name: "bot / yardstick with Deno KV: throughput, CPU per update",
    value: `${(rate(bot) / rate(yardKv)).toFixed(2)}, ${(cpu(bot) / cpu(yardKv)).toFixed(2)}x`,
    target: "-",
    ok: true,
  }];
}

function loadFigures(
  bot: Measured,
  yard: Measured,
  echo: Measured,
  concurrency: number,
  openSeconds: number,
): Figure[] {
  const rate = (m: Measured) => m.closed.updates / m.closed.seconds;
  const cpu = (m: Measured) => m.closed.cpuMs / m.closed.updates;
  const lat = (m: Measured) => sorted(m.closed.latencies);
  const three = (f: (m: Measured) => string) => `${f(bot)} / ${f(yard)} / ${f(echo)}`;
  const two = (f: (m: Measured) => string) => `${f(bot)} / ${f(yard)}`;
  const mb = (v: number) => v.toFixed(0);
  const figures: Figure[] = [
    {
      name: `updates/s, ${concurrency} clients closed loop: bot / yardstick / echo`,
      value: three((m) => rate(m).toFixed(0)),
      target: "-",
      ok: true,
    },
    {
      name: "throughput bot / yardstick (bot / echo)",
      value: `${(rate(bot) / rate(yard)).toFixed(2)} (${(rate(bot) / rate(echo)).toFixed(2)})`,
      target: ">= 0.7",
      ok: rate(bot) / rate(yard) >= 0.7,
    },
    {
      name: "CPU per update, all threads: bot / yardstick / echo",
      value: three((m) => `${cpu(m).toFixed(2)}`) + " ms",
      target: "-",
      ok: true,
    },
    {
      name: "CPU per update bot / yardstick",
      value: `${(cpu(bot) / cpu(yard)).toFixed(2)}x`,
      target: "<= 1.5x",
      ok: cpu(bot) / cpu(yard) <= 1.5,
    },
    {
      name: "one client alone, latency p50/p99: bot / yardstick / echo",
      value: three((m) => {
        const s = sorted(m.alone);
        return `${pct(s, 0.5).toFixed(2)}/${pct(s, 0.99).toFixed(2)}`;
      }) + " ms",
      target: "-",
      ok: true,
    },
    {
      name: "closed loop latency p50: bot / yardstick / echo",
      value: three((m) => pct(lat(m), 0.5).toFixed(1)) + " ms",
      target: "-",
      ok: true,
    },
    {
      name: "closed loop latency p99: bot / yardstick / echo",
      value: three((m) => pct(lat(m), 0.99).toFixed(1)) + " ms",
      target: "-",
      ok: true,
    },
  ];
  OPEN_RATES.forEach((r, i) => {
    const show = (m: Measured) => {
      const s = sorted(m.open[i]);
      return `${pct(s, 0.5).toFixed(1)}/${pct(s, 0.99).toFixed(1)}/${s[s.length - 1].toFixed(1)}`;
    };
    const p99 = pct(sorted(bot.open[i]), 0.99);
    figures.push({
      name: `open loop ${r}/s for ${openSeconds} s, p50/p99/max ms: bot / yardstick`,
      value: two(show),
      target: r === 200 ? "bot p99 < 10 ms" : "-",
      ok: r === 200 ? p99 < 10 : true,
    });
  });
  figures.push(
    {
      name: "RSS idle after start: bot / yardstick / echo",
      value: three((m) => mb(m.idleMb)) + " MB",
      target: "bot <= 60 MB",
      ok: bot.idleMb <= 60,
    },
    {
      name: `RSS after ${bot.journeys} / ${yard.journeys} journeys: bot / yardstick`,
      value: two((m) => mb(m.afterJourneysMb)) + " MB",
      target: "-",
      ok: true,
    },
    {
      name: "peak RSS: bot / yardstick / echo",
      value: three((m) => mb(m.peakMb)) + " MB",
      target: "-",
      ok: true,
    },
    {
      name: "peak RSS bot / yardstick",
      value: `${(bot.peakMb / yard.peakMb).toFixed(2)}x`,
      target: "<= 1.1x",
      ok: bot.peakMb / yard.peakMb <= 1.1,
    },
    {
      name: "HTTP errors: bot / yardstick / echo",
      value: three((m) => String(m.errors)),
      target: "0",
      ok: bot.errors + yard.errors + echo.errors === 0,
    },
  );
  return figures;
}

if (import.meta.main) {
  const { printTable } = await import("./db_bench.ts");
  const seconds = Number(Deno.args[0] ?? 10);
  const concurrency = Number(Deno.args[1] ?? 32);
  const openSeconds = Number(Deno.args[2] ?? 5);
  printTable("Load", await runLoadBench(seconds, concurrency, openSeconds));
}

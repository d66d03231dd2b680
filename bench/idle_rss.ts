/**
 * Idle RSS of one process, measured the load benchmark's way: webhook mode, demo data, RSS read
 * 1 s after the webhook port answers. Repeats the start `runs` times and prints every figure and
 * the median, split into anonymous memory (heaps, JIT code) and file-backed pages (the mapped
 * Deno binary, .wasm files).
 * Usage: deno run -A bench/idle_rss.ts [runs] [script] [-- extra deno run flags]
 *   script defaults to src/main.ts (run with `start` and the flags of `deno task start`); any other
 *   script gets the same environment and must listen on WEBHOOK_PORT.
 */
import { FakeBotApi } from "../tests/support/fake_bot_api.ts";
import { freePorts } from "../tests/support/webhook_cluster.ts";
import { openMigrated } from "../src/db/setup.ts";
import { loadDemoData } from "../src/services/demo_data.ts";
import { startFlags, waitForPort } from "./load_bench.ts";

const root = new URL("../", import.meta.url).pathname;

/** Fields of /proc/PID/status in MB. */
export function memoryParts(pid: number): { rss: number; anon: number; file: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const mb = (f: string) => Number(new RegExp(`${f}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb("VmRSS"), anon: mb("RssAnon"), file: mb("RssFile") + mb("RssShmem") };
}

export interface IdleFigure {
  rss: number;
  anon: number;
  file: number;
  startMs: number;
}

/** Starts `script` once in webhook mode on a demo-data folder and measures it 1 s after its port answers. */
export async function idleOnce(script: string, flags: string[]): Promise<IdleFigure> {
  const fake = await FakeBotApi.start({ record: false });
  const dataDir = await Deno.makeTempDir({ prefix: "booking-idle-" });
  const [port] = freePorts(1);
  try {
    const db = openMigrated(`${dataDir}/booking.db`, Date.now());
    loadDemoData(db, Date.now());
    db.close();
    const bot = script === "src/main.ts";
    const t0 = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...(bot ? startFlags() : []), ...flags, `${root}${script}`].concat(
        bot ? ["start"] : [],
      ),
      env: {
        BOT_TOKEN: "1:IDLE",
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATA_DIR: dataDir,
        HEALTH_PORT: "0",
        LOG_LEVEL: "WARNING",
        WEBHOOK_URL: "https://127.0.0.1:9/",
        WEBHOOK_SECRET: "bench",
        WEBHOOK_PORT: String(port),
        NO_COLOR: "1",
      },
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    await waitForPort(port);
    const startMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1000));
    const parts = memoryParts(child.pid);
    child.kill("SIGTERM");
    await child.status;
    return { ...parts, startMs };
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

if (import.meta.main) {
  const dash = Deno.args.indexOf("--");
  const args = dash < 0 ? Deno.args : Deno.args.slice(0, dash);
  const flags = dash < 0 ? [] : Deno.args.slice(dash + 1);
  const runs = Number(args[0] ?? 5);
  const script = args[1] ?? "src/main.ts";
  const all: IdleFigure[] = [];
  for (let i = 0; i < runs; i++) {
    const f = await idleOnce(script, flags);
    all.push(f);
    console.log(
      `run ${i + 1}: RSS ${f.rss.toFixed(1)} MB (anon ${f.anon.toFixed(1)}, file ${
        f.file.toFixed(1)
      }), port after ${f.startMs.toFixed(0)} ms`,
    );
  }
  console.log(
    `${script} ${flags.join(" ")}: median RSS ${median(all.map((f) => f.rss)).toFixed(1)} MB ` +
      `(anon ${median(all.map((f) => f.anon)).toFixed(1)}, file ${
        median(all.map((f) => f.file)).toFixed(1)
      }), port after ${median(all.map((f) => f.startMs)).toFixed(0)} ms`,
  );
}

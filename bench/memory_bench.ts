/**
 * Memory of the whole process tree an owner runs, idle with demo data in long-polling mode:
 * started the README's way (`npx -y deno@2.9.6 task start`: npm exec → deno task → deno run) and
 * with the Deno binary run directly (`deno run`, what the README's "without the wrappers" way
 * and the Docker image's compiled binary amount to).
 * Usage: deno run -A bench/memory_bench.ts
 */
import { FakeBotApi } from "../tests/support/fake_bot_api.ts";
import { openMigrated } from "../src/db/setup.ts";
import { loadDemoData } from "../src/services/demo_data.ts";
import type { Figure } from "./db_bench.ts";
import { startFlags, statusMb } from "./load_bench.ts";
import { idleOnce } from "./idle_rss.ts";

const root = new URL("../", import.meta.url).pathname;

/** `pid` and all its descendants (from /proc). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...children.get(ppid) ?? [], Number(e.name)]);
    } catch { /* gone */ }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function name(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").slice(0, 3).join(" ")
      .replace(/\S*\//g, "");
  } catch {
    return "?";
  }
}

interface Tree {
  totalMb: number;
  parts: string[];
}

async function idleTree(command: string, args: string[]): Promise<Tree> {
  const fake = await FakeBotApi.start({ record: false });
  const dataDir = await Deno.makeTempDir({ prefix: "booking-mem-" });
  try {
    const db = openMigrated(`${dataDir}/booking.db`, Date.now());
    loadDemoData(db, Date.now());
    db.close();
    const child = new Deno.Command(command, {
      args,
      cwd: root,
      env: {
        BOT_TOKEN: "1:MEM",
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATA_DIR: dataDir,
        HEALTH_PORT: "0",
        LOG_LEVEL: "WARNING",
      },
      stdout: "null",
      stderr: "null",
    }).spawn();
    await fake.waitForCall("getUpdates", undefined, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    const pids = processTree(child.pid);
    const sizes = pids.map((p) => [name(p), statusMb(p, "VmRSS")] as const)
      .filter(([, mb]) => mb > 0);
    // Stop the tree from the leaves up (the wrappers do not all pass signals on).
    for (const p of [...pids].reverse()) {
      try {
        Deno.kill(p, "SIGTERM");
      } catch { /* already gone */ }
    }
    await child.status;
    return {
      totalMb: sizes.reduce((s, [, mb]) => s + mb, 0),
      parts: sizes.map(([n, mb]) => `${n} ${mb.toFixed(0)}`),
    };
  } finally {
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** Idle RSS of both process trees. */
export async function runMemoryBench(): Promise<Figure[]> {
  const wrapped = await idleTree("npx", ["-y", "deno@2.9.6", "task", "start"]);
  const direct = await idleTree(Deno.execPath(), [
    "run",
    "-A",
    ...startFlags(),
    `${root}src/main.ts`,
    "start",
  ]);
  // The bot process alone, the load benchmark's way (webhook mode, 1 s after its port answers).
  const alone = await idleOnce("src/main.ts", []);
  return [
    {
      name: `idle bot process alone, webhook mode (anon ${alone.anon.toFixed(0)} + files ${
        alone.file.toFixed(0)
      } MB; bench/idle_rss.ts splits it)`,
      value: `${alone.rss.toFixed(0)} MB`,
      target: "<= 60 MB",
      ok: alone.rss <= 60,
    },
    {
      name: `idle tree, npx -y deno@2.9.6 task start (${wrapped.parts.join(" + ")} MB)`,
      value: `${wrapped.totalMb.toFixed(0)} MB`,
      target: "-",
      ok: true,
    },
    {
      name: `idle tree, deno run directly (${direct.parts.join(" + ")} MB)`,
      value: `${direct.totalMb.toFixed(0)} MB`,
      target: "<= 80 MB",
      ok: direct.totalMb <= 80,
    },
  ];
}

if (import.meta.main) {
  const { printTable } = await import("./db_bench.ts");
  printTable("Memory", await runMemoryBench());
}

/**
 * `deno task bench`: every benchmark, printed as tables (figures, not assertions).
 * About 8-9 minutes on 2 cores (limit: 10); set BENCH_SKIP=load,burst,... to leave parts out.
 */
import { type Figure, printTable, runDbBench } from "./db_bench.ts";
import { runLoadBench } from "./load_bench.ts";
import { runBurstBench } from "./burst_bench.ts";
import { runScaleBench } from "./scale_bench.ts";
import { runChaosBench } from "./chaos_bench.ts";
import { runMemoryBench } from "./memory_bench.ts";

const skip = new Set((Deno.env.get("BENCH_SKIP") ?? "").split(",").map((s) => s.trim()));
const cores = navigator.hardwareConcurrency;
const memGiB = (Deno.systemMemoryInfo().total / (1 << 30)).toFixed(0);
console.log(
  `Machine: ${Deno.build.os} ${Deno.build.arch}, ${cores} cores, ${memGiB} GiB; Deno ${Deno.version.deno}`,
);

const parts: Array<[string, string, () => Promise<Figure[]>]> = [
  ["db", "Database: booking engine with 1,000,000 bookings", () => runDbBench(1_000_000)],
  [
    "load",
    "Load: booking journeys over HTTP; same-work yardstick; echo bot; open loop; memory",
    () => runLoadBench(10, 32, 5),
  ],
  [
    "burst",
    "Reminder burst: 3,000 due at once, 30 msg/s and 1/s per chat enforced",
    () => runBurstBench(3000),
  ],
  ["scale", "Scale: 1,000,000 bookings; cold start with 100,000", () => runScaleBench(1_000_000)],
  ["memory", "Memory: idle process tree, README way vs deno run", () => runMemoryBench()],
  ["chaos", "Chaos: faults, kill -9, fuzz, two processes", () => runChaosBench()],
];
const all: Array<[string, Figure[]]> = [];
for (const [key, title, run] of parts) {
  if (skip.has(key)) continue;
  const started = performance.now();
  const figures = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  printTable(`${title} (${seconds} s)`, figures);
  all.push([title, figures]);
}
const missed = all.flatMap(([title, figures]) =>
  figures.filter((f) => !f.ok).map((f) => `${title}: ${f.name}`)
);
console.log(missed.length ? `\nMissed targets:\n  ${missed.join("\n  ")}` : "\nAll targets met.");

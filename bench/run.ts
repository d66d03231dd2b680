/** `deno task bench`: every benchmark, printed as tables. Figures, not assertions. */
import { printTable, runDbBench } from "./db_bench.ts";

const cores = navigator.hardwareConcurrency;
const memGiB = (Deno.systemMemoryInfo().total / (1 << 30)).toFixed(0);
console.log(
  `Machine: ${Deno.build.os} ${Deno.build.arch}, ${cores} cores, ${memGiB} GiB; Deno ${Deno.version.deno}`,
);
printTable("Database: 1,000,000 bookings", await runDbBench(1_000_000));

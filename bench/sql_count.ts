/**
 * A preload that counts the SQLite statements a process runs, per SQL text, and writes them
 * (most frequent first, with the count per update: the number of runs of `SQL_COUNT_PER`, by
 * default hasOwed's statement, which runs once per update) to SQL_COUNT_OUT at exit or SIGTERM.
 * Usage: SQL_COUNT_OUT=/tmp/counts.txt BENCH_ONLY_BOT=1 BENCH_JOURNEYS=0 \
 *   BENCH_BOT_FLAGS="--preload=bench/sql_count.ts" deno run -A bench/load_bench.ts 5 32 1
 * SQL_COUNT_STACK=<part of an SQL text> counts the statements that contain it by their callers.
 */
import { DatabaseSync, StatementSync } from "node:sqlite";

const counts = new Map<string, number>();
/** Time spent in each SQL text, in ms (measured around the call, the wrapper included). */
const spent = new Map<string, number>();
/** The longest single run of each SQL text, in ms. */
const longest = new Map<string, number>();
const out = Deno.env.get("SQL_COUNT_OUT") ?? "/tmp/sql_count.txt";
const per = Deno.env.get("SQL_COUNT_PER") ?? "FROM outbox WHERE chat_id = ? AND done_at IS NULL";

const traced = Deno.env.get("SQL_COUNT_STACK");

function count(sql: string): string {
  if (traced && sql.includes(traced)) sql += `  <${callers()}`;
  counts.set(sql, (counts.get(sql) ?? 0) + 1);
  return sql;
}

function timed<T>(sql: string, run: () => T): T {
  const key = count(sql);
  const start = performance.now();
  try {
    return run();
  } finally {
    const ms = performance.now() - start;
    spent.set(key, (spent.get(key) ?? 0) + ms);
    if (ms > (longest.get(key) ?? 0)) longest.set(key, ms);
  }
}

/** The functions of src/ on the stack, innermost first. */
function callers(): string {
  const frames = new Error().stack?.split("\n").filter((l) => l.includes("/src/")) ?? [];
  return frames.slice(0, 6).map((l) =>
    l.trim().replace(/^at /, "").replace(/\(?file:.*\/src\//, "")
  ).join(" < ");
}
const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim();

for (const name of ["get", "all", "run", "iterate"] as const) {
  const original = StatementSync.prototype[name] as (...args: unknown[]) => unknown;
  Object.defineProperty(StatementSync.prototype, name, {
    value: function (this: StatementSync, ...args: unknown[]) {
      return timed(`${name.padEnd(7)} ${this.sourceSQL}`, () => original.apply(this, args));
    },
  });
}
const exec = DatabaseSync.prototype.exec;
DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
  return timed(`exec    ${sql}`, () => exec.call(this, sql));
};

let written = false;
function dump(): void {
  if (written) return;
  written = true;
  const rows = [...counts].map(([sql, n]) =>
    [oneLine(sql), n, spent.get(sql) ?? 0, longest.get(sql) ?? 0] as const
  );
  const updates = rows.filter(([sql]) => sql.includes(oneLine(per)))
    .reduce((sum, [, n]) => sum + n, 0) || 1;
  rows.sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  const micros = (ms: number, n: number) => (ms * 1000 / n).toFixed(1).padStart(7);
  const lines = rows.map(([sql, n, ms, max]) =>
    `${(n / updates).toFixed(3).padStart(8)} ${String(n).padStart(8)} ${micros(ms, n)} µs ${
      micros(ms, updates)
    } µs/upd ${max.toFixed(1).padStart(6)} ms max  ${sql.slice(0, traced ? 600 : 160)}`
  );
  const ms = rows.reduce((sum, [, , t]) => sum + t, 0);
  lines.unshift(
    `updates ${updates}  statements ${total}  per update ${(total / updates).toFixed(2)}  ` +
      `time per update ${(ms * 1000 / updates).toFixed(1)} µs`,
    "per upd    count   each          per update            longest   SQL",
  );
  Deno.writeTextFileSync(out, lines.join("\n") + "\n");
}
globalThis.addEventListener("unload", dump);
Deno.addSignalListener("SIGTERM", dump);

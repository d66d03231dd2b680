/** Which SQLite statements some code runs, for tests that count them. */
import { StatementSync } from "node:sqlite";

/** The SQL of every statement `fn` runs (any connection), in order, on one line each. */
export function statementsOf(fn: () => void): string[] {
  const proto = StatementSync.prototype as unknown as Record<string, unknown>;
  const originals = Object.fromEntries(["get", "all", "run"].map((m) => [m, proto[m]]));
  const seen: string[] = [];
  for (const [name, original] of Object.entries(originals)) {
    proto[name] = function (this: StatementSync, ...args: unknown[]) {
      seen.push(this.sourceSQL.replace(/\s+/g, " ").trim());
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  try {
    fn();
  } finally {
    Object.assign(proto, originals);
  }
  return seen;
}

/**
 * `jobs run NAME`: runs one job now, exactly as the tick would (it finds what is due now, so
 * running it twice sends nothing twice). "tick" runs them all. Jobs that message people need
 * BOT_TOKEN; `backup` and `completion` do not.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import { systemClock } from "../domain/clock.ts";
import { loadCatalogs } from "../ui/i18n.ts";
import { createLogger } from "../ops/log.ts";
import { createBotMetrics } from "../ops/metrics.ts";
import { createJobContext, createJobsApi, type JobDeps, type JobResult } from "./context.ts";
import { type JobName, JOBS, runJob, runTick } from "./scheduler.ts";

/** Names of the jobs `jobs run` accepts. */
export const JOB_NAMES = [...Object.keys(JOBS) as JobName[], "tick"] as const;

/** Jobs that never call the Bot API. */
const OFFLINE_JOBS: readonly string[] = ["backup", "completion"];

function summary(r: JobResult & { error?: string }): string {
  if (r.error) return `error: ${r.error}`;
  const counts = `due ${r.due}, done ${r.done}, failed ${r.failed}, skipped ${r.skipped}`;
  return r.note ? `${counts} (${r.note})` : counts;
}

/** Runs one job (or "tick": all of them) and returns a one-line summary. */
export async function runJobOnce(
  config: Config,
  db: Db,
  name: typeof JOB_NAMES[number],
): Promise<string> {
  if (!OFFLINE_JOBS.includes(name) && !config.botToken) {
    throw new Error(`The job "${name}" sends Telegram messages: set BOT_TOKEN`);
  }
  const logger = createLogger({ level: config.logLevel, file: config.logFile });
  try {
    const deps: JobDeps = {
      db,
      clock: systemClock,
      catalogs: loadCatalogs(),
      logger,
      metrics: createBotMetrics(),
      businessLanguage: config.businessLanguage,
    };
    // Offline jobs never send; the placeholder token is never used.
    const api = createJobsApi(config, deps, config.botToken ?? "0:offline");
    const ctx = createJobContext({ config, deps, api });
    const runs = name === "tick"
      ? Object.entries(await runTick(ctx))
      : [[name, await runJob(ctx, name)] as const];
    const text = runs.map(([job, r]) => name === "tick" ? `${job}: ${summary(r)}` : summary(r))
      .join("; ");
    // A job that threw is a failure of the command (non-zero exit), not a summary.
    if (runs.some(([, r]) => r.error)) throw new Error(`Job ${name} failed: ${text}`);
    return text;
  } finally {
    logger.close();
  }
}

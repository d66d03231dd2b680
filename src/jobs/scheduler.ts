/**
 * The job tick. Deno.cron schedules are UTC and missed runs are not caught up, so there is ONE
 * frequent tick (every minute) that runs every job, and each job finds what is due from the
 * database with the injectable clock and BUSINESS_TIMEZONE. A tick never overlaps the previous
 * one (it is skipped while one runs), and one tick runs right at start to catch up after
 * downtime. Tests call runTick directly with a FakeClock.
 */
import type { Api } from "grammy";
import type { Config } from "../config.ts";
import type { BotDeps } from "../deps.ts";
import { runAgenda } from "./agenda.ts";
import { runBackup, runBackupToOwners } from "./backups.ts";
import { runCleanup } from "./cleanup.ts";
import { runCompletion } from "./completion.ts";
import { runDepositHolds } from "./deposit_holds.ts";
import {
  createJobContext,
  createJobsApi,
  type JobContext,
  type JobDeps,
  type JobResult,
} from "./context.ts";
import { runFeedbackRequests } from "./feedback_requests.ts";
import { runOutbox } from "./outbox.ts";
import { runReminders } from "./reminders.ts";
import { runWaitlist } from "./waitlist.ts";
import type { Sleep } from "./sender.ts";

export { createJobContext, type JobContext, type JobResult };

/**
 * The jobs, in the order a tick runs them (completion first: feedback needs it; the outbox
 * after the jobs that enqueue, so their messages leave in the same tick).
 */
export const JOBS = {
  completion: runCompletion,
  deposit_holds: runDepositHolds,
  reminders: runReminders,
  feedback: runFeedbackRequests,
  waitlist: runWaitlist,
  outbox: runOutbox,
  agenda: runAgenda,
  cleanup: runCleanup,
  backup: runBackup,
  backup_to_owners: runBackupToOwners,
} as const satisfies Record<string, (ctx: JobContext) => Promise<JobResult>>;

/** The name of one job. */
export type JobName = keyof typeof JOBS;

/** One job's run within a tick; `error` when it threw (the tick went on with the next job). */
export interface JobRun extends JobResult {
  error?: string;
}

/** What a tick did, per job. */
export type TickReport = Partial<Record<JobName, JobRun>>;

/** The cron schedule of the tick: every minute. */
export const TICK_SCHEDULE = "* * * * *";

/** Runs one job, logging what was due and what happened; never throws. */
export async function runJob(ctx: JobContext, name: JobName): Promise<JobRun> {
  const { logger, metrics } = ctx.deps;
  const started = performance.now();
  try {
    const result: JobRun = await JOBS[name](ctx);
    const fields = {
      job: name,
      due: result.due,
      done: result.done,
      failed: result.failed,
      skipped: result.skipped,
      note: result.note,
      ms: Math.round(performance.now() - started),
    };
    // A quiet minute is DEBUG; anything due or failed is INFO, so the log shows every send.
    logger.log(result.due > 0 || result.failed > 0 ? "INFO" : "DEBUG", "Job run", fields);
    return result;
  } catch (error) {
    metrics.errorsTotal.inc();
    logger.error("Job failed", {
      job: name,
      error: error instanceof Error ? error.stack ?? error.message : String(error),
    });
    return { due: 0, done: 0, failed: 0, skipped: 0, error: String(error) };
  }
}

/** Runs every job once, in order. */
export async function runTick(ctx: JobContext): Promise<TickReport> {
  const report: TickReport = {};
  for (const name of Object.keys(JOBS) as JobName[]) {
    if (ctx.sender.signal.aborted) break;
    report[name] = await runJob(ctx, name);
  }
  return report;
}

/** Handle to stop the jobs, or pause them for a while (a restore). */
export interface JobsHandle {
  stop(): Promise<void>;
  /** Skips ticks until resume; resolves when the running tick has finished. */
  pause(): Promise<void>;
  resume(): void;
}

/** Registers `tick` to run every minute; returns how to unregister it. */
export type TickScheduler = (tick: () => Promise<void>) => () => void;

/** Deno.cron every minute (needs --unstable-cron); a 60-second timer if cron is unavailable. */
export function denoCronScheduler(logger: BotDeps["logger"]): TickScheduler {
  return (tick) => {
    const abort = new AbortController();
    try {
      Deno.cron("booking-tick", TICK_SCHEDULE, { signal: abort.signal }, tick)
        .catch((error) => logger.error("Deno.cron stopped", { error: String(error) }));
    } catch (error) {
      logger.warning("Deno.cron is unavailable; using a 60-second timer", {
        error: String(error),
      });
      const timer = setInterval(() => void tick(), 60_000);
      return () => clearInterval(timer);
    }
    return () => abort.abort();
  };
}

/** Options of startJobs. */
export interface StartJobsOptions {
  config: Config;
  deps: JobDeps;
  /** The bot's API; the jobs use their own client with the same token (no auto-retry). */
  api: Api;
  /** How the tick is scheduled; default Deno.cron every minute. */
  scheduler?: TickScheduler;
  /** The sender's sleep; default real timers. */
  sleep?: Sleep;
  /** The job context to run in (the bot shares its outbox sender and throttle); default a new one. */
  context?: JobContext;
}

/**
 * Starts the job tick, and runs one tick at once (catch-up after downtime).
 *
 * The bot's `api` has @grammyjs/auto-retry installed; bulk sends must not go through it, or every
 * retry of ours would be multiplied by its own and its waits would ignore our clock. So the jobs
 * build a plain client for the same token and API root, with the same message tracking.
 */
export function startJobs(options: StartJobsOptions): JobsHandle {
  const { config, deps, api } = options;
  const ctx = options.context ?? createJobContext({
    config,
    deps,
    api: createJobsApi(config, deps, config.botToken ?? api.token),
    sleep: options.sleep,
  });
  let running: Promise<void> | undefined;
  let stopped = false;
  let paused = false;
  const tick = (): Promise<void> => {
    if (stopped || paused) return Promise.resolve();
    if (running) {
      deps.logger.debug("The previous job tick is still running; skipping this one");
      return Promise.resolve();
    }
    running = runTick(ctx).then(() => {}, (error) => {
      deps.logger.error("Job tick failed", { error: String(error) });
    }).finally(() => {
      running = undefined;
    });
    return running;
  };
  const unschedule = (options.scheduler ?? denoCronScheduler(deps.logger))(tick);
  void tick();
  deps.logger.info("Jobs started", { schedule: TICK_SCHEDULE, timeZone: config.timeZone });
  return {
    async stop() {
      stopped = true;
      unschedule();
      ctx.sender.close();
      await running;
    },
    async pause() {
      paused = true;
      await running;
    },
    resume() {
      paused = false;
    },
  };
}

/** Starts the periodic jobs (filled in by the jobs work). */
import type { Api } from "grammy";
import type { Config } from "../config.ts";
import type { BotDeps } from "../bot/context.ts";

/** Handle to stop the jobs. */
export interface JobsHandle {
  stop(): Promise<void>;
}

/** Starts the job tick. */
export function startJobs(_options: { config: Config; deps: BotDeps; api: Api }): JobsHandle {
  return { stop: () => Promise.resolve() };
}

/** `jobs run NAME`: runs one job now. */
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";

/** Names of the jobs. */
export const JOB_NAMES = [] as const;

/** Runs one job and returns a one-line summary. */
export function runJobOnce(_config: Config, _db: Db, name: never): Promise<string> {
  return Promise.resolve(name);
}

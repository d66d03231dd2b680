/**
 * Scheduled backups: every BACKUP_INTERVAL_HOURS (0 = off) a verified online backup into
 * DATA_DIR/backups, then backups older than BACKUP_RETENTION_DAYS are pruned. Due-ness comes
 * from the newest backup file's time, so it survives restarts; after a failure the job waits
 * 15 minutes before trying again instead of failing every minute.
 */
import { createBackup, isBackupDue, latestBackupTime, pruneBackups } from "../ops/backup.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

/** Pause after a failed backup. */
export const BACKUP_RETRY_DELAY_MS = 15 * 60_000;

/** Makes a backup when one is due. */
export async function runBackup(ctx: JobContext): Promise<JobResult> {
  const { db, clock, logger, metrics } = ctx.deps;
  const { backupDir, backupIntervalMinutes, backupRetentionDays } = ctx.config;
  const backupIntervalHours = backupIntervalMinutes / 60;
  if (!(backupIntervalHours > 0)) return emptyResult("off");
  const now = clock.now();
  const retryAt = ctx.state.backupRetryAt;
  if (retryAt !== undefined && now < retryAt) return emptyResult("waiting after a failure");
  if (!isBackupDue(latestBackupTime(backupDir), backupIntervalHours, now)) {
    return emptyResult("not due");
  }
  try {
    const info = await createBackup(db, backupDir, now);
    const pruned = pruneBackups(backupDir, backupRetentionDays, now);
    ctx.state.backupRetryAt = undefined;
    logger.info("Scheduled backup written", {
      file: info.name,
      bytes: info.size,
      pruned: pruned.length,
    });
    return { due: 1, done: 1, failed: 0, skipped: 0, note: info.name };
  } catch (error) {
    ctx.state.backupRetryAt = now + BACKUP_RETRY_DELAY_MS;
    metrics.errorsTotal.inc();
    logger.error("Scheduled backup failed", { error: String(error), dir: backupDir });
    return { due: 1, done: 0, failed: 1, skipped: 0, note: String(error) };
  }
}

/**
 * Scheduled backups. Every BACKUP_INTERVAL_MINUTES (0 = off), when the database changed since
 * the last backup, a verified online backup goes into DATA_DIR/backups, then the backups are
 * thinned (all of the last 48 h, one a day for BACKUP_RETENTION_DAYS). Due-ness comes from the
 * newest backup file's time, so it survives restarts; "changed" is remembered in memory, so the
 * first due backup after a restart is made without comparing. After a failure the job waits
 * 15 minutes before trying again instead of failing every minute.
 *
 * Once a day the newest valid backup, gzip-compressed, goes to the owners as a document (an
 * off-site copy: a dead disk loses at most a day); BACKUP_TO_OWNERS=0 turns it off.
 */
import { join } from "node:path";
import { InputFile } from "grammy";
import { listOwnerIds } from "../db/admins_repo.ts";
import {
  changeMark,
  createBackup,
  latestBackupTime,
  newestValidBackup,
  pruneBackups,
} from "../ops/backup.ts";
import { gzipFile } from "../ops/backup_gzip.ts";
import { emptyResult, type JobContext, type JobResult, languageOf } from "./context.ts";

/** Pause after a failed backup. */
export const BACKUP_RETRY_DELAY_MS = 15 * 60_000;

/** How often the owners get a compressed copy. */
export const OWNERS_COPY_INTERVAL_MS = 86_400_000;

/** Telegram's upload limit for bots. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Remembers when the owners last got their copy (not in the database: a restore would rewind it). */
const OWNERS_COPY_MARKER = ".sent-to-owners";

/** Makes a backup when one is due and the database changed. */
export async function runBackup(ctx: JobContext): Promise<JobResult> {
  const { db, clock, logger, metrics } = ctx.deps;
  const { backupDir, backupIntervalMinutes, backupRetentionDays } = ctx.config;
  if (!(backupIntervalMinutes > 0)) return emptyResult("off");
  const now = clock.now();
  const retryAt = ctx.state.backupRetryAt;
  if (retryAt !== undefined && now < retryAt) return emptyResult("waiting after a failure");
  const last = latestBackupTime(backupDir);
  if (last !== undefined && now - last < backupIntervalMinutes * 60_000) {
    return emptyResult("not due");
  }
  const mark = changeMark(db);
  if (last !== undefined && ctx.state.backupMark === mark) return emptyResult("no change");
  try {
    const info = await createBackup(db, backupDir, now);
    const pruned = pruneBackups(backupDir, backupRetentionDays, now);
    ctx.state.backupRetryAt = undefined;
    ctx.state.backupMark = mark;
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

function lastOwnersCopy(backupDir: string): number | undefined {
  try {
    const value = Number(Deno.readTextFileSync(join(backupDir, OWNERS_COPY_MARKER)).trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1 << 20
    ? `${(bytes / (1 << 20)).toFixed(1)} MiB`
    : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

/** Once a day: the newest valid backup, gzip-compressed, to every owner as a document. */
export async function runBackupToOwners(ctx: JobContext): Promise<JobResult> {
  const { db, clock, logger } = ctx.deps;
  const { backupDir, backupToOwners } = ctx.config;
  if (!backupToOwners) return emptyResult("off");
  const now = clock.now();
  const last = lastOwnersCopy(backupDir);
  if (last !== undefined && now - last < OWNERS_COPY_INTERVAL_MS) return emptyResult("not due");
  const owners = listOwnerIds(db);
  const backup = owners.length ? newestValidBackup(backupDir) : undefined;
  if (!backup) return emptyResult(owners.length ? "no backup yet" : "no owners");
  const bytes = await gzipFile(backup.path);
  const name = `${backup.name}.gz`;
  if (bytes.length > MAX_UPLOAD_BYTES) {
    logger.warning("The compressed backup is over Telegram's 50 MB limit; not sent", { name });
    Deno.writeTextFileSync(join(backupDir, OWNERS_COPY_MARKER), String(now));
    return { due: 1, done: 0, failed: 0, skipped: 1, note: "too large" };
  }
  const result: JobResult = { due: owners.length, done: 0, failed: 0, skipped: 0, note: name };
  for (const owner of owners) {
    const { t } = languageOf(ctx.deps, owner);
    const caption = t("ops.daily_backup", { name, size: formatSize(bytes.length) });
    const delivery = await ctx.sender.send(
      owner,
      () =>
        ctx.api.sendDocument(owner, new InputFile(bytes, name), { caption, parse_mode: "HTML" }),
    );
    if (delivery.status === "sent") result.done++;
    else if (delivery.status === "blocked") result.skipped++;
    else result.failed++;
  }
  // Done for today once an owner has it (or nobody could take it); if every send failed, the
  // next tick tries again.
  if (result.done > 0 || result.failed === 0) {
    Deno.writeTextFileSync(join(backupDir, OWNERS_COPY_MARKER), String(now));
  }
  return result;
}

/**
 * Which backups to keep: every backup of the last 48 hours, then the newest of each UTC day up
 * to BACKUP_RETENTION_DAYS, and never the newest valid backup. Only valid backups are thinned:
 * a file that fails its check (not ours, damaged) is left for the operator until it expires.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Everything younger than this is kept. */
export const KEEP_ALL_HOURS = 48;

/** A backup as the thinning sees it. */
export interface BackupStamp {
  name: string;
  /** When it was taken, ms since the epoch. */
  takenAt: number;
}

/**
 * The names of the backups to delete at `now`. `isValid` is asked lazily (a check reads the
 * file), only for backups whose fate depends on it. `retentionDays` 0 keeps everything.
 */
export function backupsToDelete(
  backups: readonly BackupStamp[],
  now: number,
  retentionDays: number,
  isValid: (name: string) => boolean,
): string[] {
  if (!(retentionDays > 0)) return [];
  const newestFirst = [...backups].sort((a, b) => b.takenAt - a.takenAt);
  const keepForever = newestFirst.find((b) => isValid(b.name))?.name;
  const doomed: string[] = [];
  const days = new Map<number, BackupStamp[]>();
  for (const b of newestFirst) {
    const age = now - b.takenAt;
    if (age <= KEEP_ALL_HOURS * HOUR_MS) continue;
    if (age > retentionDays * DAY_MS) {
      if (b.name !== keepForever) doomed.push(b.name);
      continue;
    }
    const day = Math.floor(b.takenAt / DAY_MS);
    days.set(day, [...days.get(day) ?? [], b]);
  }
  for (const members of days.values()) {
    if (members.length < 2) continue;
    const keeper = members.find((b) => isValid(b.name));
    if (!keeper) continue;
    for (const b of members) {
      if (b === keeper || b.name === keepForever || b.takenAt > keeper.takenAt) continue;
      if (isValid(b.name)) doomed.push(b.name);
    }
  }
  return doomed;
}

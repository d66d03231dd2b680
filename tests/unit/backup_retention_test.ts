import assert from "node:assert/strict";
import { backupsToDelete } from "../../src/domain/backup_retention.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 20, 12, 0, 0);

/** An hourly backup for the last `days` days, named by its age in hours. */
function hourly(days: number) {
  return Array.from({ length: days * 24 }, (_, h) => ({ name: `h${h}`, takenAt: NOW - h * HOUR }));
}

function kept(backups: { name: string; takenAt: number }[], deleted: string[]) {
  const gone = new Set(deleted);
  return backups.filter((b) => !gone.has(b.name));
}

Deno.test("thinning keeps all of the last 48 h, then the newest of each day, for the retention", () => {
  const backups = hourly(40);
  const left = kept(backups, backupsToDelete(backups, NOW, 30, () => true));
  const recent = left.filter((b) => NOW - b.takenAt <= 48 * HOUR);
  assert.equal(recent.length, 49, "every backup of the last 48 h (both ends included)");
  const older = left.filter((b) => NOW - b.takenAt > 48 * HOUR);
  const days = older.map((b) => Math.floor(b.takenAt / DAY));
  assert.equal(new Set(days).size, days.length, "one per day beyond 48 h");
  for (const b of older) {
    // The newest of its UTC day among the older ones: 23:00, or the last hour before the 48 h.
    const sameDay = backups.filter((o) =>
      Math.floor(o.takenAt / DAY) === Math.floor(b.takenAt / DAY) && NOW - o.takenAt > 48 * HOUR
    );
    assert.equal(b.takenAt, Math.max(...sameDay.map((o) => o.takenAt)));
  }
  assert.ok(older.every((b) => NOW - b.takenAt <= 30 * DAY), "none older than the retention");
  assert.equal(older.length, 29, "the days between 48 h and 30 days");
});

Deno.test("thinning never removes the newest valid backup, nor files it cannot vouch for", () => {
  const backups = [
    { name: "old-valid", takenAt: NOW - 40 * DAY },
    { name: "broken-newer", takenAt: NOW - 35 * DAY },
    { name: "day-a-1", takenAt: NOW - 5 * DAY },
    { name: "day-a-2-broken", takenAt: NOW - 5 * DAY - HOUR },
    { name: "day-a-3", takenAt: NOW - 5 * DAY - 2 * HOUR },
  ];
  const valid = (name: string) => !name.includes("broken");
  assert.deepEqual(backupsToDelete(backups, NOW, 30, valid).sort(), [
    "broken-newer", // expired: age removes any file
    "day-a-3", // an older valid one of the same day as day-a-1
    "old-valid",
  ]);
  // Everything is old: only the newest valid one stays.
  const far = NOW + 365 * DAY;
  assert.deepEqual(
    kept(backups, backupsToDelete(backups, far, 30, valid)).map((b) => b.name),
    ["day-a-1"],
  );
  assert.deepEqual(backupsToDelete(backups, far, 0, valid), [], "0 days keeps everything");
});

Deno.test("thinning asks for a verdict only where it matters", () => {
  const asked: string[] = [];
  const backups = hourly(2); // all within 48 h
  backupsToDelete(backups, NOW, 30, (name) => (asked.push(name), true));
  assert.deepEqual(asked, ["h0"], "only to find the newest valid one");
});

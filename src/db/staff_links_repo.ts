/** Masters' Telegram accounts: the link of a staff record to a user, and one-time invites. */
import type { Db } from "./connection.ts";
import { stmt } from "./statements.ts";

/** One invite as stored (the token itself is never stored, only its hash). */
export interface StaffLink {
  staffId: number;
  createdBy: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: number | null;
}

/** Stores a new invite of master `staffId`. */
export function insertStaffLink(
  db: Db,
  link: { tokenHash: string; staffId: number; createdBy: number; now: number; expiresAt: number },
): void {
  stmt(
    db,
    `INSERT INTO staff_links (token_hash, staff_id, created_by, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(link.tokenHash, link.staffId, link.createdBy, link.now, link.expiresAt);
}

/** The invite with this token hash, if any. */
export function findStaffLink(db: Db, tokenHash: string): StaffLink | undefined {
  const row = stmt(
    db,
    `SELECT staff_id AS staffId, created_by AS createdBy, expires_at AS expiresAt,
            used_at AS usedAt, used_by AS usedBy
     FROM staff_links WHERE token_hash = ?`,
  ).get(tokenHash);
  return row ? row as unknown as StaffLink : undefined;
}

/** Marks an invite used by `userId`. */
export function markStaffLinkUsed(db: Db, tokenHash: string, userId: number, now: number): void {
  stmt(db, "UPDATE staff_links SET used_at = ?, used_by = ? WHERE token_hash = ?")
    .run(now, userId, tokenHash);
}

/** Links master `staffId` to Telegram user `userId` (null unlinks). */
export function setStaffUser(db: Db, staffId: number, userId: number | null, now: number): void {
  stmt(db, "UPDATE staff SET user_id = ?, updated_at = ? WHERE id = ?").run(userId, now, staffId);
}

/** The Telegram user linked to master `staffId`, if any. */
export function userOfStaff(db: Db, staffId: number): number | undefined {
  const row = stmt(db, "SELECT user_id AS userId FROM staff WHERE id = ?").get(staffId);
  return row?.userId == null ? undefined : Number(row.userId);
}

/** The (not deleted) master linked to Telegram user `userId`, if any. */
export function staffOfUser(db: Db, userId: number): { id: number; name: string } | undefined {
  const row = stmt(
    db,
    "SELECT id, name FROM staff WHERE user_id = ? AND deleted_at IS NULL",
  ).get(userId);
  return row ? { id: Number(row.id), name: String(row.name) } : undefined;
}

/** Every (not deleted, active) master linked to a Telegram account. */
export function listLinkedStaff(db: Db): { staffId: number; userId: number }[] {
  return stmt(
    db,
    `SELECT id AS staffId, user_id AS userId FROM staff
     WHERE user_id IS NOT NULL AND deleted_at IS NULL AND is_active = 1 ORDER BY id`,
  ).all().map((r) => ({ staffId: Number(r.staffId), userId: Number(r.userId) }));
}

/** Admins and their roles. Owners come from ADMIN_IDS and are synced at every start. */
import type { Db } from "./connection.ts";
import { cached } from "./config_cache.ts";
import { stmt } from "./statements.ts";

/** What an admin may do: owner > admin > viewer (read-only). */
export type AdminRole = "owner" | "admin" | "viewer";

/** An admin as stored. */
export interface Admin {
  userId: number;
  role: AdminRole;
  addedBy: number | null;
  addedAt: number;
}

/** The role of a user, or undefined for a client. */
export function getAdminRole(db: Db, userId: number): AdminRole | undefined {
  // Every update asks; the few admins are read at once and kept while nothing changes.
  const roles = cached(db, "admin_roles", () =>
    new Map(
      stmt(db, "SELECT user_id, role FROM admins").all()
        .map((r) => [Number(r.user_id), r.role as AdminRole]),
    ));
  return roles.get(userId);
}

/** All admins, owners first. */
export function listAdmins(db: Db): readonly Readonly<Admin>[] {
  return cached(db, "admins", () =>
    stmt(
      db,
      `SELECT user_id AS userId, role, added_by AS addedBy, added_at AS addedAt FROM admins
       ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, added_at`,
    ).all() as unknown as Admin[]);
}

/** Ids of all owners. */
export function listOwnerIds(db: Db): number[] {
  return stmt(db, "SELECT user_id FROM admins WHERE role = 'owner' ORDER BY user_id").all()
    .map((r) => Number(r.user_id));
}

/** Inserts or changes an admin's role. */
export function upsertAdmin(
  db: Db,
  userId: number,
  role: AdminRole,
  addedBy: number | null,
  now: number,
): void {
  stmt(
    db,
    `INSERT INTO admins (user_id, role, added_by, added_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET role = excluded.role`,
  ).run(userId, role, addedBy, now);
}

/** Removes an admin. */
export function deleteAdmin(db: Db, userId: number): void {
  stmt(db, "DELETE FROM admins WHERE user_id = ?").run(userId);
}

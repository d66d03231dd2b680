/**
 * Who may administer the bot: owners (from ADMIN_IDS) grant and revoke the roles "admin" and
 * "viewer". Each change is checked and audited inside one BEGIN IMMEDIATE transaction.
 */
import {
  type AdminRole,
  deleteAdmin,
  getAdminRole,
  listOwnerIds,
  upsertAdmin,
} from "../db/admins_repo.ts";
import { audit } from "../db/audit_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";

/** Roles an owner can give from the bot; owners come only from ADMIN_IDS. */
export type GrantableRole = Exclude<AdminRole, "owner">;

/** Why an access change was refused (locale key admin_access.error_<code>). */
export type AdminAccessErrorCode =
  | "forbidden"
  | "owner_locked"
  | "last_owner"
  | "not_admin";

/** A refused access change. */
export class AdminAccessError extends Error {
  constructor(readonly code: AdminAccessErrorCode) {
    super(code);
    this.name = "AdminAccessError";
  }
}

/** Parses a Telegram user id typed by an owner: digits only, 1 to 15 of them, not zero. */
export function parseTelegramId(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,15}$/.test(t)) return undefined;
  const id = Number(t);
  return id > 0 ? id : undefined;
}

function assertOwner(db: Db, actorId: number): void {
  if (getAdminRole(db, actorId) !== "owner") throw new AdminAccessError("forbidden");
}

/** Why an owner cannot be changed from the bot. */
function ownerRefusal(db: Db): AdminAccessError {
  return new AdminAccessError(listOwnerIds(db).length <= 1 ? "last_owner" : "owner_locked");
}

/** The result of a role change. */
export interface RoleChange {
  userId: number;
  oldRole: AdminRole | undefined;
  newRole: AdminRole | undefined;
}

/**
 * Makes `userId` an admin or viewer (adding them when new). Only owners may do it; owners
 * themselves cannot be demoted here (their role comes from ADMIN_IDS).
 */
export function grantRole(
  db: Db,
  actorId: number,
  userId: number,
  role: GrantableRole,
  now: number,
): RoleChange {
  return writeTransaction(db, () => {
    assertOwner(db, actorId);
    const oldRole = getAdminRole(db, userId);
    if (oldRole === "owner") throw ownerRefusal(db);
    if (oldRole === role) return { userId, oldRole, newRole: role };
    upsertAdmin(db, userId, role, actorId, now);
    audit(db, {
      at: now,
      actorId,
      entity: "admin",
      entityId: userId,
      action: oldRole === undefined ? "add" : "change_role",
      field: "role",
      oldValue: oldRole ?? null,
      newValue: role,
    });
    return { userId, oldRole, newRole: role };
  });
}

/** Takes all admin rights from `userId`. Only owners may; owners (and the last one) stay. */
export function revokeAdmin(db: Db, actorId: number, userId: number, now: number): RoleChange {
  return writeTransaction(db, () => {
    assertOwner(db, actorId);
    const oldRole = getAdminRole(db, userId);
    if (oldRole === undefined) throw new AdminAccessError("not_admin");
    if (oldRole === "owner") throw ownerRefusal(db);
    deleteAdmin(db, userId);
    audit(db, {
      at: now,
      actorId,
      entity: "admin",
      entityId: userId,
      action: "remove",
      field: "role",
      oldValue: oldRole,
      newValue: null,
    });
    return { userId, oldRole, newRole: undefined };
  });
}

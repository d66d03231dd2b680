/** Bringing a database to the state `start` needs: schema current, owners synced. */
import type { Config } from "../config.ts";
import { audit } from "./audit_repo.ts";
import { type Db, openDatabase, writeTransaction } from "./connection.ts";
import { migrateUp } from "./migrate.ts";
import { listAdmins, upsertAdmin } from "./admins_repo.ts";
import { stmt } from "./statements.ts";

/** Opens the database, applies pending migrations and returns the connection. */
export function openMigrated(path: string, now: number): Db {
  const db = openDatabase(path);
  try {
    migrateUp(db, now);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Makes the owners exactly the ids of ADMIN_IDS: listed ids become owners, and owners no
 * longer listed lose the role. Every change is audited.
 */
export function syncOwners(db: Db, ownerIds: number[], now: number): void {
  writeTransaction(db, () => {
    const current = new Map(listAdmins(db).map((a) => [a.userId, a.role]));
    for (const id of ownerIds) {
      if (current.get(id) === "owner") continue;
      upsertAdmin(db, id, "owner", null, now);
      audit(db, {
        at: now,
        actorId: null,
        entity: "admin",
        entityId: id,
        action: "owner_from_config",
        field: "role",
        oldValue: current.get(id) ?? null,
        newValue: "owner",
      });
    }
    for (const [id, role] of current) {
      if (role !== "owner" || ownerIds.includes(id)) continue;
      stmt(db, "DELETE FROM admins WHERE user_id = ?").run(id);
      audit(db, {
        at: now,
        actorId: null,
        entity: "admin",
        entityId: id,
        action: "owner_removed_from_config",
        field: "role",
        oldValue: "owner",
        newValue: null,
      });
    }
  });
}

/** The name of the master migration 0001 creates, in each business language. */
export const DEFAULT_MASTER_NAME: Record<Config["businessLanguage"], string> = {
  ru: "Мастер",
  en: "Master",
  uk: "Майстер",
};

/**
 * Names the master of a new install in the business language. Only while it is untouched
 * (never renamed, deactivated or deleted since the migration made it, and still called a
 * default name): a name an owner chose is never rewritten.
 */
export function localizeDefaultMaster(db: Db, lang: Config["businessLanguage"], now: number): void {
  const name = DEFAULT_MASTER_NAME[lang];
  const row = stmt(
    db,
    "SELECT name FROM staff WHERE id = 1 AND created_at = updated_at AND deleted_at IS NULL",
  ).get();
  const current = row ? String(row.name) : undefined;
  if (current === undefined || current === name) return;
  if (!Object.values(DEFAULT_MASTER_NAME).includes(current)) return;
  writeTransaction(db, () => {
    // updated_at stays equal to created_at: the name is still the untouched default.
    stmt(db, "UPDATE staff SET name = ? WHERE id = 1").run(name);
    audit(db, {
      at: now,
      actorId: null,
      entity: "staff",
      entityId: 1,
      action: "default_name",
      field: "name",
      oldValue: current,
      newValue: name,
    });
  });
}

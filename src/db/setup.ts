/** Bringing a database to the state `start` needs: schema current, owners synced. */
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

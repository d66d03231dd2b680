/** Staff members (masters); bookings and schedules belong to one. */
import type { Db } from "./connection.ts";
import { cached } from "./config_cache.ts";
import { stmt } from "./statements.ts";

/** A staff member as stored. */
export interface Staff {
  id: number;
  name: string;
  isActive: boolean;
  displayOrder: number;
}

function toStaff(row: Record<string, unknown>): Staff {
  return {
    id: Number(row.id),
    name: String(row.name),
    isActive: row.isActive === 1,
    displayOrder: Number(row.displayOrder),
  };
}

const COLUMNS = "id, name, is_active AS isActive, display_order AS displayOrder";

/** Active staff members in display order. */
export function listActiveStaff(db: Db): readonly Readonly<Staff>[] {
  return cached(db, "active_staff", () =>
    stmt(
      db,
      `SELECT ${COLUMNS} FROM staff WHERE is_active = 1 AND deleted_at IS NULL
       ORDER BY display_order, id`,
    ).all().map(toStaff));
}

/**
 * Whether clients see anything about masters (choice, names on cards and reminders): only
 * when more than one is active; with one master the choice would be noise.
 */
export function staffVisibleToClients(db: Db): boolean {
  return listActiveStaff(db).length > 1;
}

/** All staff members not deleted, active first. */
export function listAllStaff(db: Db): Staff[] {
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM staff WHERE deleted_at IS NULL
     ORDER BY is_active DESC, display_order, id`,
  ).all().map(toStaff);
}

/** One staff member by id. */
export function getStaff(db: Db, id: number): Readonly<Staff> | undefined {
  return cached(db, `staff:${id}`, () => {
    const row = stmt(db, `SELECT ${COLUMNS} FROM staff WHERE id = ? AND deleted_at IS NULL`)
      .get(id);
    return row ? toStaff(row) : undefined;
  });
}

/** Adds a staff member and returns the id. */
export function insertStaff(db: Db, name: string, now: number): number {
  const order = Number(
    stmt(db, "SELECT coalesce(max(display_order), 0) + 1 AS n FROM staff").get()!.n,
  );
  return Number(
    stmt(
      db,
      `INSERT INTO staff (name, is_active, display_order, created_at, updated_at)
       VALUES (?, 1, ?, ?, ?)`,
    ).run(name, order, now, now).lastInsertRowid,
  );
}

/** Renames a staff member. */
export function renameStaff(db: Db, id: number, name: string, now: number): void {
  stmt(db, "UPDATE staff SET name = ?, updated_at = ? WHERE id = ?").run(name, now, id);
}

/** Activates or deactivates a staff member. */
export function setStaffActive(db: Db, id: number, active: boolean, now: number): void {
  stmt(db, "UPDATE staff SET is_active = ?, updated_at = ? WHERE id = ?")
    .run(active ? 1 : 0, now, id);
}

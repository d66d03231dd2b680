/** Services the business offers. */
import type { Db } from "./connection.ts";
import { cached } from "./config_cache.ts";
import { stmt } from "./statements.ts";

/** A service as stored. */
export interface Service {
  id: number;
  name: string;
  description: string;
  durationMinutes: number;
  /** Price in minor units (kopecks, cents), or null when not shown. */
  priceMinor: number | null;
  displayOrder: number;
  isActive: boolean;
  deletedAt: number | null;
}

/** A service with how many bookings it has (for the admin list). */
export interface ServiceWithCount extends Service {
  bookingsCount: number;
}

/** The fields of a service that can be set. */
export interface ServiceFields {
  name: string;
  description: string;
  durationMinutes: number;
  priceMinor: number | null;
  displayOrder: number;
  isActive: boolean;
}

const COLUMNS = `id, name, description, duration_minutes AS durationMinutes,
  price_minor AS priceMinor, display_order AS displayOrder, is_active AS isActive,
  deleted_at AS deletedAt`;

function toService(row: Record<string, unknown> | undefined): Service | undefined {
  if (!row) return undefined;
  return { ...(row as unknown as Service), isActive: row.isActive === 1 };
}

/** One service by id, deleted ones included (all services are read at once and cached). */
export function getService(db: Db, id: number): Readonly<Service> | undefined {
  return cached(
    db,
    "services",
    () =>
      new Map(
        stmt(db, `SELECT ${COLUMNS} FROM services`).all().map((r) => {
          const service = toService(r)!;
          return [service.id, service];
        }),
      ),
  ).get(id);
}

/** Services clients can book: active, not deleted, in display order. */
export function listBookableServices(db: Db): readonly Readonly<Service>[] {
  return cached(db, "bookable_services", () =>
    stmt(
      db,
      `SELECT ${COLUMNS} FROM services WHERE is_active = 1 AND deleted_at IS NULL
       ORDER BY display_order, name, id`,
    ).all().map((r) => toService(r)!));
}

/** All services for admins (optionally with deleted ones), with bookings counts. */
export function listServicesWithCounts(
  db: Db,
  options: { includeDeleted: boolean; activeOnly?: boolean },
): ServiceWithCount[] {
  const where = [
    options.includeDeleted ? "1 = 1" : "s.deleted_at IS NULL",
    options.activeOnly ? "s.is_active = 1" : "1 = 1",
  ].join(" AND ");
  return stmt(
    db,
    `SELECT s.id, s.name, s.description, s.duration_minutes AS durationMinutes,
       s.price_minor AS priceMinor, s.display_order AS displayOrder, s.is_active AS isActive,
       s.deleted_at AS deletedAt,
       (SELECT count(*) FROM bookings b WHERE b.service_id = s.id AND b.deleted_at IS NULL)
         AS bookingsCount
     FROM services s WHERE ${where} ORDER BY s.deleted_at IS NOT NULL, s.display_order, s.name, s.id`,
  ).all().map((r) => ({ ...toService(r)!, bookingsCount: Number(r.bookingsCount) }));
}

/** Inserts a service and returns its id. */
export function insertService(db: Db, f: ServiceFields, now: number): number {
  const result = stmt(
    db,
    `INSERT INTO services (name, description, duration_minutes, price_minor, display_order,
       is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    f.name,
    f.description,
    f.durationMinutes,
    f.priceMinor,
    f.displayOrder,
    f.isActive ? 1 : 0,
    now,
    now,
  );
  return Number(result.lastInsertRowid);
}

const FIELD_COLUMNS: Record<keyof ServiceFields, string> = {
  name: "name",
  description: "description",
  durationMinutes: "duration_minutes",
  priceMinor: "price_minor",
  displayOrder: "display_order",
  isActive: "is_active",
};

/** Sets one field of a service. */
export function updateServiceField<K extends keyof ServiceFields>(
  db: Db,
  id: number,
  field: K,
  value: ServiceFields[K],
  now: number,
): void {
  const column = FIELD_COLUMNS[field];
  const bound = typeof value === "boolean" ? (value ? 1 : 0) : value;
  stmt(db, `UPDATE services SET ${column} = ?, updated_at = ? WHERE id = ?`)
    .run(bound as string | number | null, now, id);
}

/** Soft-deletes (deletedAt set) or restores (deletedAt null) a service. */
export function setServiceDeleted(db: Db, id: number, deletedAt: number | null, now: number): void {
  stmt(db, "UPDATE services SET deleted_at = ?, updated_at = ? WHERE id = ?")
    .run(deletedAt, now, id);
}

/** Which master does which service (table master_services), with a master's own terms. */
import type { Db } from "./connection.ts";
import { cached } from "./config_cache.ts";
import { stmt } from "./statements.ts";

/** A master's terms for one service; null duration or price means the service's own. */
export interface MasterTerms {
  staffId: number;
  serviceId: number;
  durationMinutes: number | null;
  priceMinor: number | null;
}

const COLUMNS = `m.staff_id AS staffId, m.service_id AS serviceId,
  m.duration_minutes AS durationMinutes, m.price_minor AS priceMinor`;

function toTerms(row: Record<string, unknown>): MasterTerms {
  return {
    staffId: Number(row.staffId),
    serviceId: Number(row.serviceId),
    durationMinutes: row.durationMinutes === null ? null : Number(row.durationMinutes),
    priceMinor: row.priceMinor === null ? null : Number(row.priceMinor),
  };
}

/** The active masters who do a service, in display order, with their terms (one query). */
export function activeMastersOfService(
  db: Db,
  serviceId: number,
): readonly Readonly<MasterTerms>[] {
  return cached(db, `masters_of:${serviceId}`, () =>
    stmt(
      db,
      `SELECT ${COLUMNS} FROM master_services m JOIN staff s ON s.id = m.staff_id
       WHERE m.service_id = ? AND s.is_active = 1 AND s.deleted_at IS NULL
       ORDER BY s.display_order, s.id`,
    ).all(serviceId).map(toTerms));
}

/** Every link of a service (any master, active or not). */
export function linksOfService(db: Db, serviceId: number): MasterTerms[] {
  return stmt(db, `SELECT ${COLUMNS} FROM master_services m WHERE m.service_id = ?`)
    .all(serviceId).map(toTerms);
}

/** Every link of a master (any service). */
export function linksOfMaster(db: Db, staffId: number): MasterTerms[] {
  return stmt(db, `SELECT ${COLUMNS} FROM master_services m WHERE m.staff_id = ?`)
    .all(staffId).map(toTerms);
}

/** One link, or undefined when the master does not do the service. */
export function getMasterTerms(
  db: Db,
  staffId: number,
  serviceId: number,
): Readonly<MasterTerms> | undefined {
  return cached(db, `terms:${staffId}:${serviceId}`, () => {
    const row = stmt(
      db,
      `SELECT ${COLUMNS} FROM master_services m WHERE m.staff_id = ? AND m.service_id = ?`,
    ).get(staffId, serviceId);
    return row ? toTerms(row) : undefined;
  });
}

/** Lets a master do a service (with the service's own terms) or stops it. */
export function setMasterDoesService(db: Db, staffId: number, serviceId: number, on: boolean) {
  if (on) {
    stmt(
      db,
      "INSERT OR IGNORE INTO master_services (staff_id, service_id) VALUES (?, ?)",
    ).run(staffId, serviceId);
  } else {
    stmt(db, "DELETE FROM master_services WHERE staff_id = ? AND service_id = ?")
      .run(staffId, serviceId);
  }
}

/** Sets a master's own duration and price for a service they do. */
export function setMasterTerms(
  db: Db,
  staffId: number,
  serviceId: number,
  terms: { durationMinutes: number | null; priceMinor: number | null },
): void {
  stmt(
    db,
    `UPDATE master_services SET duration_minutes = ?, price_minor = ?
     WHERE staff_id = ? AND service_id = ?`,
  ).run(terms.durationMinutes, terms.priceMinor, staffId, serviceId);
}

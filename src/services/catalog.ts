/**
 * The service catalogue as admins change it: create, edit any field, soft-delete and
 * restore. Every change is validated and written with its audit record in one
 * BEGIN IMMEDIATE transaction; clients read services live, so a change shows at once.
 */
import { MAX_PRICE_MAJOR } from "../domain/admin_input.ts";
import { audit } from "../db/audit_repo.ts";
import { listBookingsBetween } from "../db/bookings_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import {
  getService,
  insertService,
  listServicesWithCounts,
  type Service,
  type ServiceFields,
  setServiceDeleted,
  updateServiceField,
} from "../db/services_repo.ts";

/** Why a catalogue change was refused; each code is a locale key admin_services.err_<code>. */
export type CatalogErrorCode =
  | "not_found"
  | "deleted"
  | "name_invalid"
  | "description_long"
  | "duration_range"
  | "price_range"
  | "order_range";

/** A refusal the admin caused. */
export class CatalogError extends Error {
  constructor(readonly code: CatalogErrorCode) {
    super(code);
    this.name = "CatalogError";
  }
}

/** Limits of the service fields. */
export const SERVICE_LIMITS = {
  nameMax: 100,
  descriptionMax: 1000,
  durationMin: 5,
  durationMax: 720,
  orderMax: 1_000_000,
} as const;

/** The audit/column name of each field. */
export const SERVICE_FIELD_COLUMNS: Record<keyof ServiceFields, string> = {
  name: "name",
  description: "description",
  durationMinutes: "duration_minutes",
  priceMinor: "price_minor",
  displayOrder: "display_order",
  isActive: "is_active",
};

/** Checks one field value; throws CatalogError when it is out of bounds. */
export function checkServiceField<K extends keyof ServiceFields>(
  field: K,
  value: ServiceFields[K],
): void {
  const ok = (() => {
    switch (field) {
      case "name": {
        const name = value as string;
        return name.trim() === name && [...name].length >= 1 &&
          [...name].length <= SERVICE_LIMITS.nameMax;
      }
      case "description":
        return [...(value as string)].length <= SERVICE_LIMITS.descriptionMax;
      case "durationMinutes": {
        const n = value as number;
        return Number.isInteger(n) && n >= SERVICE_LIMITS.durationMin &&
          n <= SERVICE_LIMITS.durationMax;
      }
      case "priceMinor": {
        const n = value as number | null;
        return n === null || (Number.isInteger(n) && n >= 0 && n <= MAX_PRICE_MAJOR * 100);
      }
      case "displayOrder": {
        const n = value as number;
        return Number.isInteger(n) && n >= 0 && n <= SERVICE_LIMITS.orderMax;
      }
      case "isActive":
        return typeof value === "boolean";
    }
    return false;
  })();
  if (ok) return;
  const code: Record<keyof ServiceFields, CatalogErrorCode> = {
    name: "name_invalid",
    description: "description_long",
    durationMinutes: "duration_range",
    priceMinor: "price_range",
    displayOrder: "order_range",
    isActive: "not_found",
  };
  throw new CatalogError(code[field]);
}

/** The display order that puts a new service at the end of the list. */
export function nextDisplayOrder(db: Db): number {
  const all = listServicesWithCounts(db, { includeDeleted: true });
  const max = all.reduce((m, s) => Math.max(m, s.displayOrder), 0);
  return Math.min(SERVICE_LIMITS.orderMax, max + 10);
}

/** Creates a service (display order null = last) and returns it. */
export function createService(
  db: Db,
  fields: Omit<ServiceFields, "displayOrder"> & { displayOrder: number | null },
  actorId: number,
  now: number,
): Service {
  return writeTransaction(db, () => {
    const complete: ServiceFields = {
      ...fields,
      displayOrder: fields.displayOrder ?? nextDisplayOrder(db),
    };
    for (const key of Object.keys(SERVICE_FIELD_COLUMNS) as (keyof ServiceFields)[]) {
      checkServiceField(key, complete[key]);
    }
    const id = insertService(db, complete, now);
    audit(db, {
      at: now,
      actorId,
      entity: "service",
      entityId: id,
      action: "create",
      newValue: complete,
    });
    return getService(db, id)!;
  });
}

/** Changes one field; returns the service and whether anything changed (audited if so). */
export function updateService<K extends keyof ServiceFields>(
  db: Db,
  id: number,
  field: K,
  value: ServiceFields[K],
  actorId: number,
  now: number,
): { service: Service; changed: boolean } {
  checkServiceField(field, value);
  return writeTransaction(db, () => {
    const before = getService(db, id);
    if (!before) throw new CatalogError("not_found");
    if (before.deletedAt !== null) throw new CatalogError("deleted");
    const old = before[field];
    if (old === value) return { service: before, changed: false };
    updateServiceField(db, id, field, value, now);
    audit(db, {
      at: now,
      actorId,
      entity: "service",
      entityId: id,
      action: "update",
      field: SERVICE_FIELD_COLUMNS[field],
      oldValue: old,
      newValue: value,
    });
    return { service: getService(db, id)!, changed: true };
  });
}

/** Soft-deletes (deleted = true) or restores a service; its bookings stay as they are. */
export function setServiceDeletedState(
  db: Db,
  id: number,
  deleted: boolean,
  actorId: number,
  now: number,
): { service: Service; changed: boolean } {
  return writeTransaction(db, () => {
    const before = getService(db, id);
    if (!before) throw new CatalogError("not_found");
    if ((before.deletedAt !== null) === deleted) return { service: before, changed: false };
    setServiceDeleted(db, id, deleted ? now : null, now);
    audit(db, {
      at: now,
      actorId,
      entity: "service",
      entityId: id,
      action: deleted ? "delete" : "restore",
      field: "deleted_at",
      oldValue: before.deletedAt === null ? null : new Date(before.deletedAt).toISOString(),
      newValue: deleted ? new Date(now).toISOString() : null,
    });
    return { service: getService(db, id)!, changed: true };
  });
}

/** How many active bookings of a service start at `now` or later. */
export function futureBookingsOfService(db: Db, serviceId: number, now: number): number {
  return listBookingsBetween(db, { from: now, to: Number.MAX_SAFE_INTEGER, status: "active" })
    .filter((b) => b.serviceId === serviceId).length;
}

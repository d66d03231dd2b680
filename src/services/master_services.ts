/**
 * Which master does which service, as owners set it: a toggle per master and a master's own
 * duration or price. Each change is checked and written with its audit record in one
 * BEGIN IMMEDIATE transaction; clients and the slot engine read it live.
 */
import { audit } from "../db/audit_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import {
  getMasterTerms,
  linksOfService,
  type MasterTerms,
  setMasterDoesService,
  setMasterTerms,
} from "../db/master_services_repo.ts";
import { getService } from "../db/services_repo.ts";
import { getStaff, listAllStaff, type Staff } from "../db/staff_repo.ts";
import { CatalogError, checkServiceField } from "./catalog.ts";

/** A master as the service's "who does it" screen shows them. */
export interface MasterOfService {
  staff: Staff;
  /** Their terms when they do the service, undefined when they do not. */
  terms?: MasterTerms;
}

/** A master's own duration and price for a service; null = the service's own. */
export interface OwnTerms {
  durationMinutes: number | null;
  priceMinor: number | null;
}

/** Every master of the business (active first) and whether they do the service. */
export function mastersOfService(db: Db, serviceId: number): MasterOfService[] {
  const links = new Map(linksOfService(db, serviceId).map((l) => [l.staffId, l]));
  return listAllStaff(db).map((staff) => ({ staff, terms: links.get(staff.id) }));
}

/** Who changed which service when, for its audit record. */
function about(serviceId: number, actorId: number, now: number) {
  return { at: now, actorId, entity: "service" as const, entityId: serviceId };
}

function checkPair(db: Db, serviceId: number, staffId: number): Staff {
  const service = getService(db, serviceId);
  if (!service) throw new CatalogError("not_found");
  if (service.deletedAt !== null) throw new CatalogError("deleted");
  const staff = getStaff(db, staffId);
  if (!staff) throw new CatalogError("not_found");
  return staff;
}

/** Lets a master do a service or stops it; false when nothing changed. */
export function setMasterOfService(
  db: Db,
  change: { serviceId: number; staffId: number; on: boolean },
  actorId: number,
  now: number,
): boolean {
  return writeTransaction(db, () => {
    const staff = checkPair(db, change.serviceId, change.staffId);
    const before = getMasterTerms(db, change.staffId, change.serviceId) !== undefined;
    if (before === change.on) return false;
    setMasterDoesService(db, change.staffId, change.serviceId, change.on);
    const action = change.on ? "master_added" : "master_removed";
    audit(db, {
      ...about(change.serviceId, actorId, now),
      action,
      field: "master",
      newValue: staff.name,
    });
    return true;
  });
}

/** Sets a master's own duration and price for a service they do; false when unchanged. */
export function setOwnTerms(
  db: Db,
  change: { serviceId: number; staffId: number; terms: OwnTerms },
  actorId: number,
  now: number,
): boolean {
  const { durationMinutes, priceMinor } = change.terms;
  if (durationMinutes !== null) checkServiceField("durationMinutes", durationMinutes);
  if (priceMinor !== null) checkServiceField("priceMinor", priceMinor);
  return writeTransaction(db, () => {
    const staff = checkPair(db, change.serviceId, change.staffId);
    const old = getMasterTerms(db, change.staffId, change.serviceId);
    if (!old) throw new CatalogError("not_found");
    if (old.durationMinutes === durationMinutes && old.priceMinor === priceMinor) return false;
    setMasterTerms(db, change.staffId, change.serviceId, change.terms);
    audit(db, {
      ...about(change.serviceId, actorId, now),
      action: "master_terms",
      field: staff.name,
      oldValue: { duration: old.durationMinutes, price: old.priceMinor },
      newValue: { duration: durationMinutes, price: priceMinor },
    });
    return true;
  });
}

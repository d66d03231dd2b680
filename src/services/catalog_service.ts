/**
 * The catalogue as admins change it, bound to one database and clock: services (create,
 * edit a field, delete, restore) and masters (add, rename, activate, deactivate). Each write
 * checks its rule and stores the change with its audit record in one transaction.
 */
import type { Booking } from "../db/bookings_repo.ts";
import type { Db } from "../db/connection.ts";
import type { Service, ServiceFields } from "../db/services_repo.ts";
import { listActiveStaff, listAllStaff, type Staff } from "../db/staff_repo.ts";
import type { Clock } from "../domain/clock.ts";
import {
  createService,
  futureBookingsOfService,
  setServiceDeletedState,
  updateService,
} from "./catalog.ts";
import {
  type MasterOfService,
  mastersOfService,
  type OwnTerms,
  setMasterOfService,
  setOwnTerms,
} from "./master_services.ts";
import {
  addStaffMember,
  futureBookingsOfStaff,
  renameStaffMember,
  setStaffMemberActive,
} from "./schedule_admin.ts";

/** The fields of a new service; display order null puts it last. */
export type NewService = Omit<ServiceFields, "displayOrder"> & { displayOrder: number | null };

/** Which masters count: only those clients can book, or every one the business has had. */
export type MasterScope = "active" | "all";

/** Catalogue changes and the counts the screens about them need. */
export class CatalogService {
  constructor(readonly db: Db, readonly clock: Clock) {}

  /** Creates a service; throws CatalogError when a field is out of bounds. */
  create(fields: NewService, actorId: number): Service {
    return createService(this.db, fields, actorId, this.clock.now());
  }

  /** Changes one field of a service; `changed` is false when the value was the same. */
  update<K extends keyof ServiceFields>(
    id: number,
    field: K,
    value: ServiceFields[K],
    actorId: number,
  ): { service: Service; changed: boolean } {
    return updateService(this.db, id, field, value, actorId, this.clock.now());
  }

  /** Soft-deletes a service (its bookings stay); `changed` is false when already deleted. */
  delete(id: number, actorId: number): { service: Service; changed: boolean } {
    return setServiceDeletedState(this.db, id, true, actorId, this.clock.now());
  }

  /** Restores a deleted service; `changed` is false when it was not deleted. */
  restore(id: number, actorId: number): { service: Service; changed: boolean } {
    return setServiceDeletedState(this.db, id, false, actorId, this.clock.now());
  }

  /** How many active bookings of a service are still ahead. */
  futureBookingsOfService(serviceId: number): number {
    return futureBookingsOfService(this.db, serviceId, this.clock.now());
  }

  /** Adds a master with a copy of the default master's week; throws ScheduleError. */
  addMaster(name: string, actorId: number): Staff {
    return addStaffMember(this.db, name, { actorId, now: this.clock.now() });
  }

  /** Renames a master; throws ScheduleError. */
  renameMaster(id: number, name: string, actorId: number): Staff {
    return renameStaffMember(this.db, id, name, { actorId, now: this.clock.now() });
  }

  /** Activates or deactivates a master (never the last active one); returns them after. */
  setMasterActive(id: number, active: boolean, actorId: number): Staff {
    return setStaffMemberActive(this.db, id, active, { actorId, now: this.clock.now() });
  }

  /** The active bookings of a master still ahead, soonest first. */
  futureBookingsOfMaster(id: number): Booking[] {
    return futureBookingsOfStaff(this.db, id, this.clock.now());
  }

  /** Every master and whether (and on which terms) they do a service. */
  mastersOfService(serviceId: number): MasterOfService[] {
    return mastersOfService(this.db, serviceId);
  }

  /** Lets a master do a service or stops it; false when nothing changed. Throws CatalogError. */
  setMasterOfService(serviceId: number, staffId: number, on: boolean, actorId: number): boolean {
    return setMasterOfService(this.db, { serviceId, staffId, on }, actorId, this.clock.now());
  }

  /** Sets a master's own duration and price for a service; throws CatalogError. */
  setOwnTerms(serviceId: number, staffId: number, terms: OwnTerms, actorId: number): boolean {
    return setOwnTerms(this.db, { serviceId, staffId, terms }, actorId, this.clock.now());
  }

  /**
   * True when there is more than one master in `scope`, so names must tell them apart:
   * clients choose among "active" masters; admins see "all" (an inactive master's bookings
   * and schedule stay theirs).
   */
  severalMasters(scope: MasterScope): boolean {
    return (scope === "active" ? listActiveStaff(this.db) : listAllStaff(this.db)).length > 1;
  }
}

/** Idempotent sample data: four services and a Mon-Fri 09:00-18:00 week with lunch. */
import { audit } from "../db/audit_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import { addBreak, listBreaks, listWorkingHours, setWorkingHours } from "../db/schedule_repo.ts";
import { insertService, listServicesWithCounts } from "../db/services_repo.ts";
import { listActiveStaff } from "../db/staff_repo.ts";

const SAMPLE_SERVICES = [
  { name: "Haircut", description: "Wash, cut and style", durationMinutes: 60, priceMinor: 150000 },
  { name: "Beard trim", description: "Shape and trim", durationMinutes: 30, priceMinor: 70000 },
  { name: "Colouring", description: "Full colour", durationMinutes: 90, priceMinor: 350000 },
  { name: "Consultation", description: "Free advice", durationMinutes: 30, priceMinor: null },
];

/** What demo-data added (zero everywhere on a second run). */
export interface DemoDataResult {
  servicesAdded: number;
  weekdaysSet: number;
  breaksAdded: number;
}

/** Adds the sample services and schedule that are not there yet. */
export function loadDemoData(db: Db, now: number): DemoDataResult {
  return writeTransaction(db, () => {
    const existing = new Set(
      listServicesWithCounts(db, { includeDeleted: true }).map((s) => s.name),
    );
    let servicesAdded = 0;
    SAMPLE_SERVICES.forEach((s, i) => {
      if (existing.has(s.name)) return;
      const id = insertService(db, { ...s, displayOrder: (i + 1) * 10, isActive: true }, now);
      audit(db, {
        at: now,
        actorId: null,
        entity: "service",
        entityId: id,
        action: "create",
        newValue: s,
      });
      servicesAdded++;
    });
    let weekdaysSet = 0;
    let breaksAdded = 0;
    for (const staff of listActiveStaff(db)) {
      const hours = new Set(listWorkingHours(db, staff.id).map((h) => h.weekday));
      const breaks = new Set(listBreaks(db, staff.id).map((b) => b.weekday));
      for (let weekday = 1; weekday <= 5; weekday++) {
        if (!hours.has(weekday)) {
          setWorkingHours(db, staff.id, weekday, { start: 9 * 60, end: 18 * 60 });
          weekdaysSet++;
        }
        if (!breaks.has(weekday)) {
          addBreak(db, staff.id, weekday, { start: 13 * 60, end: 14 * 60 });
          breaksAdded++;
        }
      }
    }
    if (weekdaysSet || breaksAdded) {
      audit(db, {
        at: now,
        actorId: null,
        entity: "schedule",
        action: "demo_data",
        newValue: { weekdaysSet, breaksAdded },
      });
    }
    return { servicesAdded, weekdaysSet, breaksAdded };
  });
}

/**
 * Idempotent sample data: four services named in the business language and a Mon-Fri
 * 09:00-18:00 week with lunch.
 */
import type { Config } from "../config.ts";
import { audit } from "../db/audit_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import { addBreak, listBreaks, listWorkingHours, setWorkingHours } from "../db/schedule_repo.ts";
import { insertService, listServicesWithCounts } from "../db/services_repo.ts";
import { listActiveStaff } from "../db/staff_repo.ts";

type BusinessLanguage = Config["businessLanguage"];

/** The names and descriptions of the sample services, in each business language. */
export const SAMPLE_TEXTS: Record<BusinessLanguage, [string, string][]> = {
  ru: [
    ["Стрижка", "Мытьё, стрижка и укладка"],
    ["Оформление бороды", "Форма и стрижка бороды"],
    ["Окрашивание", "Окрашивание в один тон"],
    ["Консультация", "Бесплатный совет мастера"],
  ],
  en: [
    ["Haircut", "Wash, cut and style"],
    ["Beard trim", "Shape and trim"],
    ["Colouring", "Full colour"],
    ["Consultation", "Free advice"],
  ],
  uk: [
    ["Стрижка", "Миття, стрижка та укладання"],
    ["Оформлення бороди", "Форма й підстригання бороди"],
    ["Фарбування", "Фарбування в один тон"],
    ["Консультація", "Безкоштовна порада майстра"],
  ],
};

/** Duration and price of each sample service (same order as the texts). */
const SAMPLE_TERMS = [
  { durationMinutes: 60, priceMinor: 150000 },
  { durationMinutes: 30, priceMinor: 70000 },
  { durationMinutes: 90, priceMinor: 350000 },
  { durationMinutes: 30, priceMinor: null },
];

/** What demo-data added (zero everywhere on a second run). */
export interface DemoDataResult {
  servicesAdded: number;
  weekdaysSet: number;
  breaksAdded: number;
}

/**
 * Adds the sample services and schedule that are not there yet. A sample already there under
 * any language's name is not added again. The CLI passes BUSINESS_LANGUAGE; the test fixtures
 * were written with the English names, the default here.
 */
export function loadDemoData(db: Db, now: number, lang: BusinessLanguage = "en"): DemoDataResult {
  return writeTransaction(db, () => {
    const existing = new Set(
      listServicesWithCounts(db, { includeDeleted: true }).map((s) => s.name),
    );
    let servicesAdded = 0;
    SAMPLE_TERMS.forEach((terms, i) => {
      const names = Object.values(SAMPLE_TEXTS).map((texts) => texts[i][0]);
      if (names.some((name) => existing.has(name))) return;
      const [name, description] = SAMPLE_TEXTS[lang][i];
      const s = { name, description, ...terms };
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

/** The salon's identity (name, address, phone, map link, hours note) and other text settings. */
import type { Db } from "./connection.ts";
import { cached } from "./config_cache.ts";
import { stmt } from "./statements.ts";

/** What clients are told about the salon; an empty field is not shown. */
export interface BusinessProfile {
  name: string;
  address: string;
  phone: string;
  /** A link to the salon on a map (https://…). */
  mapUrl: string;
  /** Free text such as "Mon–Fri 9:00–18:00". */
  hours: string;
}

/** A field of the profile. */
export type ProfileField = keyof BusinessProfile;

/** The settings key of each field. */
export const PROFILE_KEYS: Record<ProfileField, string> = {
  name: "business.name",
  address: "business.address",
  phone: "business.phone",
  mapUrl: "business.map_url",
  hours: "business.hours",
};

/** The fields in the order owners and clients see them. */
export const PROFILE_FIELDS = Object.keys(PROFILE_KEYS) as ProfileField[];

/** One text setting, or undefined when it was never stored. */
export function getSetting(db: Db, key: string): string | undefined {
  return cached(db, `setting:${key}`, () => {
    const row = stmt(db, "SELECT value FROM settings WHERE key = ?").get(key);
    return row ? String(row.value) : undefined;
  });
}

/** Stores one text setting (an empty text removes it). */
export function setSetting(db: Db, key: string, value: string, now: number): void {
  if (value === "") {
    stmt(db, "DELETE FROM settings WHERE key = ?").run(key);
    return;
  }
  stmt(
    db,
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, value, now);
}

/** The salon's profile as stored (empty fields are ""). */
export function businessProfile(db: Db): Readonly<BusinessProfile> {
  return cached(db, "business_profile", () => readProfile(db));
}

function readProfile(db: Db): BusinessProfile {
  const rows = stmt(db, "SELECT key, value FROM settings WHERE key LIKE 'business.%'").all();
  const byKey = new Map(rows.map((r) => [String(r.key), String(r.value)]));
  const profile = {} as BusinessProfile;
  for (const field of PROFILE_FIELDS) profile[field] = byKey.get(PROFILE_KEYS[field]) ?? "";
  return profile;
}

/** How far a new install is: a named profile, working hours of an active master, a service. */
export interface SetupState {
  profile: boolean;
  hours: boolean;
  service: boolean;
}

/** What of the first-run setup is done. */
export function setupState(db: Db): SetupState {
  const exists = (sql: string) => stmt(db, `SELECT EXISTS (${sql}) AS yes`).get()?.yes === 1;
  return {
    profile: exists("SELECT 1 FROM settings WHERE key = 'business.name'"),
    hours: exists(
      `SELECT 1 FROM working_hours w JOIN staff s ON s.id = w.staff_id
       WHERE s.is_active = 1 AND s.deleted_at IS NULL`,
    ),
    service: exists("SELECT 1 FROM services WHERE is_active = 1 AND deleted_at IS NULL"),
  };
}

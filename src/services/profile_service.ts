/**
 * The salon's profile as owners change it, and the first-run setup mark. Each write checks
 * its rule and stores the change with its audit record in one transaction.
 */
import { audit } from "../db/audit_repo.ts";
import { type Db, writeTransaction } from "../db/connection.ts";
import {
  type BusinessProfile,
  businessProfile,
  getSetting,
  PROFILE_KEYS,
  type ProfileField,
  setSetting,
} from "../db/profile_repo.ts";
import type { Clock } from "../domain/clock.ts";

/** The longest text of each field. */
export const PROFILE_LIMITS: Record<ProfileField, number> = {
  name: 100,
  address: 200,
  phone: 30,
  mapUrl: 500,
  hours: 200,
};

/** Why a value was refused. */
export type ProfileProblem = "too_long" | "bad_phone" | "bad_url";

/** The settings key of the first-run setup: "0" started, "1" finished or skipped. */
const SETUP_DONE = "setup.done";

/** The problem of a value for a field, or undefined when it may be stored ("" clears). */
export function profileProblem(field: ProfileField, value: string): ProfileProblem | undefined {
  if ([...value].length > PROFILE_LIMITS[field]) return "too_long";
  if (value === "") return undefined;
  if (field === "phone" && !/^\+?[\d\s()\-]{5,30}$/.test(value)) return "bad_phone";
  if (field === "mapUrl") {
    try {
      if (new URL(value).protocol !== "https:") return "bad_url";
    } catch {
      return "bad_url";
    }
  }
  return undefined;
}

/** The business profile and the setup mark. */
export class ProfileService {
  constructor(readonly db: Db, readonly clock: Clock) {}

  /** The profile as stored. */
  get(): BusinessProfile {
    return businessProfile(this.db);
  }

  /**
   * Stores one field ("" clears it); a refused value returns its problem and changes nothing.
   * `changed` is false when the value was the same.
   */
  update(
    field: ProfileField,
    value: string,
    actorId: number,
  ): { ok: true; changed: boolean } | { ok: false; problem: ProfileProblem } {
    const text = value.trim();
    const problem = profileProblem(field, text);
    if (problem) return { ok: false, problem };
    return writeTransaction(this.db, () => {
      const key = PROFILE_KEYS[field];
      const before = getSetting(this.db, key) ?? "";
      if (before === text) return { ok: true as const, changed: false };
      const now = this.clock.now();
      setSetting(this.db, key, text, now);
      audit(this.db, {
        at: now,
        actorId,
        entity: "settings",
        entityId: key,
        action: "update",
        field: key,
        oldValue: before || null,
        newValue: text || null,
      });
      return { ok: true as const, changed: true };
    });
  }

  /** Whether the first-run setup was finished or skipped. */
  setupDone(): boolean {
    return getSetting(this.db, SETUP_DONE) === "1";
  }

  /** Whether the first-run setup was started (and is not over until finished or skipped). */
  setupStarted(): boolean {
    return getSetting(this.db, SETUP_DONE) !== undefined;
  }

  /** Marks the first-run setup as started: /admin leads through it until it is over. */
  startSetup(actorId: number): void {
    this.markSetup("0", actorId, "setup_started");
  }

  /** Marks the first-run setup as finished (or skipped) so /admin opens the menu from now on. */
  finishSetup(actorId: number, skipped: boolean): void {
    this.markSetup("1", actorId, skipped ? "setup_skipped" : "setup_finished");
  }

  /** Moves the setup mark forward ("0" started, "1" over; never back), with its audit record. */
  private markSetup(value: "0" | "1", actorId: number, action: string): void {
    writeTransaction(this.db, () => {
      const current = getSetting(this.db, SETUP_DONE);
      if (current !== undefined && current >= value) return;
      const now = this.clock.now();
      setSetting(this.db, SETUP_DONE, value, now);
      audit(this.db, { at: now, actorId, entity: "settings", entityId: SETUP_DONE, action });
    });
  }
}

/**
 * What an admin's next text message means: one typed union for every admin dialog, kept in
 * `session.admin` while `session.step` is "admin_input". Each section owns its block below and
 * its routes (`InputRoutes` in kit.ts); admin/mod.ts joins the routes into the one text router, and the
 * compiler refuses a kind without a route.
 */
import type { StatusFilter } from "./bookings/codecs.ts";

// --- bookings ("ab_") -------------------------------------------------------------------
/** Texts the bookings section waits for (the search query itself is `session.adminSearch`). */
export type BookingsInput =
  | { kind: "ab_date" }
  | { kind: "ab_search" }
  | { kind: "ab_period"; st: StatusFilter }
  | { kind: "ab_export"; del: 0 | 1 }
  | { kind: "ab_move_date"; id: number }
  | { kind: "ab_name"; id: number }
  | { kind: "ab_phone"; id: number }
  | { kind: "ab_reason"; id: number }
  | { kind: "ab_group_reason"; date: string; n: number }
  | { kind: "ab_pick_reason"; from: string; to: string; n: number };

/**
 * The bookings an admin ticked for a group cancel, kept in the session (callback data is too
 * short for a selection) and keyed by the list they belong to ("from_to" of its period).
 */
export interface BookingPick {
  list: string;
  ids: number[];
}

// --- services ("as_") -------------------------------------------------------------------
/** A service being created step by step. */
export interface ServiceDraft {
  name?: string;
  description?: string;
  duration?: number;
  price?: number | null;
  order?: number | null;
}
/** The steps of the service creation dialog. */
export type NewServiceStep = "name" | "desc" | "dur" | "price" | "order" | "active";
/** Fields of a service edited by text. */
export type ServiceTextField = "name" | "desc" | "dur" | "price" | "order";
/** Texts the services section waits for. */
export type ServicesInput =
  | { kind: "as_new"; step: NewServiceStep; draft: ServiceDraft }
  | { kind: "as_edit"; id: number; f: ServiceTextField }
  | { kind: "as_terms"; id: number; m: number };

// --- masters ("am_") and schedule ("ah_") -----------------------------------------------
/** A booking rule as the schedule's buttons name it. */
export type RuleCode = "step" | "max" | "notice" | "horizon" | "cutoff";
/** Texts the masters section waits for. */
export type StaffInput = { kind: "am_new" } | { kind: "am_rename"; id: number };
/** Texts the schedule section waits for; `s` is a master's id (0 = the default master). */
export type ScheduleInput =
  | { kind: "ah_hours"; s: number; wd: number }
  | { kind: "ah_break"; s: number; wd: number }
  | { kind: "ah_dayoff"; s: number; m: number }
  | { kind: "ah_rule"; r: RuleCode };

// --- admins ("aa_") ---------------------------------------------------------------------
/** Texts the admins section waits for. */
export type AccessInput = { kind: "aa_add_id" };

// --- statistics ("at_"), feedback ("af_") and audit log ("al_") ------------------------
import type { AuditEntity } from "../../../db/audit_repo.ts";

/** Texts the statistics wait for: a typed period. */
export type StatsInput = { kind: "at_range" };
/** Texts the feedback list waits for (it keeps the service filter it came from). */
export type FeedbackInput = { kind: "af_dates"; s: number };
/** Texts the audit log waits for (they keep the other filters they came from). */
export type AuditInput =
  | { kind: "al_booking"; a: number }
  | { kind: "al_actor"; e: "all" | AuditEntity; b: number };
/** Texts the read-only sections (statistics, feedback, audit log) wait for. */
export type InsightInput = StatsInput | FeedbackInput | AuditInput;

// --- salon profile ("ap_") -------------------------------------------------------------
import type { ProfileField } from "../../../db/profile_repo.ts";

/** Texts the profile section waits for: the new value of one field. */
export type ProfileInput = { kind: "ap_field"; f: ProfileField };

// --- clients ("ac_") --------------------------------------------------------------------
/** Texts the clients section waits for: a search query, a note about client `uid`. */
export type ClientsInput = { kind: "ac_search" } | { kind: "ac_note"; uid: number };

// ----------------------------------------------------------------------------------------
/** Every admin dialog input. */
// --- deposits ("dp_") --------------------------------------------------------------------
/** Texts the deposits section waits for: a service's deposit, the no-shows threshold. */
export type DepositsInput = { kind: "dp_amount"; id: number } | { kind: "dp_no_shows" };

/** Every admin input. */
export type AdminInput =
  | DepositsInput
  | BookingsInput
  | ServicesInput
  | StaffInput
  | ScheduleInput
  | AccessInput
  | InsightInput
  | ProfileInput
  | ClientsInput;

/** The kinds of admin input. */
export type InputKind = AdminInput["kind"];

/** The input of one kind. */
export type InputOf<K extends InputKind> = Extract<AdminInput, { kind: K }>;

/** Dialog state: what each chat is in the middle of, kept in Deno KV across restarts. */

/** The booking being put together. */
export interface BookingDraft {
  serviceId?: number;
  /** Chosen staff member, 0 for "any". */
  staffId?: number;
  month?: string;
  date?: string;
  /** Chosen start instant (epoch ms) and the staff member of that slot. */
  start?: number;
  slotStaffId?: number;
  clientName?: string;
  phone?: string;
  /** Set when the draft moves an existing booking instead of creating one. */
  rescheduleId?: number;
}

/** The steps of the client dialogs. */
export type Step =
  | "idle"
  | "service"
  | "staff"
  | "date"
  | "slot"
  | "name"
  | "phone"
  | "confirm"
  | "edit_name"
  | "edit_phone"
  | "feedback_comment"
  | "admin_input";

/** Everything kept per chat between updates. */
export interface SessionData {
  step: Step;
  draft: BookingDraft;
  /** The booking whose contact data is being edited. */
  editBookingId?: number;
  /** The booking whose feedback comment is awaited. */
  feedbackBookingId?: number;
  /** Free-form state of the admin dialogs (owned by the admin features). */
  admin?: Record<string, string | number | boolean | null>;
  /** Last time the dialog moved (epoch ms), to reset stale dialogs. */
  touchedAt: number;
}

/** A fresh, idle session. */
export function initialSession(): SessionData {
  return { step: "idle", draft: {}, touchedAt: 0 };
}

/** The session storage (Deno KV, group-committed) lives in its own file. */
export { DenoKvStorage } from "./kv_storage.ts";

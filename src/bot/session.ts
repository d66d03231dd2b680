/** Dialog state: what each chat is in the middle of, kept in Deno KV across restarts. */
import type { AdminInput, BookingPick } from "./features/admin/input.ts";
import { cb } from "../ui/callback_data.ts";

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
  /** The open prompt messages of the contact steps (their buttons go when the step is done). */
  prompts?: number[];
  /** The phone prompt carrying the contact keyboard (deleted on ⬅️). */
  phoneAsk?: number;
  /** Name and phone were taken from the client's profile (no contact steps shown). */
  remembered?: boolean;
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
  | "profile_name"
  | "profile_phone"
  | "admin_message"
  | "feedback_comment"
  | "admin_input"
  | "master_reason";

/** Everything kept per chat between updates. */
export interface SessionData {
  step: Step;
  draft: BookingDraft;
  /** The booking whose contact data is being edited, or that a message to the admins is about. */
  editBookingId?: number;
  /** The booking a master is cancelling (while step is "master_reason"). */
  masterBookingId?: number;
  /** The booking whose feedback comment is awaited. */
  feedbackBookingId?: number;
  /** What the admin's next text means (while step is "admin_input"). */
  admin?: AdminInput;
  /** The admin's last bookings search, so its result pages can be turned. */
  adminSearch?: string;
  /** The bookings ticked for a group cancel, with the list they belong to. */
  adminPick?: BookingPick;
  /** Last time the dialog moved (epoch ms), to reset stale dialogs. */
  touchedAt: number;
  /** How far this booking journey got in the funnel (index of FUNNEL_STEPS), counted once. */
  funnel?: number;
}

/**
 * Session migrations by version (grammY's enhanceStorage runs those newer than a stored
 * session's version on read). Bump the version whenever a stored field changes shape.
 */
export const SESSION_MIGRATIONS: Record<number, (old: unknown) => SessionData> = {
  // v1: admin dialog state became the typed AdminInput. Sessions from before cannot be read
  // as one: a pending admin input is dropped (the admin presses the button again); a
  // client's booking draft is kept as it was.
  1: (old) => {
    const s = { ...initialSession(), ...(old as Partial<SessionData>) };
    if (s.step === "admin_input") s.step = "idle";
    delete s.admin;
    return s;
  },
};

/** The buttons that belong to a dialog in progress (booking steps and its ✖️). */
const DIALOG_BUTTONS = [
  cb.cancelDialog,
  cb.back,
  cb.staff,
  cb.month,
  cb.day,
  cb.slot,
  cb.useName,
  cb.usePhone,
  cb.confirm,
];

/** True for a dialog's button pressed when no dialog is open (an old message's button). */
export function isStaleDialogButton(
  ctx: { session: SessionData; callbackQuery?: { data?: string } },
) {
  const data = ctx.callbackQuery?.data;
  return data !== undefined && ctx.session.step === "idle" &&
    DIALOG_BUTTONS.some((codec) => codec.unpack(data) !== undefined);
}

/** A fresh, idle session. */
export function initialSession(): SessionData {
  return { step: "idle", draft: {}, touchedAt: 0 };
}

/** The session storage (Deno KV, group-committed) lives in its own file. */
export { DenoKvStorage } from "./kv_storage.ts";

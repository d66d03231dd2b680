/** Sends a booking's .ics to its client: new, revised after a move, or cancelled. */
import { type Api, InputFile } from "grammy";
import type { Booking } from "../db/bookings_repo.ts";
import { getUser } from "../db/users_repo.ts";
import type { BotDeps } from "../deps.ts";
import { bookingCalendarFile } from "../ui/calendar_file.ts";
import { userLanguage } from "./notify.ts";

/** Why the file is sent: its caption says what to do with it. */
export type CalendarNoticeKind = "created" | "moved" | "cancelled";

const CAPTIONS = {
  created: "booking.ics_caption",
  moved: "booking.ics_caption_moved",
  cancelled: "booking.ics_caption_cancelled",
} as const;

/** Sends the .ics of `b` to its client in their language; never throws. */
export async function sendCalendarFile(
  api: Api,
  deps: BotDeps,
  b: Booking,
  kind: CalendarNoticeKind,
  host: string,
): Promise<void> {
  if (getUser(deps.db, b.userId)?.blockedAt) return;
  const { t, lang } = userLanguage(deps, b.userId);
  const file = bookingCalendarFile(deps.db, b, { t, lang, host, stamp: deps.clock.now() });
  try {
    await api.sendDocument(
      b.userId,
      new InputFile(new TextEncoder().encode(file.text), file.fileName),
      { caption: t(CAPTIONS[kind]) },
    );
  } catch (error) {
    deps.logger.warning("Could not send the calendar file", {
      bookingId: b.id,
      error: String(error),
    });
  }
}

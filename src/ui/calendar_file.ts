/** The .ics file of a booking: the same event (UID) revised on a move, cancelled on a cancel. */
import { auditCount } from "../db/audit_repo.ts";
import type { Booking } from "../db/bookings_repo.ts";
import { businessProfile } from "../db/profile_repo.ts";
import { icsEvent } from "../domain/ics.ts";
import { formatPrice } from "./format.ts";
import type { Lang, Translate } from "./i18n.ts";
import { salonLocation } from "./profile.ts";

/** The calendar alarm rings this long before a visit. */
export const ICS_ALARM_MINUTES = 60;

type Db = Parameters<typeof businessProfile>[0];

/** The file name and .ics text of `b` (cancelled when its status says so). */
export function bookingCalendarFile(
  db: Db,
  b: Booking,
  view: { t: Translate; lang: Lang; host: string; stamp: number },
): { fileName: string; text: string } {
  const { t, lang } = view;
  const text = icsEvent({
    uid: `booking-${b.id}@${view.host}`,
    start: b.start,
    end: b.end,
    summary: b.serviceName,
    description: [
      t("booking.ics_description", { id: b.id }),
      // The price as booked, so the calendar keeps what the client agreed to.
      ...(b.priceMinor === null
        ? []
        : [t("booking.card_price", { price: formatPrice(b.priceMinor, lang) })]),
    ].join("\n"),
    location: salonLocation(businessProfile(db)),
    stamp: view.stamp,
    sequence: auditCount(db, "booking", b.id),
    cancelled: b.status === "cancelled",
    alarmMinutes: ICS_ALARM_MINUTES,
  });
  return { fileName: `booking-${b.id}.ics`, text };
}

/** Whether a client can book a service at all within the booking horizon. */
import type { BookingService, StaffChoice } from "./booking_service.ts";

/** The first day with free time for a service and master choice, up to the horizon. */
export function firstFreeDay(
  bookings: BookingService,
  serviceId: number,
  choice: StaffChoice,
): string | undefined {
  const today = bookings.today();
  const last = today.add({ days: bookings.rules().horizonDays }).toPlainYearMonth();
  let month = today.toPlainYearMonth();
  for (; Temporal.PlainYearMonth.compare(month, last) <= 0; month = month.add({ months: 1 })) {
    for (const [iso, state] of bookings.monthCalendar(serviceId, choice, month)) {
      if (state === "free") return iso;
    }
  }
  return undefined;
}

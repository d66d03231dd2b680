/** The periods an admin picks with one button, and the instants a period of dates covers. */
import type { DatePeriod } from "./date_input.ts";
import { dayBounds } from "./time.ts";

/** Named periods an admin picks with one button. */
export type PeriodPreset = "today" | "week" | "month";

/** The presets in the order their buttons show. */
export const PERIOD_PRESETS: readonly PeriodPreset[] = ["today", "week", "month"];

/** Today, this week (Monday to Sunday) or this month around `today`. */
export function presetPeriod(preset: PeriodPreset, today: Temporal.PlainDate): DatePeriod {
  switch (preset) {
    case "today":
      return { from: today, to: today };
    case "week": {
      const from = today.subtract({ days: today.dayOfWeek - 1 });
      return { from, to: from.add({ days: 6 }) };
    }
    case "month":
      return {
        from: today.with({ day: 1 }),
        to: today.with({ day: today.daysInMonth }),
      };
  }
}

/** The period between two dates, whichever comes first. */
export function orderedPeriod(a: Temporal.PlainDate, b: Temporal.PlainDate): DatePeriod {
  return Temporal.PlainDate.compare(a, b) <= 0 ? { from: a, to: b } : { from: b, to: a };
}

/** Whether two periods are the same dates. */
export function samePeriod(a: DatePeriod, b: DatePeriod): boolean {
  return a.from.equals(b.from) && a.to.equals(b.to);
}

/** The instants [start of `from`, start of the day after `to`) in the business zone. */
export function periodBounds(period: DatePeriod, timeZone: string): [number, number] {
  return [dayBounds(period.from, timeZone)[0], dayBounds(period.to, timeZone)[1]];
}

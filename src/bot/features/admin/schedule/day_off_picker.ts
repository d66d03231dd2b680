/** The calendar under the day-off question: a tap on a date adds it (no reason needed). */
import { button, type Buttons } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { formatMonth, weekdayNames } from "../../../../ui/format.ts";
import type { Lang } from "../../../../ui/i18n.ts";
import { scheduleCb } from "./codecs.ts";

/** Month `month` as rows of date buttons; past days and other months' cells are blank. */
export function dayOffCalendar(
  where: { s: number; m: number },
  month: Temporal.PlainYearMonth,
  today: Temporal.PlainDate,
  lang: Lang,
): Buttons {
  const blank = () => button(" ", cb.noop.pack({}));
  const nav = (ym: Temporal.PlainYearMonth, label: string) =>
    button(label, scheduleCb.dayOffMonth.pack({ ...where, ym: ym.toString() }));
  const first = month.toPlainDate({ day: 1 });
  const canGoBack = Temporal.PlainYearMonth.compare(month, today.toPlainYearMonth()) > 0;
  const rows: Buttons = [[
    canGoBack ? nav(month.subtract({ months: 1 }), "◀️") : blank(),
    button(formatMonth(month, lang), cb.noop.pack({})),
    nav(month.add({ months: 1 }), "▶️"),
  ], weekdayNames(lang).map((name) => button(name, cb.noop.pack({})))];
  let week = Array.from({ length: first.dayOfWeek - 1 }, blank);
  for (let day = 1; day <= month.daysInMonth; day++) {
    const date = month.toPlainDate({ day });
    week.push(
      Temporal.PlainDate.compare(date, today) < 0
        ? blank()
        : button(String(day), scheduleCb.pickDayOff.pack({ ...where, d: date.toString() })),
    );
    if (week.length === 7) {
      rows.push(week);
      week = [];
    }
  }
  if (week.length) rows.push([...week, ...Array.from({ length: 7 - week.length }, blank)]);
  return rows;
}

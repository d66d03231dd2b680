/** A master's own screens as pure functions: their day, one booking's card. */
import type { ClientNote } from "../../../db/clients_repo.ts";
import { noteLines } from "../../../ui/client_notes.ts";
import type { Booking } from "../../../db/bookings_repo.ts";
import { button, type Buttons, type Screen } from "../../../ui/buttons.ts";
import { cb } from "../../../ui/callback_data.ts";
import { formatDate, formatTime, formatWhen, statusIcon } from "../../../ui/format.ts";
import type { Lang, Translate } from "../../../ui/i18n.ts";
import { DAYS_AHEAD, masterCb } from "../../../ui/master_callbacks.ts";

/** What the master's screens need besides their data. */
export interface MasterEnv {
  t: Translate;
  lang: Lang;
  timeZone: string;
}

/** The master's bookings on one day (`offset` days from today), each a button to its card. */
export function dayView(
  master: { name: string },
  day: { date: Temporal.PlainDate; offset: number; bookings: Booking[] },
  notice: string,
  env: MasterEnv,
): Screen {
  const { t, lang, timeZone } = env;
  const lines = [
    t("master.day_title", { name: master.name, date: formatDate(day.date, lang, timeZone) }),
  ];
  if (day.bookings.length === 0) lines.push("", t("master.day_empty"));
  const buttons: Buttons = day.bookings.map((b) => [
    button(
      t("master.day_line", {
        icon: statusIcon(b.status),
        time: formatTime(b.start, timeZone),
        service: b.serviceName,
        client: b.clientName,
      }),
      masterCb.booking.pack({ id: b.id }),
    ),
  ]);
  const nav = [];
  if (day.offset > 0) {
    nav.push(button(t("master.day_prev"), masterCb.day.pack({ d: day.offset - 1 })));
  }
  if (day.offset > 1) nav.push(button(t("master.day_today"), masterCb.day.pack({ d: 0 })));
  if (day.offset < DAYS_AHEAD) {
    nav.push(button(t("master.day_next"), masterCb.day.pack({ d: day.offset + 1 })));
  }
  buttons.push(nav, [
    button(t("master.day_off_button"), masterCb.dayOff.pack({})),
    button(t("common.menu_button"), cb.menu.pack({ item: "main" })),
  ]);
  const text = lines.join("\n");
  return { text: notice ? `${notice}\n\n${text}` : text, buttons };
}

/** One of the master's bookings, with done / didn't come / cancel while it is active. */
export function bookingView(
  b: Booking,
  back: number,
  notice: string,
  env: MasterEnv,
  notes: readonly ClientNote[] = [],
): Screen {
  const { t, lang, timeZone } = env;
  const card = t("master.card", {
    icon: statusIcon(b.status),
    service: b.serviceName,
    when: formatWhen(b.start, lang, timeZone),
    client: b.clientName,
    phone: b.phone,
  });
  // The admins' private notes about this client: the master serves them (clients never see them).
  const text = notes.length ? [card, "", ...noteLines(notes, t, lang, timeZone)].join("\n") : card;
  const buttons: Buttons = [];
  if (b.status === "active") {
    buttons.push(
      [
        button(t("master.done"), masterCb.mark.pack({ id: b.id, s: "done" })),
        button(t("master.no_show"), masterCb.mark.pack({ id: b.id, s: "no_show" })),
      ],
      [
        button(t("master.move"), masterCb.moveDay.pack({ id: b.id, d: back })),
        button(t("master.cancel"), masterCb.cancel.pack({ id: b.id })),
      ],
    );
  }
  buttons.push([button(t("master.back_to_day"), masterCb.day.pack({ d: back }))]);
  return { text: notice ? `${notice}\n\n${text}` : text, buttons };
}

/** The master's free times on one day for moving booking `b`, with the days around. */
export function moveView(
  b: Booking,
  day: { date: Temporal.PlainDate; offset: number; starts: number[] },
  env: MasterEnv,
): Screen {
  const { t, lang, timeZone } = env;
  const title = t("master.move_title", {
    service: b.serviceName,
    client: b.clientName,
    date: formatDate(day.date, lang, timeZone),
  });
  const buttons: Buttons = [];
  for (let i = 0; i < day.starts.length; i += 4) {
    buttons.push(
      day.starts.slice(i, i + 4).map((start) =>
        button(formatTime(start, timeZone), masterCb.moveTo.pack({ id: b.id, start }))
      ),
    );
  }
  const nav = [];
  if (day.offset > 0) {
    nav.push(button(t("master.day_prev"), masterCb.moveDay.pack({ id: b.id, d: day.offset - 1 })));
  }
  if (day.offset < DAYS_AHEAD) {
    nav.push(button(t("master.day_next"), masterCb.moveDay.pack({ id: b.id, d: day.offset + 1 })));
  }
  buttons.push(nav, [button(t("common.back_button"), masterCb.booking.pack({ id: b.id }))]);
  const text = day.starts.length ? title : `${title}\n\n${t("master.move_none")}`;
  return { text, buttons };
}

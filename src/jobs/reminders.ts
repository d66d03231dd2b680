/**
 * Reminders: the day before at REMINDER_DAY_BEFORE_HOUR (business time) and one hour before
 * the visit, each with "I'm coming" / "Reschedule" / "Cancel". Due-ness is computed from the
 * database and the clock on every tick, so a reminder that fell due while the bot was down goes
 * out when it is back, while still useful.
 *
 * Rules (decided here, see also docs):
 * - Day before: due from HH:00 local on the day before the visit's local date, while the visit
 *   is more than 2 hours away (closer than that the one-hour reminder follows within the hour).
 *   No day-before reminder for a booking made less than 24 hours before its start, or made
 *   after that HH:00 moment: the client has just seen the confirmation.
 * - One hour before: due from start - 60 min until the start; not for a booking made inside
 *   that hour.
 */
import type { InlineKeyboardButton } from "grammy/types";
import { cb } from "../ui/callback_data.ts";
import { formatDate, formatTime } from "../ui/format.ts";
import type { Lang, Translate } from "../ui/i18n.ts";
import { button } from "../ui/buttons.ts";
import type { Booking } from "../db/bookings_repo.ts";
import { dayReminderCandidates, hourReminderCandidates } from "../db/jobs_repo.ts";
import { staffVisibleToClients } from "../db/staff_repo.ts";
import { getRules } from "../db/schedule_repo.ts";
import { canClientChange } from "../domain/policies.ts";
import { dayBounds, localDate } from "../domain/time.ts";
import {
  DAY_REMINDER_MIN_LEAD_MS,
  HOUR_REMINDER_LEAD_MS,
  isDayReminderDue,
  isHourReminderDue,
} from "../domain/reminders.ts";
import { claimAndSend, count } from "./claimed_send.ts";
import { emptyResult, type JobContext, type JobResult } from "./context.ts";

/** Service, date, time (and staff when there are several) of a visit, as HTML lines. */
export function visitDetails(
  b: Booking,
  t: Translate,
  lang: Lang,
  timeZone: string,
  showStaff: boolean,
): string {
  const lines = [
    t("booking.card_service", { service: b.serviceName }),
    t("booking.card_date", { date: formatDate(b.start, lang, timeZone) }),
    t("booking.card_time", {
      start: formatTime(b.start, timeZone),
      end: formatTime(b.end, timeZone),
    }),
  ];
  if (showStaff) lines.push(t("booking.card_staff", { staff: b.staffName }));
  return lines.join("\n");
}

/**
 * The buttons under a reminder: "I'm coming" until the client said so; move and cancel while
 * the client may still change the booking, else "write to the administrator" (never a button
 * that can only fail).
 */
export function reminderButtons(
  b: Pick<Booking, "id" | "confirmedAt">,
  t: Translate,
  changeable: boolean,
): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  if (b.confirmedAt === null) {
    rows.push([button(t("jobs.coming_button"), cb.coming.pack({ id: b.id }))]);
  }
  rows.push(
    changeable
      ? [
        button(t("my.reschedule_button"), cb.reschedule.pack({ id: b.id })),
        button(t("my.cancel_button"), cb.cancelAsk.pack({ id: b.id })),
      ]
      : [button(t("my.ask_admin_button"), cb.askAdmin.pack({ id: b.id }))],
  );
  return rows;
}

/** The question under a day-before reminder, matching its buttons. */
function comingQuestion(b: Booking, t: Translate, changeable: boolean): string {
  if (b.confirmedAt !== null) return t("jobs.coming_already");
  return t(changeable ? "jobs.ask_coming" : "jobs.ask_coming_locked");
}

/** Whether the client may still move or cancel `b` in the bot at `now`. */
function changeable(ctx: JobContext, b: Booking, now: number): boolean {
  return canClientChange(b.start, now, getRules(ctx.deps.db).cancellationCutoffHours);
}

/** Sends the due day-before reminders. */
export async function runDayReminders(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const { timeZone, reminderDayBeforeHour } = ctx.config;
  const now = clock.now();
  const today = localDate(now, timeZone);
  // A reminder due by now is for a visit on today's or tomorrow's local date at the latest.
  const [, endOfTomorrow] = dayBounds(today.add({ days: 1 }), timeZone);
  const due = dayReminderCandidates(db, now + DAY_REMINDER_MIN_LEAD_MS, endOfTomorrow)
    .filter((b) => isDayReminderDue(b, now, reminderDayBeforeHour, timeZone));
  return await sendReminders(ctx, due, "day", (b, t, lang, staff) => {
    const isToday = localDate(b.start, timeZone).equals(localDate(clock.now(), timeZone));
    return t(isToday ? "jobs.reminder_day_today" : "jobs.reminder_day_tomorrow", {
      time: formatTime(b.start, timeZone),
      detailsHtml: visitDetails(b, t, lang, timeZone, staff),
      askHtml: comingQuestion(b, t, changeable(ctx, b, clock.now())),
    });
  });
}

/** Sends the due one-hour reminders. */
export async function runHourReminders(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const { timeZone } = ctx.config;
  const now = clock.now();
  const due = hourReminderCandidates(db, now, now + HOUR_REMINDER_LEAD_MS)
    .filter((b) => isHourReminderDue(b, now));
  return await sendReminders(ctx, due, "hour", (b, t, lang, staff) =>
    t("jobs.reminder_hour", {
      time: formatTime(b.start, timeZone),
      detailsHtml: visitDetails(b, t, lang, timeZone, staff),
    }));
}

/** Claims and sends one reminder of `kind` per due booking, with the three buttons. */
async function sendReminders(
  ctx: JobContext,
  due: Booking[],
  kind: "day" | "hour",
  render: (b: Booking, t: Translate, lang: Lang, showStaff: boolean) => string,
): Promise<JobResult> {
  const result = { ...emptyResult(), due: due.length };
  if (due.length === 0) return result;
  const staff = staffVisibleToClients(ctx.deps.db);
  for (const b of due) {
    if (ctx.sender.signal.aborted) break;
    const outcome = await claimAndSend(
      ctx,
      b,
      kind === "day" ? "reminder_day" : "reminder_hour",
      (t, lang) => render(b, t, lang, staff),
      (t) => reminderButtons(b, t, changeable(ctx, b, ctx.deps.clock.now())),
    );
    if (outcome === "sent") ctx.deps.metrics.remindersSentTotal.inc({ kind });
    count(result, outcome);
  }
  return result;
}

/** Both reminder kinds: the one-hour ones first, they are the more urgent. */
export async function runReminders(ctx: JobContext): Promise<JobResult> {
  const hour = await runHourReminders(ctx);
  const day = await runDayReminders(ctx);
  return {
    due: hour.due + day.due,
    done: hour.done + day.done,
    failed: hour.failed + day.failed,
    skipped: hour.skipped + day.skipped,
    note: `hour ${hour.done}/${hour.due}, day ${day.done}/${day.due}`,
  };
}

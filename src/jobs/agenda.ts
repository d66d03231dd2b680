/**
 * The morning agenda: at ADMIN_AGENDA_HOUR business time every admin (owners, admins, viewers)
 * gets today's bookings (time, service, client, phone) in one message, and every master linked
 * in Telegram (who is not an admin) their own. Once per day: a mark per
 * admin ("agenda_to", "<date>:<id>") is claimed before that admin's send, and the day's mark
 * ("agenda", "<date>") is written when every admin has been handled, so an admin added later
 * that day gets none. If the bot was down at that hour the agenda still goes out later the same
 * day; the next day it is stale and skipped.
 */
import { formatDate, formatTime } from "../ui/format.ts";
import type { Lang, Translate } from "../ui/i18n.ts";
import { listAdmins } from "../db/admins_repo.ts";
import type { Db } from "../db/connection.ts";
import { listLinkedStaff } from "../db/staff_links_repo.ts";
import type { Booking } from "../db/bookings_repo.ts";
import { agendaBookings, claimJobMark, hasJobMark, releaseJobMark } from "../db/jobs_repo.ts";
import { dayBounds, localDate } from "../domain/time.ts";
import {
  emptyResult,
  isBlocked,
  type JobContext,
  type JobResult,
  languageOf,
  sendHtml,
  surelyUndelivered,
} from "./context.ts";
import type { Delivery } from "./sender.ts";
import { waitlistOf } from "./waitlist.ts";

/** Telegram's limit is 4096 characters; stay clear of it. */
const MAX_MESSAGE_CHARS = 3800;

/** The instant the agenda of local `date` becomes due. */
export function agendaDueAt(date: Temporal.PlainDate, hour: number, timeZone: string): number {
  return date.toPlainDateTime({ hour }).toZonedDateTime(timeZone, {
    disambiguation: "compatible",
  }).epochMilliseconds;
}

/** The agenda of a day as one or more HTML messages (split only for very busy days). */
export function renderAgenda(
  bookings: Booking[],
  date: Temporal.PlainDate,
  t: Translate,
  lang: Lang,
  timeZone: string,
): string[] {
  const header = t("jobs.agenda_title", { date: formatDate(date, lang, timeZone) });
  if (bookings.length === 0) return [`${header}\n\n${t("jobs.agenda_empty")}`];
  const severalStaff = new Set(bookings.map((b) => b.staffId)).size > 1;
  const lines = bookings.map((b) => {
    const params = {
      time: `${formatTime(b.start, timeZone)}–${formatTime(b.end, timeZone)}`,
      service: b.serviceName,
      client: b.clientName,
      phone: b.phone,
      staff: b.staffName,
    };
    const line = t(severalStaff ? "jobs.agenda_line_staff" : "jobs.agenda_line", params);
    return b.confirmedAt !== null ? `${line} ${t("jobs.agenda_confirmed_mark")}` : line;
  });
  const first = `${header}\n${t("jobs.agenda_count", { count: bookings.length })}\n`;
  const footer = bookings.some((b) => b.confirmedAt !== null)
    ? `\n\n${t("jobs.agenda_confirmed_note")}`
    : "";
  const messages: string[] = [];
  let current = first;
  for (const line of lines) {
    if (current.length + line.length + 1 > MAX_MESSAGE_CHARS) {
      messages.push(current);
      current = "";
    }
    current += `\n${line}`;
  }
  messages.push(current + footer);
  return messages;
}

/** Who gets an agenda and which bookings: admins all, masters (not admins) their own. */
function recipients(db: Db, bookings: Booking[]): { userId: number; bookings: Booking[] }[] {
  const admins = listAdmins(db).map((a) => ({ userId: a.userId, bookings }));
  const seen = new Set(admins.map((a) => a.userId));
  const masters = listLinkedStaff(db).filter((m) => !seen.has(m.userId)).map((m) => ({
    userId: m.userId,
    bookings: bookings.filter((b) => b.staffId === m.staffId),
  }));
  return [...admins, ...masters];
}

/** How one person's agenda went. */
type Outcome = "done" | "skipped" | "failed" | "retry";

/** Sends one person's agenda once (claims their mark first; releases it when surely unsent). */
async function sendAgendaTo(
  ctx: JobContext,
  person: { userId: number; bookings: Booking[] },
  today: Temporal.PlainDate,
): Promise<Outcome> {
  const { db, clock, logger } = ctx.deps;
  if (isBlocked(ctx.deps, person.userId)) return "skipped";
  const personKey = `${today}:${person.userId}`;
  const claimedAt = clock.now();
  if (!claimJobMark(db, "agenda_to", personKey, claimedAt)) return "skipped";
  const { t, lang } = languageOf(ctx.deps, person.userId);
  const parts = renderAgenda(person.bookings, today, t, lang, ctx.config.timeZone);
  const waiting = waitlistOf(ctx).ofDay(today.toString()).length;
  if (waiting > 0) {
    parts[parts.length - 1] += `\n\n${t("waitlist.agenda_waiting", { n: waiting })}`;
  }
  let delivered = 0;
  let delivery: Delivery<unknown> | undefined;
  for (const part of parts) {
    delivery = await sendHtml(ctx, person.userId, part);
    if (delivery.status !== "sent") break;
    delivered++;
  }
  if (delivered === parts.length || !delivery) return "done";
  if (delivery.status === "blocked") return "skipped";
  logger.warning("Could not send the agenda", {
    userId: person.userId,
    status: delivery.status,
    error: "error" in delivery ? String(delivery.error) : undefined,
  });
  if (delivered === 0 && surelyUndelivered(delivery)) {
    releaseJobMark(db, "agenda_to", personKey, claimedAt);
    return "retry";
  }
  return "failed";
}

/** Sends today's agenda to every admin and linked master if it is due and not sent yet. */
export async function runAgenda(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const { timeZone, adminAgendaHour } = ctx.config;
  const now = clock.now();
  const today = localDate(now, timeZone);
  const key = today.toString();
  if (now < agendaDueAt(today, adminAgendaHour, timeZone) || hasJobMark(db, "agenda", key)) {
    return emptyResult();
  }
  const [from, to] = dayBounds(today, timeZone);
  const bookings = agendaBookings(db, from, to);
  const people = recipients(db, bookings);
  const result = { ...emptyResult(), due: people.length, note: `${bookings.length} booking(s)` };
  let retryLater = false;
  for (const person of people) {
    if (ctx.sender.signal.aborted) return result;
    const outcome = await sendAgendaTo(ctx, person, today);
    if (outcome === "retry") retryLater = true;
    result[outcome === "retry" ? "failed" : outcome]++;
  }
  if (!retryLater) claimJobMark(db, "agenda", key, clock.now());
  return result;
}

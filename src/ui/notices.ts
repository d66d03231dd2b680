/**
 * The messages of the outbox, rendered when they are delivered: from the booking row as it is
 * then, the row's payload (what the booking no longer says, e.g. the start before a move) and
 * the recipient's language. Undefined when the message is no longer worth sending (a reminder
 * of a visit that was moved or cancelled meanwhile).
 */
import type { Booking, BookingStatus } from "../db/bookings_repo.ts";
import type { OutboxKind } from "../db/outbox_repo.ts";
import { businessProfile } from "../db/profile_repo.ts";
import { getUser } from "../db/users_repo.ts";
import { depositOfBooking } from "../db/deposits_repo.ts";
import { canClientChange } from "../domain/policies.ts";
import { localDate } from "../domain/time.ts";
import { button, type Buttons } from "./buttons.ts";
import { bookingCalendarFile } from "./calendar_file.ts";
import { ownerNoticeButtons, writeClientLine } from "./owner_notice.ts";
import { cb } from "./callback_data.ts";
import { masterCb } from "./master_callbacks.ts";
import {
  bookingCard,
  formatDate,
  formatPrice,
  formatTime,
  formatWhen,
  visitLines,
} from "./format.ts";
import { escapeHtml, type Lang, type Translate } from "./i18n.ts";
import { ratingButtons } from "./keyboards.ts";

/** A rendered message: text (the caption when there is a document) and buttons. */
export interface Notice {
  text: string;
  buttons?: Buttons;
  document?: { fileName: string; bytes: Uint8Array };
  /** A calendar file sent right after the text message, with its own short caption. */
  calendar?: { fileName: string; bytes: Uint8Array; caption: string };
}

/** What rendering needs besides the booking. */
export interface NoticeEnv {
  t: Translate;
  lang: Lang;
  timeZone: string;
  /** Whether clients see masters (more than one active). */
  showStaff: boolean;
  now: number;
  /** The bot's username, for the calendar event's stable uid. */
  botUsername: string;
  /** The database, for what the calendar file carries (address, revision). */
  db: Parameters<typeof bookingCalendarFile>[0];
  /** Hours before a visit after which a client can no longer change it in the bot. */
  cutoffHours: number;
}

/** The word for a booking status. */
export function statusWord(t: Translate, status: BookingStatus): string {
  return t(`booking.status_${status}`);
}

/** The fields of a booking a client is told about when an admin changes them. */
export type ToldFields = Pick<
  Booking,
  "start" | "serviceName" | "staffName" | "clientName" | "phone" | "status"
>;

/** The lines "what: old → new" for everything that differs, in one language. */
export function describeChanges(
  before: ToldFields,
  after: ToldFields,
  t: Translate,
  lang: Lang,
  timeZone: string,
): string[] {
  const lines: string[] = [];
  const add = (
    key: "when" | "service" | "staff" | "name" | "phone" | "status",
    oldValue: string,
    newValue: string,
  ) => {
    if (oldValue !== newValue) {
      lines.push(t(`admin_bookings.change_${key}`, { old: oldValue, new: newValue }));
    }
  };
  add("when", formatWhen(before.start, lang, timeZone), formatWhen(after.start, lang, timeZone));
  add("service", before.serviceName, after.serviceName);
  add("staff", before.staffName, after.staffName);
  add("name", before.clientName, after.clientName);
  add("phone", before.phone, after.phone);
  add("status", statusWord(t, before.status), statusWord(t, after.status));
  return lines;
}

/** Service, date, time (and staff when there are several) of a visit, as HTML lines. */
export function visitDetails(b: Booking, env: NoticeEnv): string {
  const lines = visitLines(b, env.t, env.lang, env.timeZone);
  if (env.showStaff) lines.push(env.t("booking.card_staff", { staff: b.staffName }));
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
): Buttons {
  const rows: Buttons = [];
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

/** The .ics of a booking: the same event (uid) revised on a move, cancelled on a cancel. */
export function icsBytes(b: Booking, env: NoticeEnv): Uint8Array {
  const file = bookingCalendarFile(env.db, b, {
    t: env.t,
    lang: env.lang,
    host: env.botUsername,
    stamp: env.now,
  });
  return new TextEncoder().encode(file.text);
}

/** The calendar file attached to a notice. */
function icsDocument(b: Booking, env: NoticeEnv): NonNullable<Notice["document"]> {
  return { fileName: `booking-${b.id}.ics`, bytes: icsBytes(b, env) };
}

/** The revised (or cancelled) calendar file sent after a notice, with what to do with it. */
function icsFollowUp(b: Booking, env: NoticeEnv): Notice["calendar"] {
  const caption = b.status === "cancelled"
    ? env.t("booking.ics_caption_cancelled")
    : env.t("booking.ics_caption_moved");
  return { ...icsDocument(b, env), caption };
}

const isActive = (b: Booking) => b.status === "active" && b.deletedAt === null;

type Render = (b: Booking, env: NoticeEnv, payload: Record<string, unknown>) => Notice | undefined;

/** "Tue, 1 December 2026 10:00" in the recipient's language. */
function when(instant: number, env: NoticeEnv): string {
  return `${formatDate(instant, env.lang, env.timeZone)} ${formatTime(instant, env.timeZone)}`;
}

function card(b: Booking, env: NoticeEnv): string {
  return bookingCard(b, env.t, env.lang, env.timeZone, {
    showStaff: env.showStaff,
    salon: businessProfile(env.db),
  });
}

/** A reminder, unless the booking no longer has the start it was enqueued for, or is over. */
function reminder(kind: "day" | "hour"): Render {
  return (b, env, payload) => {
    if (!isActive(b) || b.start !== Number(payload.start)) return undefined;
    const { t, timeZone: tz } = env;
    const today = localDate(b.start, tz).equals(localDate(env.now, tz));
    const key = kind === "hour"
      ? "jobs.reminder_hour"
      : today
      ? "jobs.reminder_day_today"
      : "jobs.reminder_day_tomorrow";
    const changeable = canClientChange(b.start, env.now, env.cutoffHours);
    return {
      text: t(key, {
        time: formatTime(b.start, tz),
        detailsHtml: visitDetails(b, env),
        askHtml: comingQuestion(b, t, changeable),
      }),
      buttons: reminderButtons(b, t, changeable),
    };
  };
}

/** What a client is told. */
const TO_CLIENT = {
  confirmation: (b, env) =>
    isActive(b)
      ? {
        text: env.t("booking.ics_caption_booked", {
          id: b.id,
          service: b.serviceName,
          when: when(b.start, env),
        }),
        document: icsDocument(b, env),
      }
      : undefined,
  client_changed: (b, env, payload) => {
    const { t, lang, timeZone } = env;
    const changes = describeChanges(payload as unknown as ToldFields, b, t, lang, timeZone);
    if (changes.length === 0) return undefined;
    return {
      text: t("admin_bookings.client_changed", {
        id: b.id,
        changesHtml: changes.join("\n"),
        cardHtml: card(b, env),
      }),
      buttons: [[button(t("admin_bookings.client_btn_open"), cb.myBooking.pack({ id: b.id }))]],
      // A new time revises the calendar event (same uid, higher revision).
      calendar: Number(payload.start) === b.start ? undefined : icsFollowUp(b, env),
    };
  },
  client_cancelled: (b, env) => ({
    text: env.t("admin_bookings.client_cancelled", { id: b.id, cardHtml: card(b, env) }),
    buttons: [[
      button(env.t("admin_bookings.client_btn_book"), cb.menu.pack({ item: "book" })),
    ]],
    // The cancelled event removes the visit from the client's calendar.
    calendar: icsFollowUp(b, env),
  }),
} satisfies Partial<Record<OutboxKind, Render>>;

/**
 * A notice to admins about a client's booking: a link to write to the client under the text,
 * and the buttons to open the booking in /admin (and write, when the client has a username).
 */
function aboutClient(b: Booking, env: NoticeEnv, notice: { text: string }): Notice {
  return {
    text: `${notice.text}\n${writeClientLine(env.t, b)}`,
    buttons: ownerNoticeButtons(env.t, b, getUser(env.db, b.userId)?.username),
  };
}

/** A cancelled booking's deposit due back: the amount and the charge ids to refund by. */
function refundLine(b: Booking, env: NoticeEnv): string {
  const d = depositOfBooking(env.db, b.id);
  if (d?.status !== "refund_due") return "";
  return "\n" + env.t("admin_notify.deposit_refund", {
    amount: formatPrice(d.amountMinor, env.lang, d.currency),
    charge: escapeHtml(d.telegramChargeId ?? ""),
    provider: escapeHtml(d.providerChargeId ?? ""),
  });
}

/** What the admins are told about a client's change. */
const TO_ADMINS = {
  admin_created: (b, env) =>
    aboutClient(b, env, {
      text: env.t("admin_notify.created", {
        id: b.id,
        name: b.clientName,
        phone: b.phone,
        service: b.serviceName,
        when: when(b.start, env),
      }),
    }),
  admin_moved: (b, env, payload) =>
    aboutClient(b, env, {
      text: env.t("admin_notify.moved", {
        id: b.id,
        name: b.clientName,
        service: b.serviceName,
        from: when(Number(payload.from), env),
        to: when(b.start, env),
      }),
    }),
  admin_cancelled: (b, env) =>
    aboutClient(b, env, {
      text: env.t("admin_notify.cancelled", {
        id: b.id,
        name: b.clientName,
        service: b.serviceName,
        when: when(b.start, env),
      }) + refundLine(b, env),
    }),
  admin_contact: (b, env, payload) => ({
    text: env.t("admin_notify.contact_changed", {
      id: b.id,
      oldValue: String(payload.old),
      newValue: String(payload.new),
    }),
  }),
} satisfies Partial<Record<OutboxKind, Render>>;

/** A master's notice about a booking of theirs, with the button opening it in "My day". */
function toMaster(b: Booking, env: NoticeEnv, text: string): Notice {
  const open = button(env.t("master.notify_open"), masterCb.booking.pack({ id: b.id }));
  return { text, buttons: [[open]] };
}

/** What a master is told about their own bookings (anyone's change but their own). */
const TO_MASTERS = {
  master_created: (b, env) =>
    isActive(b)
      ? toMaster(b, env, env.t("master.notify_new", about(b, env, { when: when(b.start, env) })))
      : undefined,
  master_moved: (b, env, payload) =>
    toMaster(
      b,
      env,
      env.t(
        "master.notify_moved",
        about(b, env, { from: when(Number(payload.from), env), to: when(b.start, env) }),
      ),
    ),
  master_cancelled: (b, env) => ({
    text: env.t("master.notify_cancelled", about(b, env, { when: when(b.start, env) })),
  }),
} satisfies Partial<Record<OutboxKind, Render>>;

function about(b: Booking, _env: NoticeEnv, more: Record<string, string>) {
  return { service: b.serviceName, client: b.clientName, ...more };
}

const RENDER: Record<OutboxKind, Render> = {
  ...TO_CLIENT,
  ...TO_ADMINS,
  ...TO_MASTERS,
  reminder_day: reminder("day"),
  reminder_hour: reminder("hour"),
  // Belongs to no booking: rendered by src/ui/waitlist_notice.ts.
  waitlist_offer: () => undefined,
  feedback: (b, env) =>
    b.status === "completed" && b.deletedAt === null
      ? {
        text: env.t("feedback.request", {
          service: b.serviceName,
          date: formatDate(b.start, env.lang, env.timeZone),
        }),
        buttons: ratingButtons(b.id),
      }
      : undefined,
};

/** Renders one outbox message, or undefined when it is no longer worth sending. */
export function renderNotice(
  kind: OutboxKind,
  payload: Record<string, unknown>,
  b: Booking,
  env: NoticeEnv,
): Notice | undefined {
  return RENDER[kind](b, env, payload);
}

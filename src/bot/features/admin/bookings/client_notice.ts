/**
 * Telling the client what an admin did to their booking. Each notice is a `UserMessage` built
 * by a small pure function, and sent by one small function, so the sending can move to an
 * outbox without touching the screens.
 */
import type { Booking } from "../../../../db/bookings_repo.ts";
import { type BusinessProfile, businessProfile } from "../../../../db/profile_repo.ts";
import { staffVisibleToClients } from "../../../../db/staff_repo.ts";
import type { UserMessage } from "../../../../deps.ts";
import { button } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { bookingCard, formatWhen } from "../../../../ui/format.ts";
import type { Lang, Translate } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { sendToUser, userLanguage } from "../../../notify.ts";
import { tz } from "./screen.ts";
import { statusWord } from "./views.ts";

/** The fields whose change the client is told about. */
type ChangeField = "when" | "service" | "staff" | "name" | "phone" | "status";

/** The lines "what: old → new" for everything that differs, in one language. */
export function describeChanges(
  before: Booking,
  after: Booking,
  t: Translate,
  lang: Lang,
  timeZone: string,
): string[] {
  const lines: string[] = [];
  const add = (key: ChangeField, oldValue: string, newValue: string) => {
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

/** The notice "an admin changed your booking": what changed, the card, a button to open it. */
export function changedNotice(
  before: Booking,
  after: Booking,
  timeZone: string,
  showStaff: boolean,
  salon?: BusinessProfile,
): UserMessage {
  return {
    userId: after.userId,
    render: (t, lang) =>
      t("admin_bookings.client_changed", {
        id: after.id,
        changesHtml: describeChanges(before, after, t, lang, timeZone).join("\n"),
        cardHtml: bookingCard(after, t, lang, timeZone, { showStaff, salon }),
      }),
    keyboard: (t) => [[
      button(t("admin_bookings.client_btn_open"), cb.myBooking.pack({ id: after.id })),
    ]],
  };
}

/** The notice "an admin cancelled your booking" (the reason is on the card), to book again. */
export function cancelledNotice(
  b: Booking,
  timeZone: string,
  showStaff: boolean,
  salon?: BusinessProfile,
): UserMessage {
  return {
    userId: b.userId,
    render: (t, lang) =>
      t("admin_bookings.client_cancelled", {
        id: b.id,
        cardHtml: bookingCard(b, t, lang, timeZone, { showStaff, salon }),
      }),
    keyboard: (t) => [[
      button(t("admin_bookings.client_btn_book"), cb.menu.pack({ item: "book" })),
    ]],
  };
}

/** Sends one notice now; returns whether it was delivered. */
async function send(ctx: BotContext, message: UserMessage): Promise<boolean> {
  const { t, lang } = userLanguage(ctx.deps, message.userId);
  const inline_keyboard = message.keyboard?.(t, lang) ?? [];
  return await sendToUser(ctx.api, ctx.deps, message.userId, message.render, {
    reply_markup: { inline_keyboard },
  });
}

/** Tells the client what an admin changed; returns whether the message was delivered. */
export function tellClientChanged(ctx: BotContext, before: Booking, after: Booking) {
  const showStaff = staffVisibleToClients(ctx.deps.db);
  return send(ctx, changedNotice(before, after, tz(ctx), showStaff, businessProfile(ctx.deps.db)));
}

/** Tells the client their booking was cancelled; returns whether it was delivered. */
export function tellClientCancelled(ctx: BotContext, b: Booking): Promise<boolean> {
  const showStaff = staffVisibleToClients(ctx.deps.db);
  return send(ctx, cancelledNotice(b, tz(ctx), showStaff, businessProfile(ctx.deps.db)));
}

/** Tells every client of `cancelled` through the throttled sender; returns how many arrived. */
export function tellClientsCancelled(ctx: BotContext, cancelled: readonly Booking[]) {
  const showStaff = staffVisibleToClients(ctx.deps.db);
  const salon = businessProfile(ctx.deps.db);
  return ctx.deps.bulkSend(cancelled.map((b) => cancelledNotice(b, tz(ctx), showStaff, salon)));
}

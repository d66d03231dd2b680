/**
 * What a client may still change about a booking, said before they book and wherever a
 * cancel or move button would appear, with a way to reach the business when they cannot.
 */
import { listOwnerIds } from "../db/admins_repo.ts";
import { getBusinessContact } from "../db/schedule_repo.ts";
import { getUser } from "../db/users_repo.ts";
import { canClientChange, changeDeadline } from "../domain/policies.ts";
import { plannedReminders } from "../domain/reminders.ts";
import { escapeHtml } from "../ui/i18n.ts";
import { formatWhen } from "../ui/format.ts";
import type { BotContext } from "./context.ts";

/** Whether the client may still cancel or move a visit starting at `start` in the bot. */
export function clientMayChange(ctx: BotContext, start: number): boolean {
  const cutoff = ctx.deps.bookings.rules().cancellationCutoffHours;
  return canClientChange(start, ctx.deps.clock.now(), cutoff);
}

/** "Бесплатная отмена и перенос — до …" or "эту запись нельзя будет отменить в боте". */
export function changePolicyLine(ctx: BotContext, start: number): string {
  const cutoff = ctx.deps.bookings.rules().cancellationCutoffHours;
  if (!clientMayChange(ctx, start)) return ctx.t("booking.policy_locked", { hours: cutoff });
  if (cutoff === 0) return ctx.t("booking.policy_free");
  const deadline = changeDeadline(start, cutoff);
  return ctx.t("booking.policy_free_until", {
    deadline: formatWhen(deadline, ctx.lang, ctx.config.timeZone),
  });
}

/** Exactly the reminders a visit at `start`, booked or moved now, will get. */
export function remindersLine(ctx: BotContext, start: number): string {
  const { day, hour } = plannedReminders(
    start,
    ctx.deps.clock.now(),
    ctx.config.reminderDayBeforeHour,
    ctx.config.timeZone,
  );
  if (day && hour) return ctx.t("booking.remind_both");
  if (day) return ctx.t("booking.remind_day");
  if (hour) return ctx.t("booking.remind_hour");
  return ctx.t("booking.remind_none");
}

/** How to reach the business: its phone when known, else the owners' Telegram contacts. */
export function contactLine(ctx: BotContext): string {
  const phone = getBusinessContact(ctx.deps.db).phone;
  if (phone) return ctx.t("my.contact_phone", { phone });
  const links = listOwnerIds(ctx.deps.db).map((id) => {
    const user = getUser(ctx.deps.db, id);
    const name = escapeHtml(user?.firstName || ctx.t("my.contact_admin_name"));
    return user?.username
      ? `@${escapeHtml(user.username)}`
      : `<a href="tg://user?id=${id}">${name}</a>`;
  });
  return links.length
    ? ctx.t("my.contact_business", { contactsHtml: links.join(", ") })
    : ctx.t("my.contact_business_unknown");
}

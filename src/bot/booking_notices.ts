/**
 * What admins are told when a client books, moves or cancels: one place, so the messages can
 * move to a delivered outbox without touching the handlers.
 */
import type { Booking } from "../db/bookings_repo.ts";
import { formatWhen } from "../ui/format.ts";
import type { Lang, Translate } from "../ui/i18n.ts";
import type { BotContext } from "./context.ts";
import { notifyAdmins } from "./notify.ts";

/** A client's change of a booking (`from`: the start before a move). */
export type ClientChange =
  | { kind: "created"; booking: Booking }
  | { kind: "cancelled"; booking: Booking }
  | { kind: "moved"; booking: Booking; from: number };

function render(change: ClientChange, t: Translate, lang: Lang, timeZone: string): string {
  const b = change.booking;
  const when = formatWhen(b.start, lang, timeZone);
  const base = { id: b.id, name: b.clientName, service: b.serviceName };
  if (change.kind === "created") {
    return t("admin_notify.created", { ...base, phone: b.phone, when });
  }
  if (change.kind === "cancelled") return t("admin_notify.cancelled", { ...base, when });
  return t("admin_notify.moved", {
    ...base,
    from: formatWhen(change.from, lang, timeZone),
    to: when,
  });
}

/** Tells every admin, each in their language, what the client just did. */
export function tellAdmins(ctx: BotContext, change: ClientChange): Promise<void> {
  return notifyAdmins(ctx.api, ctx.deps, (t, lang) => render(change, t, lang, ctx.config.timeZone));
}

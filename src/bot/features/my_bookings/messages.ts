/**
 * What the client types about one booking: a new name or phone for it, or a message the
 * admins receive with the booking attached.
 */
import { LeanComposer } from "../../composer.ts";
import { BookingError } from "../../../services/booking_service.ts";
import { cb } from "../../../ui/callback_data.ts";
import { formatWhen } from "../../../ui/format.ts";
import { escapeHtml } from "../../../ui/i18n.ts";
import type { BotContext } from "../../context.ts";
import { notifyAdmins } from "../../notify.ts";
import { clientActor } from "../../own_booking.ts";
import { initialSession } from "../../session.ts";
import { button, show } from "../../ui.ts";
import { onOwnBooking } from "./changes.ts";
import { showBooking } from "./views.ts";

/** The "edit name/phone" buttons and the texts typed for them and for the admins. */
export const bookingMessages = new LeanComposer<BotContext>();

onOwnBooking(bookingMessages, cb.editContact, async (ctx, b, data) => {
  if (b.status !== "active" || b.end <= ctx.deps.clock.now()) {
    return showBooking(ctx, b, ctx.t("errors.not_active"));
  }
  ctx.session = {
    ...initialSession(),
    step: data.field === "name" ? "edit_name" : "edit_phone",
    editBookingId: b.id,
  };
  await show(ctx, ctx.t(data.field === "name" ? "my.ask_new_name" : "my.ask_new_phone"), [
    [button(ctx.t("common.cancel_button"), cb.myBooking.pack({ id: b.id }))],
  ]);
});

bookingMessages.on("message:text", (ctx, next) => {
  const step = ctx.session.step;
  if (ctx.message.text.startsWith("/")) return next();
  if (step === "edit_name" || step === "edit_phone") return changeContact(ctx, step);
  if (step === "admin_message") return messageAdmins(ctx);
  return next();
});

async function changeContact(ctx: BotContext, step: "edit_name" | "edit_phone") {
  const id = ctx.session.editBookingId ?? 0;
  const text = ctx.message!.text!;
  try {
    const before = ctx.deps.bookings.bookingFor(id, clientActor(ctx));
    const updated = ctx.deps.bookings.updateContact(
      id,
      clientActor(ctx),
      step === "edit_name" ? { clientName: text } : { phone: text },
    );
    ctx.session = initialSession();
    ctx.deps.logger.info("Booking contact changed", {
      bookingId: id,
      userId: ctx.from!.id,
      field: step,
    });
    await showBooking(ctx, updated, ctx.t("my.contact_updated"));
    await notifyAdmins(ctx.api, ctx.deps, (t) =>
      t("admin_notify.contact_changed", {
        id,
        oldValue: step === "edit_name" ? before.clientName : before.phone,
        newValue: step === "edit_name" ? updated.clientName : updated.phone,
      }));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    if (["name_length", "name_chars", "phone_format"].includes(error.code)) {
      await ctx.reply(`${ctx.t(`errors.${error.code}`)}\n${ctx.t("my.try_again")}`, {});
      return;
    }
    ctx.session = initialSession();
    await ctx.reply(ctx.t(`errors.${error.code}`));
  }
}

/** Forwards the client's words to every admin with the booking and a link to the client. */
async function messageAdmins(ctx: BotContext) {
  const id = ctx.session.editBookingId ?? 0;
  const message = ctx.message!.text!.replace(/[^\P{Cc}\n]/gu, "").trim().slice(0, 1000);
  ctx.session = initialSession();
  let b;
  try {
    b = ctx.deps.bookings.bookingFor(id, clientActor(ctx));
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    return ctx.reply(ctx.t(`errors.${error.code}`));
  }
  const tz = ctx.config.timeZone;
  const link = `<a href="tg://user?id=${ctx.from!.id}">${
    escapeHtml(ctx.from!.first_name || b.clientName)
  }</a>`;
  await notifyAdmins(ctx.api, ctx.deps, (t, lang) =>
    t("admin_notify.client_message", {
      id: b.id,
      name: b.clientName,
      phone: b.phone,
      service: b.serviceName,
      when: formatWhen(b.start, lang, tz),
      clientHtml: link,
      message,
    }));
  ctx.deps.logger.info("Client wrote to the admins", { bookingId: b.id, userId: ctx.from!.id });
  await showBooking(ctx, b, ctx.t("my.ask_admin_sent"));
}

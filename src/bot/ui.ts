/** Showing screens: edit the pressed message in place, or send a new one. */
import { businessProfile } from "../db/profile_repo.ts";
import { GrammyError, type InlineKeyboard } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { button, type Buttons } from "../ui/buttons.ts";
import { cb } from "../ui/callback_data.ts";
import { bookingCard, formatDate } from "../ui/format.ts";
import type { Booking } from "../db/bookings_repo.ts";
import { staffVisibleToClients } from "../db/staff_repo.ts";
import { localDate } from "../domain/time.ts";
import type { BotContext } from "./context.ts";
import { inBackground } from "./middleware/side_calls.ts";

export { button, type Buttons };

/**
 * Shows a screen: when the update is a button press on a bot message, that message is
 * edited (the chat stays short); otherwise, or with `fresh`, a new message is sent.
 */
export async function show(
  ctx: BotContext,
  text: string,
  buttons: Buttons | InlineKeyboard = [],
  options: { fresh?: boolean } = {},
): Promise<void> {
  await present(ctx, text, buttons, options);
}

/** Like show, and returns the id of the message that shows the screen. */
export async function present(
  ctx: BotContext,
  text: string,
  buttons: Buttons | InlineKeyboard = [],
  options: { fresh?: boolean } = {},
): Promise<number | undefined> {
  const reply_markup: InlineKeyboardMarkup = Array.isArray(buttons)
    ? { inline_keyboard: buttons }
    : buttons;
  const pressed = ctx.callbackQuery?.message;
  // A press under a document or photo (a caption, no text) cannot become a text screen.
  const editable = pressed !== undefined && "text" in pressed && pressed.text !== undefined;
  if (pressed && editable && !options.fresh) {
    try {
      await ctx.editMessageText(text, { reply_markup });
      return pressed.message_id;
    } catch (error) {
      if (error instanceof GrammyError && /not modified/.test(error.description)) {
        return pressed.message_id;
      }
      if (!(error instanceof GrammyError)) throw error;
      // The message is too old or gone: fall through and send a new one.
    }
  }
  return (await ctx.reply(text, { reply_markup })).message_id;
}

/**
 * Answers the pressed button (stops the spinner), optionally with a toast or an alert. The
 * answer leaves at once; the handler goes on while it travels (middleware/side_calls.ts).
 */
export function ack(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return Promise.resolve();
  return inBackground(
    ctx,
    ctx.answerCallbackQuery(text ? { text, show_alert: alert } : undefined),
  );
}

/** The row with Back (to `step`) and Cancel. */
export function backCancelRow(ctx: BotContext, step?: string): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  if (step) row.push(button(ctx.t("common.back_button"), cb.back.pack({ step })));
  row.push(button(ctx.t("common.cancel_button"), cb.cancelDialog.pack({})));
  return row;
}

/** The row with one "Main menu" button. */
export function menuRow(ctx: BotContext): InlineKeyboardButton[] {
  return [button(ctx.t("common.menu_button"), cb.menu.pack({ item: "main" }))];
}

/** "сегодня, вт, 1 декабря 2026 г." / "завтра, …" / the plain date further away. */
export function dayName(ctx: BotContext, value: number | Temporal.PlainDate): string {
  const tz = ctx.config.timeZone;
  const date = formatDate(value, ctx.lang, tz);
  const day = typeof value === "number" ? localDate(value, tz) : value;
  const today = ctx.deps.bookings.today();
  if (day.equals(today)) return ctx.t("common.today_date", { date });
  if (day.equals(today.add({ days: 1 }))) return ctx.t("common.tomorrow_date", { date });
  return date;
}

/** The client's card of a booking (masters named only when clients see several). */
export function clientCard(ctx: BotContext, b: Booking): string {
  return bookingCard(b, ctx.t, ctx.lang, ctx.config.timeZone, {
    showStaff: staffVisibleToClients(ctx.deps.db),
    salon: businessProfile(ctx.deps.db),
  });
}

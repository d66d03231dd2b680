/**
 * The contact steps of a first booking (name, then phone), skipped for a returning client
 * whose last name and phone are remembered: the summary shows them, one tap confirms.
 */
import { Keyboard } from "grammy";
import { LeanComposer } from "../../composer.ts";
import { getUser } from "../../../db/users_repo.ts";
import { validateName, validatePhone } from "../../../domain/validation.ts";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { ack, backCancelRow, button, type Buttons, present } from "../../ui.ts";
import { showSummary } from "./confirm.ts";
import { inBackground } from "../../middleware/side_calls.ts";

/** Name, phone and the buttons and messages that fill them. */
export const contactSteps = new LeanComposer<BotContext>();

function telegramName(ctx: BotContext): string {
  return [ctx.from!.first_name, ctx.from!.last_name].filter(Boolean).join(" ");
}

/** After a slot is chosen: the summary when name and phone are known, else the name step. */
export async function afterSlot(ctx: BotContext): Promise<void> {
  const d = ctx.session.draft;
  if (d.rescheduleId) return showSummary(ctx);
  const user = getUser(ctx.deps.db, ctx.from!.id);
  const name = validateName(user?.lastClientName ?? "");
  const phone = validatePhone(user?.lastPhone ?? "");
  if (name.ok && phone.ok) {
    d.clientName = name.value;
    d.phone = phone.value;
    d.remembered = true;
    return showSummary(ctx);
  }
  await askName(ctx);
}

/** Asks for the name, offering the last one used and the Telegram name as buttons. */
export async function askName(ctx: BotContext, fresh = false): Promise<void> {
  ctx.session.step = "name";
  ctx.session.draft.remembered = undefined;
  const user = getUser(ctx.deps.db, ctx.from!.id);
  const rows: Buttons = [];
  if (user?.lastClientName) {
    rows.push([button(user.lastClientName, cb.useName.pack({ which: "last" }))]);
  }
  const own = telegramName(ctx);
  if (validateName(own).ok && own !== user?.lastClientName) {
    rows.push([button(own, cb.useName.pack({ which: "telegram" }))]);
  }
  const text = ctx.t(rows.length ? "booking.ask_name" : "booking.ask_name_plain");
  rows.push(backCancelRow(ctx, "slot"));
  const id = await present(ctx, text, rows, { fresh });
  ctx.session.draft.prompts = id === undefined ? [] : [id];
}

/**
 * Takes the buttons off the prompts of the step just done (typed answers leave them), beside
 * the next message rather than before it (side calls: their order does not matter).
 */
async function closePrompts(ctx: BotContext, remove = false): Promise<void> {
  const chat = ctx.chat!.id;
  const d = ctx.session.draft;
  const ids = [...(d.prompts ?? []), ...(remove && d.phoneAsk ? [d.phoneAsk] : [])];
  d.prompts = [];
  if (remove) d.phoneAsk = undefined;
  await Promise.all(ids.map((id) =>
    inBackground(
      ctx,
      remove ? ctx.api.deleteMessage(chat, id) : ctx.api.editMessageReplyMarkup(chat, id),
    )
  ));
}

/** Asks for the phone: the contact button, the last number used, Back and Cancel. */
export async function askPhone(ctx: BotContext): Promise<void> {
  ctx.session.step = "phone";
  const user = getUser(ctx.deps.db, ctx.from!.id);
  await closePrompts(ctx);
  const keyboard = new Keyboard().requestContact(ctx.t("booking.share_phone")).resized().oneTime();
  const ask = await ctx.reply(ctx.t("booking.ask_phone"), { reply_markup: keyboard });
  const rows: Buttons = [];
  if (user?.lastPhone) rows.push([button(user.lastPhone, cb.usePhone.pack({}))]);
  rows.push(backCancelRow(ctx, "name"));
  const nav = await ctx.reply(
    ctx.t(user?.lastPhone ? "booking.ask_phone_inline" : "booking.ask_phone_nav"),
    { reply_markup: { inline_keyboard: rows } },
  );
  ctx.session.draft.prompts = [nav.message_id];
  ctx.session.draft.phoneAsk = ask.message_id;
}

/**
 * ⬅️ from the phone step: the phone prompts are removed with the contact keyboard, and the
 * name is asked again below the client's last answer (the old name prompt has no buttons).
 */
export async function backToName(ctx: BotContext): Promise<void> {
  if (ctx.session.step !== "phone") return askName(ctx);
  await closePrompts(ctx, true);
  await ctx.reply(ctx.t("booking.back_to_name"), { reply_markup: { remove_keyboard: true } });
  await askName(ctx, true);
}

async function acceptPhone(ctx: BotContext, phone: string): Promise<void> {
  ctx.session.draft.phone = phone;
  await ctx.reply(ctx.t("booking.phone_saved", { phone }), {
    reply_markup: { remove_keyboard: true },
  });
  await closePrompts(ctx);
  // The summary is a new message below the phone confirmation.
  await showSummary(ctx, true);
}

contactSteps.callbackQuery(cb.useName.filter, async (ctx) => {
  const data = cb.useName.unpack(ctx.callbackQuery.data);
  if (!data || ctx.session.step !== "name") return ack(ctx, ctx.t("common.button_outdated"));
  const user = getUser(ctx.deps.db, ctx.from.id);
  const name = validateName(data.which === "last" ? user?.lastClientName ?? "" : telegramName(ctx));
  if (!name.ok) return ack(ctx, ctx.t(`errors.${name.problem}`), true);
  await ack(ctx);
  ctx.session.draft.clientName = name.value;
  await askPhone(ctx);
});

contactSteps.callbackQuery(cb.usePhone.filter, async (ctx) => {
  if (ctx.session.step !== "phone") return ack(ctx, ctx.t("common.button_outdated"));
  const phone = validatePhone(getUser(ctx.deps.db, ctx.from.id)?.lastPhone ?? "");
  if (!phone.ok) return ack(ctx, ctx.t("errors.phone_format"), true);
  await ack(ctx);
  await acceptPhone(ctx, phone.value);
});

contactSteps.on("message:contact", async (ctx, next) => {
  if (ctx.session.step !== "phone") return next();
  const raw = ctx.message.contact.phone_number;
  const phone = validatePhone(raw.startsWith("+") ? raw : `+${raw}`);
  if (!phone.ok) return void await ctx.reply(ctx.t("errors.phone_format"));
  await acceptPhone(ctx, phone.value);
});

contactSteps.on("message:text", async (ctx, next) => {
  const step = ctx.session.step;
  if (ctx.message.text.startsWith("/") || (step !== "name" && step !== "phone")) return next();
  if (step === "name") {
    const name = validateName(ctx.message.text);
    if (!name.ok) {
      await ctx.reply(`${ctx.t(`errors.${name.problem}`)}\n${ctx.t("booking.ask_name_again")}`);
      return;
    }
    ctx.session.draft.clientName = name.value;
    return askPhone(ctx);
  }
  const phone = validatePhone(ctx.message.text);
  if (!phone.ok) {
    await ctx.reply(`${ctx.t("errors.phone_format")}\n${ctx.t("booking.ask_phone_again")}`);
    return;
  }
  await acceptPhone(ctx, phone.value);
});

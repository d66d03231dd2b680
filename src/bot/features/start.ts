/** /start (with deep links), the main menu, /help for the current step, language, cancel. */
import { Composer } from "grammy";
import { setUserLanguage } from "../../db/users_repo.ts";
import { businessProfile } from "../../db/profile_repo.ts";
import { withSalon } from "../../ui/profile.ts";
import { cb } from "../../ui/callback_data.ts";
import type { BotContext } from "../context.ts";
import type { LocaleKey } from "../../ui/locale_keys.ts";
import { LANGUAGE_INFO, LANGUAGES, translator } from "../../ui/i18n.ts";
import { initialSession, type Step } from "../session.ts";
import { ack, button, type Buttons, show } from "../ui.ts";
import { startBooking } from "./booking.ts";
import { showMyBookings } from "./my_bookings.ts";
import { repeatBooking } from "./my_bookings.ts";

/** The salon's profile, shown in the welcome and /help. */
const salon = (ctx: BotContext) => businessProfile(ctx.deps.db);

/** Entry points every user sees. */
export const startFeature = new Composer<BotContext>();

/** The main menu buttons (with Admin for admins). */
export function mainMenu(ctx: BotContext): Buttons {
  const rows: Buttons = [
    [button(ctx.t("common.menu_book"), cb.menu.pack({ item: "book" }))],
    [button(ctx.t("common.menu_my"), cb.menu.pack({ item: "my" }))],
    [button(ctx.t("common.menu_lang"), cb.menu.pack({ item: "lang" }))],
  ];
  if (ctx.role) rows.push([button(ctx.t("common.menu_admin"), cb.menu.pack({ item: "admin" }))]);
  return rows;
}

/** Shows the main menu. */
export async function showMainMenu(ctx: BotContext, greeting = false): Promise<void> {
  const text = greeting
    ? withSalon(ctx.t("common.welcome", { name: ctx.from?.first_name ?? "" }), salon(ctx), ctx.t)
    : ctx.t("common.main_menu");
  await show(ctx, text, mainMenu(ctx));
}

startFeature.command("start", async (ctx) => {
  ctx.session = initialSession();
  const payload = ctx.match.trim();
  const svc = /^svc_(\d{1,12})$/.exec(payload);
  if (svc) return startBooking(ctx, Number(svc[1]));
  const again = /^again_(\d{1,12})$/.exec(payload);
  if (again) return repeatBooking(ctx, Number(again[1]));
  await showMainMenu(ctx, true);
});

startFeature.command("menu", async (ctx) => {
  ctx.session = initialSession();
  await showMainMenu(ctx);
});

startFeature.command("cancel", async (ctx) => {
  const wasBusy = ctx.session.step !== "idle";
  ctx.session = initialSession();
  await ctx.reply(ctx.t(wasBusy ? "common.dialog_cancelled" : "common.main_menu"), {
    reply_markup: { remove_keyboard: true },
  });
  await showMainMenu(ctx);
});

const HELP_BY_STEP: Record<Step, LocaleKey> = {
  idle: "common.help_idle",
  service: "common.help_service",
  staff: "common.help_staff",
  date: "common.help_date",
  slot: "common.help_slot",
  name: "common.help_name",
  phone: "common.help_phone",
  confirm: "common.help_confirm",
  edit_name: "common.help_edit",
  edit_phone: "common.help_edit",
  feedback_comment: "common.help_feedback",
  admin_input: "common.help_admin",
};

startFeature.command("help", async (ctx) => {
  await ctx.reply(withSalon(ctx.t(HELP_BY_STEP[ctx.session.step]), salon(ctx), ctx.t), {});
});

startFeature.command("my", (ctx) => showMyBookings(ctx, "up", 0));

async function showLanguages(ctx: BotContext): Promise<void> {
  await show(ctx, ctx.t("common.choose_language"), [
    LANGUAGES.map((code) => button(LANGUAGE_INFO[code].button, cb.lang.pack({ code }))),
  ]);
}

startFeature.command("lang", showLanguages);

startFeature.callbackQuery(cb.lang.filter, async (ctx) => {
  const data = cb.lang.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  setUserLanguage(ctx.deps.db, ctx.from.id, data.code, ctx.deps.clock.now());
  ctx.lang = data.code;
  ctx.t = translator(ctx.deps.catalogs, ctx.lang);
  await ack(ctx, ctx.t("common.language_set"));
  await showMainMenu(ctx);
});

startFeature.callbackQuery(cb.cancelDialog.filter, async (ctx) => {
  ctx.session = initialSession();
  await ack(ctx, ctx.t("common.dialog_cancelled"));
  await show(ctx, ctx.t("common.dialog_cancelled"), mainMenu(ctx));
});

startFeature.callbackQuery(cb.menu.filter, async (ctx, next) => {
  const data = cb.menu.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  switch (data.item) {
    case "main":
      ctx.session = initialSession();
      await ack(ctx);
      return showMainMenu(ctx);
    case "book":
      await ack(ctx);
      return startBooking(ctx);
    case "my":
      await ack(ctx);
      return showMyBookings(ctx, "up", 0);
    case "lang":
      await ack(ctx);
      return showLanguages(ctx);
    default:
      return next();
  }
});

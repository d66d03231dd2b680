/** /start (with deep links), the main menu, /help for the current step, language, cancel. */
import { LeanComposer } from "../composer.ts";
import { businessProfile } from "../../db/profile_repo.ts";
import { withSalon } from "../../ui/profile.ts";
import { cb } from "../../ui/callback_data.ts";
import type { BotContext } from "../context.ts";
import type { LocaleKey } from "../../ui/locale_keys.ts";
import { LANGUAGE_INFO, LANGUAGES, translator } from "../../ui/i18n.ts";
import { mainMenu, showMainMenu } from "../menu.ts";
import { initialSession, type Step } from "../session.ts";
import { ack, button, show } from "../ui.ts";
import { repeatBooking, startBooking } from "./booking/flow.ts";

/** The salon's profile, shown in the welcome and /help. */
const salon = (ctx: BotContext) => businessProfile(ctx.deps.db);

/** Entry points every user sees. */
export const startFeature = new LeanComposer<BotContext>();

// `/start staff_<token>` (a master's invite) is the masters feature's, which comes first.
startFeature.command("start", async (ctx) => {
  ctx.session = initialSession();
  const payload = ctx.match.trim();
  const svc = /^svc_(\d{1,12})$/.exec(payload);
  if (svc) return startBooking(ctx, Number(svc[1]));
  const again = /^again_(\d{1,12})$/.exec(payload);
  if (again) return repeatBooking(ctx, Number(again[1]));
  await showMainMenu(ctx, { greeting: true });
});

startFeature.command("menu", async (ctx) => {
  ctx.session = initialSession();
  await showMainMenu(ctx);
});

startFeature.command("cancel", async (ctx) => {
  if (ctx.session.step === "idle") return showMainMenu(ctx);
  ctx.session = initialSession();
  await ctx.reply(ctx.t("common.dialog_cancelled"), {
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
  profile_name: "common.help_edit",
  profile_phone: "common.help_edit",
  admin_message: "common.help_admin_message",
  feedback_comment: "common.help_feedback",
  admin_input: "common.help_admin",
  master_reason: "common.help_admin",
};

startFeature.command("help", async (ctx) => {
  await ctx.reply(withSalon(ctx.t(HELP_BY_STEP[ctx.session.step]), salon(ctx), ctx.t), {});
});

async function showLanguages(ctx: BotContext): Promise<void> {
  await show(ctx, ctx.t("common.choose_language"), [
    LANGUAGES.map((code) => button(LANGUAGE_INFO[code].button, cb.lang.pack({ code }))),
  ]);
}

startFeature.command("lang", showLanguages);

startFeature.callbackQuery(cb.lang.filter, async (ctx) => {
  const data = cb.lang.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  ctx.deps.services.users.setLanguage(ctx.from.id, data.code);
  ctx.lang = data.code;
  ctx.t = translator(ctx.deps.catalogs, ctx.lang);
  await ack(ctx, ctx.t("common.language_set"));
  await showMainMenu(ctx);
});

// ✖️ of an open dialog; one pressed after its dialog ended is answered by "my bookings".
startFeature.callbackQuery(cb.cancelDialog.filter, async (ctx, next) => {
  const { step, draft } = ctx.session;
  if (step === "idle") return next();
  ctx.session = initialSession();
  await ack(ctx, ctx.t("common.dialog_cancelled"));
  if (step !== "phone") return show(ctx, ctx.t("common.dialog_cancelled"), mainMenu(ctx));
  // The phone step's contact keyboard goes only with a new message: the prompts go, as /cancel.
  for (const id of [draft.phoneAsk, ctx.callbackQuery.message?.message_id]) {
    if (id) await ctx.api.deleteMessage(ctx.chat!.id, id).catch(() => {});
  }
  await ctx.reply(ctx.t("common.dialog_cancelled"), { reply_markup: { remove_keyboard: true } });
  await showMainMenu(ctx, { fresh: true });
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
    case "lang":
      await ack(ctx);
      return showLanguages(ctx);
    default:
      return next();
  }
});

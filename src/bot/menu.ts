/** The main menu every feature can return to. */
import { businessProfile } from "../db/profile_repo.ts";
import { cb } from "../ui/callback_data.ts";
import { withSalon } from "../ui/profile.ts";
import type { BotContext } from "./context.ts";
import { masterCb } from "../ui/master_callbacks.ts";
import { button, type Buttons, show } from "./ui.ts";
import type { Api } from "grammy";
import type { BotDeps } from "../deps.ts";
import { LANGUAGES, translator } from "../ui/i18n.ts";

/** The main menu buttons (with Admin for admins). */
export function mainMenu(ctx: BotContext): Buttons {
  const rows: Buttons = [
    [button(ctx.t("common.menu_book"), cb.menu.pack({ item: "book" }))],
    [button(ctx.t("common.menu_my"), cb.menu.pack({ item: "my" }))],
    [
      button(ctx.t("common.menu_profile"), cb.profile.pack({ field: "show" })),
      button(ctx.t("common.menu_lang"), cb.menu.pack({ item: "lang" })),
    ],
  ];
  if (ctx.from && ctx.deps.services.masters.whoIs(ctx.from.id)) {
    rows.unshift([button(ctx.t("master.menu_day"), masterCb.day.pack({ d: 0 }))]);
  }
  if (ctx.role) rows.push([button(ctx.t("common.menu_admin"), cb.menu.pack({ item: "admin" }))]);
  return rows;
}

/** Shows the main menu (with the greeting after /start, or a notice above it). */
export async function showMainMenu(
  ctx: BotContext,
  options: { greeting?: boolean; notice?: string; fresh?: boolean } = {},
): Promise<void> {
  const text = options.greeting
    ? withSalon(
      ctx.t("common.welcome", { name: ctx.from?.first_name ?? "" }),
      businessProfile(ctx.deps.db),
      ctx.t,
    )
    : ctx.t("common.main_menu");
  const shown = options.notice ? `${options.notice}\n\n${text}` : text;
  await show(ctx, shown, mainMenu(ctx), { fresh: options.fresh });
}

/** The command menu Telegram shows next to the input field, in each language. */
export async function publishCommands(api: Api, deps: BotDeps): Promise<void> {
  for (const lang of LANGUAGES) {
    const t = translator(deps.catalogs, lang);
    const commands = (["start", "book", "my", "lang", "help", "cancel"] as const).map((
      command,
    ) => ({
      command,
      description: t(`common.cmd_${command}`),
    }));
    // The business language is also the default for users whose language has no list of its own.
    const home = lang === (deps.businessLanguage ?? "ru");
    await api.setMyCommands(commands, home ? {} : { language_code: lang });
  }
}

/** The main menu every feature can return to. */
import { businessProfile } from "../db/profile_repo.ts";
import { cb } from "../ui/callback_data.ts";
import { withSalon } from "../ui/profile.ts";
import type { BotContext } from "./context.ts";
import { masterCb } from "../ui/master_callbacks.ts";
import { button, type Buttons, show } from "./ui.ts";

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

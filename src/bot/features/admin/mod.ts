/** /admin: everything for owners, admins and viewers, checked on every press. */
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

/** The admin features; a non-admin never gets past the role check. */
export const adminFeature = new Composer<BotContext>();

adminFeature.command("admin", async (ctx) => {
  if (!ctx.role) {
    await ctx.reply(ctx.t("admin.not_admin"), { parse_mode: "HTML" });
    return;
  }
  await ctx.reply(ctx.t("admin.menu_title"), { parse_mode: "HTML" });
});

/** Server-side role checks for every admin update (callback data is never trusted). */
import type { AdminRole } from "../../../db/admins_repo.ts";
import type { BotContext } from "../../context.ts";

const RANK: Record<AdminRole, number> = { viewer: 1, admin: 2, owner: 3 };

/** True when the sender's current role (read from the database this update) is at least `need`. */
export function hasRole(ctx: BotContext, need: AdminRole): boolean {
  return ctx.role !== undefined && RANK[ctx.role] >= RANK[need];
}

/**
 * Checks the role; when it is missing, answers the user, logs the attempt and returns false.
 * Use at the top of every admin handler: `if (!(await requireRole(ctx, "admin"))) return;`
 */
export async function requireRole(ctx: BotContext, need: AdminRole): Promise<boolean> {
  if (hasRole(ctx, need)) return true;
  ctx.deps.logger.warning("Refused admin action", {
    userId: ctx.from?.id,
    role: ctx.role ?? "none",
    need,
    data: ctx.callbackQuery?.data,
    text: ctx.message?.text?.slice(0, 100),
  });
  const text = !ctx.role
    ? ctx.t("admin.not_admin")
    : need === "owner"
    ? ctx.t("admin.owner_only")
    : ctx.t("admin.read_only");
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true }).catch(() => {});
  else await ctx.reply(text);
  return false;
}

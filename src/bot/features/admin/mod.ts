/**
 * /admin: everything for owners, admins and viewers. Each section is its own composer;
 * every handler checks the sender's role on the server (see access_control.ts).
 */
import { Composer } from "grammy";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { ack, button, type Buttons, menuRow, show } from "../../ui.ts";
import { requireRole } from "./access_control.ts";
import { adminBookings } from "./bookings.ts";
import { adminAccess } from "./access.ts";
import { adminServices } from "./services.ts";
import { adminSchedule } from "./schedule.ts";
import { adminInsight } from "./insight.ts";

/** The admin features. */
export const adminFeature = new Composer<BotContext>();

/** The sections of the admin menu, in order; each maps to a locale key admin.section_<id>. */
export const ADMIN_SECTIONS = [
  "bookings",
  "services",
  "staff",
  "schedule",
  "stats",
  "feedback",
  "audit",
  "admins",
] as const;

/** Shows the admin menu. */
export async function showAdminMenu(ctx: BotContext): Promise<void> {
  const rows: Buttons = [];
  for (let i = 0; i < ADMIN_SECTIONS.length; i += 2) {
    rows.push(
      ADMIN_SECTIONS.slice(i, i + 2).map((section) =>
        button(ctx.t(`admin.section_${section}`), cb.adminSection.pack({ section }))
      ),
    );
  }
  rows.push(menuRow(ctx));
  await show(
    ctx,
    ctx.t("admin.menu_title", { role: ctx.t(`admin.role_${ctx.role ?? "viewer"}`) }),
    rows,
  );
}

adminFeature.command("admin", async (ctx) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  ctx.session.step = "idle";
  ctx.session.admin = undefined;
  await showAdminMenu(ctx);
});

adminFeature.callbackQuery(cb.menu.filter, async (ctx, next) => {
  if (cb.menu.unpack(ctx.callbackQuery.data)?.item !== "admin") return next();
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  ctx.session.step = "idle";
  ctx.session.admin = undefined;
  await showAdminMenu(ctx);
});

adminFeature.callbackQuery(cb.adminSection.filter, async (ctx, next) => {
  if (!(await requireRole(ctx, "viewer"))) return;
  if (cb.adminSection.unpack(ctx.callbackQuery.data)?.section === "menu") {
    await ack(ctx);
    ctx.session.step = "idle";
    ctx.session.admin = undefined;
    return showAdminMenu(ctx);
  }
  return next();
});

adminFeature.use(adminBookings, adminAccess, adminServices, adminSchedule, adminInsight);

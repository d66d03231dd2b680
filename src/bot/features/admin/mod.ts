/**
 * /admin: everything for owners, admins and viewers. The menu and its routing come from one
 * table of sections; the text an admin types is routed by one table of input kinds. Each
 * section is its own composer; every handler checks the sender's role on the server.
 */
import { VERSION } from "../../../version.ts";
import { LeanComposer } from "../../composer.ts";
import { cb } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { ack, button, type Buttons, menuRow, show } from "../../ui.ts";
import { hasRole, requireRole } from "./access_control.ts";
import {
  type AdminSection,
  endInput,
  type InputRoute,
  onButton,
  pendingInput,
  type SectionId,
} from "./kit.ts";
import type { InputKind } from "./input.ts";
import { adminBookings, bookingsInputs, bookingsSection } from "./bookings/index.ts";
import { accessInputs, adminAccess, adminsSection } from "./access.ts";
import { adminServices, servicesInputs, servicesSection } from "./services/index.ts";
import { adminSchedule, scheduleInputs, scheduleSection } from "./schedule/index.ts";
import { staffInputs, staffSection } from "./schedule/staff.ts";
import { adminBackups, backupsSection } from "./backups/index.ts";
import { adminStats, statsInputs, statsSection } from "./stats/index.ts";
import { adminFeedback, feedbackInputs, feedbackSection } from "./feedback.ts";
import { adminAudit, auditInputs, auditSection } from "./audit.ts";
import { adminProfile, offerSetup, profileInputs, profileSection } from "./profile/index.ts";
import { profileCb } from "./profile/views.ts";
import { adminClients, clientsInputs, clientsSection } from "./clients/index.ts";
import { adminDeposits, depositsInputs, depositsSection } from "./deposits.ts";

/** The admin features. */
export const adminFeature = new LeanComposer<BotContext>();

/** The menu, in order (two to a row); a section not yet in SECTIONS routes itself. */
const MENU: SectionId[] = [
  "bookings",
  "clients",
  "services",
  "staff",
  "schedule",
  "stats",
  "feedback",
  "audit",
  "admins",
  "backups",
  "profile",
  "deposits",
];

/** The sections opened through the table. */
const SECTIONS: AdminSection[] = [
  bookingsSection,
  clientsSection,
  servicesSection,
  staffSection,
  scheduleSection,
  statsSection,
  feedbackSection,
  auditSection,
  adminsSection,
  backupsSection,
  profileSection,
  depositsSection,
];

/** Every admin text dialog: kind → role and handler. */
const INPUTS: Partial<{ [K in InputKind]: InputRoute<K> }> = {
  ...accessInputs,
  ...bookingsInputs,
  ...servicesInputs,
  ...staffInputs,
  ...scheduleInputs,
  ...statsInputs,
  ...feedbackInputs,
  ...auditInputs,
  ...profileInputs,
  ...clientsInputs,
  ...depositsInputs,
};

/** Shows the admin menu. */
export async function showAdminMenu(ctx: BotContext): Promise<void> {
  const rows: Buttons = [];
  // A section the sender's role cannot open has no button.
  const menu = MENU.filter((id) => {
    const section = SECTIONS.find((s) => s.id === id);
    if (section?.shown && !section.shown(ctx)) return false;
    return section === undefined || hasRole(ctx, section.need);
  });
  for (let i = 0; i < menu.length; i += 2) {
    rows.push(
      menu.slice(i, i + 2).map((section) =>
        button(ctx.t(`admin.section_${section}`), cb.adminSection.pack({ section }))
      ),
    );
  }
  rows.push(menuRow(ctx));
  await show(
    ctx,
    [
      ctx.t("admin.menu_title", { role: ctx.t(`admin.role_${ctx.role ?? "viewer"}`) }),
      ctx.t("admin.about", { version: VERSION }),
    ].join("\n"),
    rows,
  );
}

async function openMenu(ctx: BotContext): Promise<void> {
  if (!(await requireRole(ctx, "viewer"))) return;
  await ack(ctx);
  endInput(ctx);
  ctx.session.step = "idle";
  if (await offerSetup(ctx)) return;
  await showAdminMenu(ctx);
}

// The first-run setup ends (finished or skipped) in the menu.
onButton(adminFeature, profileCb.end, "owner", async (ctx, { skip }) => {
  ctx.deps.services.profile.finishSetup(ctx.from!.id, skip === 1);
  await showAdminMenu(ctx);
});

adminFeature.command("admin", openMenu);

adminFeature.callbackQuery(cb.menu.filter, async (ctx, next) => {
  if (cb.menu.unpack(ctx.callbackQuery.data)?.item !== "admin") return next();
  await openMenu(ctx);
});

adminFeature.callbackQuery(cb.adminSection.filter, async (ctx, next) => {
  const id = cb.adminSection.unpack(ctx.callbackQuery.data)?.section;
  if (id === "menu") return openMenu(ctx);
  const section = SECTIONS.find((s) => s.id === id);
  if (!section) return next();
  if (!(await requireRole(ctx, section.need))) return;
  await ack(ctx);
  endInput(ctx);
  await section.open(ctx);
});

// The one text router of the admin dialogs: commands always pass, so /cancel and /admin work.
adminFeature.on("message:text", async (ctx, next) => {
  const input = pendingInput(ctx);
  if (!input || ctx.message.text.startsWith("/")) return next();
  const route = INPUTS[input.kind] as InputRoute<typeof input.kind> | undefined;
  if (!route) return next();
  if (!(await requireRole(ctx, route.need))) return endInput(ctx);
  await route.handle(ctx, input, ctx.message.text.trim());
});

adminFeature.use(adminBookings, adminAccess, adminServices, adminSchedule, adminStats);
adminFeature.use(adminFeedback, adminAudit, adminBackups, adminProfile, adminClients);
adminFeature.use(adminDeposits);

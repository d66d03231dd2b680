/**
 * Admin section "admins": everyone with a role sees the list; only owners add admins by
 * Telegram id, change roles (admin / viewer) and remove them. Owners come from ADMIN_IDS
 * and cannot be changed from the bot.
 */
import { LeanComposer } from "../../composer.ts";
import { z } from "zod";
import { type Admin, type AdminRole, getAdminRole, listAdmins } from "../../../db/admins_repo.ts";
import { getUser } from "../../../db/users_repo.ts";
import {
  AdminAccessError,
  type GrantableRole,
  grantRole,
  parseTelegramId,
  revokeAdmin,
} from "../../../services/admin_access.ts";
import { cb, codec } from "../../../ui/callback_data.ts";
import type { BotContext } from "../../context.ts";
import { formatDate, personName } from "../../../ui/format.ts";
import { sendToUser } from "../../notify.ts";
import { button, type Buttons, show } from "../../ui.ts";
import { hasRole } from "./access_control.ts";
import type { AccessInput } from "./input.ts";
import {
  type AdminSection,
  awaitInput,
  endInput,
  type InputRoutes,
  onButton,
  withNotice,
} from "./kit.ts";

/** The composer of the admin access section. */
export const adminAccess = new LeanComposer<BotContext>();

const int = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const grantable = z.enum(["admin", "viewer"]);

/** The buttons of this section (prefix "aa"). */
export const aaCb = {
  /** One admin's details with the role buttons. */
  detail: codec("aav", { uid: int }),
  /** Ask for the Telegram id of a new admin. */
  addAsk: codec("aaa", {}),
  /** Give a user the role admin or viewer (adds them when new). */
  grant: codec("aar", { uid: int, role: grantable }),
  /** Ask to remove an admin. */
  removeAsk: codec("aad", { uid: int }),
  /** Remove an admin. */
  removeDo: codec("aadd", { uid: int }),
} as const;

const ROLE_ICON: Record<AdminRole, string> = { owner: "👑", admin: "🛠", viewer: "👁" };

/** "Anna Petrova (@anna)" of a user, or "user 123" when the bot has never seen them. */
function displayName(ctx: BotContext, userId: number): string {
  return personName(getUser(ctx.deps.db, userId)) ??
    ctx.t("admin_access.unknown_user", { id: userId });
}

function roleName(ctx: BotContext, role: AdminRole): string {
  return ctx.t(`admin.role_${role}`);
}

function backRow(ctx: BotContext) {
  return [button(ctx.t("admin_access.btn_back_list"), cb.adminSection.pack({ section: "admins" }))];
}

function adminLine(ctx: BotContext, a: Admin): string {
  return ctx.t("admin_access.line", {
    icon: ROLE_ICON[a.role],
    name: displayName(ctx, a.userId),
    role: roleName(ctx, a.role),
    id: a.userId,
  });
}

/** The list of admins; owners also get the buttons to manage them. */
async function showAdmins(ctx: BotContext, notice?: string): Promise<void> {
  const admins = listAdmins(ctx.deps.db);
  const owner = hasRole(ctx, "owner");
  const text = [
    ctx.t("admin_access.title", { count: admins.length }),
    admins.map((a) => adminLine(ctx, a)).join("\n"),
    ctx.t(owner ? "admin_access.owner_note" : "admin_access.view_only_note"),
  ].join("\n\n");
  const rows: Buttons = [];
  if (owner) {
    for (const a of admins) {
      rows.push([
        button(
          `${ROLE_ICON[a.role]} ${displayName(ctx, a.userId)}`,
          aaCb.detail.pack({ uid: a.userId }),
        ),
      ]);
    }
    rows.push([button(ctx.t("admin_access.btn_add"), aaCb.addAsk.pack({}))]);
  }
  rows.push([button(ctx.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))]);
  await show(ctx, withNotice(notice, text), rows);
}

/** One admin with the buttons to change the role or remove them (owners are locked). */
async function showDetail(ctx: BotContext, userId: number, notice?: string): Promise<void> {
  const admin = listAdmins(ctx.deps.db).find((a) => a.userId === userId);
  if (!admin) return showAdmins(ctx, ctx.t("admin_access.error_not_admin"));
  const lines = [
    ctx.t("admin_access.detail", {
      name: displayName(ctx, userId),
      id: userId,
      role: roleName(ctx, admin.role),
      added: formatDate(admin.addedAt, ctx.lang, ctx.config.timeZone),
    }),
  ];
  if (admin.addedBy !== null) {
    lines.push(ctx.t("admin_access.detail_added_by", { name: displayName(ctx, admin.addedBy) }));
  }
  const rows: Buttons = [];
  if (admin.role === "owner") {
    lines.push("", ctx.t("admin_access.owner_locked_note"));
  } else {
    const other: GrantableRole = admin.role === "admin" ? "viewer" : "admin";
    rows.push([
      button(
        ctx.t(`admin_access.btn_make_${other}`),
        aaCb.grant.pack({ uid: userId, role: other }),
      ),
    ]);
    rows.push([button(ctx.t("admin_access.btn_remove"), aaCb.removeAsk.pack({ uid: userId }))]);
  }
  rows.push(backRow(ctx));
  const text = lines.join("\n");
  await show(ctx, withNotice(notice, text), rows);
}

/** Explains a refused change and shows the list again. */
async function refused(ctx: BotContext, error: unknown): Promise<void> {
  if (!(error instanceof AdminAccessError)) throw error;
  ctx.deps.logger.warning("Refused admin access change", {
    userId: ctx.from?.id,
    code: error.code,
  });
  await showAdmins(ctx, ctx.t(`admin_access.error_${error.code}`));
}

/** Tells a user (only one who has talked to the bot) about their new role or its removal. */
async function tellUser(
  ctx: BotContext,
  userId: number,
  role: AdminRole | undefined,
): Promise<void> {
  if (!getUser(ctx.deps.db, userId)) return;
  await sendToUser(
    ctx.api,
    ctx.deps,
    userId,
    (t) =>
      role
        ? t("admin_access.granted_notice", { role: t(`admin.role_${role}`) })
        : t("admin_access.revoked_notice"),
  );
}

/** The admins section of the admin menu: everyone with a role sees the list. */
export const adminsSection: AdminSection = {
  id: "admins",
  need: "viewer",
  open: (ctx) => showAdmins(ctx),
};

onButton(adminAccess, aaCb.detail, "owner", async (ctx, { uid }) => {
  endInput(ctx);
  await showDetail(ctx, uid);
});

onButton(adminAccess, aaCb.addAsk, "owner", async (ctx) => {
  awaitInput(ctx, { kind: "aa_add_id" });
  await show(ctx, ctx.t("admin_access.ask_id"), [backRow(ctx)]);
});

onButton(adminAccess, aaCb.grant, "owner", async (ctx, { uid, role }) => {
  endInput(ctx);
  let change;
  try {
    change = grantRole(ctx.deps.db, ctx.from!.id, uid, role, ctx.deps.clock.now());
  } catch (error) {
    return refused(ctx, error);
  }
  const name = displayName(ctx, uid);
  if (change.oldRole === change.newRole) {
    return showDetail(
      ctx,
      uid,
      ctx.t("admin_access.same_role", { name, role: roleName(ctx, role) }),
    );
  }
  ctx.deps.logger.info("Admin role granted", {
    by: ctx.from!.id,
    userId: uid,
    from: change.oldRole,
    to: role,
  });
  await tellUser(ctx, uid, role);
  const notice = change.oldRole === undefined
    ? ctx.t("admin_access.added", { name, role: roleName(ctx, role) })
    : ctx.t("admin_access.role_changed", {
      name,
      old: roleName(ctx, change.oldRole),
      new: roleName(ctx, role),
    });
  await showAdmins(ctx, notice);
});

onButton(adminAccess, aaCb.removeAsk, "owner", async (ctx, { uid }) => {
  endInput(ctx);
  const role = getAdminRole(ctx.deps.db, uid);
  if (role === undefined) return showAdmins(ctx, ctx.t("admin_access.error_not_admin"));
  if (role === "owner") return showDetail(ctx, uid, ctx.t("admin_access.error_owner_locked"));
  await show(ctx, ctx.t("admin_access.remove_ask", { name: displayName(ctx, uid), id: uid }), [
    [button(ctx.t("admin_access.btn_remove_yes"), aaCb.removeDo.pack({ uid }))],
    [button(ctx.t("admin_access.btn_no"), aaCb.detail.pack({ uid }))],
  ]);
});

onButton(adminAccess, aaCb.removeDo, "owner", async (ctx, { uid }) => {
  let change;
  try {
    change = revokeAdmin(ctx.deps.db, ctx.from!.id, uid, ctx.deps.clock.now());
  } catch (error) {
    return refused(ctx, error);
  }
  ctx.deps.logger.info("Admin removed", { by: ctx.from!.id, userId: uid, role: change.oldRole });
  await tellUser(ctx, uid, undefined);
  await showAdmins(ctx, ctx.t("admin_access.removed", { name: displayName(ctx, uid) }));
});

/** The admins section's text dialogs: the Telegram id of a new admin. */
export const accessInputs: InputRoutes<AccessInput["kind"]> = {
  aa_add_id: { need: "owner", handle: (ctx, _input, text) => addAdminById(ctx, text) },
};

/** Reads a Telegram id and offers the roles for it (or shows the admin it already is). */
async function addAdminById(ctx: BotContext, text: string): Promise<void> {
  const userId = parseTelegramId(text);
  if (userId === undefined) {
    await ctx.reply(ctx.t("admin_access.bad_id"));
    return;
  }
  endInput(ctx);
  const role = getAdminRole(ctx.deps.db, userId);
  const name = displayName(ctx, userId);
  if (role !== undefined) {
    return showDetail(
      ctx,
      userId,
      ctx.t("admin_access.already_admin", { name, role: roleName(ctx, role) }),
    );
  }
  await show(ctx, ctx.t("admin_access.choose_role", { name, id: userId }), [
    [button(ctx.t("admin_access.btn_role_admin"), aaCb.grant.pack({ uid: userId, role: "admin" }))],
    [button(
      ctx.t("admin_access.btn_role_viewer"),
      aaCb.grant.pack({ uid: userId, role: "viewer" }),
    )],
    backRow(ctx),
  ]);
}

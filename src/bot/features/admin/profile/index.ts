/**
 * Admin section "profile" (owners): the salon's name, address, phone, map link and hours note
 * that clients see; and the first-run setup an owner of a new install is walked through.
 */
import { LeanComposer } from "../../../composer.ts";
import { setupState } from "../../../../db/profile_repo.ts";
import { scoped } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import type { ProfileInput } from "../input.ts";
import {
  type AdminSection,
  awaitInput,
  backToAdminRow,
  backToSectionRow,
  endInput,
  type InputRoutes,
  onButton,
  onScreen,
  withNotice,
} from "../kit.ts";
import { firstOpenStep, profileCb, profileView, setupView } from "./views.ts";
import { PROFILE_LIMITS } from "../../../../services/profile_service.ts";

/** The composer of the profile section and the setup. */
export const adminProfile = new LeanComposer<BotContext>();

async function showProfile(ctx: BotContext, notice?: string): Promise<void> {
  const { text, buttons } = profileView(ctx.deps.services.profile.get(), ctx.t);
  await show(ctx, withNotice(notice, text), [...buttons, backToAdminRow(ctx)]);
}

onButton(adminProfile, profileCb.edit, "owner", async (ctx, { f }) => {
  awaitInput(ctx, { kind: "ap_field", f });
  await show(ctx, ctx.t(`admin_profile.ask_${f}`), [backToSectionRow(ctx, "profile")]);
});

/** The menu entry. */
export const profileSection: AdminSection = {
  id: "profile",
  need: "owner",
  open: (ctx) => showProfile(ctx),
};

/** The typed value of a field: stored, or refused with the reason (the input stays open). */
export const profileInputs: InputRoutes<ProfileInput["kind"]> = {
  ap_field: {
    need: "owner",
    async handle(ctx, { f }, text) {
      const t = scoped(ctx.t, "admin_profile");
      const result = ctx.deps.services.profile.update(f, text === "-" ? "" : text, ctx.from!.id);
      if (!result.ok) {
        await ctx.reply(t(`problem_${result.problem}`, { max: PROFILE_LIMITS[f] }));
        return;
      }
      endInput(ctx);
      await showProfile(ctx, t(result.changed ? "saved" : "unchanged"));
    },
  },
};

/**
 * Shows the first-run setup instead of the menu when an owner opens /admin on an install
 * without working hours or services (or once it was started this way), until it is finished
 * or skipped; true when shown. An install that already works never sees it.
 */
export async function offerSetup(ctx: BotContext): Promise<boolean> {
  const profile = ctx.deps.services.profile;
  if (ctx.role !== "owner" || profile.setupDone()) return false;
  const state = setupState(ctx.deps.db);
  if (state.hours && state.service && !profile.setupStarted()) return false;
  profile.startSetup(ctx.from!.id);
  endInput(ctx);
  const { text, buttons } = setupView(firstOpenStep(state), state, ctx.t);
  await show(ctx, text, buttons);
  return true;
}

onScreen(adminProfile, profileCb.step, "owner", async (ctx, { s }) => {
  const { text, buttons } = setupView(Math.min(Math.max(s, 1), 4), setupState(ctx.deps.db), ctx.t);
  await show(ctx, text, buttons);
});

/**
 * Admin section "services": the catalogue list (all or only active, with bookings counts),
 * a step-by-step creation dialog, a field editor, soft delete and restore. Viewers see
 * everything; only admins change anything (checked on every update).
 */
import { Composer } from "grammy";
import type { BotContext } from "../../../context.ts";
import type { ServicesInput } from "../input.ts";
import { type AdminSection, endInput, type InputRoutes, onButton } from "../kit.ts";
import { servicesCb } from "./codecs.ts";
import { creationInputs, serviceCreation } from "./create.ts";
import { editorInputs, serviceEditor } from "./edit.ts";
import { showServiceCard, showServiceList } from "./screens.ts";

/** The composer of the services section. */
export const adminServices = new Composer<BotContext>();

/** The services section of the admin menu: everyone with a role sees the list. */
export const servicesSection: AdminSection = {
  id: "services",
  need: "viewer",
  open: (ctx) => showServiceList(ctx, "all", 0),
};

/** The services section's text dialogs: creation and the field editor. */
export const servicesInputs: InputRoutes<ServicesInput["kind"]> = {
  ...creationInputs,
  ...editorInputs,
};

onButton(adminServices, servicesCb.list, "viewer", async (ctx, { f, p }) => {
  endInput(ctx);
  await showServiceList(ctx, f, p);
});

onButton(adminServices, servicesCb.view, "viewer", async (ctx, { id }) => {
  endInput(ctx);
  await showServiceCard(ctx, id);
});

adminServices.use(serviceCreation, serviceEditor);

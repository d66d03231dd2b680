/**
 * Admin section "services": the catalogue list (all or only active, with bookings counts),
 * a step-by-step creation dialog, a field editor, soft delete and restore. Viewers see
 * everything; only admins change anything (checked on every update).
 */
import { LeanComposer } from "../../../composer.ts";
import type { BotContext } from "../../../context.ts";
import type { ServicesInput } from "../input.ts";
import { type AdminSection, type InputRoutes, onScreen } from "../kit.ts";
import { servicesCb } from "./codecs.ts";
import { creationInputs, serviceCreation } from "./create.ts";
import { editorInputs, serviceEditor } from "./edit.ts";
import { mastersInputs, serviceMasters } from "./masters.ts";
import { showServiceCard, showServiceList } from "./screens.ts";

/** The composer of the services section. */
export const adminServices = new LeanComposer<BotContext>();

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
  ...mastersInputs,
};

onScreen(adminServices, servicesCb.list, "viewer", (ctx, { f, p }) => showServiceList(ctx, f, p));
onScreen(adminServices, servicesCb.view, "viewer", (ctx, { id }) => showServiceCard(ctx, id));

adminServices.use(serviceCreation, serviceEditor, serviceMasters);

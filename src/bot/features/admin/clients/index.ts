/**
 * Admin section "clients" (role "viewer"; notes and bookings need "admin"): find a client by
 * name, phone or @username, open their card (history figures, private notes), write a note,
 * and book on the client's behalf through the booking engine.
 */
import { LeanComposer } from "../../../composer.ts";
import {
  clientFigures,
  getClient,
  listClientNotes,
  searchClients,
} from "../../../../db/clients_repo.ts";
import { MAX_NOTE } from "../../../../services/client_notes.ts";
import { shorten } from "../../../../ui/format.ts";
import { scoped } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { button, show } from "../../../ui.ts";
import { hasRole } from "../access_control.ts";
import type { ClientsInput } from "../input.ts";
import type { AdminSection, InputRoutes } from "../kit.ts";
import {
  awaitInput,
  backToAdminRow,
  backToSectionRow,
  endInput,
  onButton,
  onScreen,
  withNotice,
} from "../kit.ts";
import { bookForClient } from "./book.ts";
import { acCb } from "./codecs.ts";
import { clientCardView, hitRows } from "./views.ts";

/** The composer of the clients section. */
export const adminClients = new LeanComposer<BotContext>();

/** How many clients a search or the first screen lists. */
const LIST_SIZE = 8;

/** A client's card (with a notice above it), or the section when the client is unknown. */
export async function showClientCard(ctx: BotContext, uid: number, notice?: string) {
  const client = getClient(ctx.deps.db, uid);
  if (!client) return openClients(ctx);
  const { text, buttons } = clientCardView({
    client,
    figures: clientFigures(ctx.deps.db, uid, ctx.deps.clock.now()),
    notes: listClientNotes(ctx.deps.db, uid),
    lang: ctx.lang,
    timeZone: ctx.config.timeZone,
    canWrite: hasRole(ctx, "admin"),
  }, ctx.t);
  await show(ctx, withNotice(notice, text), [
    ...buttons,
    backToSectionRow(ctx, "clients"),
    backToAdminRow(ctx),
  ]);
}

/** The first screen: the clients who book most, and a typed search is awaited. */
async function openClients(ctx: BotContext): Promise<void> {
  const c = scoped(ctx.t, "admin_clients");
  const top = searchClients(ctx.deps.db, "", LIST_SIZE).filter((h) => h.bookings > 0);
  awaitInput(ctx, { kind: "ac_search" });
  const text = [c("title"), c(top.length ? "top" : "no_clients"), "", c("ask_query")];
  await show(ctx, text.join("\n"), [...hitRows(top, ctx.t), backToAdminRow(ctx)]);
}

/** The clients matching a typed query (the search stays open for another try). */
async function showSearch(ctx: BotContext, query: string): Promise<void> {
  const c = scoped(ctx.t, "admin_clients");
  const hits = searchClients(ctx.deps.db, query, LIST_SIZE);
  // The query is echoed back: a pasted essay must not make the answer too long to send.
  const shown = shorten(query, 100);
  const head = hits.length
    ? c("found", { query: shown, n: hits.length })
    : c("not_found", { query: shown });
  await show(ctx, [head, "", c("ask_query")].join("\n"), [
    ...hitRows(hits, ctx.t),
    backToSectionRow(ctx, "clients"),
  ]);
}

/** Stores a typed note, or asks again with the reason it was refused. */
async function saveNote(ctx: BotContext, uid: number, text: string): Promise<void> {
  const c = scoped(ctx.t, "admin_clients");
  const saved = ctx.deps.services.clientNotes.add(uid, text, ctx.from!.id);
  if (!saved.ok) {
    await ctx.reply(
      c(saved.problem === "empty" ? "note_empty" : "note_too_long", { max: MAX_NOTE }),
    );
    return;
  }
  endInput(ctx);
  await showClientCard(ctx, uid, c("note_saved"));
}

onScreen(adminClients, acCb.card, "viewer", (ctx, { uid }) => showClientCard(ctx, uid));
onScreen(adminClients, acCb.search, "viewer", (ctx) => openClients(ctx));
onButton(adminClients, acCb.note, "admin", async (ctx, { uid }) => {
  const client = getClient(ctx.deps.db, uid);
  if (!client) return openClients(ctx);
  awaitInput(ctx, { kind: "ac_note", uid });
  await show(ctx, ctx.t("admin_clients.ask_note", { name: client.name || String(uid) }), [
    [button(ctx.t("common.back_button"), acCb.card.pack({ uid }))],
  ]);
});
bookForClient(adminClients, showClientCard);

/** The menu entry. */
export const clientsSection: AdminSection = {
  id: "clients",
  need: "viewer",
  open: openClients,
};

/** What the typed text of this section means. */
export const clientsInputs: InputRoutes<ClientsInput["kind"]> = {
  ac_search: { need: "viewer", handle: (ctx, _input, text) => showSearch(ctx, text) },
  ac_note: { need: "admin", handle: (ctx, input, text) => saveNote(ctx, input.uid, text) },
};

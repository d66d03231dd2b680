/** The screens of the clients section as pure functions of plain data (testable without Telegram). */
import type { ClientFigures, ClientHit, ClientNote } from "../../../../db/clients_repo.ts";
import type { Screen } from "../../../../ui/buttons.ts";
import { button } from "../../../../ui/buttons.ts";
import { formatNumber, formatPrice, formatWhen } from "../../../../ui/format.ts";
import { escapeHtml, type Lang, scoped, type Translate } from "../../../../ui/i18n.ts";
import { abCb } from "../bookings/codecs.ts";
import { acCb } from "./codecs.ts";
import { noteLines } from "../../../../ui/client_notes.ts";

/** What the card needs besides the translator. */
export interface ClientCardModel {
  client: ClientHit;
  figures: ClientFigures;
  notes: ClientNote[];
  lang: Lang;
  timeZone: string;
  /** The viewer may write (notes, bookings). */
  canWrite: boolean;
}

/** The button label of a found client. */
export function hitLabel(h: ClientHit, t: Translate): string {
  return scoped(t, "admin_clients")("hit", {
    name: h.name || String(h.id),
    phone: h.phone ?? "—",
    n: h.bookings,
  });
}

/** The client's buttons, one to a row. */
export function hitRows(hits: ClientHit[], t: Translate) {
  return hits.map((h) => [button(hitLabel(h, t), acCb.card.pack({ uid: h.id }))]);
}

function figureLines(m: ClientCardModel, t: Translate): string[] {
  const c = scoped(t, "admin_clients");
  const f = m.figures;
  const when = (at: number) => formatWhen(at, m.lang, m.timeZone);
  const lines = [c("card_counts", { visits: f.visits, cancels: f.cancels, noShows: f.noShows })];
  if (f.upcoming > 0) lines.push(c("card_upcoming", { n: f.upcoming }));
  lines.push(c("card_spent", { amount: formatPrice(f.spentMinor, m.lang) }));
  if (f.firstVisit !== null && f.lastVisit !== null) {
    lines.push(c("card_visits_span", { first: when(f.firstVisit), last: when(f.lastVisit) }));
  } else lines.push(c("card_no_visits"));
  if (f.favouriteService) lines.push(c("card_fav_service", { name: f.favouriteService }));
  if (f.favouriteMaster) lines.push(c("card_fav_master", { name: f.favouriteMaster }));
  lines.push(
    f.feedbackCount > 0
      ? c("card_feedback", { n: f.feedbackCount, avg: formatNumber(f.averageRating ?? 0, m.lang) })
      : c("card_no_feedback"),
  );
  return lines;
}

/** A client's card: who, the figures of their history, the private notes, what to do. */
export function clientCardView(m: ClientCardModel, t: Translate): Screen {
  const c = scoped(t, "admin_clients");
  const { client } = m;
  const username = client.username ? ` · @${escapeHtml(client.username)}` : "";
  const text = [
    c("card_title", { name: client.name || String(client.id) }),
    c("card_contact", { phone: client.phone ?? "—", usernameHtml: username, id: client.id }),
    "",
    ...figureLines(m, t),
    "",
    ...noteLines(m.notes, t, m.lang, m.timeZone),
  ].join("\n");
  const buttons = [];
  if (m.canWrite) {
    buttons.push([
      button(c("btn_book"), acCb.book.pack({ uid: client.id })),
      button(c("btn_note"), acCb.note.pack({ uid: client.id })),
    ]);
  }
  buttons.push([button(c("btn_history"), abCb.history.pack({ uid: client.id, page: 0 }))]);
  return { text, buttons };
}

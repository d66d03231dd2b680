/** Admins' private notes about a client as lines of a card (admins and the client's master). */
import type { ClientNote } from "../db/clients_repo.ts";
import { formatWhen } from "./format.ts";
import { type Lang, scoped, type Translate } from "./i18n.ts";

/** "Notes:" and one line per note (who, when, what), or the line saying there are none. */
export function noteLines(
  notes: readonly ClientNote[],
  t: Translate,
  lang: Lang,
  timeZone: string,
): string[] {
  const c = scoped(t, "admin_clients");
  if (notes.length === 0) return [c("no_notes")];
  return [
    c("notes_title"),
    ...notes.map((n) =>
      c("note_line", {
        when: formatWhen(n.createdAt, lang, timeZone),
        author: n.authorName ?? c("author_unknown"),
        text: n.text,
      })
    ),
  ];
}

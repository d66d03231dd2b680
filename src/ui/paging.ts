/** Lists split into pages: one clamp rule, one pager row, one "page N of M" text. */
import type { InlineKeyboardButton } from "grammy/types";
import { button } from "./buttons.ts";
import type { Translate } from "./i18n.ts";

/** One page of a list of `total` items. */
export interface Page {
  /** The page shown, 0-based, clamped to the pages that exist. */
  page: number;
  /** How many pages there are (at least 1, even for an empty list). */
  pages: number;
  /** Index of the first item on this page. */
  offset: number;
  /** Items per page. */
  size: number;
}

/** The page `page` of `total` items, `size` a page; a page past the end shows the last one. */
export function paginate(total: number, page: number, size: number): Page {
  const pages = Math.max(1, Math.ceil(total / size));
  const shown = Math.min(Math.max(0, Math.trunc(page) || 0), pages - 1);
  return { page: shown, pages, offset: shown * size, size };
}

/** "Page 2 of 5", or "" when everything fits on one page. */
export function pageInfo(t: Translate, p: Page): string {
  return p.pages > 1 ? t("common.page", { page: p.page + 1, pages: p.pages }) : "";
}

/** Labels of the pager's buttons, by the (0-based) page each opens; default ◀️ and ▶️. */
export interface PagerLabels {
  prev(page: number): string;
  next(page: number): string;
}

const ARROWS: PagerLabels = { prev: () => "◀️", next: () => "▶️" };

/** The ◀️ / ▶️ row for a page (empty when there is one page); `pack` encodes a page's button. */
export function pagerRow(
  p: Page,
  pack: (page: number) => string,
  labels: PagerLabels = ARROWS,
): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  if (p.page > 0) row.push(button(labels.prev(p.page - 1), pack(p.page - 1)));
  if (p.page < p.pages - 1) row.push(button(labels.next(p.page + 1), pack(p.page + 1)));
  return row;
}

/**
 * The Backups screens as pure functions of what they show: the list (time in the business
 * zone, size, schema version, verdict; a restore button only for a backup that can be
 * restored) and the confirmation of a restore. Buttons and their handlers share the codecs.
 */
import { z } from "zod";
import type { BackupInfo } from "../../../../ops/backup.ts";
import { button, type Buttons } from "../../../../ui/buttons.ts";
import { cb, codec } from "../../../../ui/callback_data.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import { formatBytes, formatWhen } from "../../../../ui/format.ts";
import { type Lang, scoped, type Translate } from "../../../../ui/i18n.ts";
import { pageInfo, pagerRow, paginate } from "../../../../ui/paging.ts";

const int = z.coerce.number().int().nonnegative().max(10_000);
const flag = z.coerce.number().int().min(0).max(1);
const backupName = z.string().regex(/^booking-\d{8}T\d{6}Z(?:-\d{1,4})?\.db$/);

/** The buttons of this section (prefix "ak"). */
export const akCb = {
  /** A page of the list. */
  list: codec("akl", { page: int }),
  /** Back up now. */
  now: codec("akn", {}),
  /**
   * Restore a backup: ok 0 asks, 1 restores; `page` is the list page to go back to; `gen` the
   * number of restores made when it was asked (a confirmation from before a restore is stale).
   */
  restore: codec("akr", { name: backupName, page: int, ok: flag, gen: int }),
} as const;

/** Backups on one page of the list. */
export const PAGE_SIZE = 8;

/** What the list shows. */
export interface BackupsView {
  backups: BackupInfo[];
  page: number;
  /** The newest schema version this program knows. */
  known: number;
  lang: Lang;
  timeZone: string;
  notice?: string;
}

/** A screen: its text and buttons. */
export interface Screen {
  text: string;
  buttons: Buttons;
}

/** When a backup was taken, in the business zone and the reader's format. */
export function takenWhen(b: BackupInfo, lang: Lang, timeZone: string): string {
  return formatWhen(b.takenAt, lang, timeZone);
}

function verdict(b: BackupInfo, known: number, t: Translate): string {
  const s = scoped(t, "admin_backups");
  if (b.ok) return s("verdict_ok");
  return b.state === "too-new" ? s("verdict_too_new", { known }) : s("verdict_damaged");
}

/** The list of backups, a page at a time, with "back up now" and the way back. */
export function backupsScreen(v: BackupsView, t: Translate): Screen {
  const s = scoped(t, "admin_backups");
  const p = paginate(v.backups.length, v.page, PAGE_SIZE);
  const shown = v.backups.slice(p.offset, p.offset + p.size);
  const lines = shown.map((b, i) =>
    s("line", {
      n: p.offset + i + 1,
      when: takenWhen(b, v.lang, v.timeZone),
      size: formatBytes(b.size, v.lang),
      version: b.schemaVersion ?? "?",
      verdict: verdict(b, v.known, t),
    })
  );
  const parts = [s("title", { count: v.backups.length }), pageInfo(t, p)];
  parts.push(lines.length ? lines.join("\n") : s("empty"));
  if (shown.some((b) => b.ok)) parts.push(s("hint", { zone: v.timeZone }));
  const text = parts.filter(Boolean).join("\n\n");
  const buttons: Buttons = shown.filter((b) => b.ok).map((b) => [
    button(
      s("btn_restore", { when: takenWhen(b, v.lang, v.timeZone) }),
      akCb.restore.pack({ name: b.name, page: p.page, ok: 0, gen: 0 }),
    ),
  ]);
  const pager = pagerRow(p, (page) => akCb.list.pack({ page }));
  if (pager.length) buttons.push(pager);
  buttons.push([button(s("btn_backup_now"), akCb.now.pack({}))]);
  buttons.push([button(t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))]);
  return { text: v.notice ? `${v.notice}\n\n${text}` : text, buttons };
}

/** "Restore from the backup of …?" with the action above the way back. */
export function restoreAskScreen(
  b: BackupInfo,
  at: { page: number; gen: number },
  lang: Lang,
  timeZone: string,
  t: Translate,
): Screen {
  const s = scoped(t, "admin_backups");
  const { page, gen } = at;
  return {
    text: s("restore_ask", { when: takenWhen(b, lang, timeZone) }),
    buttons: confirmRows(
      { text: s("btn_restore_yes"), data: akCb.restore.pack({ name: b.name, page, ok: 1, gen }) },
      { text: s("btn_no"), data: akCb.list.pack({ page }) },
    ),
  };
}

/**
 * Admin section "Backups" (owners only): the list of backups with their verdicts, "back up
 * now", and restoring a chosen one after a confirmation while the bot keeps running. The
 * restore itself (pause, backup of the current data, swap, reopen, resume) is LiveBackups in
 * ops/, reached through deps; this file only shows screens and starts it.
 */
import { LeanComposer } from "../../../composer.ts";
import { knownSchemaVersion } from "../../../../ops/backup.ts";
import {
  type LiveBackups,
  LiveRestoreError,
  type LiveRestoreResult,
} from "../../../../ops/live_restore.ts";
import { formatBytes } from "../../../../ui/format.ts";
import { scoped } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import { type AdminSection, onButton } from "../kit.ts";
import { akCb, backupsScreen, restoreAskScreen, takenWhen } from "./views.ts";

/** The composer of the Backups section. */
export const adminBackups = new LeanComposer<BotContext>();

function desk(ctx: BotContext): LiveBackups {
  const backups = ctx.deps.backups;
  if (!backups) throw new Error("Backups are not available in this process");
  return backups;
}

/** Shows a page of the list, optionally under a notice; `fresh` sends a new message. */
async function showList(
  ctx: BotContext,
  page = 0,
  notice?: string,
  fresh = false,
): Promise<void> {
  const screen = backupsScreen({
    backups: desk(ctx).list(),
    page,
    known: knownSchemaVersion(),
    lang: ctx.lang,
    timeZone: ctx.config.timeZone,
    notice,
  }, ctx.t);
  await show(ctx, screen.text, screen.buttons, { fresh });
}

/** The Backups entry of the admin menu: owners only. */
export const backupsSection: AdminSection = {
  id: "backups",
  need: "owner",
  open: (ctx) => showList(ctx),
};

onButton(adminBackups, akCb.list, "owner", (ctx, { page }) => showList(ctx, page));

onButton(adminBackups, akCb.now, "owner", async (ctx) => {
  const s = scoped(ctx.t, "admin_backups");
  let notice: string;
  try {
    const made = await desk(ctx).backUpNow(ctx.from!.id);
    const when = takenWhen(made, ctx.lang, ctx.config.timeZone);
    notice = s("backed_up", { when, size: formatBytes(made.size, ctx.lang) });
  } catch (error) {
    ctx.deps.logger.error("Backup from /admin failed", { error: String(error) });
    notice = s("backup_failed");
  }
  await showList(ctx, 0, notice);
});

onButton(adminBackups, akCb.restore, "owner", async (ctx, { name, page, ok, gen }) => {
  const s = scoped(ctx.t, "admin_backups");
  const backups = desk(ctx);
  // A second tap on "Yes" (or a confirmation from before a restore) restores nothing again.
  if (backups.restoring) return showList(ctx, page, s("error_busy"));
  if (ok && gen !== backups.generation) return showList(ctx, page, ctx.t("common.button_outdated"));
  const backup = backups.list().find((b) => b.name === name);
  if (!backup) return showList(ctx, page, s("error_missing"));
  if (!backup.ok) return showList(ctx, page, s("error_refused"));
  const { lang } = ctx;
  const { timeZone } = ctx.config;
  if (!ok) {
    const at = { page, gen: backups.generation };
    const screen = restoreAskScreen(backup, at, lang, timeZone, ctx.t);
    return show(ctx, screen.text, screen.buttons);
  }
  await show(ctx, s("restoring", { when: takenWhen(backup, lang, timeZone) }));
  // Not awaited: the restore waits for every update in progress, this one included, to end.
  void finishRestore(ctx, name);
});

/** Runs the restore and tells the owner how it went, in a new message under the list. */
async function finishRestore(ctx: BotContext, name: string): Promise<void> {
  const s = scoped(ctx.t, "admin_backups");
  let notice: string;
  try {
    notice = restoredNotice(ctx, await desk(ctx).restore(name, ctx.from!.id));
  } catch (error) {
    if (error instanceof LiveRestoreError) {
      ctx.deps.logger.warning("Restore from /admin refused", { error: error.message });
      notice = s(`error_${error.problem}`);
    } else {
      ctx.deps.logger.error("Restore from /admin failed", { error: String(error) });
      notice = s("restore_failed");
    }
  }
  await showList(ctx, 0, notice, true).catch((error) =>
    ctx.deps.logger.warning("Could not report the restore", { error: String(error) })
  );
}

function restoredNotice(ctx: BotContext, result: LiveRestoreResult): string {
  const { lang } = ctx;
  const { timeZone } = ctx.config;
  return scoped(ctx.t, "admin_backups")("restored", {
    when: takenWhen(result.restoredFrom, lang, timeZone),
    previous: takenWhen(result.previousBackup, lang, timeZone),
  });
}

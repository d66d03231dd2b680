/** The masters screens as pure functions: the list, a master's card, the deactivation question. */
import type { Staff } from "../../../../db/staff_repo.ts";
import { button, type Buttons, type Screen } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import type { Translate } from "../../../../ui/i18n.ts";
import { masterCb } from "../../../../ui/master_callbacks.ts";
import { withNotice } from "../kit.ts";
import { scheduleCb, staffCb } from "./codecs.ts";
import { ts } from "./report.ts";
import { adminMenuRow } from "./views.ts";

/** A master with the number of their bookings still ahead. */
export interface MasterRow {
  staff: Staff;
  future: number;
  /** The master's linked Telegram account, if any. */
  account?: number;
}

/** What the masters screens need besides their data. */
export interface StaffEnv {
  t: Translate;
  /** Admins change masters; viewers only look. */
  canEdit: boolean;
  /** Owners invite masters to the bot and unlink them. */
  canInvite?: boolean;
  /** Masters set their own days off (else they ask the owners). */
  ownDaysOff?: boolean;
}

function status(s: Staff, t: Translate): string {
  return ts(t)(s.isActive ? "staff_active" : "staff_inactive");
}

/** The list of masters, with a hint when clients do not choose among them. */
export function staffListView(rows: MasterRow[], notice: string, env: StaffEnv): Screen {
  const t = ts(env.t);
  const lines = [t("staff_title", { count: rows.length })];
  if (rows.filter((r) => r.staff.isActive).length <= 1) lines.push(t("staff_single_hint"));
  lines.push("");
  for (const [i, { staff: s, future }] of rows.entries()) {
    lines.push(t("staff_line", { n: i + 1, name: s.name, status: status(s, env.t), future }));
  }
  const buttons: Buttons = rows.map(({ staff: s }) => [
    button(`${s.isActive ? "🟢" : "⏸"} ${s.name}`, staffCb.view.pack({ id: s.id })),
  ]);
  if (env.canEdit) buttons.push([button(t("staff_add"), staffCb.add.pack({}))]);
  if (env.canInvite) {
    const own = env.ownDaysOff === true;
    const label = env.t(own ? "master.policy_own" : "master.policy_ask");
    buttons.push([button(label, masterCb.policy.pack({ on: own ? 0 : 1 }))]);
  }
  buttons.push(adminMenuRow(env));
  return { text: withNotice(notice, lines.join("\n")), buttons };
}

/** A master's card: rename and (de)activate for admins, their schedule for everyone. */
export function staffCardView(row: MasterRow, notice: string, env: StaffEnv): Screen {
  const t = ts(env.t);
  const { staff: s, future } = row;
  const buttons: Buttons = [];
  if (env.canEdit) {
    const on = s.isActive ? 0 : 1;
    buttons.push([
      button(t("staff_rename"), staffCb.rename.pack({ id: s.id })),
      // Activating needs no question, so its button is already confirmed.
      button(
        t(on ? "staff_activate" : "staff_deactivate"),
        staffCb.active.pack({ id: s.id, on, ok: on }),
      ),
    ]);
  }
  buttons.push([
    button(t("staff_schedule"), scheduleCb.week.pack({ s: s.id })),
    button(t("staff_services"), staffCb.services.pack({ id: s.id })),
  ]);
  if (env.canInvite) buttons.push(accountRow(row, env.t));
  buttons.push([button(t("staff_back"), staffCb.list.pack({}))]);
  const account = row.account === undefined
    ? env.t("master.account_none")
    : env.t("master.account_linked", { id: row.account });
  const text = `${t("staff_card", { name: s.name, status: status(s, env.t), future })}\n${account}`;
  return { text: withNotice(notice, text), buttons };
}

/** Invite (a new one-time link) and, when linked, unlink the master's Telegram account. */
function accountRow({ staff, account }: MasterRow, t: Translate): Buttons[number] {
  const row = [button(t("master.invite_button"), staffCb.invite.pack({ id: staff.id }))];
  if (account !== undefined) {
    row.push(button(t("master.unlink_button"), staffCb.unlink.pack({ id: staff.id })));
  }
  return row;
}

/** "Deactivate this master?" naming how many of their bookings stay ahead. */
export function deactivateConfirmView(row: MasterRow, env: StaffEnv): Screen {
  const t = ts(env.t);
  const { staff: s, future } = row;
  return {
    text: t("staff_deactivate_confirm", { name: s.name, count: future }),
    buttons: confirmRows(
      { text: t("staff_deactivate_yes"), data: staffCb.active.pack({ id: s.id, on: 0, ok: 1 }) },
      { text: env.t("common.back_button"), data: staffCb.view.pack({ id: s.id }) },
    ),
  };
}

/** Asks for a master's name (new, or a new one for `id`). */
export function askNameView(renaming: number | undefined, problem: string, t: Translate): Screen {
  const question = ts(t)(renaming === undefined ? "staff_ask_name" : "staff_ask_rename");
  const back = renaming === undefined ? staffCb.list.pack({}) : staffCb.view.pack({ id: renaming });
  return {
    text: withNotice(problem, question),
    buttons: [[
      button(t("common.back_button"), back),
      button(t("common.cancel_button"), cb.cancelDialog.pack({})),
    ]],
  };
}

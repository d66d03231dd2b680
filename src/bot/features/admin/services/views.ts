/**
 * The screens of the services section as pure functions of what they show: a list page, a
 * service's card, a step of the creation dialog, a field editor and the delete question.
 */
import type { ServiceWithCount } from "../../../../db/services_repo.ts";
import { button, type Buttons, type Screen } from "../../../../ui/buttons.ts";
import { cb } from "../../../../ui/callback_data.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import { formatPrice } from "../../../../ui/format.ts";
import { escapeHtml, type Lang, scoped, type Translate } from "../../../../ui/i18n.ts";
import { pageInfo, pagerRow, paginate } from "../../../../ui/paging.ts";
import type { ServiceTextField } from "../input.ts";
import { withNotice } from "../kit.ts";
import { type Filter, PAGE_SIZE, servicesCb } from "./codecs.ts";

/** What every screen of the section needs: the translator, the language and the role. */
export interface ViewEnv {
  t: Translate;
  lang: Lang;
  /** Admins change services; viewers only look. */
  canEdit: boolean;
}

function ts(env: ViewEnv) {
  return scoped(env.t, "admin_services");
}

function priceText(env: ViewEnv, priceMinor: number | null): string {
  return priceMinor === null ? ts(env)("no_price") : formatPrice(priceMinor, env.lang);
}

function statusHtml(env: ViewEnv, s: ServiceWithCount): string {
  if (s.deletedAt !== null) return escapeHtml(ts(env)("status_deleted"));
  return escapeHtml(ts(env)(s.isActive ? "status_active" : "status_inactive"));
}

function icon(s: ServiceWithCount): string {
  return s.deletedAt !== null ? "🗑" : s.isActive ? "🟢" : "⏸";
}

function backToListRow(env: ViewEnv) {
  return [button(ts(env)("back_to_list"), servicesCb.list.pack({ f: "all", p: 0 }))];
}

/** One page of the list (`services` already filtered), with the filter and "new" buttons. */
export function serviceListView(
  services: ServiceWithCount[],
  filter: Filter,
  page: number,
  env: ViewEnv,
): Screen {
  const t = ts(env);
  const p = paginate(services.length, page, PAGE_SIZE);
  const shown = services.slice(p.offset, p.offset + p.size);
  const title = t(filter === "all" ? "list_title_all" : "list_title_active", {
    count: services.length,
  });
  const lines = [title, pageInfo(env.t, p), ""].filter((l, i) => i !== 1 || l !== "");
  if (services.length === 0) lines.push(t("list_empty"));
  for (const [i, s] of shown.entries()) {
    lines.push(t("list_line", {
      n: p.offset + i + 1,
      name: s.name,
      minutes: s.durationMinutes,
      price: priceText(env, s.priceMinor),
      statusHtml: statusHtml(env, s),
      bookings: s.bookingsCount,
      order: s.displayOrder,
    }));
  }
  const buttons: Buttons = shown.map((s) => [
    button(`${icon(s)} ${s.name}`, servicesCb.view.pack({ id: s.id })),
  ]);
  const pager = pagerRow(p, (n) => servicesCb.list.pack({ f: filter, p: n }));
  if (pager.length) buttons.push(pager);
  const other = filter === "all" ? "act" : "all";
  buttons.push([
    button(
      t(other === "act" ? "filter_active" : "filter_all"),
      servicesCb.list.pack({ f: other, p: 0 }),
    ),
  ]);
  if (env.canEdit) buttons.push([button(t("new_button"), servicesCb.create.pack({}))]);
  buttons.push([button(env.t("admin.back_to_admin"), cb.adminSection.pack({ section: "menu" }))]);
  return { text: lines.join("\n"), buttons };
}

function editorRows(s: ServiceWithCount, env: ViewEnv): Buttons {
  const t = ts(env);
  const edit = (f: ServiceTextField) =>
    button(t(`edit_${f}`), servicesCb.edit.pack({ id: s.id, f }));
  return [
    [edit("name"), edit("desc")],
    [edit("dur"), edit("price")],
    [
      edit("order"),
      button(
        t(s.isActive ? "deactivate" : "activate"),
        servicesCb.set.pack({ id: s.id, f: "active", v: s.isActive ? 0 : 1 }),
      ),
    ],
    [
      button(t("masters_button"), servicesCb.masters.pack({ id: s.id })),
      button(t("delete"), servicesCb.del.pack({ id: s.id, ok: 0 })),
    ],
  ];
}

/** A service's card (or "not found"), with the editor buttons for admins. */
export function serviceCardView(
  s: ServiceWithCount | undefined,
  notice: string,
  env: ViewEnv,
): Screen {
  const t = ts(env);
  if (!s) return { text: t("not_found"), buttons: [backToListRow(env)] };
  const text = [
    t("card_title", { name: s.name }),
    t("card_description", { description: s.description || t("no_description") }),
    t("card_duration", { minutes: s.durationMinutes }),
    t("card_price", { price: priceText(env, s.priceMinor) }),
    t("card_order", { order: s.displayOrder }),
    t("card_status", { statusHtml: statusHtml(env, s) }),
    t("card_bookings", { count: s.bookingsCount }),
  ].join("\n");
  const buttons: Buttons = [];
  if (env.canEdit && s.deletedAt === null) buttons.push(...editorRows(s, env));
  if (env.canEdit && s.deletedAt !== null) {
    buttons.push([button(t("restore"), servicesCb.restore.pack({ id: s.id }))]);
  }
  buttons.push(backToListRow(env));
  return { text: withNotice(notice, text), buttons };
}

/** "Are you sure?" before deleting a service with `future` bookings ahead. */
export function deleteConfirmView(s: ServiceWithCount, future: number, env: ViewEnv): Screen {
  const t = ts(env);
  return {
    text: t("delete_confirm", { name: s.name, future }),
    buttons: confirmRows(
      { text: t("delete_yes"), data: servicesCb.del.pack({ id: s.id, ok: 1 }) },
      { text: env.t("common.back_button"), data: servicesCb.view.pack({ id: s.id }) },
    ),
  };
}

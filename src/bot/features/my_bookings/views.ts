/** The screens of "my bookings": the list and one booking with what the client may do. */
import { type Booking, listUserBookings } from "../../../db/bookings_repo.ts";
import { getService } from "../../../db/services_repo.ts";
import { cb } from "../../../ui/callback_data.ts";
import { formatTime, statusIcon } from "../../../ui/format.ts";
import type { Translate } from "../../../ui/i18n.ts";
import type { BotContext } from "../../context.ts";
import { changePolicyLine, clientMayChange, contactLine } from "../../policy.ts";
import { button, type Buttons, clientCard, dayName, menuRow, show } from "../../ui.ts";

const PAGE_SIZE = 5;

/** Shows one page of the client's upcoming ("up") or past bookings. */
export async function showMyBookings(
  ctx: BotContext,
  kind: "up" | "past",
  page: number,
  notice?: string,
) {
  const { rows, total } = listUserBookings(
    ctx.deps.db,
    ctx.from!.id,
    kind === "up" ? "upcoming" : "past",
    ctx.deps.clock.now(),
    PAGE_SIZE,
    page * PAGE_SIZE,
  );
  const tz = ctx.config.timeZone;
  const buttons: Buttons = rows.map((b) => [
    button(
      `${statusIcon(b.status)} ${dayName(ctx, b.start)} ${
        formatTime(b.start, tz)
      } · ${b.serviceName}`,
      cb.myBooking.pack({ id: b.id }),
    ),
  ]);
  const pager = [];
  if (page > 0) pager.push(button("◀️", cb.myList.pack({ kind, page: page - 1 })));
  if ((page + 1) * PAGE_SIZE < total) {
    pager.push(button("▶️", cb.myList.pack({ kind, page: page + 1 })));
  }
  if (pager.length) buttons.push(pager);
  buttons.push([
    kind === "up"
      ? button(ctx.t("my.show_past"), cb.myList.pack({ kind: "past", page: 0 }))
      : button(ctx.t("my.show_upcoming"), cb.myList.pack({ kind: "up", page: 0 })),
  ]);
  const waits = kind === "up" ? waitLines(ctx, buttons) : "";
  buttons.push([button(ctx.t("common.menu_book"), cb.menu.pack({ item: "book" }))], menuRow(ctx));
  const title = ctx.t(kind === "up" ? "my.title_upcoming" : "my.title_past", { total });
  const empty = total === 0
    ? `\n\n${ctx.t(kind === "up" ? "my.empty_upcoming" : "my.empty_past")}`
    : "";
  const pageInfo = total > PAGE_SIZE
    ? `\n${ctx.t("my.page", { page: page + 1, pages: Math.ceil(total / PAGE_SIZE) })}`
    : "";
  await show(ctx, (notice ? `${notice}\n\n` : "") + title + pageInfo + empty + waits, buttons);
}

/** The client's waitlist under their bookings, with a button to leave each day's wait. */
function waitLines(ctx: BotContext, buttons: Buttons): string {
  const waits = ctx.deps.services.waitlist.mine(ctx.from!.id);
  if (waits.length === 0) return "";
  const lines = waits.map((w) => {
    const date = dayName(ctx, Temporal.PlainDate.from(w.day));
    const service = getService(ctx.deps.db, w.serviceId)?.name ?? "";
    buttons.push([
      button(ctx.t("waitlist.btn_leave_day", { date }), cb.waitLeave.pack({ id: w.id })),
    ]);
    return ctx.t("waitlist.my_line", { date, service, part: ctx.t(`waitlist.part_${w.part}`) });
  });
  return `\n\n${ctx.t("waitlist.my_title")}\n${lines.join("\n")}`;
}

/**
 * The buttons that change an upcoming booking: move and cancel while the client may still,
 * else a message to the admins (never a button that can only fail).
 */
export function changeButtons(t: Translate, b: Booking, changeable: boolean): Buttons {
  if (!changeable) return [[button(t("my.ask_admin_button"), cb.askAdmin.pack({ id: b.id }))]];
  return [[
    button(t("my.reschedule_button"), cb.reschedule.pack({ id: b.id })),
    button(t("my.cancel_button"), cb.cancelAsk.pack({ id: b.id })),
  ]];
}

/** One booking of the client with what they may do about it. */
export async function showBooking(ctx: BotContext, b: Booking, notice?: string): Promise<void> {
  const upcoming = b.status === "active" && b.end > ctx.deps.clock.now();
  const changeable = upcoming && clientMayChange(ctx, b.start);
  const rows: Buttons = [];
  const lines = [ctx.t("my.booking_title", { id: b.id }), clientCard(ctx, b)];
  if (upcoming) {
    rows.push(...changeButtons(ctx.t, b, changeable));
    rows.push([
      button(ctx.t("my.edit_name_button"), cb.editContact.pack({ id: b.id, field: "name" })),
      button(ctx.t("my.edit_phone_button"), cb.editContact.pack({ id: b.id, field: "phone" })),
    ]);
    lines.push("", changePolicyLine(ctx, b.start));
    if (!changeable) lines.push(contactLine(ctx));
  } else {
    rows.push([button(ctx.t("my.again_button"), cb.again.pack({ id: b.id }))]);
  }
  rows.push([
    button(
      ctx.t("common.back_button"),
      cb.myList.pack({ kind: upcoming ? "up" : "past", page: 0 }),
    ),
  ]);
  await show(ctx, `${notice ? `${notice}\n\n` : ""}${lines.join("\n")}`, rows);
}

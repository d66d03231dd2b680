/**
 * Admin section "bookings": a day's agenda, search by client, filtered lists, the booking
 * card with its universal editor (every change goes through the booking engine, is audited
 * there and told to the client), cancel, group cancel, soft delete and the CSV export.
 * Viewers may look and export; changes need the "admin" role.
 */
import { LeanComposer } from "../../../composer.ts";
import { parseDay, parsePeriod } from "../../../../domain/date_input.ts";
import type { Parsed } from "../../../../domain/admin_input.ts";
import { orderedPeriod } from "../../../../domain/period_presets.ts";
import { localDate, parseIsoDate } from "../../../../domain/time.ts";
import type { LocaleKey } from "../../../../ui/locale_keys.ts";
import type { BotContext } from "../../../context.ts";
import { show } from "../../../ui.ts";
import type { AdminRole } from "../../../../db/admins_repo.ts";
import type { BookingsInput, InputOf } from "../input.ts";
import {
  type AdminSection,
  awaitInput,
  endInput,
  type InputRoute,
  type InputRoutes,
  onButton,
  today,
} from "../kit.ts";
import { abCb, MAX_REASON } from "./codecs.ts";
import { askCancel, askRemove, cancelOne, refused, remove } from "./card.ts";
import { showCard } from "./card.ts";
import { applyChange, changeContact, moveToDay, showEditor, showMoveDay } from "./editor.ts";
import { exportPeriod, showExportMenu } from "./export.ts";
import { askMove } from "./move_confirm.ts";
import { askGroupCancel, groupCancel } from "./group_cancel.ts";
import { restore, showDeletedCard } from "./deleted.ts";
import { askPickCancel, pickAll, pickCancel, pickOne, showPick } from "./pick.ts";
import { showBookingsMenu, showDay, showHistory, showList, showSearch } from "./lists.ts";
import { actor, backToBookingsRow, loadBooking, tz } from "./screen.ts";

export { showBookingsMenu };

/** The composer of the admin bookings section. */
export const adminBookings = new LeanComposer<BotContext>();

/** The bookings entry of the admin menu. */
export const bookingsSection: AdminSection = {
  id: "bookings",
  need: "viewer",
  open: showBookingsMenu,
};

/** Starts waiting for a text, with the prompt `key` and the way back. */
function ask(ctx: BotContext, input: BookingsInput, key: LocaleKey): Promise<void> {
  awaitInput(ctx, input);
  return show(ctx, ctx.t(key), [backToBookingsRow(ctx)]);
}

function period(from: string, to: string) {
  return orderedPeriod(parseIsoDate(from)!, parseIsoDate(to)!);
}

// --- lists ------------------------------------------------------------------------------
onButton(adminBookings, abCb.day, "viewer", async (ctx, { date, page }) => {
  endInput(ctx);
  await showDay(ctx, parseIsoDate(date)!, page);
});
onButton(
  adminBookings,
  abCb.dayAsk,
  "viewer",
  (ctx) => ask(ctx, { kind: "ab_date" }, "admin_bookings.ask_date"),
);
onButton(
  adminBookings,
  abCb.searchAsk,
  "viewer",
  (ctx) => ask(ctx, { kind: "ab_search" }, "admin_bookings.ask_search"),
);
onButton(adminBookings, abCb.searchPage, "viewer", (ctx, { page }) => showSearch(ctx, page));
onButton(adminBookings, abCb.list, "viewer", async (ctx, { st, from, to, page }) => {
  endInput(ctx);
  await showList(ctx, st, period(from, to), page);
});
onButton(
  adminBookings,
  abCb.periodAsk,
  "viewer",
  (ctx, { st }) => ask(ctx, { kind: "ab_period", st }, "admin_bookings.ask_period"),
);
onButton(adminBookings, abCb.history, "viewer", async (ctx, { uid, page }) => {
  endInput(ctx);
  await showHistory(ctx, uid, page);
});

// --- the card and its editor ------------------------------------------------------------
onButton(adminBookings, abCb.card, "viewer", async (ctx, { id }) => {
  endInput(ctx);
  const b = await loadBooking(ctx, id);
  if (b) await showCard(ctx, b);
});
onButton(adminBookings, abCb.edit, "admin", async (ctx, { id, f }) => {
  endInput(ctx);
  const b = await loadBooking(ctx, id);
  if (b) await showEditor(ctx, b, f);
});
onButton(adminBookings, abCb.moveDay, "admin", async (ctx, { id, date }) => {
  endInput(ctx);
  await moveToDay(ctx, id, parseIsoDate(date)!);
});
onButton(adminBookings, abCb.moveSlot, "admin", async (ctx, { id, start, staff, ok }) => {
  const move = { start: start * 1000, staff };
  if (ok === 0) return askMove(ctx, id, move);
  await applyChange(
    ctx,
    id,
    () => ctx.deps.bookings.rescheduleBooking(id, actor(ctx), move),
    async (error, before) => {
      if (error.code === "not_found" || error.code === "not_active") return refused(ctx, id, error);
      // Show why, with the free time of the day that was asked for.
      await showMoveDay(ctx, before, localDate(move.start, tz(ctx)), ctx.t(`errors.${error.code}`));
    },
  );
});
onButton(adminBookings, abCb.setService, "admin", async (ctx, { id, svc }) => {
  await applyChange(
    ctx,
    id,
    (b) => ctx.deps.bookings.rescheduleBooking(id, actor(ctx), { start: b.start, serviceId: svc }),
  );
});
onButton(adminBookings, abCb.setStaff, "admin", async (ctx, { id, staff }) => {
  await applyChange(
    ctx,
    id,
    (b) => ctx.deps.bookings.rescheduleBooking(id, actor(ctx), { start: b.start, staff }),
  );
});
onButton(adminBookings, abCb.setStatus, "admin", async (ctx, { id, st }) => {
  const engine = ctx.deps.bookings;
  await applyChange(
    ctx,
    id,
    () =>
      st === "no_show" ? engine.markNoShow(id, actor(ctx)) : engine.setStatus(id, actor(ctx), st),
  );
});

// --- cancel, delete, group cancel, export -----------------------------------------------
onButton(adminBookings, abCb.cancelAsk, "admin", (ctx, { id }) => askCancel(ctx, id));
onButton(adminBookings, abCb.cancelNoReason, "admin", (ctx, { id }) => cancelOne(ctx, id, null));
onButton(adminBookings, abCb.remove, "admin", async (ctx, { id, ok }) => {
  endInput(ctx);
  await (ok ? remove(ctx, id) : askRemove(ctx, id));
});
onButton(adminBookings, abCb.group, "admin", async (ctx, { date, n, ok }) => {
  const day = parseIsoDate(date)!;
  await (ok ? groupCancel(ctx, day, n, null) : askGroupCancel(ctx, day));
});
onButton(adminBookings, abCb.exportMenu, "viewer", async (ctx, { del }) => {
  endInput(ctx);
  await showExportMenu(ctx, del);
});
onButton(
  adminBookings,
  abCb.exportAsk,
  "viewer",
  (ctx, { del }) => ask(ctx, { kind: "ab_export", del: del ? 1 : 0 }, "admin_bookings.ask_period"),
);
onButton(adminBookings, abCb.exportDo, "viewer", async (ctx, { st, from, to }) => {
  await exportPeriod(ctx, period(from, to), st);
});
onButton(adminBookings, abCb.exportAll, "viewer", async (ctx, { from, to }) => {
  await exportPeriod(ctx, period(from, to), "all", true);
});

// --- deleted bookings, choosing bookings to cancel --------------------------------------
onButton(adminBookings, abCb.deletedCard, "viewer", async (ctx, { id }) => {
  endInput(ctx);
  await showDeletedCard(ctx, id);
});
onButton(adminBookings, abCb.restore, "admin", (ctx, { id }) => restore(ctx, id));
onButton(adminBookings, abCb.pick, "admin", async (ctx, { from, to, page }) => {
  endInput(ctx);
  await showPick(ctx, period(from, to), page);
});
onButton(
  adminBookings,
  abCb.pickOne,
  "admin",
  (ctx, { from, to, page, id }) => pickOne(ctx, period(from, to), page, id),
);
onButton(
  adminBookings,
  abCb.pickAll,
  "admin",
  (ctx, { from, to, page, on }) => pickAll(ctx, period(from, to), page, on),
);
onButton(adminBookings, abCb.pickGo, "admin", async (ctx, { from, to, n, ok }) => {
  const p = period(from, to);
  await (ok ? pickCancel(ctx, p, n, null) : askPickCancel(ctx, p, n));
});

// --- typed input ------------------------------------------------------------------------
function reasonTooLong(text: string): boolean {
  return [...text].length > MAX_REASON;
}

async function again(ctx: BotContext, key: LocaleKey, params?: Record<string, number>) {
  await ctx.reply(ctx.t(key, params));
}

/**
 * A route that reads a date (or a period) from the text: asks again with `bad` when it is not
 * one, else ends the input and hands the value on.
 */
function parsedRoute<K extends BookingsInput["kind"], V>(
  need: AdminRole,
  parse: (text: string, today: Temporal.PlainDate) => Parsed<V>,
  bad: LocaleKey,
  then: (ctx: BotContext, input: InputOf<K>, value: V) => Promise<void>,
): InputRoute<K> {
  return {
    need,
    async handle(ctx, input, text) {
      const parsed = parse(text, today(ctx));
      if (!parsed.ok) return again(ctx, bad);
      endInput(ctx);
      await then(ctx, input, parsed.value);
    },
  };
}

const readPeriod = (text: string, day: Temporal.PlainDate) => parsePeriod(text, { today: day });

/** The texts of the bookings dialogs. */
export const bookingsInputs: InputRoutes<BookingsInput["kind"]> = {
  ab_date: parsedRoute(
    "viewer",
    parseDay,
    "admin_bookings.bad_date",
    (ctx, _, date) => showDay(ctx, date, 0),
  ),
  ab_search: {
    need: "viewer",
    async handle(ctx, _input, text) {
      const length = [...text].length;
      if (length < 2 || length > 100) return again(ctx, "admin_bookings.search_too_short");
      endInput(ctx);
      ctx.session.adminSearch = text;
      await showSearch(ctx, 0);
    },
  },
  ab_period: parsedRoute(
    "viewer",
    readPeriod,
    "admin_bookings.bad_period",
    (ctx, input, p) => showList(ctx, input.st, p, 0),
  ),
  ab_export: parsedRoute(
    "viewer",
    readPeriod,
    "admin_bookings.bad_period",
    (ctx, input, p) => exportPeriod(ctx, p, "all", input.del === 1),
  ),
  ab_move_date: parsedRoute(
    "admin",
    parseDay,
    "admin_bookings.bad_date",
    (ctx, input, date) => moveToDay(ctx, input.id, date),
  ),
  ab_name: {
    need: "admin",
    handle: (ctx, input, text) => changeContact(ctx, input.id, { clientName: text }),
  },
  ab_phone: {
    need: "admin",
    handle: (ctx, input, text) => changeContact(ctx, input.id, { phone: text }),
  },
  ab_reason: {
    need: "admin",
    async handle(ctx, input, text) {
      if (reasonTooLong(text)) {
        return again(ctx, "admin_bookings.reason_too_long", { max: MAX_REASON });
      }
      await cancelOne(ctx, input.id, text || null);
    },
  },
  ab_group_reason: {
    need: "admin",
    async handle(ctx, input, text) {
      if (reasonTooLong(text)) {
        return again(ctx, "admin_bookings.reason_too_long", { max: MAX_REASON });
      }
      const date = parseIsoDate(input.date);
      if (!date) {
        endInput(ctx);
        return showBookingsMenu(ctx);
      }
      await groupCancel(ctx, date, input.n, text || null);
    },
  },
  ab_pick_reason: {
    need: "admin",
    async handle(ctx, input, text) {
      if (reasonTooLong(text)) {
        return again(ctx, "admin_bookings.reason_too_long", { max: MAX_REASON });
      }
      await pickCancel(ctx, period(input.from, input.to), input.n, text || null);
    },
  },
};

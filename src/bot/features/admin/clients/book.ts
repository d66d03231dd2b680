/**
 * "Book for this client": an admin picks a service, a day and a free time, and the booking
 * engine books it with the client's id and last name and phone; the engine writes the
 * notices (the client's confirmation if they use the bot, the other admins').
 */
import type { Composer } from "grammy";
import { getService, listBookableServices } from "../../../../db/services_repo.ts";
import { getUser } from "../../../../db/users_repo.ts";
import { localDate, parseIsoDate } from "../../../../domain/time.ts";
import { BookingError, type StaffSlot } from "../../../../services/booking_service.ts";
import { confirmRows } from "../../../../ui/confirm.ts";
import { formatDate, formatWhen } from "../../../../ui/format.ts";
import { scoped } from "../../../../ui/i18n.ts";
import type { BotContext } from "../../../context.ts";
import { button, type Buttons, show } from "../../../ui.ts";
import { dayMonth } from "../bookings/views.ts";
import { onButton, today } from "../kit.ts";
import { acCb } from "./codecs.ts";

type ShowCard = (ctx: BotContext, uid: number, notice?: string) => Promise<void>;

/** The client's saved name and phone, or undefined when they have none to book with. */
function contact(ctx: BotContext, uid: number) {
  const user = getUser(ctx.deps.db, uid);
  if (!user?.lastClientName || !user.lastPhone) return undefined;
  return { name: user.lastClientName, phone: user.lastPhone };
}

function backToCard(ctx: BotContext, uid: number) {
  return [button(ctx.t("common.back_button"), acCb.card.pack({ uid }))];
}

/** The next two weeks as buttons, four to a row. */
function dayRows(ctx: BotContext, uid: number, svc: number): Buttons {
  const first = today(ctx);
  const days = Array.from({ length: 14 }, (_, i) => first.add({ days: i }));
  const rows: Buttons = [];
  for (let i = 0; i < days.length; i += 4) {
    rows.push(
      days.slice(i, i + 4).map((d) =>
        button(dayMonth(d), acCb.bookDay.pack({ uid, svc, d: d.toString() }))
      ),
    );
  }
  return rows;
}

/** The free starts of a day as buttons, with the days before and after. */
function slotRows(uid: number, svc: number, date: Temporal.PlainDate, slots: StaffSlot[]) {
  const rows: Buttons = [];
  for (let i = 0; i < slots.length; i += 4) {
    rows.push(
      slots.slice(i, i + 4).map((s) => {
        const data = { uid, svc, start: Math.floor(s.start / 1000), staff: s.staffId, ok: 0 };
        return button(s.label, acCb.bookSlot.pack(data));
      }),
    );
  }
  const day = (d: Temporal.PlainDate, label: string) =>
    button(label, acCb.bookDay.pack({ uid, svc, d: d.toString() }));
  const before = date.subtract({ days: 1 });
  const after = date.add({ days: 1 });
  rows.push([day(before, `◀️ ${dayMonth(before)}`), day(after, `${dayMonth(after)} ▶️`)]);
  return rows;
}

/** The free time of one day for the service, or why there is none. */
async function showDay(
  ctx: BotContext,
  uid: number,
  svc: number,
  date: Temporal.PlainDate,
  notice?: string,
) {
  const c = scoped(ctx.t, "admin_clients");
  let slots: StaffSlot[] = [];
  let problem: string | undefined;
  try {
    slots = ctx.deps.bookings.freeSlots(svc, "any", date);
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    problem = ctx.t(`errors.${error.code}`);
  }
  const params = {
    service: getService(ctx.deps.db, svc)?.name ?? "",
    date: formatDate(date, ctx.lang, ctx.config.timeZone),
  };
  const title = c(slots.length ? "book_slot" : "book_no_slots", params);
  await show(ctx, [notice, problem, title].filter(Boolean).join("\n\n"), [
    ...slotRows(uid, svc, date, slots),
    backToCard(ctx, uid),
  ]);
}

type Contact = { name: string; phone: string };
type SlotData = { uid: number; svc: number; start: number; staff: number };

/** The services to book for the client. */
async function chooseService(ctx: BotContext, uid: number, who: Contact) {
  const rows = listBookableServices(ctx.deps.db).map((s) => [
    button(s.name, acCb.bookService.pack({ uid, svc: s.id })),
  ]);
  await show(ctx, ctx.t("admin_clients.book_service", { name: who.name }), [
    ...rows,
    backToCard(ctx, uid),
  ]);
}

/** The days to book the service on. */
async function chooseDay(ctx: BotContext, uid: number, svc: number, who: Contact) {
  const service = getService(ctx.deps.db, svc)?.name ?? "";
  await show(ctx, ctx.t("admin_clients.book_day", { service, name: who.name }), [
    ...dayRows(ctx, uid, svc),
    backToCard(ctx, uid),
  ]);
}

/** Asks whether to book the client at the chosen time. */
async function askSlot(ctx: BotContext, d: SlotData, who: Contact) {
  const at = d.start * 1000;
  const date = localDate(at, ctx.config.timeZone);
  const service = getService(ctx.deps.db, d.svc)?.name ?? "";
  const when = formatWhen(at, ctx.lang, ctx.config.timeZone);
  await show(
    ctx,
    ctx.t("admin_clients.book_confirm", { ...who, service, when }),
    confirmRows(
      { text: ctx.t("admin_clients.btn_book_yes"), data: acCb.bookSlot.pack({ ...d, ok: 1 }) },
      {
        text: ctx.t("common.back_button"),
        data: acCb.bookDay.pack({ uid: d.uid, svc: d.svc, d: date.toString() }),
      },
    ),
  );
}

/** Books through the engine (which owes the client's confirmation); the card, or the day again. */
async function bookSlot(ctx: BotContext, d: SlotData, who: Contact, showCard: ShowCard) {
  const at = d.start * 1000;
  try {
    ctx.deps.bookings.createBooking({
      userId: d.uid,
      serviceId: d.svc,
      staff: d.staff,
      start: at,
      clientName: who.name,
      phone: who.phone,
      actorId: ctx.from!.id,
    });
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    const date = localDate(at, ctx.config.timeZone);
    return showDay(ctx, d.uid, d.svc, date, ctx.t(`errors.${error.code}`));
  }
  ctx.deps.metrics.bookingsCreatedTotal.inc();
  await showCard(ctx, d.uid, ctx.t("admin_clients.booked"));
}

/** Registers the buttons of booking for a client on the clients section's composer. */
export function bookForClient(composer: Composer<BotContext>, showCard: ShowCard): void {
  /** A step that needs the client's saved contact; without one, the card says why not. */
  const withContact = <T extends { uid: number }>(
    step: (ctx: BotContext, data: T, who: Contact) => Promise<void>,
  ) =>
  (ctx: BotContext, data: T) => {
    const who = contact(ctx, data.uid);
    return who
      ? step(ctx, data, who)
      : showCard(ctx, data.uid, ctx.t("admin_clients.book_no_contact"));
  };
  onButton(
    composer,
    acCb.book,
    "admin",
    withContact((ctx, d, who) => chooseService(ctx, d.uid, who)),
  );
  onButton(
    composer,
    acCb.bookService,
    "admin",
    withContact((ctx, d, who) => chooseDay(ctx, d.uid, d.svc, who)),
  );
  onButton(
    composer,
    acCb.bookDay,
    "admin",
    (ctx, d) => showDay(ctx, d.uid, d.svc, parseIsoDate(d.d)!),
  );
  onButton(
    composer,
    acCb.bookSlot,
    "admin",
    withContact((ctx, { ok, ...d }, who) =>
      ok === 1 ? bookSlot(ctx, d, who, showCard) : askSlot(ctx, d, who)
    ),
  );
}

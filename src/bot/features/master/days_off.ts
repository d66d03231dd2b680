/**
 * A master's days off: they pick a day of the next two weeks; as owners chose, it is set at once
 * or sent to the owners as a request that one press approves (the approval is in the admin
 * masters section).
 */
import { LeanComposer } from "../../composer.ts";
import { listOwnerIds } from "../../../db/admins_repo.ts";
import { ScheduleError } from "../../../services/schedule_admin.ts";
import { button } from "../../../ui/buttons.ts";
import { formatDate, formatShortDate } from "../../../ui/format.ts";
import { DAYS_OFF_AHEAD, masterCb } from "../../../ui/master_callbacks.ts";
import type { BotContext } from "../../context.ts";
import { sendToUser, userLanguage } from "../../notify.ts";
import { ack, show } from "../../ui.ts";
import { onMasterButton } from "./common.ts";

/** The composer of a master's days off. */
export const masterDaysOff = new LeanComposer<BotContext>();
const onMaster = onMasterButton(masterDaysOff);

const backRow = (ctx: BotContext) => [
  button(ctx.t("master.back_to_day"), masterCb.day.pack({ d: 0 })),
];

onMaster(masterCb.dayOff, async (ctx) => {
  await ack(ctx);
  const today = ctx.deps.bookings.today();
  const days = Array.from(
    { length: DAYS_OFF_AHEAD + 1 },
    (_, d) =>
      button(formatShortDate(today.add({ days: d }), ctx.lang), masterCb.dayOffPick.pack({ d })),
  );
  const rows = [];
  for (let i = 0; i < days.length; i += 3) rows.push(days.slice(i, i + 3));
  const own = ctx.deps.services.masters.ownDaysOff();
  await show(ctx, ctx.t(own ? "master.day_off_title" : "master.day_off_title_ask"), [
    ...rows,
    backRow(ctx),
  ]);
});

onMaster(masterCb.dayOffPick, async (ctx, me, { d }) => {
  const masters = ctx.deps.services.masters;
  const today = ctx.deps.bookings.today();
  const day = today.add({ days: d });
  const date = formatDate(day, ctx.lang, ctx.config.timeZone);
  if (masters.ownDaysOff()) {
    try {
      masters.addDayOff(me.id, day, ctx.from!.id, today);
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      return ack(ctx, ctx.t("master.day_off_exists"), true);
    }
    await ack(ctx);
    ctx.deps.logger.info("Master took a day off", { staffId: me.id, day: day.toString() });
    return show(ctx, ctx.t("master.day_off_added", { date }), [backRow(ctx)]);
  }
  await ack(ctx);
  const approve = masterCb.approveDayOff.pack({ s: me.id, d: day.toString() });
  const ownerT = (owner: number) => userLanguage(ctx.deps, owner).t;
  for (const owner of listOwnerIds(ctx.deps.db)) {
    await sendToUser(
      ctx.api,
      ctx.deps,
      owner,
      (t, lang) =>
        t("master.day_off_request", {
          name: me.name,
          date: formatDate(day, lang, ctx.config.timeZone),
        }),
      {
        reply_markup: {
          inline_keyboard: [[button(ownerT(owner)("master.day_off_approve"), approve)]],
        },
      },
    );
  }
  await show(ctx, ctx.t("master.day_off_asked", { date }), [backRow(ctx)]);
});

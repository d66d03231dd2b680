/**
 * "Мои данные": the name and phone the bot remembers for the client's future bookings, and
 * how to change them (a booking already made keeps its own; "my bookings" edits that).
 */
import { LeanComposer } from "../composer.ts";
import { getUser } from "../../db/users_repo.ts";
import { cb } from "../../ui/callback_data.ts";
import type { BotContext } from "../context.ts";
import { initialSession } from "../session.ts";
import { ack, button, menuRow, show } from "../ui.ts";

/** The client's profile screen and its two inputs. */
export const profileFeature = new LeanComposer<BotContext>();

/** Shows the remembered name and phone with the buttons to change them. */
export async function showProfile(ctx: BotContext, notice?: string): Promise<void> {
  const user = getUser(ctx.deps.db, ctx.from!.id);
  const unknown = ctx.t("my.profile_not_set");
  const text = ctx.t("my.profile_title", {
    name: user?.lastClientName || unknown,
    phone: user?.lastPhone || unknown,
  });
  await show(ctx, notice ? `${notice}\n\n${text}` : text, [
    [
      button(ctx.t("my.profile_change_name"), cb.profile.pack({ field: "name" })),
      button(ctx.t("my.profile_change_phone"), cb.profile.pack({ field: "phone" })),
    ],
    menuRow(ctx),
  ]);
}

profileFeature.callbackQuery(cb.profile.filter, async (ctx) => {
  const data = cb.profile.unpack(ctx.callbackQuery.data);
  if (!data) return ack(ctx, ctx.t("common.button_outdated"));
  await ack(ctx);
  if (data.field === "show") {
    ctx.session = initialSession();
    return showProfile(ctx);
  }
  ctx.session = {
    ...initialSession(),
    step: data.field === "name" ? "profile_name" : "profile_phone",
  };
  await show(ctx, ctx.t(data.field === "name" ? "my.profile_ask_name" : "my.profile_ask_phone"), [
    [button(ctx.t("common.cancel_button"), cb.profile.pack({ field: "show" }))],
  ]);
});

profileFeature.on("message:text", async (ctx, next) => {
  const step = ctx.session.step;
  if ((step !== "profile_name" && step !== "profile_phone") || ctx.message.text.startsWith("/")) {
    return next();
  }
  const field = step === "profile_name" ? "name" : "phone";
  const problem = ctx.deps.services.users.setContact(ctx.from.id, field, ctx.message.text);
  if (problem) {
    await ctx.reply(`${ctx.t(`errors.${problem}`)}\n${ctx.t("my.try_again")}`);
    return;
  }
  ctx.session = initialSession();
  await showProfile(ctx, ctx.t("my.profile_saved"));
});

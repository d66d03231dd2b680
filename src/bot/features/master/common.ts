/** What every master screen shares: who the sender is, the view environment, the button guard. */
import type { Composer } from "grammy";
import type { CallbackCodec } from "../../../ui/callback_data.ts";
import type { MasterIdentity } from "../../../services/masters.ts";
import type { BotContext } from "../../context.ts";
import { ack } from "../../ui.ts";
import type { MasterEnv } from "./views.ts";

/** What the master views need from the update. */
export function env(ctx: BotContext): MasterEnv {
  return { t: ctx.t, lang: ctx.lang, timeZone: ctx.config.timeZone };
}

/** The master the sender is, read now; undefined for everyone else. */
export function currentMaster(ctx: BotContext): MasterIdentity | undefined {
  return ctx.from ? ctx.deps.services.masters.whoIs(ctx.from.id) : undefined;
}

/** Registers a master's button: refused (and logged) unless the sender is a linked master. */
export const onMasterButton =
  (composer: Composer<BotContext>) =>
  <T extends Record<string, unknown>>(
    codec: CallbackCodec<T>,
    handler: (ctx: BotContext, me: MasterIdentity, data: T) => Promise<void>,
  ): void => {
    composer.callbackQuery(codec.filter, async (ctx) => {
      const me = currentMaster(ctx);
      if (!me) {
        ctx.deps.logger.warning("Refused master action", {
          userId: ctx.from.id,
          data: ctx.callbackQuery.data,
        });
        return ack(ctx, ctx.t("master.not_master"), true);
      }
      const data = codec.unpack(ctx.callbackQuery.data);
      if (!data) return ack(ctx, ctx.t("common.button_outdated"));
      await handler(ctx, me, data);
    });
  };

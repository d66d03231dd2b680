/** Admin section (being built). */
import { Composer } from "grammy";
import type { BotContext } from "../../context.ts";

/** The composer of this admin section. */
export const adminBookings = new Composer<BotContext>();

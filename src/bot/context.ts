/** The typed context every handler receives. */
import type { Api, Context, SessionFlavor } from "grammy";
import type { Config } from "../config.ts";
import type { AdminRole } from "../db/admins_repo.ts";
import type { BotDeps } from "../deps.ts";
import type { Lang, Translate } from "../ui/i18n.ts";
import type { SessionData } from "./session.ts";

/** Per-update additions: dependencies, language, translate, admin role. */
export interface BotFlavor {
  config: Config;
  deps: BotDeps;
  lang: Lang;
  t: Translate;
  /** The admin role of the sender, undefined for clients. */
  role?: AdminRole;
}

/** The context type of all handlers. */
export type BotContext = Context & SessionFlavor<SessionData> & BotFlavor;

/** The API object (for jobs and notifications outside an update). */
export type BotApi = Api;

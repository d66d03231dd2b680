/** The typed context every handler receives. */
import type { Api, Context, SessionFlavor } from "grammy";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { AdminRole } from "../db/admins_repo.ts";
import type { Clock } from "../domain/clock.ts";
import type { BookingService } from "../services/booking_service.ts";
import type { Logger } from "../ops/log.ts";
import type { BotMetrics } from "../ops/metrics.ts";
import type { Catalogs, Lang, Translate } from "./i18n.ts";
import type { SessionData } from "./session.ts";

/** What the bot needs from the outside world; tests pass their own. */
export interface BotDeps {
  db: Db;
  clock: Clock;
  bookings: BookingService;
  catalogs: Catalogs;
  logger: Logger;
  metrics: BotMetrics;
  /** Storage of dialog state (Deno KV in production). */
  kv: Deno.Kv;
}

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

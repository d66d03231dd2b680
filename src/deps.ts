/** What the bot and the jobs need from the outside world; built by the composition root. */
import type { InlineKeyboardButton } from "grammy/types";
import type { Db } from "./db/connection.ts";
import type { Clock } from "./domain/clock.ts";
import type { AdminBookingsService } from "./services/admin_bookings.ts";
import type { BookingService } from "./services/booking_service.ts";
import type { CatalogService } from "./services/catalog_service.ts";
import type { ScheduleService } from "./services/schedule_service.ts";
import type { FunnelService } from "./services/funnel.ts";
import type { ProfileService } from "./services/profile_service.ts";
import type { Logger } from "./ops/log.ts";
import type { LiveBackups } from "./ops/live_restore.ts";
import type { BotMetrics } from "./ops/metrics.ts";
import type { Catalogs, Lang, Translate } from "./ui/i18n.ts";

/** One message to a user, written in their language when it is sent. */
export interface UserMessage {
  userId: number;
  render: (t: Translate, lang: Lang) => string;
  keyboard?: (t: Translate, lang: Lang) => InlineKeyboardButton[][];
}

/** Sends messages to many users through the flood-limit throttle; resolves to how many arrived. */
export type BulkSend = (messages: readonly UserMessage[]) => Promise<number>;

/** The services the bot writes through, each bound to the database and the clock. */
export interface Services {
  adminBookings: AdminBookingsService;
  catalog: CatalogService;
  schedule: ScheduleService;
  /** Counts the steps of client booking journeys. */
  funnel: FunnelService;
  /** The salon's profile and the first-run setup. */
  profile: ProfileService;
}

/** The shared dependencies; tests pass their own. */
export interface BotDeps {
  db: Db;
  clock: Clock;
  bookings: BookingService;
  services: Services;
  /** Bulk messages (a day's cancellations) go through the jobs' throttled sender. */
  bulkSend: BulkSend;
  catalogs: Catalogs;
  /** BUSINESS_LANGUAGE: the language of people whose language is unknown. */
  businessLanguage?: Lang;
  logger: Logger;
  metrics: BotMetrics;
  /** Storage of dialog state (Deno KV in production). */
  kv: Deno.Kv;
  /** Backups and restore while running (the owners' Backups screen); absent in some tests. */
  backups?: LiveBackups;
}

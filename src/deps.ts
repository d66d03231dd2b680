/** What the bot and the jobs need from the outside world; built by the composition root. */
import type { Db } from "./db/connection.ts";
import type { KvVersions } from "./db/kv_versions.ts";
import type { Clock } from "./domain/clock.ts";
import type { AdminBookingsService } from "./services/admin_bookings.ts";
import type { BookingService } from "./services/booking_service.ts";
import type { CatalogService } from "./services/catalog_service.ts";
import type { ClientNotesService } from "./services/client_notes.ts";
import type { DepositService } from "./services/deposit_service.ts";
import type { ScheduleService } from "./services/schedule_service.ts";
import type { FunnelService } from "./services/funnel.ts";
import type { MasterService } from "./services/masters.ts";
import type { ProfileService } from "./services/profile_service.ts";
import type { Logger } from "./ops/log.ts";
import type { LiveBackups } from "./ops/live_restore.ts";
import type { BotMetrics } from "./ops/metrics.ts";
import type { Catalogs, Lang } from "./ui/i18n.ts";
import type { FeedbackService } from "./services/feedback.ts";
import type { UsersService } from "./services/users.ts";
import type { WaitlistService } from "./services/waitlist.ts";

/** The services every write of the bot goes through. */
export interface Services {
  feedback: FeedbackService;
  users: UsersService;
}

/** The services the bot writes through, each bound to the database and the clock. */
export interface Services {
  adminBookings: AdminBookingsService;
  catalog: CatalogService;
  deposits: DepositService;
  schedule: ScheduleService;
  /** Counts the steps of client booking journeys. */
  funnel: FunnelService;
  /** The salon's profile and the first-run setup. */
  profile: ProfileService;
  /** Admins' private notes about clients. */
  clientNotes: ClientNotesService;
  /** Clients waiting for a time to free up, and the offers of freed times. */
  waitlist: WaitlistService;
  /** Masters in Telegram: invites, links, a master's own bookings. */
  masters: MasterService;
}

/** The outbox's sender as the bot sees it. */
export interface OutboxPort {
  /**
   * Starts delivering what the outbox holds, in the background, once the current synchronous
   * work (the change's transaction) is over. The booking engine calls it after every change
   * that owes messages, so they go out at once rather than at the next tick.
   */
  kick(): void;
  /** Delivers what is owed now and waits for it (at most a few seconds). */
  deliver(): Promise<void>;
}

/** The shared dependencies; tests pass their own. */
export interface BotDeps {
  db: Db;
  clock: Clock;
  bookings: BookingService;
  services: Services;
  catalogs: Catalogs;
  /** BUSINESS_LANGUAGE: the language of people whose language is unknown. */
  businessLanguage?: Lang;
  logger: Logger;
  metrics: BotMetrics;
  /** Storage of dialog state (Deno KV in production). */
  kv: Deno.Kv;
  /** Versionstamps of `kv`'s keys read from its file, so sessions can be served from memory. */
  kvVersions?: KvVersions;
  /** Backups and restore while running (the owners' Backups screen); absent in some tests. */
  backups?: LiveBackups;
  /** The outbox sender (set by the composition root; absent: the next job tick delivers). */
  outbox?: OutboxPort;
}

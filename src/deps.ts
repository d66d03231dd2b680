/** What the bot and the jobs need from the outside world; built by the composition root. */
import type { Db } from "./db/connection.ts";
import type { Clock } from "./domain/clock.ts";
import type { BookingService } from "./services/booking_service.ts";
import type { Logger } from "./ops/log.ts";
import type { LiveBackups } from "./ops/live_restore.ts";
import type { BotMetrics } from "./ops/metrics.ts";
import type { Catalogs } from "./ui/i18n.ts";

/** The shared dependencies; tests pass their own. */
export interface BotDeps {
  db: Db;
  clock: Clock;
  bookings: BookingService;
  catalogs: Catalogs;
  logger: Logger;
  metrics: BotMetrics;
  /** Storage of dialog state (Deno KV in production). */
  kv: Deno.Kv;
  /** Backups and restore while running (the owners' Backups screen); absent in some tests. */
  backups?: LiveBackups;
}

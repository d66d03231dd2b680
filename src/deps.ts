/** What the bot and the jobs need from the outside world; built by the composition root. */
import type { Db } from "./db/connection.ts";
import type { Clock } from "./domain/clock.ts";
import type { BookingService } from "./services/booking_service.ts";
import type { FunnelService } from "./services/funnel.ts";
import type { Logger } from "./ops/log.ts";
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
  /**
   * The services handlers write through, each bound to the database and the clock (optional
   * while some test deps are built without it; the composition root always sets it).
   */
  services?: Services;
}

/** The write services of BotDeps. */
export interface Services {
  /** Counts the steps of client booking journeys. */
  funnel: FunnelService;
}

/** What the bot and the jobs need from the outside world; built by the composition root. */
import type { Db } from "./db/connection.ts";
import type { Clock } from "./domain/clock.ts";
import type { BookingService } from "./services/booking_service.ts";
import type { Logger } from "./ops/log.ts";
import type { BotMetrics } from "./ops/metrics.ts";
import type { Catalogs } from "./ui/i18n.ts";
import type { FeedbackService } from "./services/feedback.ts";
import type { UsersService } from "./services/users.ts";

/** The services every write of the bot goes through. */
export interface Services {
  feedback: FeedbackService;
  users: UsersService;
}

/** The shared dependencies; tests pass their own. */
export interface BotDeps {
  db: Db;
  clock: Clock;
  bookings: BookingService;
  services: Services;
  catalogs: Catalogs;
  logger: Logger;
  metrics: BotMetrics;
  /** Storage of dialog state (Deno KV in production). */
  kv: Deno.Kv;
}

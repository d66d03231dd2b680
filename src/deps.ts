/** What the bot and the jobs need from the outside world; built by the composition root. */
import type { Db } from "./db/connection.ts";
import type { Clock } from "./domain/clock.ts";
import type { BookingService } from "./services/booking_service.ts";
import type { Logger } from "./ops/log.ts";
import type { BotMetrics } from "./ops/metrics.ts";
import type { Catalogs } from "./ui/i18n.ts";

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
  catalogs: Catalogs;
  logger: Logger;
  metrics: BotMetrics;
  /** Storage of dialog state (Deno KV in production). */
  kv: Deno.Kv;
  /** The outbox sender (set by the composition root; absent: the next job tick delivers). */
  outbox?: OutboxPort;
}

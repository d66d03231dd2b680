/**
 * The one sender of the outbox: claims due rows with a lease, renders each from the booking
 * row in the recipient's language (src/ui/notices.ts), sends it through the throttled sender
 * and marks it done. It runs on every tick and whenever the bot kicks it after a change, one
 * drain at a time per process.
 *
 * Guarantee: AT LEAST ONCE for every kind. A row is done only after Telegram took the message
 * (or refused it for good: blocked user, a 4xx, expired, no longer true). After a crash the
 * rows in hand are claimed again when their lease runs out, or at once by a start that finds
 * no other bot on the data folder, so nothing owed is lost. The only duplicate is a message
 * Telegram took just before the crash, before its "done" committed: at most the rows in
 * flight, and the drain sends one at a time, so at most one per crashed process. Rows are
 * claimed a few at a time, so a confirmation enqueued behind 200 reminders goes out next.
 */
import { InputFile } from "grammy";
import type { Message } from "grammy/types";
import { getBooking } from "../db/bookings_repo.ts";
import {
  claimDue,
  markDone,
  type OutboxRow,
  pruneDone,
  releaseForRetry,
} from "../db/outbox_repo.ts";
import { listActiveStaff } from "../db/staff_repo.ts";
import { getRules } from "../db/schedule_repo.ts";
import { type Notice, type NoticeEnv, renderNotice } from "../ui/notices.ts";
import { renderWaitlistOffer } from "../ui/waitlist_notice.ts";
import type { Config } from "../config.ts";
import type { BotDeps } from "../deps.ts";
import { systemClock } from "../domain/clock.ts";
import {
  createJobContext,
  createJobsApi,
  emptyResult,
  type JobContext,
  type JobResult,
  languageOf,
  sendHtml,
} from "./context.ts";
import type { Delivery } from "./sender.ts";

/** How long a claimed row belongs to its sender before another process may take it. */
export const OUTBOX_LEASE_MS = 60_000;
/** Rows claimed per transaction. */
const BATCH = 10;
/** Attempts that ended without Telegram taking the message before a row is given up. */
export const OUTBOX_MAX_ATTEMPTS = 10;
/** Pause before the first retry of a row; doubled each attempt, at most an hour. */
const RETRY_MS = 60_000;
/** Done rows are kept this long (what was sent when), then deleted. */
const KEEP_DONE_MS = 30 * 86_400_000;

/** How one row ended this time. */
type Outcome = "sent" | "failed" | "skipped";

/** When a drain is under way (or delivery is paused), asks it to look once more; else false. */
function joinRunningDrain(ctx: JobContext): boolean {
  const state = ctx.state;
  if (state.outboxPaused) return true;
  if (!state.outboxRun) return false;
  state.outboxAgain = true;
  return true;
}

/**
 * Delivers every row that is due. While a drain runs, another call joins it (and makes it
 * look once more before it ends, so rows enqueued meanwhile are not left for the next tick).
 */
export function deliverOutbox(ctx: JobContext): Promise<JobResult> {
  const state = ctx.state;
  if (state.outboxPaused) return Promise.resolve(emptyResult());
  if (joinRunningDrain(ctx)) return state.outboxRun!;
  state.outboxRun = (async () => {
    const total = emptyResult();
    do {
      state.outboxAgain = false;
      const r = await drain(ctx);
      total.due += r.due;
      total.done += r.done;
      total.failed += r.failed;
      total.skipped += r.skipped;
    } while (state.outboxAgain && !ctx.sender.signal.aborted);
    return total;
  })().finally(() => {
    state.outboxRun = undefined;
  });
  return state.outboxRun;
}

/** How long a handler waits for owed messages before it answers anyway. */
const DELIVER_WAIT_MS = 5_000;

/**
 * The outbox sender of this process (the job tick shares its context): sets `deps.outbox`, which
 * the booking engine kicks after every change, so owed messages leave at once. Its throttle runs
 * on the system clock: Telegram's limits are real time even when a test's business clock stands
 * still.
 */
export function createOutboxSender(config: Config, deps: BotDeps): JobContext {
  const context = createJobContext({
    config,
    deps,
    api: createJobsApi(config, deps),
    senderClock: systemClock,
  });
  const run = () =>
    deliverOutbox(context).then(() => {}, (error) => {
      deps.logger.error("Outbox delivery failed", { error: String(error) });
    });
  deps.outbox = {
    // After the current synchronous work: the change's transaction has committed by then. A
    // drain under way is only asked to look once more: under steady traffic it runs for long,
    // and a reaction attached per kick stayed alive until it ended.
    kick: () =>
      queueMicrotask(() => {
        if (!joinRunningDrain(context)) void run();
      }),
    deliver: () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cap = new Promise<void>((resolve) => timer = setTimeout(resolve, DELIVER_WAIT_MS));
      return Promise.race([run(), cap]).finally(() => clearTimeout(timer));
    },
  };
  return context;
}

/**
 * Pauses delivery while a restore swaps the database: no new drain starts and the running one
 * is awaited; `resume` delivers what was owed meanwhile.
 */
export function pausableOutbox(ctx: JobContext): { pause(): Promise<void>; resume(): void } {
  return {
    async pause() {
      ctx.state.outboxPaused = true;
      await ctx.state.outboxRun;
    },
    resume() {
      ctx.state.outboxPaused = false;
      void deliverOutbox(ctx).catch(() => {});
    },
  };
}

/** Whether a drain is running (the bot counts it as work in flight). */
export function outboxBusy(ctx: JobContext): boolean {
  return ctx.state.outboxRun !== undefined;
}

/** The outbox job of the tick: deliver, then forget rows done long ago. */
export async function runOutbox(ctx: JobContext): Promise<JobResult> {
  const result = await deliverOutbox(ctx);
  pruneDone(ctx.deps.db, ctx.deps.clock.now() - KEEP_DONE_MS);
  return result;
}

async function drain(ctx: JobContext): Promise<JobResult> {
  const { db, clock } = ctx.deps;
  const result = emptyResult();
  for (;;) {
    if (ctx.sender.signal.aborted) break;
    const rows = claimDue(db, clock.now(), OUTBOX_LEASE_MS, BATCH);
    if (rows.length === 0) break;
    result.due += rows.length;
    const showStaff = listActiveStaff(db).length > 1;
    for (const row of rows) {
      if (ctx.sender.signal.aborted) {
        // Stopping: what was claimed but not tried goes back, for the next start.
        releaseForRetry(db, row.id, clock.now());
        continue;
      }
      const outcome = await deliverRow(ctx, row, showStaff);
      if (outcome === "sent") result.done++;
      else if (outcome === "failed") result.failed++;
      else result.skipped++;
    }
  }
  return result;
}

/** Renders, sends and settles one claimed row. */
async function deliverRow(ctx: JobContext, row: OutboxRow, showStaff: boolean): Promise<Outcome> {
  const { db, clock, logger } = ctx.deps;
  const now = clock.now();
  if (row.expiresAt !== null && now >= row.expiresAt) {
    markDone(db, row.id, "expired", now);
    return "skipped";
  }
  let delivery: Delivery<unknown>;
  try {
    const env = await noticeEnv(ctx, row.chatId, showStaff);
    const booking = getBooking(db, row.bookingId);
    const notice = row.kind === "waitlist_offer"
      ? renderWaitlistOffer(row.payload, env)
      : booking && renderNotice(row.kind, row.payload, booking, env);
    if (!notice) {
      markDone(db, row.id, "obsolete", now);
      return "skipped";
    }
    delivery = await sendNotice(ctx, row.chatId, notice);
  } catch (error) {
    // A bug in rendering or sending: this row waits and is retried; the others go on.
    logger.error("Could not deliver an outbox message", {
      id: row.id,
      kind: row.kind,
      error: error instanceof Error ? error.stack ?? error.message : String(error),
    });
    retryLater(ctx, row);
    return "failed";
  }
  return settle(ctx, row, delivery);
}

/** Records how a send ended. */
function settle(ctx: JobContext, row: OutboxRow, delivery: Delivery<unknown>): Outcome {
  const { db, clock, logger, metrics } = ctx.deps;
  const now = clock.now();
  switch (delivery.status) {
    case "sent":
      markDone(db, row.id, "sent", now);
      if (row.kind === "reminder_day" || row.kind === "reminder_hour") {
        metrics.remindersSentTotal.inc({ kind: row.kind === "reminder_day" ? "day" : "hour" });
      }
      return "sent";
    case "blocked":
      markDone(db, row.id, "blocked", now);
      return "skipped";
    case "rejected":
      markDone(db, row.id, "rejected", now);
      logger.warning("Telegram refused an outbox message", {
        id: row.id,
        kind: row.kind,
        chatId: row.chatId,
        error: String(delivery.error),
      });
      return "failed";
    case "failed":
      if (ctx.sender.signal.aborted) {
        // Stopping before Telegram was asked (or while waiting): back for the next start.
        releaseForRetry(db, row.id, now);
        return "failed";
      }
      logger.warning("Could not send an outbox message; will retry", {
        id: row.id,
        kind: row.kind,
        chatId: row.chatId,
        attempts: row.attempts,
        error: String(delivery.error),
      });
      retryLater(ctx, row);
      return "failed";
  }
}

/** Gives a row back with a growing pause, or gives it up after OUTBOX_MAX_ATTEMPTS. */
function retryLater(ctx: JobContext, row: OutboxRow): void {
  const { db, clock } = ctx.deps;
  const now = clock.now();
  if (row.attempts >= OUTBOX_MAX_ATTEMPTS) return markDone(db, row.id, "failed", now);
  releaseForRetry(db, row.id, now + Math.min(RETRY_MS * 2 ** (row.attempts - 1), 3_600_000));
}

async function noticeEnv(ctx: JobContext, chatId: number, showStaff: boolean): Promise<NoticeEnv> {
  const { t, lang } = languageOf(ctx.deps, chatId);
  ctx.state.botUsername ??= (await ctx.api.getMe()).username;
  return {
    t,
    lang,
    timeZone: ctx.config.timeZone,
    showStaff,
    now: ctx.deps.clock.now(),
    botUsername: ctx.state.botUsername,
    db: ctx.deps.db,
    cutoffHours: getRules(ctx.deps.db).cancellationCutoffHours,
  };
}

/** Sends a rendered message: a document with a caption, or HTML text with buttons. */
async function sendNotice(
  ctx: JobContext,
  chatId: number,
  notice: Notice,
): Promise<Delivery<unknown>> {
  const markup = notice.buttons ? { reply_markup: { inline_keyboard: notice.buttons } } : {};
  const doc = notice.document;
  if (!doc) {
    const sent = await sendHtml(ctx, chatId, notice.text, notice.buttons);
    const file = notice.calendar;
    // The calendar file follows its notice (a crash between the two resends both: at least once).
    if (sent.status !== "sent" || !file) return sent;
    return ctx.sender.send<Message.DocumentMessage>(
      chatId,
      () =>
        ctx.api.sendDocument(chatId, new InputFile(file.bytes, file.fileName), {
          caption: file.caption,
        }),
    );
  }
  return ctx.sender.send<Message.DocumentMessage>(
    chatId,
    () =>
      ctx.api.sendDocument(chatId, new InputFile(doc.bytes, doc.fileName), {
        caption: notice.text,
        ...markup,
      }),
  );
}

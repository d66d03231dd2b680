/**
 * Lets `stop` end the bot's Bot API calls. auto-retry retries a network error without limit
 * (backing off up to an hour), so a call that was failing when the bot stopped would otherwise
 * keep the process, or the test or benchmark that ran the bot in-process, alive for hours.
 */
import type { Api, Transformer } from "grammy";

/** grammY's AbortSignal type (the runner passes a Node-style shim, not a web AbortSignal). */
type Signal = NonNullable<Parameters<Transformer>[3]>;

/**
 * Gives every call made through `api` a signal aborted by the returned function (which also ends
 * retries and back-off pauses). Install it after the other transformers so it wraps them all.
 */
export function stoppableApi(api: Api): () => void {
  const stopping = new AbortController();
  const own = stopping.signal as unknown as Signal;
  api.config.use(async (prev, method, payload, signal) => {
    if (!signal) return await prev(method, payload, own);
    // The caller's signal (long polling) and ours, joined by hand.
    const both = new AbortController();
    const abort = () => both.abort();
    if (signal.aborted || stopping.signal.aborted) abort();
    signal.addEventListener("abort", abort);
    stopping.signal.addEventListener("abort", abort);
    try {
      return await prev(method, payload, both.signal as unknown as Signal);
    } finally {
      signal.removeEventListener("abort", abort);
      stopping.signal.removeEventListener("abort", abort);
    }
  });
  return () => stopping.abort(new Error("The bot is stopping"));
}

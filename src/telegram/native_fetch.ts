/**
 * grammY's npm build hands `fetch` a polyfilled AbortSignal (abort-controller) and Node
 * streams for uploads; Deno's native fetch accepts neither. This adapter converts both, so
 * grammY can use Deno's fetch instead of the node-fetch shim (faster, less memory).
 */

type Init = RequestInit & { signal?: unknown; body?: unknown };

function nativeSignal(signal: unknown): AbortSignal | undefined {
  if (!signal || typeof signal !== "object") return undefined;
  if (signal instanceof AbortSignal) return signal;
  const foreign = signal as {
    aborted?: boolean;
    addEventListener?: (type: string, listener: () => void) => void;
  };
  const controller = new AbortController();
  if (foreign.aborted) controller.abort();
  else foreign.addEventListener?.("abort", () => controller.abort());
  return controller.signal;
}

/** Whether `fetch` takes `body` as it is (grammY's JSON calls: a string). */
function isNativeBody(body: unknown): body is BodyInit | null | undefined {
  return body === undefined || body === null || typeof body === "string" ||
    body instanceof Uint8Array || body instanceof ArrayBuffer || body instanceof Blob ||
    body instanceof FormData || body instanceof URLSearchParams || body instanceof ReadableStream;
}

/** The bytes of an upload grammY streams as an async iterable (Node build). */
async function collectBody(body: AsyncIterable<Uint8Array | string>): Promise<BodyInit> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) {
    chunks.push(typeof chunk === "string" ? encoder.encode(chunk) : new Uint8Array(chunk));
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * A `fetch` for grammY's `client.fetch` option that runs on Deno's native fetch. A call with a
 * plain body (every JSON call) goes straight to `fetch`: no extra promise or options copy.
 */
export const nativeFetch = ((input: RequestInfo | URL, init?: Init) => {
  if (!init) return fetch(input);
  const signal = nativeSignal(init.signal);
  const body = init.body;
  if (isNativeBody(body)) return fetch(input, { ...init, body, signal });
  if (typeof body === "object" && Symbol.asyncIterator in body) {
    return collectBody(body as AsyncIterable<Uint8Array | string>)
      .then((bytes) => fetch(input, { ...init, body: bytes, signal }));
  }
  return fetch(input, { ...init, body: body as BodyInit, signal });
}) as typeof fetch;

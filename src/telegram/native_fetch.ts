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

async function nativeBody(body: unknown): Promise<BodyInit | null | undefined> {
  if (
    body === undefined || body === null || typeof body === "string" ||
    body instanceof Uint8Array || body instanceof ArrayBuffer || body instanceof Blob ||
    body instanceof FormData || body instanceof URLSearchParams || body instanceof ReadableStream
  ) {
    return body as BodyInit | null | undefined;
  }
  if (typeof body === "object" && Symbol.asyncIterator in body) {
    const encoder = new TextEncoder();
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
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
  return body as BodyInit;
}

/** A `fetch` for grammY's `client.fetch` option that runs on Deno's native fetch. */
export const nativeFetch = (async (input: RequestInfo | URL, init?: Init) => {
  if (!init) return await fetch(input);
  const { signal, body, ...rest } = init;
  return await fetch(input, {
    ...rest,
    body: await nativeBody(body),
    signal: nativeSignal(signal),
  });
}) as typeof fetch;

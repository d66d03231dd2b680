/** Reading a Bot API request: query string, JSON, urlencoded or multipart (with file uploads). */
import { type ApiResponse, type Payload, UploadedFile } from "./types.ts";
import { isObj } from "./util.ts";

const OBJECT_KEYS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "reply_parameters",
  "link_preview_options",
  "allowed_updates",
  "commands",
  "menu_button",
  "media",
  "scope",
  "message_ids",
  "prices",
  "suggested_tip_amounts",
  "provider_data",
  "results",
]);
const NUMERIC_KEYS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "offset",
  "limit",
  "timeout",
  "max_connections",
  "cache_time",
  "duration",
  "width",
  "height",
  "total_amount",
  "max_tip_amount",
  "user_id",
]);
const BOOL_KEYS = new Set([
  "disable_notification",
  "protect_content",
  "show_alert",
  "drop_pending_updates",
  "allow_sending_without_reply",
  "disable_content_type_detection",
  "has_spoiler",
  "show_caption_above_media",
  "disable_web_page_preview",
  "ok",
  "need_name",
  "need_phone_number",
  "need_email",
  "need_shipping_address",
  "is_flexible",
]);

const enc = new TextEncoder();
const dec = new TextDecoder();
const CRLF2 = enc.encode("\r\n\r\n");

/** A JSON answer envelope. */
export function jsonResponse(status: number, body: ApiResponse): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function coerce(key: string, v: string): unknown {
  if (OBJECT_KEYS.has(key)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  if (NUMERIC_KEYS.has(key) && /^-?\d+$/.test(v)) return Number(v);
  if (BOOL_KEYS.has(key) && (v === "true" || v === "false")) return v === "true";
  return v;
}

function fromParams(params: URLSearchParams): Payload {
  const p: Payload = {};
  for (const [k, v] of params) p[k] = coerce(k, v);
  return p;
}

/** The parameters of a request, whatever the encoding the client chose. */
export async function readPayload(req: Request, query: string): Promise<Payload> {
  if (req.method === "GET" || req.method === "HEAD") return fromParams(new URLSearchParams(query));
  const ct = req.headers.get("content-type") ?? "";
  if (ct.startsWith("multipart/form-data")) {
    const bm = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ct);
    if (!bm) throw new Error("multipart boundary missing");
    return parseMultipart(new Uint8Array(await req.arrayBuffer()), bm[1] ?? bm[2]);
  }
  if (ct.startsWith("application/x-www-form-urlencoded")) {
    return fromParams(new URLSearchParams(await req.text()));
  }
  const text = await req.text();
  if (text === "") return query ? fromParams(new URLSearchParams(query)) : {};
  const v = JSON.parse(text);
  if (!isObj(v)) throw new Error("JSON body must be an object");
  return v;
}

function indexOfBytes(h: Uint8Array, n: Uint8Array, from: number): number {
  const first = n[0];
  const last = h.length - n.length;
  for (let i = h.indexOf(first, from); i !== -1 && i <= last; i = h.indexOf(first, i + 1)) {
    let j = 1;
    while (j < n.length && h[i + j] === n[j]) j++;
    if (j === n.length) return i;
  }
  return -1;
}

interface Part {
  name?: string;
  filename?: string;
  contentType?: string;
  data: Uint8Array;
}

/**
 * Minimal multipart/form-data parser. grammY writes headers without spaces
 * (`content-disposition:form-data;name="x";filename=a.csv`, filename unquoted),
 * which we accept as well as the standard form.
 */
function parseMultipart(body: Uint8Array, boundary: string): Payload {
  const fields: Payload = {};
  const files = new Map<string, UploadedFile>();
  for (const part of splitParts(body, boundary)) {
    if (part.name === undefined) continue;
    if (part.filename !== undefined) {
      files.set(part.name, new UploadedFile(part.filename, part.contentType, part.data.slice()));
    } else {
      fields[part.name] = coerce(part.name, dec.decode(part.data));
    }
  }
  // resolve attach://<name> references (top level and inside media arrays)
  const resolve = (v: unknown): unknown => {
    if (typeof v === "string" && v.startsWith("attach://")) return files.get(v.slice(9)) ?? v;
    if (Array.isArray(v)) return v.map(resolve);
    if (isObj(v)) {
      for (const k of Object.keys(v)) v[k] = resolve(v[k]);
    }
    return v;
  };
  for (const k of Object.keys(fields)) fields[k] = resolve(fields[k]);
  // files uploaded directly under the field name (non-grammY clients)
  for (const [k, f] of files) if (!(k in fields)) fields[k] = f;
  return fields;
}

function splitParts(body: Uint8Array, boundary: string): Part[] {
  const parts: Part[] = [];
  const delim = enc.encode("--" + boundary);
  const sep = enc.encode("\r\n--" + boundary);
  let pos = indexOfBytes(body, delim, 0);
  if (pos < 0) throw new Error("multipart boundary not found in body");
  pos += delim.length;
  while (pos < body.length) {
    if (body[pos] === 45 && body[pos + 1] === 45) break; // "--" closing delimiter
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const headerEnd = indexOfBytes(body, CRLF2, pos);
    if (headerEnd < 0) throw new Error("malformed multipart part headers");
    const dataStart = headerEnd + 4;
    const next = indexOfBytes(body, sep, dataStart);
    if (next < 0) throw new Error("unterminated multipart part");
    const part = partHeaders(dec.decode(body.subarray(pos, headerEnd)).split("\r\n"));
    parts.push({ ...part, data: body.subarray(dataStart, next) });
    pos = next + sep.length;
  }
  return parts;
}

function partHeaders(headers: string[]): Omit<Part, "data"> {
  const part: Omit<Part, "data"> = {};
  for (const line of headers) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const h = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (h === "content-disposition") {
      const nm = /;\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(value);
      if (nm) part.name = (nm[1] ?? nm[2]).trim();
      const fm = /;\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"\s*$|(.*)$)/i.exec(value);
      if (fm) part.filename = (fm[1] ?? fm[2]).trim();
    } else if (h === "content-type") {
      part.contentType = value;
    }
  }
  return part;
}

/** Telegram's HTML parse mode: validation (like Telegram's 400s) and the visible text. */
import { type BotMessage, FakeApiError } from "./types.ts";

const ALLOWED_HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);

const enc = new TextEncoder();

/** Text/caption of a bot message with HTML tags stripped and entities decoded. */
export function plainText(m: BotMessage | undefined): string {
  if (!m) return "";
  return visible(m.text ?? m.caption ?? "", m.parse_mode);
}

/** Returns an error description when Telegram would reject the HTML, else undefined. */
export function checkHtml(text: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  const off = (pos: number) => enc.encode(text.slice(0, pos)).length;
  while ((i = text.indexOf("<", i)) !== -1) {
    const end = text.indexOf(">", i);
    if (end === -1) return `Unclosed start tag at byte offset ${off(i)}`;
    const inner = text.slice(i + 1, end);
    const closing = inner.startsWith("/");
    const name =
      /^[a-zA-Z][a-zA-Z0-9-]*/.exec(closing ? inner.slice(1) : inner)?.[0]?.toLowerCase() ?? "";
    if (closing) {
      const top = stack.pop();
      if (top === undefined) return `Unexpected end tag at byte offset ${off(i)}`;
      if (top !== name) return `Can't find end tag corresponding to start tag "${top}"`;
    } else {
      if (!ALLOWED_HTML_TAGS.has(name)) {
        return `Unsupported start tag "${name}" at byte offset ${off(i)}`;
      }
      stack.push(name);
    }
    i = end + 1;
  }
  if (stack.length) {
    return `Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`;
  }
  return undefined;
}

/** HTML text without tags, entities decoded. */
export function htmlToPlain(s: string): string {
  if (s.indexOf("<") === -1 && s.indexOf("&") === -1) return s;
  return s.replace(/<[^>]*>/g, "").replace(
    /&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g,
    (_, e: string) =>
      e === "lt"
        ? "<"
        : e === "gt"
        ? ">"
        : e === "amp"
        ? "&"
        : e === "quot"
        ? '"'
        : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

/** What a user sees of a text in the given parse mode. */
export function visible(s: string, parseMode: unknown): string {
  return parseMode === "HTML" ? htmlToPlain(s) : s;
}

/** Throws the 400 Telegram answers for bad HTML, an empty text or one over `max` characters. */
export function checkText(
  text: string,
  parseMode: unknown,
  max: number,
  what: "text" | "caption",
  validateHtml: boolean,
): void {
  if (parseMode === "HTML" && validateHtml) {
    const err = checkHtml(text);
    if (err) throw new FakeApiError(400, `Bad Request: can't parse entities: ${err}`);
  }
  const plain = parseMode === "HTML" ? htmlToPlain(text) : text;
  if (what === "text" && plain.trim() === "") {
    throw new FakeApiError(400, "Bad Request: message text is empty");
  }
  if (plain.length > max) {
    throw new FakeApiError(
      400,
      what === "text"
        ? "Bad Request: message is too long"
        : "Bad Request: message caption is too long",
    );
  }
}

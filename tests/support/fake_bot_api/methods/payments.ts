/** Telegram Payments: invoices, pre-checkout queries and their answers, Stars refunds. */
import { checkMarkup } from "../markup.ts";
import {
  FakeApiError,
  type Invoice,
  type LabeledPrice,
  type Markup,
  type Payload,
  type PreCheckoutAnswer,
} from "../types.ts";
import { isObj, toNum } from "../util.ts";
import type { Builtin, MethodDeps } from "./table.ts";

interface QueryInfo {
  userId: number;
  answered?: PreCheckoutAnswer;
  waiters: Set<(a: PreCheckoutAnswer) => void>;
}

const TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";

/** Pre-checkout queries, their answers and the payment charges made. */
export class Payments {
  /** answerPreCheckoutQuery calls, oldest first. */
  readonly answers: PreCheckoutAnswer[] = [];
  /** Stars charges refunded with refundStarPayment. */
  readonly refunds: Array<{ user_id: number; telegram_payment_charge_id: string; at: number }> = [];
  #queries = new Map<string, QueryInfo>();
  #charges = new Map<string, { userId: number; refunded: boolean }>();
  #seq = 0;

  /** A fresh pre_checkout_query id for `userId`. */
  createQuery(userId: number): string {
    const id = String(7_000_000_000_000 + ++this.#seq);
    this.#queries.set(id, { userId, waiters: new Set() });
    return id;
  }

  /** Resolves with the bot's answer to query `id` (at once when already answered). */
  waitForAnswer(id: string, timeoutMs: number): Promise<PreCheckoutAnswer> {
    const q = this.#queries.get(id);
    if (!q) return Promise.reject(new Error(`unknown pre_checkout_query ${id}`));
    if (q.answered) return Promise.resolve(q.answered);
    return new Promise((resolve, reject) => {
      const fn = (a: PreCheckoutAnswer) => {
        clearTimeout(timer);
        resolve(a);
      };
      const timer = setTimeout(() => {
        q.waiters.delete(fn);
        reject(new Error(`the bot did not answer pre_checkout_query ${id} in ${timeoutMs} ms`));
      }, timeoutMs);
      q.waiters.add(fn);
    });
  }

  /** New charge ids for a payment by `userId`. */
  charge(userId: number, currency: string) {
    const n = ++this.#seq;
    const telegram_payment_charge_id = `${currency === "XTR" ? "stxt" : "tg"}_charge_${n}`;
    this.#charges.set(telegram_payment_charge_id, { userId, refunded: false });
    return { telegram_payment_charge_id, provider_payment_charge_id: `provider_charge_${n}` };
  }

  /** answerPreCheckoutQuery: stores the answer and wakes the paying user. */
  answer(p: Payload): true {
    const id = String(p.pre_checkout_query_id ?? "");
    const q = this.#queries.get(id);
    if (!q || q.answered) throw new FakeApiError(400, TOO_OLD);
    if (typeof p.ok !== "boolean") {
      throw new FakeApiError(400, 'Bad Request: parameter "ok" is required');
    }
    if (!p.ok && (typeof p.error_message !== "string" || p.error_message === "")) {
      throw new FakeApiError(400, "Bad Request: ERROR_MESSAGE_EMPTY");
    }
    const a: PreCheckoutAnswer = { pre_checkout_query_id: id, ok: p.ok, at: Date.now() };
    if (!p.ok) a.error_message = String(p.error_message);
    q.answered = a;
    this.answers.push(a);
    for (const fn of [...q.waiters]) fn(a);
    q.waiters.clear();
    return true;
  }

  /** refundStarPayment: 400 for an unknown or already refunded charge. */
  refund(p: Payload): true {
    const id = String(p.telegram_payment_charge_id ?? "");
    const c = this.#charges.get(id);
    if (!c || c.userId !== toNum(p.user_id)) {
      throw new FakeApiError(400, "Bad Request: CHARGE_NOT_FOUND");
    }
    if (c.refunded) throw new FakeApiError(400, "Bad Request: CHARGE_ALREADY_REFUNDED");
    c.refunded = true;
    this.refunds.push({ user_id: c.userId, telegram_payment_charge_id: id, at: Date.now() });
    return true;
  }
}

/** sendInvoice, answerPreCheckoutQuery and refundStarPayment. */
export function paymentMethods(d: MethodDeps): Record<string, Builtin> {
  return {
    sendInvoice: (p) => {
      const invoice = parseInvoice(p);
      const m = d.chats.newBotMessage(p, "invoice", { invoice });
      return d.chats.toTelegramMessage(m);
    },
    answerPreCheckoutQuery: (p) => d.payments.answer(p),
    refundStarPayment: (p) => d.payments.refund(p),
  };
}

function bad(what: string): never {
  throw new FakeApiError(400, `Bad Request: ${what}`);
}

/** The invoice of a sendInvoice call, checked like Telegram does. */
function parseInvoice(p: Payload): Invoice {
  const str = (k: string) => (typeof p[k] === "string" ? p[k] as string : "");
  const title = str("title");
  const description = str("description");
  const payload = str("payload");
  const currency = str("currency");
  if (title.length < 1 || title.length > 32) bad("INVOICE_TITLE_INVALID: 1-32 characters");
  if (description.length < 1 || description.length > 255) {
    bad("INVOICE_DESCRIPTION_INVALID: 1-255 characters");
  }
  const payloadBytes = new TextEncoder().encode(payload).length;
  if (payloadBytes < 1 || payloadBytes > 128) bad("INVOICE_PAYLOAD_INVALID: 1-128 bytes");
  if (!/^[A-Z]{3}$/.test(currency)) bad("CURRENCY_INVALID");
  const prices = parsePrices(p.prices);
  const stars = currency === "XTR";
  const token = str("provider_token");
  if (stars && (token !== "" || prices.length !== 1)) {
    bad("STARS_INVOICE_INVALID: no provider_token and exactly one price for XTR");
  }
  if (!stars && token === "") bad("PAYMENT_PROVIDER_INVALID");
  const total = prices.reduce((s, x) => s + x.amount, 0);
  if (total <= 0) bad("CURRENCY_TOTAL_AMOUNT_INVALID");
  const kb = (p.reply_markup as Markup | undefined)?.inline_keyboard;
  if (p.reply_markup !== undefined) checkMarkup(p.reply_markup);
  if (kb && kb[0]?.[0]?.pay !== true) bad("REPLY_MARKUP_BUY_EMPTY: the first button must pay");
  const inv: Invoice = { title, description, payload, currency, prices, total_amount: total };
  if (token) inv.provider_token = token;
  if (typeof p.start_parameter === "string") inv.start_parameter = p.start_parameter;
  return inv;
}

function parsePrices(v: unknown): LabeledPrice[] {
  if (!Array.isArray(v) || v.length === 0) bad('parameter "prices" must be a non-empty array');
  return v.map((x) => {
    if (!isObj(x) || typeof x.label !== "string" || !Number.isInteger(x.amount)) {
      bad("can't parse prices JSON object");
    }
    return { label: x.label, amount: x.amount as number };
  });
}

/**
 * Locale catalogs: locales/<lang>/<namespace>.json, flat keys, "{name}" placeholders.
 * A key is addressed as "<namespace>.<key>". Parameters are HTML-escaped because every
 * message is sent with parse_mode HTML; a parameter whose name ends in "Html" is already
 * markup and is inserted as it is.
 */

import type { LocaleKey, Namespace, Namespaces } from "./locale_keys.ts";

/** What the code needs to know about a language besides its catalogs. */
export interface LanguageInfo {
  /** The Intl locale for dates and numbers. */
  intl: string;
  /** The button in the /lang choice, in the language itself. */
  button: string;
}

/**
 * Languages the bot speaks: adding one is its folder locales/<code>/ (every key of ru) and one
 * line here, the code being Telegram's language_code. The first is the fallback.
 */
export const LANGUAGE_INFO = {
  ru: { intl: "ru-RU", button: "🇷🇺 Русский" },
  en: { intl: "en-GB", button: "🇬🇧 English" },
  uk: { intl: "uk-UA", button: "🇺🇦 Українська" },
} as const satisfies Record<string, LanguageInfo>;
/** One of the supported languages. */
export type Lang = keyof typeof LANGUAGE_INFO;
/** The supported languages, the fallback first. */
export const LANGUAGES = Object.keys(LANGUAGE_INFO) as [Lang, ...Lang[]];

/** Whether a code is one of the supported languages. */
export function isLang(code: string): code is Lang {
  return Object.hasOwn(LANGUAGE_INFO, code);
}

/** The Intl locale of a language, e.g. "uk-UA". */
export function intlLocale(lang: Lang): string {
  return LANGUAGE_INFO[lang].intl;
}

/** Telegram languages without a catalog of their own whose speakers usually read Russian. */
const READ_RUSSIAN = ["be", "kk"];

/** Parameters of a catalog text: "{name}" placeholders. */
export type Params = Record<string, string | number>;

/** A function that renders a catalog key in one language (keys are checked by the compiler). */
export type Translate = (key: LocaleKey, params?: Params) => string;

/** A translator for the keys of one namespace: `scoped(ctx.t, "admin_services")("ask_name")`. */
export type ScopedTranslate<N extends Namespace> = (
  key: Namespaces[N] & string,
  params?: Params,
) => string;

/** Narrows a translator to one namespace, so screens name their keys without the prefix. */
export function scoped<N extends Namespace>(t: Translate, namespace: N): ScopedTranslate<N> {
  return (key, params) => t(`${namespace}.${key}` as LocaleKey, params);
}

/** Where the catalogs live (also inside the compiled binary, via --include). */
export const LOCALES_DIR = new URL("../../locales/", import.meta.url);

/** Every catalog, by language, flattened to "namespace.key" -> template. */
export type Catalogs = Record<Lang, Map<string, string>>;

/** Reads all catalogs from disk. */
export function loadCatalogs(dir: URL = LOCALES_DIR): Catalogs {
  const result = {} as Catalogs;
  for (const lang of LANGUAGES) {
    const map = new Map<string, string>();
    const langDir = new URL(`${lang}/`, dir);
    const files = [...Deno.readDirSync(langDir)].filter((e) => e.isFile && e.name.endsWith(".json"))
      .map((e) => e.name).sort();
    for (const file of files) {
      const namespace = file.slice(0, -".json".length);
      const entries = JSON.parse(Deno.readTextFileSync(new URL(file, langDir))) as Record<
        string,
        string
      >;
      for (const [key, value] of Object.entries(entries)) map.set(`${namespace}.${key}`, value);
    }
    result[lang] = map;
  }
  return result;
}

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );
}

/**
 * The language for a user: their choice, else Telegram's language_code ("uk", "en-US", ...)
 * when we speak it, else Russian for Belarusian and Kazakh, English for the rest; Russian
 * when Telegram sends no code, the business language (BUSINESS_LANGUAGE) when it is given.
 */
export function pickLanguage(
  chosen?: string | null,
  languageCode?: string | null,
  fallback: Lang = "ru",
): Lang {
  if (chosen && isLang(chosen)) return chosen;
  if (!languageCode) return fallback;
  const base = languageCode.toLowerCase().split("-")[0];
  if (isLang(base)) return base;
  return READ_RUSSIAN.includes(base) ? "ru" : "en";
}

/** A template split at its placeholders: literals[0] name[0] literals[1] ... literals[n]. */
interface Compiled {
  literals: string[];
  names: string[];
}

// Templates are parsed once each, not on every message; the text alone decides the result.
const compiled = new Map<string, Compiled>();

function compile(template: string): Compiled {
  let c = compiled.get(template);
  if (c) return c;
  c = { literals: [], names: [] };
  const placeholder = /\{(\w+)\}/g;
  let last = 0;
  for (let m = placeholder.exec(template); m; m = placeholder.exec(template)) {
    c.literals.push(template.slice(last, m.index));
    c.names.push(m[1]);
    last = m.index + m[0].length;
  }
  c.literals.push(template.slice(last));
  compiled.set(template, c);
  return c;
}

/** Fills "{name}" placeholders: unknown ones stay as they are, text is escaped unless "…Html". */
export function interpolate(template: string, params: Params): string {
  const { literals, names } = compile(template);
  let out = literals[0];
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const value = params[name];
    if (value === undefined) out += `{${name}}`;
    else if (typeof value === "number" || name.endsWith("Html")) out += String(value);
    else out += escapeHtml(value);
    out += literals[i + 1];
  }
  return out;
}

// One translator per catalogs and language, shared by every update instead of made for each.
const translators = new WeakMap<Catalogs, Map<Lang, Translate>>();

/** Builds the translate function of one language; a missing key throws (tests catch it). */
export function translator(catalogs: Catalogs, lang: Lang): Translate {
  let byLang = translators.get(catalogs);
  if (!byLang) translators.set(catalogs, byLang = new Map());
  let t = byLang.get(lang);
  if (!t) {
    t = (key, params) => {
      const template = catalogs[lang].get(key) ?? catalogs.ru.get(key);
      if (template === undefined) throw new Error(`Missing locale key "${key}"`);
      return params ? interpolate(template, params) : template;
    };
    byLang.set(lang, t);
  }
  return t;
}

/**
 * Locale catalogs: locales/<lang>/<namespace>.json, flat keys, "{name}" placeholders.
 * A key is addressed as "<namespace>.<key>". Parameters are HTML-escaped because every
 * message is sent with parse_mode HTML; a parameter whose name ends in "Html" is already
 * markup and is inserted as it is.
 */

import type { LocaleKey, Namespace, Namespaces } from "./locale_keys.ts";

/** Languages the bot speaks; the first is the fallback. */
export const LANGUAGES = ["ru", "en"] as const;
/** One of the supported languages. */
export type Lang = typeof LANGUAGES[number];

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

/** The language for a user: their choice, else Telegram's language_code, else Russian. */
export function pickLanguage(chosen?: string | null, languageCode?: string | null): Lang {
  if (chosen && (LANGUAGES as readonly string[]).includes(chosen)) return chosen as Lang;
  if (!languageCode) return "ru";
  const base = languageCode.toLowerCase().split("-")[0];
  return ["ru", "uk", "be", "kk"].includes(base) ? "ru" : "en";
}

/** Builds the translate function of one language; a missing key throws (tests catch it). */
export function translator(catalogs: Catalogs, lang: Lang): Translate {
  const map = catalogs[lang];
  return (key, params) => {
    const template = map.get(key) ?? catalogs.ru.get(key);
    if (template === undefined) throw new Error(`Missing locale key "${key}"`);
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      if (typeof value === "number" || name.endsWith("Html")) return String(value);
      return escapeHtml(value);
    });
  };
}

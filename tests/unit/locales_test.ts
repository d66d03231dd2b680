import assert from "node:assert/strict";
import {
  intlLocale,
  LANGUAGE_INFO,
  LANGUAGES,
  loadCatalogs,
  pickLanguage,
  translator,
} from "../../src/ui/i18n.ts";
import { cb } from "../../src/ui/callback_data.ts";
import type { LocaleKey } from "../../src/ui/locale_keys.ts";

const catalogs = loadCatalogs();

Deno.test("locales: every key exists in every language, none empty", () => {
  const all = new Set<string>();
  for (const lang of LANGUAGES) for (const key of catalogs[lang].keys()) all.add(key);
  for (const lang of LANGUAGES) {
    const missing = [...all].filter((k) => !catalogs[lang].has(k));
    assert.deepEqual(missing, [], `missing in ${lang}`);
    for (const [key, value] of catalogs[lang]) {
      assert.ok(value.trim().length > 0, `${lang} ${key} empty`);
    }
  }
});

Deno.test("locales: the bot speaks Russian, English and Ukrainian, each with a folder", () => {
  assert.deepEqual(LANGUAGES, ["ru", "en", "uk"]);
  for (const lang of LANGUAGES) {
    assert.ok(catalogs[lang].size > 500, `${lang} has ${catalogs[lang].size} keys`);
    assert.equal(catalogs[lang].size, catalogs.ru.size, lang);
  }
});

Deno.test("locales: placeholders match between languages", () => {
  const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const lang of LANGUAGES) {
    for (const [key, ru] of catalogs.ru) {
      assert.deepEqual(names(catalogs[lang].get(key) ?? ""), names(ru), `${lang} ${key}`);
    }
  }
});

Deno.test("locales: HTML tags are the same in every language", () => {
  const tags = (s: string) => [...s.matchAll(/<\/?[a-z]+[^>]*>/g)].map((m) => m[0]).sort();
  for (const lang of LANGUAGES) {
    for (const [key, ru] of catalogs.ru) {
      assert.deepEqual(tags(catalogs[lang].get(key) ?? ""), tags(ru), `${lang} ${key}`);
    }
  }
});

Deno.test("locales: Ukrainian is Ukrainian, not Russian left in place", () => {
  const uk = catalogs.uk;
  // Letters Ukrainian does not have.
  const russian = [...uk].filter(([, v]) => /[ыэъё]/i.test(v)).map(([k]) => k);
  assert.deepEqual(russian, []);
  // Texts with words must differ from Russian, except the few that are the same in both.
  const same = [...catalogs.ru].filter(([k, v]) => /[а-яіїєґ]{3}/i.test(v) && uk.get(k) === v)
    .map(([k]) => k);
  assert.ok(same.length < 30, `copied from ru: ${same.join(", ")}`);
  const t = translator(catalogs, "uk");
  assert.equal(t("common.language_set"), "✅ Мова: українська.");
  assert.equal(t("booking.card_name", { name: "<b>x</b>" }), "🙂 Ім'я: &lt;b&gt;x&lt;/b&gt;");
});

Deno.test("locales: the language comes from the choice, else Telegram's code", () => {
  assert.equal(pickLanguage(null, "uk"), "uk");
  assert.equal(pickLanguage(undefined, "uk-UA"), "uk");
  assert.equal(pickLanguage(null, "ru"), "ru");
  assert.equal(pickLanguage(null, "be"), "ru");
  assert.equal(pickLanguage(null, "kk"), "ru");
  assert.equal(pickLanguage(null, "en-US"), "en");
  assert.equal(pickLanguage(null, "de"), "en");
  assert.equal(pickLanguage(null, null), "ru");
  assert.equal(pickLanguage("uk", "en"), "uk", "the user's choice wins");
  assert.equal(pickLanguage("xx", "uk"), "uk", "an unknown stored choice is ignored");
  assert.equal(intlLocale("uk"), "uk-UA");
  // The /lang buttons: one per language, and the codec takes exactly these codes.
  for (const lang of LANGUAGES) {
    assert.deepEqual(cb.lang.unpack(cb.lang.pack({ code: lang })), { code: lang });
    assert.ok(LANGUAGE_INFO[lang].button.length > 0);
  }
  assert.equal(cb.lang.unpack("lg:de"), undefined);
});

Deno.test("locales: every key the code uses literally exists", async () => {
  const used = new Set<string>();
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir));
      else if (entry.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(new URL(entry.name, dir));
        for (const m of text.matchAll(/\bt\(\s*"([a-z_]+\.[a-z0-9_]+)"/g)) used.add(m[1]);
      }
    }
  };
  await walk(new URL("../../src/", import.meta.url));
  assert.ok(used.size > 50);
  const missing = [...used].filter((k) => LANGUAGES.some((lang) => !catalogs[lang].has(k)));
  assert.deepEqual(missing, []);
});

Deno.test("locales: parameters are HTML-escaped unless named *Html", () => {
  const t = translator(catalogs, "en");
  assert.equal(
    t("booking.card_name", { name: "<b>x</b> & y" }),
    "🙂 Name: &lt;b&gt;x&lt;/b&gt; &amp; y",
  );
  assert.throws(() => t("no.such_key" as LocaleKey), /Missing locale key/);
});

Deno.test("locales: without a language code, the business language is used", () => {
  assert.equal(pickLanguage(null, null, "uk"), "uk");
  assert.equal(pickLanguage(null, undefined, "en"), "en");
  assert.equal(pickLanguage(null, "de", "uk"), "en", "a language we do not speak stays English");
  assert.equal(pickLanguage("ru", null, "en"), "ru", "the user's choice wins");
});

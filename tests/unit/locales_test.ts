import assert from "node:assert/strict";
import { LANGUAGES, loadCatalogs, translator } from "../../src/ui/i18n.ts";
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

Deno.test("locales: placeholders match between languages", () => {
  const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, ru] of catalogs.ru) {
    assert.deepEqual(names(catalogs.en.get(key) ?? ""), names(ru), key);
  }
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
  const missing = [...used].filter((k) => !catalogs.ru.has(k) || !catalogs.en.has(k));
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

import assert from "node:assert/strict";
import {
  type Catalogs,
  escapeHtml,
  interpolate,
  LANGUAGES,
  loadCatalogs,
  type Params,
  translator,
} from "../../src/ui/i18n.ts";
import type { LocaleKey } from "../../src/ui/locale_keys.ts";

/** The one-regex interpolation the compiled templates replaced: they must agree exactly. */
function reference(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (typeof value === "number" || name.endsWith("Html")) return String(value);
    return escapeHtml(value);
  });
}

Deno.test("i18n: compiled templates fill placeholders exactly like the plain replace", () => {
  const params: Params = { name: "<Anna & Co>", count: 3, listHtml: "<b>x</b>", a: '"q"', b: 7 };
  const samples = [
    "",
    "plain",
    "{name}",
    "{a}{b}",
    "Hello, {name}! {count} left {missing}.",
    "{listHtml} and {name}",
    "{ name } {} {{a}} {a}}",
  ];
  for (const template of samples) {
    assert.equal(interpolate(template, params), reference(template, params), template);
    // Served from the compiled cache the second time, with other values.
    const other: Params = { name: "Bob", count: 0, a: "" };
    assert.equal(interpolate(template, other), reference(template, other), template);
  }
});

Deno.test("i18n: every catalog text renders as before, with and without its values", () => {
  const catalogs = loadCatalogs();
  for (const lang of LANGUAGES) {
    for (const template of catalogs[lang].values()) {
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const params: Params = {};
      names.forEach((n, i) => params[n] = i % 2 ? i : `<${n}&>`);
      assert.equal(interpolate(template, params), reference(template, params));
      assert.equal(interpolate(template, {}), template);
    }
  }
});

Deno.test("i18n: a translator is shared per catalogs and language, and reads its own catalogs", () => {
  const one: Catalogs = { ru: new Map([["k.x", "один {n}"]]), en: new Map(), uk: new Map() };
  const two: Catalogs = { ru: new Map([["k.x", "два {n}"]]), en: new Map(), uk: new Map() };
  const key = "k.x" as LocaleKey;
  assert.equal(translator(one, "ru"), translator(one, "ru"));
  assert.notEqual(translator(one, "ru"), translator(one, "en"));
  assert.equal(translator(one, "ru")(key, { n: 1 }), "один 1");
  assert.equal(translator(two, "ru")(key, { n: 2 }), "два 2");
  assert.equal(translator(one, "en")(key), "один {n}"); // falls back to Russian
  one.en.set("k.x", "one {n}");
  assert.equal(translator(one, "en")(key, { n: 1 }), "one 1");
  assert.throws(() => translator(one, "ru")("k.none" as LocaleKey), /Missing locale key/);
});

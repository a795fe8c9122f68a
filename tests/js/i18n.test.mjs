// pwa/js/i18n: the catalogues and the words they give.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";

import { LANGUAGES, pickLanguage, t } from "../../pwa/js/i18n/index.js";

const PWA = new URL("../../pwa/", import.meta.url).pathname;
const I18N = join(PWA, "js", "i18n");
// The areas with words of their own (i18n/en/<area>.js), loaded with their screens.
const AREAS = readdirSync(join(I18N, "en")).filter((n) => n.endsWith(".js")).map((n) => n.slice(0, -3));
const load = async (path) => (existsSync(path) ? (await import(path)).default : {});
// A language's whole catalogue: its first screen's words and every area's.
async function wholeCatalogue(code) {
  const parts = [await load(join(I18N, `${code}.js`))];
  for (const area of AREAS) parts.push(await load(join(I18N, code, `${area}.js`)));
  for (const [i, part] of parts.entries()) {
    const area = AREAS[i - 1];
    for (const key of Object.keys(part)) {
      const keyArea = key.split(".")[0];
      if (area) assert.equal(keyArea, area, `${code}/${area}.js holds "${key}"`);
      else assert.ok(!AREAS.includes(keyArea), `${code}.js holds "${key}", whose area has a file of its own`);
    }
  }
  return Object.assign({}, ...parts);
}
const catalogues = Object.fromEntries(await Promise.all(LANGUAGES.map(async ({ code }) => [code, await wholeCatalogue(code)])));
const en = catalogues.en;
const placeholders = (message) => new Set([...JSON.stringify(message).matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
const PLURAL = new Set(["zero", "one", "two", "few", "many", "other"]);

test("the phone's language is chosen when Hearth speaks it, else English", () => {
  assert.equal(pickLanguage(["es-MX", "en-US"]), "es");
  assert.equal(pickLanguage(["fr-FR", "es"]), "es");
  assert.equal(pickLanguage(["de-DE", "fr"]), "en");
  assert.equal(pickLanguage(["AR_eg"]), "ar");
  assert.equal(pickLanguage([]), "en");
  assert.equal(pickLanguage(undefined), "en");
});

test("a complete catalogue has every English key, with the same placeholders", () => {
  for (const { code, complete } of LANGUAGES) {
    const words = catalogues[code];
    for (const key of Object.keys(words)) assert.ok(Object.hasOwn(en, key), `${code}: "${key}" is not an English key`);
    if (complete) assert.deepEqual(Object.keys(words).sort(), Object.keys(en).sort(), `${code} is marked complete`);
    for (const [key, message] of Object.entries(words)) {
      assert.deepEqual(placeholders(message), placeholders(en[key]), `${code}: "${key}" fills other placeholders`);
      if (typeof message === "object") {
        assert.ok("other" in message, `${code}: "${key}" has no "other" form`);
        for (const form of Object.keys(message)) assert.ok(PLURAL.has(form), `${code}: "${key}" has a form "${form}"`);
      } else {
        assert.equal(typeof message, "string");
        assert.ok(message.trim(), `${code}: "${key}" is empty`);
      }
    }
  }
});

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

test("every key the app asks for is in the English catalogue", () => {
  const asked = [];
  for (const path of files(join(PWA, "js"))) {
    if (!path.endsWith(".js")) continue;
    for (const m of readFileSync(path, "utf8").matchAll(/\bt\(\s*"([\w.]+)"/g)) asked.push([path, m[1]]);
  }
  const html = readFileSync(join(PWA, "index.html"), "utf8");
  for (const m of html.matchAll(/data-i18n="([\w.]+)"/g)) asked.push(["index.html", m[1]]);
  for (const m of html.matchAll(/data-i18n-attrs="([^"]+)"/g)) {
    for (const pair of m[1].split(/\s+/)) asked.push(["index.html", pair.split(":")[1]]);
  }
  assert.ok(asked.length > 10);
  const missing = asked.filter(([, key]) => !Object.hasOwn(en, key)).map(([path, key]) => `${path}: ${key}`);
  assert.deepEqual(missing, []);
});

test("a language has a file for each area it says it has words for, and no other", () => {
  for (const { code, complete, areas } of LANGUAGES.filter((l) => l.code !== "en")) {
    const dir = join(I18N, code);
    const files = existsSync(dir) ? readdirSync(dir).map((n) => n.replace(/\.js$/, "")).sort() : [];
    assert.deepEqual(files, complete ? [...AREAS].sort() : [...areas].sort(), code);
  }
});

test("a module asking for an area's words loads them first", () => {
  const late = [];
  for (const path of files(join(PWA, "js"))) {
    if (!path.endsWith(".js") || path.startsWith(I18N)) continue;
    const code = readFileSync(path, "utf8");
    const asked = new Set([...code.matchAll(/\bt\(\s*"(\w+)\./g)].map((m) => m[1]).filter((area) => AREAS.includes(area)));
    for (const area of asked) if (!code.includes(`await useWords("${area}")`)) late.push(`${path}: ${area}`);
  }
  assert.deepEqual(late, []);
});

test("words are filled in, counted in the language's plural forms, and numbers formatted", () => {
  assert.equal(t("tabs.home"), "Home");
  assert.equal(t("language.phone", { name: "English" }), "The phone's language (English)");
  assert.equal(t("language.phone", {}), "The phone's language ({name})");
});

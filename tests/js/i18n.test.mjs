// pwa/js/i18n: the catalogues and the words they give.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";

import { LANGUAGES, pickLanguage, t } from "../../pwa/js/i18n/index.js";
import en from "../../pwa/js/i18n/en.js";

const PWA = new URL("../../pwa/", import.meta.url).pathname;
const catalogues = Object.fromEntries(await Promise.all(LANGUAGES.map(async ({ code }) =>
  [code, (await import(`../../pwa/js/i18n/${code}.js`)).default])));
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

test("words are filled in, counted in the language's plural forms, and numbers formatted", () => {
  assert.equal(t("tabs.home"), "Home");
  assert.equal(t("language.phone", { name: "English" }), "The phone's language (English)");
  assert.equal(t("language.phone", {}), "The phone's language ({name})");
});

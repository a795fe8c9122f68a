// Hearth's words in the person's language. One catalogue per language (i18n/<code>.js: a
// key for every sentence, in the app's own words), with the words of each area of screens
// in a file of its own (i18n/<code>/<area>.js) that loads with those screens, so the first
// screen doesn't wait for every other's words; plurals, numbers, lists and dates through
// Intl. The language is chosen once, when the page starts: the one picked in Settings (kept
// in localStorage, so the lock screen speaks it too before anything is unlocked), else the
// phone's own, else English. A key a catalogue lacks falls back to English, so a language
// can ship before it is complete; switching reloads the page, so no screen has to redraw
// its words. Top-level await: every module that imports this one gets the catalogue ready.
import english from "./en.js";

/** The languages Hearth speaks: code, its own name for itself, whether it is complete, and
 * (for one that is not) the areas it has words for, so no other is asked for in vain. */
export const LANGUAGES = [
  { code: "en", name: "English", complete: true },
  { code: "es", name: "Español", complete: true },
  { code: "ar", name: "العربية", complete: false, areas: [] },
];
const RTL = new Set(["ar", "he", "fa", "ur"]);
const KEPT = "hearth-language";

/** The best of `available` for someone whose preferences are `wanted` (BCP 47, best first). */
export function pickLanguage(wanted, available = LANGUAGES.map((l) => l.code)) {
  for (const tag of wanted || []) {
    const base = String(tag).toLowerCase().split(/[-_]/)[0];
    if (available.includes(base)) return base;
  }
  return "en";
}

export const keptLanguage = () => { try { return globalThis.localStorage?.getItem(KEPT) ?? null; } catch { return null; } };
const phone = (globalThis.navigator?.languages?.length ? [...navigator.languages] : [globalThis.navigator?.language]).filter(Boolean);

export const language = pickLanguage(keptLanguage() ? [keptLanguage()] : phone);
/** For dates and numbers: the phone's own regional form of the language where it has one
 * ("en-GB": 4 December), else the language itself. */
export const locale = phone.find((tag) => pickLanguage([tag]) === language && tag.includes("-")) || language;
export const direction = RTL.has(language) ? "rtl" : "ltr";
const catalogue = { ...english, ...(language === "en" ? {} : (await import(`./${language}.js`)).default) };
const areas = new Map();   // area -> its words loading, once

/**
 * The words of `area` (keys "area.…"), from i18n/en/<area>.js and this language's own file
 * where there is one. Every module that asks for them awaits this at its top (top-level
 * await), so its words are here before it draws anything.
 */
export function useWords(area) {
  if (!areas.has(area)) {
    const { complete, areas: has = [] } = LANGUAGES.find((l) => l.code === language);
    const own = language !== "en" && (complete || has.includes(area)) ? import(`./${language}/${area}.js`) : null;
    areas.set(area, Promise.all([import(`./en/${area}.js`), own]).then(([base, mine]) => {
      Object.assign(catalogue, base.default, mine?.default);
    }));
  }
  return areas.get(area);
}
const plurals = new Intl.PluralRules(locale);
const numbers = new Intl.NumberFormat(locale);

/** Keep `code` as this phone's language (null: follow the phone's own) from the next start. */
export function keepLanguage(code) {
  if (code) localStorage.setItem(KEPT, code);
  else localStorage.removeItem(KEPT);
}

/** The words for `key`, with {placeholders} filled from `params`; a message with plural
 * forms ({ one, other, ... }) is chosen by `params.count` through Intl.PluralRules. */
export function t(key, params = {}) {
  let message = Object.hasOwn(catalogue, key) ? catalogue[key] : null;
  if (message === null) {
    console.warn(`no words for "${key}"`);
    return key;
  }
  if (typeof message === "object") message = message[plurals.select(params.count ?? 0)] ?? message.other;
  return message.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = params[name];
    return typeof value === "number" ? numbers.format(value) : String(value);
  });
}

/** "a, b and c" in this language. */
export const list = (items, type = "conjunction") => new Intl.ListFormat(locale, { style: "long", type }).format(items);

/** The page's fixed words (index.html): data-i18n="key" sets an element's text, and
 * data-i18n-attrs="aria-label:key title:key2" its attributes. */
export function translatePage(root = document) {
  document.documentElement.lang = language;
  document.documentElement.dir = direction;
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-attrs]")) {
    for (const pair of node.dataset.i18nAttrs.split(/\s+/)) {
      const [attr, key] = pair.split(":");
      node.setAttribute(attr, t(key));
    }
  }
}

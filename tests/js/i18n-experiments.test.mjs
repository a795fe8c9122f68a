// The experiments screen's and the paced path's counted and joined messages (i18n/en/exp.js
// and en/paced.js): each says what the English built by hand said before.
import assert from "node:assert/strict";
import test from "node:test";

import { LANGUAGES, t, useWords } from "../../pwa/js/i18n/index.js";

await Promise.all([useWords("exp"), useWords("paced")]);
const wordsOf = async (code, area) => (await import(`../../pwa/js/i18n/${code}/${area}.js`).catch(() => ({ default: {} }))).default;
const catalogues = await Promise.all(LANGUAGES.map(async ({ code }) => [code, await wordsOf(code, "exp")]));
const fill = (message, params) => message.replace(/\{(\w+)\}/g, (whole, name) => String(params[name] ?? whole));

test("an experiment's days are counted in one message, the last day apart", () => {
  assert.equal(t("exp.countdown", { day: 3, days: 7, count: 4 }), "Day 3 of 7, 4 days to go");
  assert.equal(t("exp.countdown", { day: 6, days: 7, count: 1 }), "Day 6 of 7, 1 day to go");
  assert.equal(t("exp.countdown_last", { day: 7, days: 7 }), "Day 7 of 7, the last day");
  assert.equal(t("exp.starts", { date: "4 December", count: 1 }), "Starts 4 December, for 1 day.");
  assert.equal(t("exp.proposal_when", { count: 7 }), "For 7 days, from the day you've both said yes.");
});

// The screen finds a saved experiment in the journal by how its entry begins.
test("the journal entry of an experiment begins with its marker, in every language", () => {
  for (const [code, words] of catalogues) {
    const tried = words["exp.journal_tried"];
    if (!tried) continue;
    const marker = fill(words["exp.journal_marker"], { title: "Walks" });
    for (const form of Object.values(tried)) {
      assert.ok(fill(form, { title: "Walks", count: 7, date: "1/12/2026" }).startsWith(marker), `${code}: ${form}`);
    }
  }
});

test("a step back says which step, except back to the start", () => {
  assert.equal(t("paced.stepped_back_to", { step: 2 }), "You've stepped back to step 2. That's part of the path.");
  assert.equal(t("paced.stepped_back"), "You've stepped back. That's part of the path.");
});

// The closeness ideas care for bodies after treatment: ideas with water or touch say where
// a body may need care, none presumes how someone looks, and the caring partner has ideas too.
import assert from "node:assert/strict";
import test from "node:test";

import { PROMPTS } from "../../pwa/js/core/prompts.js";

test("baths, massage and stretching carry their caveat", () => {
  const caveat = /(numb|wound|line|scar|swollen|physiotherapist|care team|nurse)/i;
  for (const p of PROMPTS.filter((i) => /\b(bath|massage|stretch\w*)\b/i.test(i.text))) {
    assert.match(p.text, caveat, p.id);
  }
});

test("no idea presumes a look: no dressing up, no photos of before", () => {
  for (const p of PROMPTS) assert.doesNotMatch(p.text, /dress up|old photos|before photos/i, p.id);
});

test("there are ideas for the caring partner, for tender days and for laughing", () => {
  assert.ok(PROMPTS.filter((p) => /caring/i.test(p.text)).length >= 3);
  assert.ok(PROMPTS.some((p) => /tender day/i.test(p.text)));
  assert.ok(PROMPTS.some((p) => /silly|funniest/i.test(p.text)));
});

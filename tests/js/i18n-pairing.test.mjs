// The pairing screens' words (i18n/<code>/pairing.js): a broken link's reason, which
// core/pairing-link.js names, is said by pairing/link-words.js in the person's language,
// and the countdown counts in the language's forms.
import assert from "node:assert/strict";
import test from "node:test";

import { parsePairingLink } from "../../pwa/js/core/pairing-link.js";
import { t } from "../../pwa/js/i18n/index.js";
import es from "../../pwa/js/i18n/es/pairing.js";
import { linkReason } from "../../pwa/js/pairing/link-words.js";

const E = "BA" + "A".repeat(86);   // 65 bytes starting 0x04, in base64url
const reasonOf = (link) => { try { parsePairingLink(link); } catch (err) { return linkReason(err); } return null; };

test("every reason a pairing link is refused has words of its own in the catalogue", () => {
  const reasons = {
    [t("pairing.link_not_text")]: reasonOf(42),
    [t("pairing.link_no_address")]: reasonOf("hearth.example.org/#/pair?v=1"),
    [t("pairing.link_not_hearth")]: reasonOf("https://hearth.example.org/#/journal"),
    [t("pairing.link_other_version")]: reasonOf(`https://hearth.example.org/#/pair?v=2&s=AAAA&e=${E}`),
    [t("pairing.link_incomplete")]: reasonOf("https://hearth.example.org/#/pair?v=1&s=c2VjcmV0"),
  };
  for (const [words, found] of Object.entries(reasons)) assert.equal(found, words);
  // The English is the parser's own, so the sentences read as they always have.
  assert.equal(t("pairing.link_unusable", { reason: reasonOf("https://hearth.example.org/#/pair?v=1&s=c2VjcmV0") }),
    "This pairing link can't be used: this pairing link is incomplete or damaged. Ask your partner to show a new code.");
});

test("a reason the catalogue doesn't know yet is still said, in the parser's words", () => {
  assert.equal(linkReason(new Error("a new kind of trouble")), "a new kind of trouble");
});

test("the code's countdown counts its minutes in the language's plural forms", () => {
  assert.equal(t("pairing.code_minutes_left", { count: 1 }), "This code works for 1 more minute.");
  assert.equal(t("pairing.code_minutes_left", { count: 10 }), "This code works for 10 more minutes.");
  assert.notEqual(es["pairing.code_minutes_left"].one, es["pairing.code_minutes_left"].other);
});

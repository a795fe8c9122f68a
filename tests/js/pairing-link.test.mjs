// pwa/js/core/pairing-link.js: the vector link, and a clear error for each way a link breaks.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { b64u, fromHex as h } from "../../pwa/js/core/encoding.js";
import { PairingLinkError, pairingLink, parsePairingLink } from "../../pwa/js/core/pairing-link.js";

const V = JSON.parse(readFileSync(new URL("../../docs/test-vectors.json", import.meta.url), "utf8"));
const P = V.pairing;
const S = b64u(h(P.secret));
const E = b64u(h(P.eph_a_pub));

test("the vector link builds and parses", () => {
  assert.equal(pairingLink(P.origin, h(P.secret), h(P.eph_a_pub)), P.link);
  assert.equal(pairingLink(P.origin + "//", h(P.secret), h(P.eph_a_pub)), P.link);
  assert.deepEqual(parsePairingLink(P.link), { origin: P.origin, secret: h(P.secret), eph: h(P.eph_a_pub) });
  assert.deepEqual(parsePairingLink(`  ${P.link}\n`).origin, P.origin);
});

test("the origin is normalised and keeps a port", () => {
  const at = (origin) => parsePairingLink(`${origin}/#/pair?v=1&s=${S}&e=${E}`).origin;
  assert.equal(at("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
  assert.equal(at("HTTPS://Hearth.Example.ORG:443"), "https://hearth.example.org");
  assert.equal(at("https://user:pw@hearth.example.org"), "https://hearth.example.org");
  // The path and query before the fragment are not part of the origin.
  assert.equal(parsePairingLink(`https://hearth.example.org/app/?x=1#/pair?v=1&s=${S}&e=${E}`).origin, "https://hearth.example.org");
  // Parameter order does not matter.
  assert.deepEqual(parsePairingLink(`https://h.example/#/pair?e=${E}&s=${S}&v=1`).secret, h(P.secret));
});

test("malformed links get a clear error", () => {
  const cases = [
    ["", /starts with http/],
    ["hearth.example.org/#/pair?v=1", /starts with http/],
    [`ftp://hearth.example.org/#/pair?v=1&s=${S}&e=${E}`, /starts with http/],
    [`file:///#/pair?v=1&s=${S}&e=${E}`, /starts with http/],
    ["https://hearth.example.org/", /no #\/pair part/],
    [`https://hearth.example.org/#/journal?v=1&s=${S}&e=${E}`, /no #\/pair part/],
    [`https://hearth.example.org/?v=1&s=${S}&e=${E}`, /no #\/pair part/],
    [`https://hearth.example.org/#/pair?s=${S}&e=${E}`, /unsupported version/],
    [`https://hearth.example.org/#/pair?v=2&s=${S}&e=${E}`, /unsupported version/],
    [`https://hearth.example.org/#/pair?v=1&v=1&s=${S}&e=${E}`, /unsupported version/],
    [`https://hearth.example.org/#/pair?v=1&e=${E}`, /incomplete or damaged/],
    [`https://hearth.example.org/#/pair?v=1&s=${S}`, /incomplete or damaged/],
    [`https://hearth.example.org/#/pair?v=1&s=${S}=&e=${E}`, /incomplete or damaged/],
    [`https://hearth.example.org/#/pair?v=1&s=${S.slice(0, -2)}&e=${E}`, /incomplete or damaged/],
    [`https://hearth.example.org/#/pair?v=1&s=${S}&e=${E.slice(0, -3)}`, /incomplete or damaged/],
    [`https://hearth.example.org/#/pair?v=1&s=${S}&s=${S}&e=${E}`, /incomplete or damaged/],
    [`https://hearth.example.org/#/pair?v=1&s=${S.replace(/[_-]/g, "+")}A&e=${E}`, /incomplete or damaged/],
    [`https://hearth.example.org/#/pair?v=1&s=${S}&e=${b64u(Uint8Array.of(2, ...h(P.eph_a_pub).subarray(1)))}`, /incomplete or damaged/],
  ];
  for (const [link, reason] of cases) {
    assert.throws(() => parsePairingLink(link), (err) => {
      assert.ok(err instanceof PairingLinkError, `${link}: ${err}`);
      assert.match(err.message, reason, link);
      return true;
    });
  }
  assert.throws(() => parsePairingLink(null), PairingLinkError);
});

test("building refuses the wrong types", () => {
  assert.throws(() => pairingLink(P.origin, S, h(P.eph_a_pub)), TypeError);
  assert.throws(() => pairingLink(null, h(P.secret), h(P.eph_a_pub)), TypeError);
});

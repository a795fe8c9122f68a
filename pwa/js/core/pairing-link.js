// The pairing link of section 4.1: `<relay origin>/#/pair?v=1&s=<b64u(S)>&e=<b64u(E_A)>`.
// Python: pairing_link / parse_pairing_link in server/hearth/protocol/pairing.py.
//
// Everything secret sits in the fragment, which browsers never send to a server. Pure ES
// module (uses only the URL and URLSearchParams globals), so it also runs in Node.

import { assertBytes, b64u, unb64u } from "./encoding.js";
import { PUBLIC_KEY_BYTES, SECRET_BYTES, VERSION } from "./crypto.js";

/**
 * A link that is not a usable Hearth pairing link: `message` says why in English (as the
 * reference client does), `reason` names it, for the screens to say in the person's language.
 */
export class PairingLinkError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = "PairingLinkError";
    this.reason = reason;
  }
}

const FRAGMENT_PREFIX = "#/pair?";

export function pairingLink(origin, secret, ephPub) {
  if (typeof origin !== "string") throw new TypeError("origin must be a string");
  assertBytes(secret, "pairing secret");
  assertBytes(ephPub, "ephemeral public key");
  return `${origin.replace(/\/+$/, "")}/${FRAGMENT_PREFIX}v=${VERSION}&s=${b64u(secret)}&e=${b64u(ephPub)}`;
}

/**
 * { origin, secret, eph } from a link, or a PairingLinkError saying what is wrong.
 * `origin` is the URL's normalised origin (lower-case host, no default port, no
 * user:password@), which is where the joiner must connect.
 */
export function parsePairingLink(link) {
  if (typeof link !== "string") throw new PairingLinkError("not_text", "a pairing link is text");
  let url;
  try {
    url = new URL(link.trim());
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.host) {
    throw new PairingLinkError("no_address", "a pairing link starts with http:// or https:// and the relay's address");
  }
  if (!url.hash.startsWith(FRAGMENT_PREFIX)) {
    throw new PairingLinkError("not_hearth", "this is not a Hearth pairing link (no #/pair part)");
  }
  const query = new URLSearchParams(url.hash.slice(FRAGMENT_PREFIX.length));
  const v = query.getAll("v");
  if (v.length !== 1 || v[0] !== String(VERSION)) {
    throw new PairingLinkError("other_version", "this pairing link is from an unsupported version of Hearth");
  }
  const secret = singleB64u(query, "s");
  const eph = singleB64u(query, "e");
  if (!secret || !eph || secret.length !== SECRET_BYTES || eph.length !== PUBLIC_KEY_BYTES || eph[0] !== 4) {
    throw new PairingLinkError("incomplete", "this pairing link is incomplete or damaged");
  }
  return { origin: url.origin, secret, eph };
}

// A repeated parameter is refused rather than guessed at: the link is all the joiner has.
function singleB64u(query, name) {
  const values = query.getAll(name);
  if (values.length !== 1) return null;
  try {
    return unb64u(values[0]);
  } catch {
    return null;
  }
}

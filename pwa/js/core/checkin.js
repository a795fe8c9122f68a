// Sealed check-ins (docs/protocol.md §10), the same construction as
// server/hearth/protocol/checkin.py: my answers under a key of their own, a commitment to
// that key, and the key sent only once my partner's sealed answers for the week are here.
import * as c from "./crypto.js";
import { isoWeek, today } from "./dates.js";
import { b64u, canon, concat, fromUtf8, unb64u, utf8 } from "./encoding.js";
import { isBlank } from "./records.js";

export const QUESTIONS = ["needs", "felt_good", "try_next", "i_statement", "anything_else"];
export const MAX_ANSWER = 2000;

/** The ISO week ("2026-W48") of `date` on this phone's calendar: a check-in's week. */
export const currentWeek = (date = new Date()) => isoWeek(today(date));

export async function checkinId(author, week) {
  return b64u((await c.sha256(canon("hearth/v1/checkin-id", utf8(author), utf8(week)))).subarray(0, 16));
}

export async function commitment(key) {
  return b64u(await c.sha256(canon("hearth/v1/checkin-key", key)));
}

const ad = (pair, author, week) => canon("hearth/v1/checkin", utf8(pair), utf8(author), utf8(week));

// Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False).
function canonicalJson(answers) {
  return JSON.stringify(Object.fromEntries(Object.keys(answers).sort().map((k) => [k, answers[k]])));
}

export function checkAnswers(answers) {
  if (!answers || typeof answers !== "object" || Array.isArray(answers) || !Object.keys(answers).length) {
    throw new Error("'answers' must be an object with at least one answer");
  }
  for (const [name, text] of Object.entries(answers)) {
    if (!QUESTIONS.includes(name)) throw new Error(`unknown check-in question '${name}'; known: ${QUESTIONS.join(", ")}`);
    if (typeof text !== "string" || isBlank(text) || [...text].length > MAX_ANSWER) {
      throw new Error(`the answer to '${name}' must be 1 to ${MAX_ANSWER} characters`);
    }
  }
  return answers;
}

// { key, fields }: the key stays on this phone until it is fair to release it.
export async function sealAnswers(answers, pair, author, week, key = null, nonce = null) {
  checkAnswers(answers);
  key ??= c.randomBytes(32);
  nonce ??= c.randomBytes(12);
  const sealed = concat(nonce, await c.seal(key, nonce, utf8(canonicalJson(answers)), ad(pair, author, week)));
  return { key, fields: { week, sealed: b64u(sealed), commitment: await commitment(key) } };
}

export async function openAnswers(fields, pair, author) {
  let key;
  let sealed;
  try {
    key = unb64u(fields.key);
    sealed = unb64u(fields.sealed);
  } catch {
    throw new c.CryptoError("the check-in is not released or is malformed");
  }
  if (key.length !== 32 || (await commitment(key)) !== fields.commitment) {
    throw new c.CryptoError("the released key does not match its commitment");
  }
  if (sealed.length < 28) throw new c.CryptoError("the sealed answers are too short");
  const plain = await c.openSealed(key, sealed.subarray(0, 12), sealed.subarray(12), ad(pair, author, fields.week));
  return checkAnswers(JSON.parse(fromUtf8(plain)));
}

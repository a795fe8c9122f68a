// Moving to a new phone (docs/protocol.md §11.4), the pure part: the move stream's bodies,
// which carry everything the old phone holds (every record whole, and in `state` what the
// new phone needs to go on as it: the partner's keys, the lineages, the clock, check-ins,
// what the partner has not yet confirmed, reminders and preferences), reading them back
// with every field checked, and the words for how far the move has come. No DOM, no
// IndexedDB: node tests it.
import { utf8 } from "./encoding.js";
import { t } from "../i18n/index.js";
import { MAX_BODY } from "./envelope.js";
import { historyRecord, isDeviceId, MAX_LINEAGE } from "./succession.js";

const isObject = (x) => Boolean(x) && typeof x === "object" && !Array.isArray(x);
const isLineage = (x) => Array.isArray(x) && x.length <= MAX_LINEAGE && x.every(isDeviceId);
const whole = (x) => Number.isSafeInteger(x) && x >= 0;
const B64U_32 = /^[A-Za-z0-9_-]{43}$/;

// The lists a part's `state` may hold, each item checked on the way in. `checkins` and
// `unsent` are the protocol's; `reminders`, `preferences` and `noticed` are the app's own
// (a receiver ignores what it does not know, §11.4).
const ITEM = {
  checkins: (x) => isObject(x) && typeof x.week === "string" && isDeviceId(x.author) && typeof x.key === "string" &&
    B64U_32.test(x.key) && isObject(x.answers) && typeof x.released === "boolean",
  unsent: (x) => isObject(x) && !("succession" in x),
  reminders: (x) => isObject(x) && typeof x.key === "string" && typeof x.day === "string",
  preferences: (x) => isObject(x) && typeof x.name === "string" && "value" in x,
  noticed: (x) => isObject(x) && typeof x.type === "string" && typeof x.id === "string",
};
export const LISTS = Object.keys(ITEM);

/**
 * The first part's own fields (§11.4): the partner's phone, my lineage and theirs, my clock;
 * and, for the app, the ids of pairings that ended, so their records stay as they were.
 */
export function firstState(me, hlc) {
  const state = { peer: me.peer, lineage: me.lineage || [], peer_lineage: me.peerLineage || [], hlc: hlc || [0, 0] };
  if (me.former?.length) state.former = me.former;
  if (me.formerPeers?.length) state.former_peers = me.formerPeers;
  return state;
}

/**
 * The move stream's bodies, `{"move": {"part", "parts"}, "records": [...], "state": {...}}`,
 * each as full as a body may be (§5.3): `records` in the order given, then each list of
 * `lists` ({ name: [item] }), items in order; the first part's `state` also holds
 * `first`'s fields. Every part has a `state`, empty or not, since a reader takes a body
 * without one for something else. Room is kept for the part numbers' digits and for every
 * list's name in every part. An item too large for any part is left out and counted.
 */
export function packMove(records, first, lists = {}, maxBody = MAX_BODY) {
  const items = [...records.map((r) => ["records", JSON.stringify(historyRecord(r))]),
    ...LISTS.flatMap((name) => (lists[name] || []).map((x) => [name, JSON.stringify(x)]))];
  const named = LISTS.filter((name) => lists[name]?.length);
  const own = JSON.stringify(first).slice(1, -1);
  const digits = "9".repeat(String(Math.max(1, items.length)).length);
  const empty = named.map((n) => `"${n}":[],`).join("");
  const room = maxBody - utf8(`{"move":{"part":${digits},"parts":${digits}},"records":[],"state":{${empty}${own}}}`).length;
  const groups = [{}];
  let used = 0;
  let skipped = 0;
  for (const [name, text] of items) {
    const bytes = utf8(text).length + 1;   // with the comma before it
    if (bytes > room) {
      skipped += 1;
      continue;
    }
    if (used + bytes > room) {
      groups.push({});
      used = 0;
    }
    used += bytes;
    (groups[groups.length - 1][name] ??= []).push(text);
  }
  const parts = groups.length;
  const bodies = groups.map((g, i) => {
    const inner = [...named.filter((n) => g[n]).map((n) => `"${n}":[${g[n].join(",")}]`), ...(i === 0 && own ? [own] : [])];
    return `{"move":{"part":${i + 1},"parts":${parts}},"records":[${(g.records || []).join(",")}],"state":{${inner.join(",")}}}`;
  });
  return { bodies, skipped };
}

/** { part, parts, records, state } of a move body, or null if the body is not one. */
export function readMove(body) {
  const m = isObject(body) ? body.move : null;
  if (!isObject(m) || !Array.isArray(body.records) || !isObject(body.state)) return null;
  const { part, parts } = m;
  if (!Number.isSafeInteger(parts) || parts < 1 || !Number.isSafeInteger(part) || part < 1 || part > parts) return null;
  return { part, parts, records: body.records, state: body.state };
}

const isPeer = (p) => isObject(p) && isDeviceId(p.device) && Number.isInteger(p.suite) &&
  typeof p.sig_pub === "string" && typeof p.dh_pub === "string";

/**
 * What this phone can use of a part's `state`: the first part's fields where they are
 * well-formed (`peer` null otherwise), and each list's well-formed items; the rest is ignored.
 * `skipped` counts the items that did not fit.
 */
export function readState(state) {
  const s = isObject(state) ? state : {};
  const out = { peer: isPeer(s.peer) ? { device: s.peer.device, suite: s.peer.suite, sig_pub: s.peer.sig_pub, dh_pub: s.peer.dh_pub } : null,
    skipped: 0 };
  for (const name of ["lineage", "peer_lineage", "former", "former_peers"]) out[name] = isLineage(s[name]) ? s[name] : [];
  out.hlc = Array.isArray(s.hlc) && s.hlc.length === 2 && s.hlc.every(whole) ? s.hlc : null;
  for (const name of LISTS) {
    const list = Array.isArray(s[name]) ? s[name] : [];
    out[name] = list.filter(ITEM[name]);
    out.skipped += list.length - out[name].length;
  }
  return out;
}

/**
 * How the move stands, in a sentence, on either phone: `m` is { sending, done, parts,
 * complete } (sync/move-stream.js progress()).
 */
export function moveLine(m) {
  if (m.sending) {
    if (!m.parts) return t("moving.getting_ready");
    return m.complete ? t("moving.sent") : t("moving.sending", { done: m.done, parts: m.parts });
  }
  if (m.complete) return t("moving.arrived");
  return m.parts ? t("moving.receiving", { done: m.done, parts: m.parts }) : t("moving.waiting");
}

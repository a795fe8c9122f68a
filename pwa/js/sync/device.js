// What this phone is to the protocol: its keys, its pairing, its records, and how an
// envelope is sealed and applied. The same steps as server/hearth/client/device.py.
import * as c from "../core/crypto.js";
import * as env from "../core/envelope.js";
import { b64u, bytesEqual, fromHex, fromUtf8, toHex, unb64u, utf8 } from "../core/encoding.js";
import { checkAnswers, checkinId, currentWeek, openAnswers, sealAnswers } from "../core/checkin.js";
import { inRanges, missingRanges, openReceipt, sealReceipt } from "../core/receipt.js";
import * as rec from "../core/records.js";
import * as db from "../data/db.js";

export const changes = new EventTarget();   // "records" and "pairing" events for the views
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("hearth") : null;
channel?.addEventListener("message", (e) => changes.dispatchEvent(new CustomEvent(e.data.kind, { detail: e.data })));

export function announce(kind, detail = {}) {
  changes.dispatchEvent(new CustomEvent(kind, { detail }));
  channel?.postMessage({ kind, ...detail });
}

// --- identity ------------------------------------------------------------------------------

// A fresh phone's first two writes can come at once (or from two tabs): both must find
// the same keys, or the earlier record would belong to a device this phone no longer is.
let keysLoading = null;

export async function deviceKeys({ fresh = false } = {}) {
  if (fresh) return newDeviceKeys();
  keysLoading ??= oneAtATime("hearth-device-keys", async () => {
    const stored = await db.getKey("device");
    return stored ? c.DeviceKeys.fromKeys(stored.sig, stored.dh, stored.sigPub, stored.dhPub, stored.suite) : newDeviceKeys();
  }).finally(() => { keysLoading = null; });
  return keysLoading;
}

async function newDeviceKeys() {
  const keys = await c.DeviceKeys.generate();
  await db.setKey("device", { sig: keys.sig, dh: keys.dh, sigPub: keys.sigPub, dhPub: keys.dhPub, suite: keys.suite });
  return keys;
}

const oneAtATime = (name, fn) => (globalThis.navigator?.locks ? navigator.locks.request(name, fn) : fn());

// { relay, device, pair, epoch } once registered or joined; `peer` and `safetyCode` once paired.
export const identity = () => db.getMeta("identity", null);
export const isPaired = async () => Boolean((await identity())?.peer && (await db.getKey("send")));

export async function saveIdentity(fields) {
  const now = { ...((await identity()) || {}), ...fields };
  await db.setMeta("identity", now);
  return now;
}

// The pairing is complete: keep the two sender keys as non-extractable AES keys and
// forget the root bytes, which never leave this function.
export async function completePairing(keys, peer, th2, secret, peerDhPub) {
  const me = await identity();
  const root = await c.rootKey(keys.dh, peerDhPub, th2, me.pair, me.epoch);
  const rootKey = await c.importRootKey(root);
  const send = await c.importAeadKey(await env.senderKey(rootKey, me.pair, me.epoch, me.device));
  const receive = await c.importAeadKey(await env.senderKey(rootKey, me.pair, me.epoch, peer.device));
  root.fill(0);
  const safetyCode = await c.safetyCode(th2, secret);
  await db.setKey("send", send);
  await db.setKey("receive", receive);
  await saveIdentity({ peer, safetyCode, pairedAt: Date.now() });
  await db.setMeta("pending_invite", null);
  announce("pairing", { paired: true });
  return safetyCode;
}

// --- records -------------------------------------------------------------------------------

async function clock() {
  const [ms, counter] = await db.getMeta("hlc", [0, 0]);
  return new rec.Clock((await identity()).device, ms, counter);
}

// Validate, merge and store a change of my own; queue it for my partner if it is shared.
// Returns the record id. Throws RecordError (a message fit for the user) and changes nothing.
// Before pairing, this phone is still itself: its id comes from its own keys, so what is
// written now keeps its author once the relay knows the device.
export async function localIdentity() {
  const me = await identity();
  if (me?.device) return me;
  const { deviceId } = await deviceKeys();
  return oneAtATime("hearth-identity", async () => (await identity())?.device ? identity() : saveIdentity({ device: deviceId }));
}

// A phone that registered with the relay and then joined a partner's code instead starts
// over with new keys; what it wrote before keeps belonging to it under the new id.
export async function reauthor(oldId, newId) {
  if (!oldId || oldId === newId) return;
  await db.write(["records"], async (tx) => {
    let cursor = await tx.objectStore("records").openCursor();
    while (cursor) {
      if (cursor.value.author === oldId) await cursor.update({ ...cursor.value, author: newId });
      cursor = await cursor.continue();
    }
  });
}

export async function put(type, fields, id = null) {
  const me = await localIdentity();
  if (type === "checkin") return putCheckin(fields);
  if (!rec.recordType(type).owned) return putTogether(type, fields, id, me);
  const rid = id || rec.newId();
  const existing = id ? await db.record(type, id) : null;
  if (id && !existing) throw new rec.RecordError(`there is no ${type} record with id ${id}`);
  if (existing && existing.author !== me.device) return askForCaution(type, rid, fields, existing, me);
  return write(type, rid, rec.validate(type, fields, existing?.fields || null), existing, me);
}

// A record the two of you share (§8.10): either of you may change it, and the later change wins.
async function putTogether(type, fields, id, me) {
  if (id && id !== rec.COUPLE_ID) throw new rec.RecordError(`the ${type} record's id is always ${rec.COUPLE_ID}`);
  const existing = await db.record(type, rec.COUPLE_ID);
  return write(type, rec.COUPLE_ID, rec.validate(type, fields, existing?.fields || null), existing, me);
}

// The couple's settings with their defaults, and who last chose each: "me", "partner" or null.
const COUPLE_DEFAULTS = { checkin_day: "sunday" };

export async function coupleSettings() {
  const [me, found, older] = await Promise.all([identity(), db.record("couple", rec.COUPLE_ID),
    db.getMeta("checkin_day", null)]);
  // Earlier versions kept the day on this phone alone (0 = Sunday): it stands until you choose again.
  const kept = Number.isInteger(older) && !found ? { checkin_day: rec.weekdayName(older) } : {};
  const settings = { ...COUPLE_DEFAULTS, ...kept, ...(found?.fields || {}), chosenBy: {} };
  for (const [name, hlc] of Object.entries(found?.clocks || {})) {
    settings.chosenBy[name] = hlc.endsWith(`.${me?.device}`) ? "me" : "partner";
  }
  return settings;
}

// My partner's boundary: I may only ask for more care with a safety field (§8.9).
async function askForCaution(type, rid, fields, existing, me) {
  const safety = rec.SAFETY_FIELDS[type] || {};
  const names = Object.keys(fields);
  if (!names.length || names.some((n) => !Object.hasOwn(safety, n))) {
    throw new rec.RecordError("that belongs to your partner; only they can change it");
  }
  const clean = rec.validate(type, fields, existing.fields);
  for (const [name, value] of Object.entries(clean)) {
    if (!rec.moreCautious(type, name, value, existing.fields[name])) {
      throw new rec.RecordError("you can ask for more care here, but not for less");
    }
  }
  return write(type, rid, clean, existing, me);
}

// Merge my own change into a record, keep it, and queue it for my partner if shared.
async function write(type, rid, clean, existing, me) {
  const hlcClock = await clock();
  const hlc = hlcClock.tick();
  await db.write(["records", "outbox", "meta"], async (tx) => {
    const now = existing ? structuredClone(existing) : {
      type, id: rid, author: me.device, fields: {}, clocks: {}, n: await db.nextRecordNumber(tx), at: Date.now(),
    };
    const wasShared = Boolean(existing) && rec.isShared(type, existing.fields);
    // The clocks of the safety values I am replacing: I have seen them (§8.9).
    const base = Object.fromEntries(Object.keys(rec.SAFETY_FIELDS[type] || {})
      .filter((k) => k in clean && k in now.clocks).map((k) => [k, now.clocks[k]]));
    const before = { ...now.fields };
    rec.mergeSafely(type, now.fields, now.clocks, clean, hlc, base, now.author === me.device || !rec.TYPES[type].owned);
    remember(now, before, me.device);
    now.updatedAt = Date.now();
    await tx.objectStore("records").put(now);
    await tx.objectStore("meta").put([hlcClock.lastMs, hlcClock.counter], "hlc");
    let op = null;
    if (rec.isShared(type, now.fields)) {
      // A draft shared for the first time sends everything the partner has not seen.
      op = { type, id: rid, hlc, fields: wasShared ? clean : now.fields };
      if (Object.keys(base).length) op.base = base;
    } else if (wasShared) {
      // Taken back (§8.11): the partner's phone forgets everything but this.
      op = { type, id: rid, hlc, fields: { shared: false } };
    }
    if (op) await tx.objectStore("outbox").add({ body: JSON.stringify({ ops: [op] }) });
  });
  announce("records", { type, id: rid, mine: true });
  return rid;
}

// --- sealed check-ins (protocol §10) --------------------------------------------------------

// My answers for a week, sealed under a fresh key that stays here until it is fair to send.
async function putCheckin({ week = currentWeek(), answers }) {
  const me = await identity();
  if (!(await isPaired())) throw new rec.RecordError("Pair with your partner first: a check-in is sealed for them.");
  try {
    checkAnswers(answers);
  } catch (err) {
    throw new rec.RecordError(err.message);
  }
  const { key, fields } = await sealAnswers(answers, me.pair, me.device, week);
  const rid = await checkinId(me.device, week);
  const mine = await db.getMeta("checkins", {});
  mine[week] = { key, answers, released: false, at: Date.now() };
  await db.setMeta("checkins", mine);
  const existing = await db.record("checkin", rid);
  await write("checkin", rid, rec.validate("checkin", fields, existing?.fields || null), existing, me);
  await releaseCheckins();
  return rid;
}

// Send my key for each week whose sealed answers from my partner are already here.
export async function releaseCheckins() {
  const me = await identity();
  if (!me?.peer) return;
  const mine = await db.getMeta("checkins", {});
  for (const [week, local] of Object.entries(mine)) {
    if (local.released || !(await db.record("checkin", await checkinId(me.peer.device, week)))) continue;
    local.released = true;
    await db.setMeta("checkins", mine);
    const rid = await checkinId(me.device, week);
    await write("checkin", rid, { key: b64u(local.key) }, await db.record("checkin", rid), me);
  }
}

// Both sides of a week: mine with my answers; my partner's only once their key is here.
export async function checkinWeek(week) {
  const me = await identity();
  const mine = (await db.getMeta("checkins", {}))[week] || null;
  const theirs = me?.peer ? await db.record("checkin", await checkinId(me.peer.device, week)) : null;
  let partner = null;
  if (theirs && !theirs.fields.deleted) {
    partner = { sealed: !theirs.fields.key, answers: null, damaged: false, at: theirs.at };
    if (theirs.fields.key) {
      try {
        partner.answers = await openAnswers(theirs.fields, me.pair, theirs.author);
      } catch {
        partner.damaged = true;
      }
    }
  }
  return { week, mine: mine && { answers: mine.answers, released: mine.released, at: mine.at }, partner };
}

export async function list(type) {
  const me = await identity();
  return (await db.recordsOfType(type))
    .filter((r) => !r.fields.deleted && (r.author === me?.device || !rec.takenBack(type, r.fields)))
    .map((r) => ({ ...r.fields, type, id: r.id, author: r.author, mine: r.author === me?.device,
                   at: r.at, updatedAt: r.updatedAt, clock: latestClock(r.clocks) }));
}

// The hlc of a record's last change, by its writer's clock: it orders changes that
// arrived together, in one batch, the way they were made.
const latestClock = (clocks) => Object.values(clocks || {}).reduce((a, b) => (b > a ? b : a), "");

// --- sealing and receiving -----------------------------------------------------------------

// Give every queued body its sequence number and chain link. Runs under the sync lock.
export async function sealOutbox() {
  const me = await identity();
  const key = await db.getKey("send");
  const all = await (await db.database()).getAll("outbox");
  const unsealed = all.filter((o) => !o.envelope);
  if (!unsealed.length) return;
  let seq = await db.getMeta("own_seq", 0);
  let prev = fromHex(await db.getMeta("own_prev", toHex(env.ZERO_HASH)));
  const sealed = [];
  for (const item of unsealed) {
    seq += 1;
    const envelope = await env.sealEnvelope(key, me.pair, me.device, me.epoch, seq, prev, utf8(item.body));
    prev = await env.envelopeHash(envelope);
    sealed.push({ ...item, seq, envelope });
  }
  await db.write(["outbox", "meta"], async (tx) => {
    for (const item of sealed) await tx.objectStore("outbox").put(item);
    await tx.objectStore("meta").put(seq, "own_seq");
    await tx.objectStore("meta").put(toHex(prev), "own_prev");
  });
}

export async function sealedOutbox() {
  return (await (await db.database()).getAll("outbox")).filter((o) => o.envelope).sort((a, b) => a.seq - b.seq);
}

// The relay says it holds everything up to `seq`. That is only a claim (protocol §5.6):
// those envelopes leave the outbox for "kept", where they stay until my partner's own
// receipt confirms them, so one can be sent again if it never arrives.
export async function handedOver(seq) {
  await db.write(["outbox", "kept", "meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    const ownSeq = (await meta.get("own_seq")) || 0;
    const upTo = Math.min(seq, ownSeq);
    const kept = tx.objectStore("kept");
    let cursor = await tx.objectStore("outbox").openCursor();
    while (cursor) {
      if (cursor.value.seq !== undefined && cursor.value.seq <= upTo) {
        await kept.put(cursor.value);
        await cursor.delete();
      }
      cursor = await cursor.continue();
    }
    if (upTo > ((await meta.get("own_head")) || 0)) await meta.put(upTo, "own_head");
    let extra = (await kept.count()) - MAX_KEPT;
    for (let c = await kept.openCursor(); c && extra > 0; c = await c.continue(), extra -= 1) await c.delete();
  });
}

// Kept envelopes the relay does not claim to have (a relay that lost them, or lied before):
// they go out again at login like anything new.
export async function keptAbove(seq) {
  return (await (await db.database()).getAll("kept")).filter((o) => o.seq > seq).sort((a, b) => a.seq - b.seq);
}

const MAX_KEPT = 10000;   // envelopes kept for resending until my partner's receipt (§5.6)

// Open one delivered envelope: authenticate it before anything else (protocol §5.5).
async function openDelivered(bodyB64, me, key) {
  try {
    const envelope = unb64u(bodyB64);
    const header = env.parseHeader(envelope);
    if (header.epoch !== me.epoch) return null;
    const body = JSON.parse(fromUtf8(await env.openEnvelope(key, me.pair, me.peer.device, envelope)));
    return { seq: header.seq, prev: toHex(header.prev), body, hash: toHex(await env.envelopeHash(envelope)) };
  } catch {
    return null;
  }
}

// The receiving side of one sender's chain, read and written inside a transaction.
const CHAIN_KEYS = ["peer_next_seq", "peer_last_hash", "peer_unchained", "lost", "hlc", "record_n", "rejected"];

async function readChain(meta, held) {
  const [next, last, unchained, lost, hlc, recordN, rejected] = await Promise.all(CHAIN_KEYS.map((k) => meta.get(k)));
  return { held: new Set(await held.getAllKeys()), next: next || 1, last: last || toHex(env.ZERO_HASH), unchained: unchained || 0, lost: lost || [],
           hlc: hlc || [0, 0], recordN: recordN || 0, rejected: rejected || 0, accepted: [], newlyRejected: 0 };
}

// Apply `item` if it is next in line and links to the one before (§5.5 steps 5-6), then
// every held envelope that follows it, link by link. Returns false if its link is wrong.
const linked = (chain, item) => item.prev === chain.last || chain.unchained === item.seq;

function take(chain, item) {
  chain.accepted.push(item.body);
  chain.next = item.seq + 1;
  chain.last = item.hash;
}

async function advance(chain, item, held) {
  if (!linked(chain, item)) return false;
  take(chain, item);
  // chain.held mirrors the store's keys, so catching up costs no extra request per envelope.
  while (chain.held.has(chain.next)) {
    const next = await held.get(chain.next);
    chain.held.delete(chain.next);
    await held.delete(chain.next);
    if (!linked(chain, next)) { chain.newlyRejected += 1; break; }
    take(chain, next);
  }
  return true;
}

async function saveChain(tx, chain, sender) {
  const meta = tx.objectStore("meta");
  const counter = { n: chain.recordN };
  const clock = await applyOps(tx, chain.accepted, sender, chain.hlc, counter);
  const writes = [meta.put(clock, "hlc"), meta.put(counter.n, "record_n"), meta.put(chain.next, "peer_next_seq"),
                  meta.put(chain.last, "peer_last_hash"), meta.put(chain.lost, "lost")];
  if (chain.newlyRejected) writes.push(meta.put(chain.rejected + chain.newlyRejected, "rejected"));
  if (chain.accepted.length) writes.push(meta.put(Date.now(), "last_received_at"));
  await Promise.all(writes);
}

// Take delivered envelopes in delivery order, in one transaction: apply each exactly once
// and in chain order, hold one that came early until the ones before it arrive, ignore a
// repeat. Returns one outcome per envelope: "applied", "held", "late", "replay" or
// "rejected". Never throws for bad input: a damaged envelope is counted, not shown.
export async function receiveBatch(bodies) {
  const me = await identity();
  const key = await db.getKey("receive");
  // Envelopes can reach a phone in the moment between its partner finishing pairing and
  // itself: refuse to judge them yet, so they stay unacknowledged and come again.
  if (!me?.peer || !key) throw new Error("not paired yet");
  const opened = await Promise.all(bodies.map((b) => openDelivered(b, me, key)));
  const outcomes = await db.write(["records", "meta", "held"], async (tx) => {
    const held = tx.objectStore("held");
    const chain = await readChain(tx.objectStore("meta"), held);
    const results = [];
    for (const item of opened) {
      if (!item) {
        chain.newlyRejected += 1;
        results.push("rejected");
      } else if (item.seq < chain.next) {
        // Given up for lost (§5.7) but here after all: apply it out of order, by its clocks.
        if (!inRanges(chain.lost, item.seq)) { results.push("replay"); continue; }
        chain.lost = withoutSeq(chain.lost, item.seq);
        chain.accepted.push(item.body);
        results.push("late");
      } else if (item.seq > chain.next) {
        if (!chain.held.has(item.seq)) {
          chain.held.add(item.seq);
          await held.put(item, item.seq);
        }
        results.push("held");
      } else if (await advance(chain, item, held)) {
        results.push("applied");
      } else {
        chain.newlyRejected += 1;
        results.push("rejected");
      }
    }
    await saveChain(tx, chain, me.peer.device);
    return results;
  });
  if (outcomes.some((r) => r === "applied" || r === "late")) {
    await releaseCheckins();
    announce("records", { mine: false });
  }
  return outcomes;
}

function withoutSeq(ranges, seq) {
  return ranges.flatMap(([a, b]) => (a <= seq && seq <= b ? [[a, seq - 1], [seq + 1, b]].filter(([x, y]) => x <= y) : [[a, b]]));
}

// After a catch-up (§5.6 step 4, §5.7): give up what my partner can no longer send again,
// then name what is still missing below their head. Returns the missing ranges.
export async function settleGaps() {
  if (!(await isPaired())) return [];
  const sender = (await identity()).peer.device;
  let changed = false;
  const gaps = await db.write(["records", "meta", "held"], async (tx) => {
    const meta = tx.objectStore("meta");
    const held = tx.objectStore("held");
    const chain = await readChain(meta, held);
    const keptFrom = (await meta.get("peer_kept_from")) || 1;
    if (keptFrom > chain.next) {
      const seqs = [...chain.held].sort((a, b) => a - b);
      chain.lost = [...chain.lost, ...missingRanges(chain.next, seqs, keptFrom - 1)];
      for (const seq of seqs.filter((s) => s < keptFrom)) {
        chain.accepted.push((await held.get(seq)).body);
        chain.held.delete(seq);
        await held.delete(seq);
      }
      chain.next = keptFrom;
      chain.unchained = keptFrom;
      await meta.put(keptFrom, "peer_unchained");
      if (chain.held.has(keptFrom)) {
        const first = await held.get(keptFrom);
        chain.held.delete(keptFrom);
        await held.delete(keptFrom);
        if (!(await advance(chain, first, held))) chain.newlyRejected += 1;
      }
      changed = true;
    }
    const seqs = [...chain.held];
    const top = Math.max((await meta.get("peer_head")) || 0, ...seqs);
    const missing = missingRanges(chain.next, seqs, top);
    await meta.put(missing, "gaps");
    await saveChain(tx, chain, sender);
    return missing;
  });
  if (changed) announce("records", { mine: false });
  return gaps;
}

// My receipt for my partner (§5.6), sealed with my own sender key; b64u for the frame.
export async function makeReceipt() {
  const me = await identity();
  const sendKey = await db.getKey("send");
  const fields = await db.write(["meta", "outbox", "kept"], async (tx) => {
    const meta = tx.objectStore("meta");
    const [n, next, last, gaps, head, ownSeq] = await Promise.all(
      ["receipt_n", "peer_next_seq", "peer_last_hash", "gaps", "own_head", "own_seq"].map((k) => meta.get(k)));
    const sealed = [...(await tx.objectStore("kept").getAll()), ...(await tx.objectStore("outbox").getAll())]
      .filter((o) => o.seq !== undefined).map((o) => o.seq);
    // Past the clock as well as the last one, so a restored older copy of this phone still
    // writes receipts its partner takes as new (§5.6).
    const counter = Math.max((n || 0) + 1, Date.now());
    await meta.put(counter, "receipt_n");
    return { n: counter, received: (next || 1) - 1, received_hash: b64u(fromHex(last || toHex(env.ZERO_HASH))),
             missing: gaps || [], head: Math.min(head || 0, ownSeq || 0),
             kept_from: sealed.length ? Math.min(...sealed) : (ownSeq || 0) + 1 };
  });
  return b64u(await sealReceipt(sendKey, me.pair, me.device, me.epoch, fields));
}

// Take in my partner's receipt: forget what it confirms, and return the kept envelopes it
// asks for again. A receipt that does not open, or is not new, changes nothing.
export async function readReceipt(bodyB64) {
  const me = await identity();
  const receiveKey = await db.getKey("receive");
  let fields;
  try {
    fields = await openReceipt(receiveKey, me.pair, me.peer.device, me.epoch, unb64u(bodyB64));
  } catch {
    return [];   // the relay can drop or garble a receipt, never forge one
  }
  const all = async () => [...(await (await db.database()).getAll("kept")), ...(await sealedOutbox())];
  const mine = (await all()).find((o) => o.seq === fields.received);
  const theirHash = toHex(unb64u(fields.received_hash));
  const ourHash = mine ? toHex(await env.envelopeHash(mine.envelope)) : null;
  return db.write(["meta", "outbox", "kept"], async (tx) => {
    const meta = tx.objectStore("meta");
    if (fields.n <= ((await meta.get("peer_receipt_n")) || 0)) return [];
    await meta.put(fields.n, "peer_receipt_n");
    await meta.put(Math.max((await meta.get("peer_head")) || 0, fields.head), "peer_head");
    await meta.put(Math.max((await meta.get("peer_kept_from")) || 1, fields.kept_from), "peer_kept_from");
    const ownSeq = (await meta.get("own_seq")) || 0;
    const ownPrev = (await meta.get("own_prev")) || toHex(env.ZERO_HASH);
    const ours = fields.received === ownSeq ? ownPrev : ourHash;
    const outbox = tx.objectStore("outbox");
    const kept = tx.objectStore("kept");
    if (fields.received > ownSeq || (fields.received > 0 && ours !== null && ours !== theirHash)) {
      // My partner has seen more of me than this phone holds (an older copy was restored):
      // continue from their word, and seal everything I keep again after it.
      for (const item of await kept.getAll()) await outbox.put(item);
      await kept.clear();
      for (const item of await outbox.getAll()) {
        const { seq, envelope, ...unsealed } = item;
        await outbox.put(unsealed);
      }
      await meta.put(fields.received, "own_seq");
      await meta.put(theirHash, "own_prev");
      await meta.put(fields.received, "own_head");
      return [];
    }
    for (const store of [kept, outbox]) {
      for (let cur = await store.openCursor(); cur; cur = await cur.continue()) {
        if (cur.value.seq !== undefined && cur.value.seq <= fields.received) await cur.delete();
      }
    }
    return (await kept.getAll()).filter((o) => inRanges(fields.missing, o.seq)).sort((a, b) => a.seq - b.seq);
  });
}

// Merge the operations of `bodies`, in order, into the records they name. Reads every
// record first and writes each changed one once; returns the clock after observing them.
// A gentle history of how a boundary changed, kept on the phone: what, from, to, when, by whom.
const HISTORY_FIELDS = ["level", "label", "note", "deleted"];
const HISTORY_LIMIT = 50;

function remember(record, before, by) {
  if (record.type !== "boundary" || !Object.keys(before).length) return;
  const at = Date.now();
  const changes = HISTORY_FIELDS.filter((f) => before[f] !== record.fields[f])
    .map((field) => ({ at, by, field, from: before[field] ?? null, to: record.fields[field] ?? null }));
  if (changes.length) record.history = [...(record.history || []), ...changes].slice(-HISTORY_LIMIT);
}

async function applyOps(tx, bodies, sender, clockValue, counter) {
  const store = tx.objectStore("records");
  const hlcClock = new rec.Clock(null, ...clockValue);
  const ops = bodies.flatMap((body) => (body && Array.isArray(body.ops) ? body.ops : []))
    .filter((op) => op && typeof op.id === "string" && op.id.length === 22 && typeof op.hlc === "string"
      && Object.hasOwn(rec.TYPES, op.type));
  const keys = [...new Set(ops.map((op) => `${op.type}\u0000${op.id}`))];
  const found = await Promise.all(keys.map((k) => store.get(k.split("\u0000"))));
  const records = new Map(keys.map((k, i) => [k, found[i]]));
  const changed = new Set();
  for (const op of ops) {
    const k = `${op.type}\u0000${op.id}`;
    const existing = records.get(k);
    const owned = rec.TYPES[op.type].owned;
    if (!owned && op.id !== rec.COUPLE_ID) continue;
    const byOwner = !existing || existing.author === sender || !owned;
    let clean;
    try {
      // Only the author may change a record; the partner may only ask for more care (§8.9).
      if (!byOwner && !rec.SAFETY_FIELDS[op.type]) continue;
      clean = rec.validate(op.type, op.fields, existing?.fields || null);
    } catch {
      continue;  // a malformed op: skip it, keep the rest
    }
    const base = op.base && typeof op.base === "object" ? op.base : {};
    const now = existing || { type: op.type, id: op.id, author: sender, fields: {}, clocks: {}, n: (counter.n += 1), at: Date.now() };
    const before = { ...now.fields };
    if (rec.mergeSafely(op.type, now.fields, now.clocks, clean, op.hlc, base, byOwner)) {
      remember(now, before, sender);
      now.updatedAt = Date.now();
      if (op.type === "boundary" && existing) now.changedFrom = now.changedFrom || before;   // for the gentle notice
      const takenBack = rec.takenBack(op.type, now.fields);
      if (takenBack) Object.assign(now, { fields: { shared: false }, clocks: { shared: now.clocks.shared } });
      now.unseen = !takenBack;   // nothing to show, so nothing new
      records.set(k, now);
      changed.add(k);
    }
    hlcClock.observe(op.hlc);
  }
  await Promise.all([...changed].map((k) => store.put(records.get(k))));
  return [hlcClock.lastMs, hlcClock.counter];
}

export { b64u, bytesEqual, unb64u };

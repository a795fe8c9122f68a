// My partner's envelopes, in (docs/protocol.md §5.5): opened and authenticated first, then
// applied exactly once and in chain order; one that came early is held until the ones
// before it arrive. The same steps as server/hearth/client/device.py's receiving part.
import { fromUtf8, toHex, unb64u } from "../core/encoding.js";
import { ZERO_HASH, envelopeHash, openEnvelope, parseHeader } from "../core/envelope.js";
import { inRanges } from "../core/receipt.js";
import * as db from "../data/db.js";
import { announce } from "../device/changes.js";
import { releaseCheckins } from "../device/checkins.js";
import { deviceKeys, identity } from "../device/identity.js";
import { APPLY_STORES } from "../device/records.js";
import { applyBodies, checkNotices, hasNotice, typesIn } from "./history.js";

// An envelope of an epoch before this pair's current one: a replaced phone's, or one from
// before a replacement, whatever the relay forwards. Ignored, not counted as damage (§11.5).
const STALE = "stale";

// Open one delivered envelope: authenticate it before anything else (protocol §5.5).
async function openDelivered(bodyB64, me, key) {
  try {
    const envelope = unb64u(bodyB64);
    const header = parseHeader(envelope);
    if (header.epoch < me.epoch) return STALE;
    if (header.epoch !== me.epoch) return null;
    const body = JSON.parse(fromUtf8(await openEnvelope(key, me.pair, me.peer.device, envelope)));
    return { seq: header.seq, prev: toHex(header.prev), body, hash: toHex(await envelopeHash(envelope)) };
  } catch {
    return null;
  }
}

// The receiving side of one sender's chain, read and written inside a transaction.
const CHAIN_KEYS = ["peer_next_seq", "peer_last_hash", "peer_unchained", "lost", "hlc", "record_n", "rejected"];

export async function readChain(meta, held) {
  const [next, last, unchained, lost, hlc, recordN, rejected] = await Promise.all(CHAIN_KEYS.map((k) => meta.get(k)));
  return { held: new Set(await held.getAllKeys()), next: next || 1, last: last || toHex(ZERO_HASH), unchained: unchained || 0, lost: lost || [],
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

export async function advance(chain, item, held) {
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

// Apply what the chain accepted and keep where it stands. `me` is this phone's identity.
export async function saveChain(tx, chain, me) {
  const meta = tx.objectStore("meta");
  const counter = { n: chain.recordN };
  // Read again here: an earlier batch may have taken a lost phone's place (§11.3).
  const now = chain.accepted.length ? (await meta.get("identity")) || me : me;
  const clock = await applyBodies(tx, chain.accepted, now, chain.hlc, counter);
  const writes = [meta.put(clock, "hlc"), meta.put(counter.n, "record_n"), meta.put(chain.next, "peer_next_seq"),
                  meta.put(chain.last, "peer_last_hash"), meta.put(chain.lost, "lost")];
  if (chain.newlyRejected) writes.push(meta.put(chain.rejected + chain.newlyRejected, "rejected"));
  if (chain.accepted.length) writes.push(meta.put(Date.now(), "last_received_at"));
  if (counter.skipped) writes.push(meta.get("skipped_ops").then((n) => meta.put((n || 0) + counter.skipped, "skipped_ops")));
  await Promise.all(writes);
}

// Take delivered envelopes in delivery order, in one transaction: apply each exactly once
// and in chain order, hold one that came early until the ones before it arrive, ignore a
// repeat. Returns one outcome per envelope: "applied", "held", "late", "replay", "stale" or
// "rejected". Never throws for bad input: a damaged envelope is counted, not shown.
export const receiveBatch = async (bodies) => apply(await open(bodies));

/** Open (authenticate and decrypt) a batch of delivered envelopes, for apply(). */
export const open = async (bodies) => openWith(await receiving(), bodies);

/** What opening needs: this phone's identity and the key it receives with. The sync engine
 * reads it once for the frames that arrive while a batch is written (as when it opened the
 * next batch before writing one), not once a frame. */
export async function receiving() {
  const [me, key] = await Promise.all([identity(), db.getKey("receive")]);
  // Envelopes can reach a phone in the moment between its partner finishing pairing and
  // itself: refuse to judge them yet, so they stay unacknowledged and come again.
  if (!me?.peer || !key) throw new Error("not paired yet");
  return { me, key };
}

/** Open `bodies` with what receiving() read. */
export async function openWith({ me, key }, bodies) {
  const opened = await Promise.all(bodies.map((b) => openDelivered(b, me, key)));
  if (hasNotice(opened)) await checkNotices(opened, me, await deviceKeys());
  return { me, opened };
}

/** Apply a batch open() opened, in delivery order; see receiveBatch. */
export async function apply({ me, opened }) {
  let touched = null;
  const outcomes = await db.write([...APPLY_STORES, "meta", "held"], async (tx) => {
    const held = tx.objectStore("held");
    const chain = await readChain(tx.objectStore("meta"), held);
    touched = chain.accepted;
    const results = [];
    for (const item of opened) {
      if (item === STALE) {
        results.push("stale");
      } else if (!item) {
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
    await saveChain(tx, chain, me);
    return results;
  });
  if (outcomes.some((r) => r === "applied" || r === "late")) {
    await releaseCheckins();
    announce("records", { mine: false, types: typesIn(touched) });
  }
  return outcomes;
}

function withoutSeq(ranges, seq) {
  return ranges.flatMap(([a, b]) => (a <= seq && seq <= b ? [[a, seq - 1], [seq + 1, b]].filter(([x, y]) => x <= y) : [[a, b]]));
}

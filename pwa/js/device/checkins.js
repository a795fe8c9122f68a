// Sealed check-ins (docs/protocol.md §10): my answers for a week are sealed under a key of
// their own, which stays here until my partner's sealed answers for that week have
// arrived; theirs open once their key does. A week answered by any phone of a place counts
// as that place's answer (§10, §11.3). The same steps as server/hearth/client/checkins.py.
import { b64u } from "../core/encoding.js";
import { checkAnswers, checkinId, currentWeek, openAnswers, sealAnswers } from "../core/checkin.js";
import { RecordError, validate } from "../core/records.js";
import * as db from "../data/db.js";
import { identity, isPaired, localIdentity, peerIds } from "./identity.js";
import { record, write } from "./records.js";

/** Seal and share my answers for a week. Returns the record id; throws RecordError. */
export async function answer({ week = currentWeek(), answers }) {
  await localIdentity();
  const me = await identity();
  if (!(await isPaired())) throw new RecordError("Pair with your partner first: a check-in is sealed for them.");
  try {
    checkAnswers(answers);
  } catch (err) {
    throw new RecordError(err.message);
  }
  const mine = await db.getMeta("checkins", {});
  // A week my old phone answered before it moved here is still one record, its own (§11.4).
  const author = mine[week]?.author || me.device;
  const { key, fields } = await sealAnswers(answers, me.pair, author, week);
  const rid = await checkinId(author, week);
  mine[week] = { key, answers, released: false, at: Date.now(), ...(author !== me.device ? { author } : {}) };
  await db.setMeta("checkins", mine);
  const existing = await record("checkin", rid);
  await write("checkin", rid, validate("checkin", fields, existing?.fields || null), existing, me);
  await releaseCheckins();
  return rid;
}

// The sealed record of `week` by one of `ids` (a place, its phone now first), if any.
async function placeRecord(ids, week) {
  for (const id of ids) {
    const found = await record("checkin", await checkinId(id, week));
    if (found && !found.fields.deleted) return found;
  }
  return null;
}

// A place's ids, its phone now first, then the phones it succeeded, latest first.
const placeOrder = (device, lineage) => [device, ...[...(lineage || [])].reverse()].filter(Boolean);

// Send my key for each week whose sealed answers from my partner's place are already here.
export async function releaseCheckins() {
  const me = await identity();
  if (!me?.peer) return;
  const mine = await db.getMeta("checkins", {});
  const theirs = [...peerIds(me)];
  for (const [week, local] of Object.entries(mine)) {
    if (local.released || !(await placeRecord(theirs, week))) continue;
    local.released = true;
    await db.setMeta("checkins", mine);
    const rid = await checkinId(local.author || me.device, week);
    await write("checkin", rid, { key: b64u(local.key) }, await record("checkin", rid), me);
  }
}

/**
 * Both sides of a week: mine with my answers; my partner's only once their key is here.
 * A week a phone I took the place of answered (§11.3) is mine if its key was released
 * before that phone was lost; otherwise its answers stayed there, and I answer afresh.
 */
export async function checkinWeek(week) {
  const me = await identity();
  let mine = (await db.getMeta("checkins", {}))[week] || null;
  if (!mine && me?.lineage?.length) {
    const earlier = await placeRecord(placeOrder(null, me.lineage), week);
    const answers = earlier?.fields.key ? await openAnswers(earlier.fields, me.pair, earlier.author).catch(() => null) : null;
    if (answers) mine = { answers, released: true, at: earlier.at };
  }
  const theirs = me?.peer ? await placeRecord(placeOrder(me.peer.device, me.peerLineage), week) : null;
  let partner = null;
  if (theirs) {
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

// Sealed check-ins (docs/protocol.md §10): my answers for a week are sealed under a key of
// their own, which stays here until my partner's sealed answers for that week have
// arrived; theirs open once their key does. A week answered by any phone of a place counts
// as that place's answer (§10, §11.3). The same steps as server/hearth/client/checkins.py.
import { b64u } from "../core/encoding.js";
import { MAX_ANSWER, checkAnswers, checkinId, currentWeek, openAnswers, sealAnswers } from "../core/checkin.js";
import { RecordError, validate } from "../core/records.js";
import * as db from "../data/db.js";
import { identity, isPaired, localIdentity, peerIds } from "./identity.js";
import { record, write } from "./records.js";

const PARTNER_ANSWERED = "Your partner has answered this week too, so your answers can't change now.";

/** Seal and share my answers for a week. Returns the record id; throws RecordError. */
export async function answer({ week = currentWeek(), answers }) {
  await localIdentity();
  const me = await identity();
  if (!(await isPaired())) {
    throw new RecordError("Pair with your partner first: a check-in is sealed for them.", { key: "checkin_pair_first" });
  }
  try {
    checkAnswers(answers);
  } catch (err) {
    // An answer too long is what a person can meet (a paste past the box's limit); the
    // others are a programmer's (an unknown question), and stay English.
    const tooLong = err.message.startsWith("the answer to");
    throw new RecordError(err.message, tooLong ? { key: "checkin_answer_length", params: { max: MAX_ANSWER } } : {});
  }
  const mine = await db.getMeta("checkins", {});
  // A week my old phone answered before it moved here is still one record, its own (§11.4).
  const author = mine[week]?.author || me.device;
  const { key, fields } = await sealAnswers(answers, me.pair, author, week);
  const rid = await checkinId(author, week);
  const existing = await record("checkin", rid);
  if (isSealed(existing) && await partnerSealed(me, week)) {
    throw new RecordError(PARTNER_ANSWERED, { key: "checkin_partner_answered" });
  }
  mine[week] = { key, answers, released: false, at: Date.now(), ...(author !== me.device ? { author } : {}) };
  await db.setMeta("checkins", mine);
  // Answering again, or after skipping or taking it back, replaces what was there (§8.8).
  // An ordinary answer never names `skipped`, which an older app would not know.
  if (existing) Object.assign(fields, { key: null, ...(existing.fields.skipped ? { skipped: false } : {}),
    ...(existing.fields.deleted ? { deleted: false } : {}) });
  await write("checkin", rid, validate("checkin", fields, existing?.fields || null), existing, me);
  await releaseCheckins();
  return rid;
}

// The record of `week` by one of `ids` (a place, its phone now first), if any: sealed or skipped.
async function placeRecord(ids, week) {
  for (const id of ids) {
    const found = await record("checkin", await checkinId(id, week));
    if (found && !found.fields.deleted) return found;
  }
  return null;
}

// Sealed answers of mine, once my partner's are here too, have opened: they stay (§8.8).
// A skip or answers taken back opened nothing, so those can still change.
const isSealed = (r) => Boolean(r && !r.fields.deleted && !r.fields.skipped);

// Whether my partner's sealed answers for `week` are here: only those release my key (§8.8).
async function partnerSealed(me, week) {
  const theirs = await placeRecord([...peerIds(me)], week);
  return Boolean(theirs && !theirs.fields.skipped);
}

// My record for `week`, for skipping or taking back; only before my partner has answered.
async function myOpenRecord(week) {
  await localIdentity();
  const me = await identity();
  const mine = await db.getMeta("checkins", {});
  const author = mine[week]?.author || me.device;
  const rid = await checkinId(author, week);
  const existing = await record("checkin", rid);
  if (isSealed(existing) && await partnerSealed(me, week)) {
    throw new RecordError(PARTNER_ANSWERED, { key: "checkin_partner_answered" });
  }
  return { me, mine, rid, existing };
}

/** Sit `week` out: nothing sealed, and nothing of my partner's opens (§8.8). */
export async function skip(week = currentWeek()) {
  const { me, mine, rid, existing } = await myOpenRecord(week);
  mine[week] = { skipped: true, released: true, at: Date.now(), ...(mine[week]?.author ? { author: mine[week].author } : {}) };
  await db.setMeta("checkins", mine);
  const fields = { week, skipped: true, sealed: null, commitment: null, key: null, ...(existing?.fields.deleted ? { deleted: false } : {}) };
  return write("checkin", rid, validate("checkin", fields, existing?.fields || null), existing, me);
}

/** Take my answers (or my skip) for `week` back, before my partner has answered. */
export async function withdraw(week = currentWeek()) {
  const { me, mine, rid, existing } = await myOpenRecord(week);
  delete mine[week];
  await db.setMeta("checkins", mine);
  if (existing) await write("checkin", rid, validate("checkin", { deleted: true }, existing.fields), existing, me);
}

// A place's ids, its phone now first, then the phones it succeeded, latest first.
const placeOrder = (device, lineage) => [device, ...[...(lineage || [])].reverse()].filter(Boolean);

// Send my key for each week whose sealed answers from my partner's place are already here.
// Whether it went is read from my record, not from a note beside it: a phone closed between
// the two must still send it next time. One release at a time, so a key goes out once.
let releasing = Promise.resolve();
export function releaseCheckins() {
  releasing = releasing.then(releaseDue, releaseDue);
  return releasing;
}

async function releaseDue() {
  const me = await identity();
  if (!me?.peer) return;
  const mine = await db.getMeta("checkins", {});
  const theirs = [...peerIds(me)];
  for (const [week, local] of Object.entries(mine)) {
    if (!local.key || local.skipped) continue;   // a skipped week opens nothing
    const rid = await checkinId(local.author || me.device, week);
    const sealed = await record("checkin", rid);
    if (!sealed || sealed.fields.deleted || sealed.fields.key) continue;
    const found = await placeRecord(theirs, week);
    if (!found || found.fields.skipped) continue;
    await write("checkin", rid, { key: b64u(local.key) }, sealed, me);
    const now = await db.getMeta("checkins", {});
    if (now[week]) await db.setMeta("checkins", { ...now, [week]: { ...now[week], released: true } });
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
  if (theirs?.fields.skipped) partner = { skipped: true, sealed: false, answers: null, damaged: false, at: theirs.at };
  return { week, mine: mine && { answers: mine.answers, skipped: Boolean(mine.skipped), released: mine.released, at: mine.at }, partner };
}

/** The weeks before `week` that either of us answered or skipped, the latest first. */
export async function pastWeeks(week = currentWeek()) {
  const weeks = new Set(Object.keys(await db.getMeta("checkins", {})));
  for (const r of await db.recordsOfType("checkin")) if (!r.fields.deleted && r.fields.week) weeks.add(r.fields.week);
  const earlier = [...weeks].filter((w) => w < week).sort().reverse();
  return Promise.all(earlier.map((w) => checkinWeek(w)));
}

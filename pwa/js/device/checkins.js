// Sealed check-ins (docs/protocol.md §10): my answers for a week are sealed under a key of
// their own, which stays here until my partner's sealed answers for that week have
// arrived; theirs open once their key does. The same steps as server/hearth/client/checkins.py.
import { b64u } from "../core/encoding.js";
import { checkAnswers, checkinId, currentWeek, openAnswers, sealAnswers } from "../core/checkin.js";
import { RecordError, validate } from "../core/records.js";
import * as db from "../data/db.js";
import { identity, isPaired, localIdentity } from "./identity.js";
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
  const { key, fields } = await sealAnswers(answers, me.pair, me.device, week);
  const rid = await checkinId(me.device, week);
  const mine = await db.getMeta("checkins", {});
  mine[week] = { key, answers, released: false, at: Date.now() };
  await db.setMeta("checkins", mine);
  const existing = await record("checkin", rid);
  await write("checkin", rid, validate("checkin", fields, existing?.fields || null), existing, me);
  await releaseCheckins();
  return rid;
}

// Send my key for each week whose sealed answers from my partner are already here.
export async function releaseCheckins() {
  const me = await identity();
  if (!me?.peer) return;
  const mine = await db.getMeta("checkins", {});
  for (const [week, local] of Object.entries(mine)) {
    if (local.released || !(await record("checkin", await checkinId(me.peer.device, week)))) continue;
    local.released = true;
    await db.setMeta("checkins", mine);
    const rid = await checkinId(me.device, week);
    await write("checkin", rid, { key: b64u(local.key) }, await record("checkin", rid), me);
  }
}

/** Both sides of a week: mine with my answers; my partner's only once their key is here. */
export async function checkinWeek(week) {
  const me = await identity();
  const mine = (await db.getMeta("checkins", {}))[week] || null;
  const theirs = me?.peer ? await record("checkin", await checkinId(me.peer.device, week)) : null;
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

// The paced path (protocol §8.14): each of you keeps one `pace` record saying how far you
// are ready to go, and the step open to both is the lower of the two, the slower one's pace.
// Pure, for the screen, Home and node's tests; the same reading as hearth-client's paced.py
// (docs/merge-vectors.json holds both to it).
import { agreementState } from "./experiments.js";

export const STEP_COUNT = 6;

/** `step_N` is N; `not_yet`, or no record at all, is 0. */
export function stepOf(ready) {
  return typeof ready === "string" && ready.startsWith("step_") ? Number(ready.slice(5)) : 0;
}

/** The `ready` value that says "up to step n" (0: not yet). */
export const readyFor = (n) => (n > 0 ? `step_${n}` : "not_yet");

// A record's newest clock: records.list gives it as `clock`, stored records as `clocks`.
const newest = (r) => r.clock ?? Object.values(r.clocks || {}).reduce((a, b) => (b > a ? b : a), "");

/** One person's record that counts: the one changed last. A phone keeps one, but a place may have had two phones. */
export function latest(records) {
  return records.filter((r) => !r.deleted && !r.fields?.deleted)
    .reduce((best, r) => (!best || newest(r) > newest(best) ? r : best), null);
}

const readyIn = (r) => stepOf(r?.fields ? r.fields.ready : r?.ready);

/** The step open to both: the lower of the two latest readinesses, 0 until both have one. */
export function openStep(mine, theirs) {
  const a = latest(mine);
  const b = latest(theirs);
  return a && b ? Math.min(readyIn(a), readyIn(b)) : 0;
}

/**
 * Where the path is, from records as records.list gives them (with `mine`): my own step,
 * the open step, and `asked`, the step my partner is ready for that waits for my answer
 * (0 if none). Records of a pairing that ended are not this couple's path.
 */
export function pathOf(paces) {
  const ours = paces.filter((p) => !p.earlier);
  const mine = ours.filter((p) => p.mine);
  const theirs = ours.filter((p) => !p.mine);
  const me = readyIn(latest(mine));
  const partner = readyIn(latest(theirs));
  const open = openStep(mine, theirs);
  return { me, open, asked: partner > me ? me + 1 : 0, waitingForPartner: me > open };
}

/** The open step from stored records ({author, fields, clocks}) of two people, as the merge vectors name it. */
export function openStepByAuthor(records) {
  const people = new Map();
  for (const r of records) people.set(r.author, [...(people.get(r.author) || []), r]);
  return people.size === 2 ? openStep(...people.values()) : 0;
}

/** The pair's latest no-pressure agreement (§8.13), or null. */
export function currentAgreement(agreements) {
  return agreements.filter((a) => !a.deleted && !a.earlier && a.kind === "no_pressure")
    .reduce((best, a) => (!best || newest(a) > newest(best) ? a : best), null);
}

/** Steps are offered only while a no-pressure agreement is in effect (§8.14). */
export function agreementInEffect(agreements) {
  const current = currentAgreement(agreements);
  return Boolean(current) && agreementState(current) === "in_effect";
}

/** Each of us's latest look-back on `step`: { mine, partner }, each null until written. */
export function lookBacksFor(step, lookbacks) {
  const forStep = lookbacks.filter((l) => l.step === step && !l.deleted && !l.earlier);
  return { mine: latest(forStep.filter((l) => l.mine)), partner: latest(forStep.filter((l) => !l.mine)) };
}

// Experiments: consent, the date logic and the gentle bookkeeping behind the screen. Pure: dates are
// calendar days ("YYYY-MM-DD", see dates.js), so a time zone or a clock change never moves
// a look-back date. Runs in node's test runner and in the browser.
import { addDays, daysBetween } from "./dates.js";

/**
 * What an experiment is, from its fields (protocol §8.3), the most careful first: "finished",
 * "stopped", "not_now", "change", "agreed" or "asked". A stop or a "not now" wins over a yes
 * whatever order they arrived in. Proposing is the author's yes; `answer` is the partner's.
 * An experiment from before answers existed reads as "asked": nobody asked the partner then.
 * The same table as hearth-client's experiments.consent.
 */
export function consent(exp) {
  if (exp.status === "finished") return "finished";
  if (exp.status === "stopped" || exp.answer === "stop") return "stopped";
  if (exp.answer === "not_now" || exp.answer === "change") return exp.answer;
  return exp.answer === "yes" ? "agreed" : "asked";
}

/** Who stopped it, if it is stopped: "author" or "partner" (the author's stop first). */
export function stoppedBy(exp) {
  if (consent(exp) !== "stopped") return null;
  return exp.status === "stopped" ? "author" : "partner";
}

/** The first counted day once both have said yes: the later of its start and the yes. */
export function beginsOn(exp) {
  const yes = exp.answered_on;
  return yes && yes > exp.starts_on ? yes : exp.starts_on;
}

/** The day to look back together: `days` days after the days begin. */
export function dueOn(exp) {
  return addDays(beginsOn(exp), exp.days ?? 7);
}

/** Days still to go before the look-back (0 on the day and after). */
export function daysLeft(exp, today) {
  return Math.max(0, daysBetween(today, dueOn(exp)));
}

/** Which day of the experiment today is (1 on the first day), or 0 before it starts. */
export function dayNumber(exp, today) {
  const n = daysBetween(beginsOn(exp), today) + 1;
  return n < 1 ? 0 : Math.min(n, exp.days ?? 7);
}

/**
 * Where a running experiment is: { day, days, count }, day 3 of 7 with 4 days to go (`count`
 * is the days after today; "day 1 of 7, 7 days to go" counted today twice), 0 on the last
 * day. The screens say it in their language (i18n "exp.countdown").
 */
export function countdown(exp, today) {
  const day = dayNumber(exp, today);
  const days = exp.days ?? 7;
  return { day, days, count: days - day };
}

/** Over: looked back on and finished, stopped by either of you, or a "not now". */
export const isFinished = (exp) => ["finished", "stopped", "not_now"].includes(consent(exp));

/** Still a proposal: waiting for the partner's answer, or for a change they asked for. */
export const isProposal = (exp) => ["asked", "change"].includes(consent(exp));

/** The look-back date has come and the experiment, agreed by both, is still open. */
export function isDue(exp, today) {
  return consent(exp) === "agreed" && today >= dueOn(exp);
}

/**
 * "asked" or "change" (a proposal: nothing counts), "upcoming", "running" or "due" (agreed
 * by both), or "finished", "stopped" or "not_now" (over).
 */
export function phase(exp, today) {
  const state = consent(exp);
  if (state !== "agreed") return state;
  if (today >= dueOn(exp)) return "due";
  if (today < beginsOn(exp)) return "upcoming";
  return "running";
}

const byStart = (a, b) => (a.starts_on < b.starts_on ? -1 : a.starts_on > b.starts_on ? 1 : (a.at || 0) - (b.at || 0));

/** Experiments both said yes to and still open, the one to attend to first first. */
export function openExperiments(experiments) {
  return experiments.filter((e) => !e.deleted && consent(e) === "agreed").sort(byStart);
}

/** Proposals still waiting for an answer or a change, oldest first. */
export function proposals(experiments) {
  return experiments.filter((e) => !e.deleted && isProposal(e)).sort(byStart);
}

/** The current experiment: the earliest-started one both said yes to and still open, or null. */
export function currentExperiment(experiments) {
  return openExperiments(experiments)[0] || null;
}

/** Experiments that are over (finished, stopped, not now), the most recent first. */
export function pastExperiments(experiments) {
  return experiments.filter((e) => !e.deleted && isFinished(e))
    .sort((a, b) => (b.updatedAt || b.at || 0) - (a.updatedAt || a.at || 0) || -byStart(a, b));
}

/**
 * Each partner's reassessment of one experiment: { mine, partner }, each the latest or null.
 * `reassessments` are records as records.list (device/records.js) gives them (with `mine`).
 */
export function reassessmentsFor(experimentId, reassessments) {
  const latest = (rs) => rs.sort((a, b) => (b.updatedAt || b.at || 0) - (a.updatedAt || a.at || 0))[0] || null;
  const forThis = reassessments.filter((r) => r.experiment === experimentId && !r.deleted);
  return { mine: latest(forThis.filter((r) => r.mine)), partner: latest(forThis.filter((r) => !r.mine)) };
}

/**
 * What this phone may show of the partner's look-back. Their words stay hidden until
 * you have answered too, so neither anchors the other.
 */
export function revealState({ mine, partner }) {
  if (mine && partner) return "both";
  if (mine) return "waiting-for-partner";
  if (partner) return "partner-waiting";
  return "neither";
}

/** A shared decision if both chose the same, else null. */
export function agreedDecision({ mine, partner }) {
  return mine && partner && mine.decision === partner.decision ? mine.decision : null;
}

/** Journal tags for a finished experiment: always "tried", plus what the outcome says. */
export function journalTags(outcome) {
  if (outcome === "keep") return ["tried", "worked"];
  if (outcome === "drop") return ["tried", "didnt"];
  return ["tried"];   // adjust: it neither simply worked nor didn't; no tag claims either
}

/**
 * A no-pressure agreement (protocol §8.13): "ended", "not_now", "in_effect" or "asked", the
 * most careful first, so an end or a "not now" wins over a crossing yes. The same table as
 * hearth-client's experiments.agreement_state.
 */
export function agreementState(a) {
  if (a.status === "ended" || a.answer === "end") return "ended";
  if (a.answer === "not_now") return "not_now";
  return a.answer === "yes" ? "in_effect" : "asked";
}

// The no-pressure agreement's words (§8.13: `kind: "no_pressure"`), on its card and in a readable export.
export const AGREEMENT_WORDS = [
  "For now, affection doesn't lead to sex unless we both say so.",
  "We move at the pace of whichever of us is slower.",
  "Pain means stop, at once, no questions.",
];

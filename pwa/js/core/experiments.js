// Experiments: the date logic and the gentle bookkeeping behind the screen. Pure: dates are
// calendar days ("YYYY-MM-DD", see dates.js), so a time zone or a clock change never moves
// a look-back date. Runs in node's test runner and in the browser.
import { addDays, daysBetween } from "./dates.js";

/** The day to look back together: starts_on + days. */
export function dueOn(exp) {
  return addDays(exp.starts_on, exp.days ?? 7);
}

/** Days still to go before the look-back (0 on the day and after). */
export function daysLeft(exp, today) {
  return Math.max(0, daysBetween(today, dueOn(exp)));
}

/** Which day of the experiment today is (1 on the first day), or 0 before it starts. */
export function dayNumber(exp, today) {
  const n = daysBetween(exp.starts_on, today) + 1;
  return n < 1 ? 0 : Math.min(n, exp.days ?? 7);
}

export const isFinished = (exp) => exp.status === "finished";

/** The look-back date has come and the experiment is still open. */
export function isDue(exp, today) {
  return !isFinished(exp) && today >= dueOn(exp);
}

/** "upcoming", "running", "due" or "finished". */
export function phase(exp, today) {
  if (isFinished(exp)) return "finished";
  if (today >= dueOn(exp)) return "due";
  if (today < exp.starts_on) return "upcoming";
  return "running";
}

const byStart = (a, b) => (a.starts_on < b.starts_on ? -1 : a.starts_on > b.starts_on ? 1 : (a.at || 0) - (b.at || 0));

/** Experiments still open (not finished, not deleted), the one to attend to first first. */
export function openExperiments(experiments) {
  return experiments.filter((e) => !e.deleted && !isFinished(e)).sort(byStart);
}

/** The current experiment: the earliest-started one still open, or null. */
export function currentExperiment(experiments) {
  return openExperiments(experiments)[0] || null;
}

/** Finished experiments, the most recently finished first. */
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

// What each of us lets the other's app show (protocol §8.12): one `visibility` record per
// author, the latest one counting, with the type's defaults until there is one. Pure.
import { defaults } from "./records.js";

/** The latest visibility record of one side (mine, or my current partner's), or null. */
export function latestOf(records, mine) {
  return records.filter((r) => r.mine === mine && !r.earlier).sort((a, b) => (a.clock < b.clock ? 1 : -1))[0] || null;
}

/** One side's choices, with the defaults for whatever they have not chosen. */
export function choicesOf(records, mine) {
  const found = latestOf(records, mine);
  const { deleted, ...chosen } = found || {};
  return { ...defaults("visibility"), ...(deleted ? {} : chosen) };
}

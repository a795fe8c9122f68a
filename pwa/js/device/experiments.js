// Answering my partner's experiment (protocol §8.3) or suggested agreement (§8.13). The answer fields are mine to write in
// their record, and mine alone, so this goes past put()'s ask-for-more-care rule (which
// would refuse a change of mind from "not now" to "yes") straight to write(), after the same
// checks. write() sends the clock of the answer I saw as `base`, so a later answer of mine
// replaces it, while answers that crossed settle on the more careful.
import { today } from "../core/dates.js";
import { RecordError, validate } from "../core/records.js";
import { localIdentity, ownIds } from "./identity.js";
import { record, write } from "./records.js";

// My answer in my partner's record of `type`: only the fields that are mine (§8.3, §8.13).
async function answerIn(type, id, fields) {
  const me = await localIdentity();
  const existing = await record(type, id);
  // A missing record is a programmer's mistake (a bad id), and stays English.
  if (!existing) throw new RecordError(`there is no ${type} record with id ${id}`);
  if (ownIds(me).has(existing.author)) {
    throw new RecordError("this idea is yours: your partner is the one to answer it", { key: "answer_own_idea" });
  }
  return write(type, id, validate(type, fields, existing.fields), existing, me);
}

/**
 * Give my answer to my partner's experiment: "yes", "change", "not_now" or "stop", with an
 * optional note, given `on` a day (today). Returns the record id; throws RecordError and
 * changes nothing if it does not fit.
 */
export function answer(id, value, note = null, on = today()) {
  // The days count from a yes (§8.3); a stop leaves the day of the answer as it was.
  return answerIn("experiment", id, { answer: value, answer_note: note, ...(value !== "stop" ? { answered_on: on } : {}) });
}

/** Accept my partner's suggested agreement ("yes"), say "not_now", or "end" it (§8.13). */
export function answerAgreement(id, value) {
  return answerIn("agreement", id, { answer: value, ...(value !== "end" ? { answered_on: today() } : {}) });
}

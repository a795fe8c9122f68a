// Creating a record exactly once, however often it is asked: a form fixes its record's id
// when it opens, so a double tap, a third tap or a retry after a slow save all name the
// same record, and only the first of them writes it (issue #14: a double-tapped "Share"
// made two entries on both phones).
import * as rec from "../core/records.js";
import { localIdentity } from "./identity.js";
import { record, write } from "./records.js";

const creating = new Map();   // "type/id" -> the creation under way in this tab

/** Create a record of mine of `type` with `id`, unless it exists already; resolves to the id. */
export function create(type, fields, id) {
  // Both refusals are a programmer's mistake (a form passes a good id and a type it may
  // create), so they stay English, with no key for a screen to translate.
  if (!rec.isRecordId(id)) return Promise.reject(new rec.RecordError(`'${id}' is not a record id`));
  if (type === "checkin" || !rec.recordType(type).owned) {
    return Promise.reject(new rec.RecordError(`a ${type} record is not created from a form`));
  }
  const key = `${type}/${id}`;
  if (!creating.has(key)) {
    creating.set(key, (async () => {
      if (await record(type, id)) return id;   // an earlier tap made it
      return write(type, id, rec.validate(type, fields, null), null, await localIdentity());
    })().finally(() => creating.delete(key)));
  }
  return creating.get(key);
}

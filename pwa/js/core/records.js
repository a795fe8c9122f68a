// Record types, their schemas and the per-field merge: docs/protocol.md §8.
// The rules are not written here: records-schema.js (generated from
// server/hearth/protocol/records.json) describes every type, and this module interprets it
// exactly as server/hearth/protocol/schema.py does, so the app and hearth-client agree on
// what a valid record is, with the same words. Pure: runs in node's test runner and in the browser.
import { SCHEMA } from "./records-schema.js";

const CHOICES = SCHEMA.choices;
const MESSAGES = SCHEMA.messages;

export const LEVELS = CHOICES.levels;
export const BOUNDARY_KINDS = CHOICES.boundary_kinds;
export const LEVELLED_KINDS = CHOICES.levelled_kinds;
export const JOURNAL_TAGS = CHOICES.journal_tags;
export const TIMES_OF_DAY = CHOICES.times_of_day;
export const EXPERIMENT_STATUSES = CHOICES.experiment_statuses;
export const EXPERIMENT_ANSWERS = CHOICES.experiment_answers;
export const OUTCOMES = CHOICES.outcomes;
export const WEEKDAYS = CHOICES.weekdays;
export const weekdayName = (jsDay) => WEEKDAYS[(jsDay + 6) % 7];   // from Date#getDay(): 0 is Sunday

// The one record the two of you share rather than own (§8.10): either phone may change any
// field, and the later change wins. Its id is fixed so both phones name the same record.
export const COUPLE_ID = SCHEMA.types.couple.id;

// `message` is the English that hearth-client says too (records.json); `key` names it, and
// `params` fill it, so a screen can say it in the phone's language (i18n/<code>/records.js,
// through i18n/record-words.js). Errors thrown without a key stay English everywhere.
export class RecordError extends Error {
  constructor(message, { key = null, params = {} } = {}) {
    super(message);
    Object.assign(this, { key, params });
  }
}

export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

// --- the words -------------------------------------------------------------------------------

// A template of records.json with its {placeholders} filled in, in one pass.
export const fill = (template, params) => template.replace(/\{(\w+)\}/g, (_, key) => String(params[key]));
const message = (key, params = {}) => fill(MESSAGES[key], params);
const fail = (key, params = {}) => { throw new RecordError(message(key, params), { key, params }); };

// --- text: lengths in code points, "blank" as records.json says (Unicode White_Space) -------

const BLANK = new Set(SCHEMA.blank.code_points.map((cp) => Number.parseInt(cp.slice(2), 16)));
const codePoints = (text) => Array.from(text, (ch) => ch.codePointAt(0));
const codePointCount = (text) => {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
};
// A catch-up checks every field of thousands of records, nearly all far inside their limits:
// a text is never more code points than UTF-16 units, nor fewer than half as many.
const longerThan = (text, max) => text.length > max && codePointCount(text) > max;
const shorterThan = (text, min) => text.length < 2 * min && codePointCount(text) < min;

export function stripBlank(text) {
  // Blank characters are all in the BMP, so neither end's code unit can be half of one.
  if (!BLANK.has(text.codePointAt(0)) && !BLANK.has(text.charCodeAt(text.length - 1))) return text;
  const points = codePoints(text);
  let a = 0;
  let b = points.length;
  while (a < b && BLANK.has(points[a])) a += 1;
  while (b > a && BLANK.has(points[b - 1])) b -= 1;
  return String.fromCodePoint(...points.slice(a, b));
}

export function isBlank(text) {
  for (const ch of text) if (!BLANK.has(ch.codePointAt(0))) return false;
  return true;
}

// Python orders strings by code point; JavaScript's sort() by UTF-16 unit.
function byCodePoint(x, y) {
  const a = codePoints(x);
  const b = codePoints(y);
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// --- kinds -----------------------------------------------------------------------------------

const isNull = (value) => value === null || value === undefined;
const isObject = (value) => Boolean(value) && typeof value === "object" && !Array.isArray(value);
const choicesOf = (spec) => CHOICES[spec.choices];
const leapYear = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysInMonth = (y, m) => (m === 2 ? (leapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

function weeksInYear(year) {
  const p = (y) => (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400)) % 7;
  return p(year) === 4 || p(year - 1) === 3 ? 53 : 52;
}

const RECORD_ID = /^[A-Za-z0-9_-]{22}$/;
export const isRecordId = (value) => typeof value === "string" && RECORD_ID.test(value);

const KINDS = {
  text(spec, name, value) {
    if (typeof value !== "string") fail("text", { name });
    const low = spec.min || 0;
    if ((low && shorterThan(stripBlank(value), low)) || longerThan(value, spec.max)) {
      fail(low ? "text_range" : "text_max", { name, min: low, max: spec.max });
    }
    return value;
  },
  bool(spec, name, value) {
    if (typeof value !== "boolean") fail("bool", { name });
    return value;
  },
  choice(spec, name, value) {
    if (!choicesOf(spec).includes(value)) fail("choice", { name, choices: choicesOf(spec).join(", ") });
    return value;
  },
  tags(spec, name, value) {
    if (!Array.isArray(value) || value.some((t) => !choicesOf(spec).includes(t))) {
      fail("tags", { name, choices: choicesOf(spec).join(", ") });
    }
    if (new Set(value).size !== value.length) fail("tags_repeat", { name });
    return value;
  },
  record_id(spec, name, value) {
    if (!isRecordId(value)) fail("record_id", { name });
    return value;
  },
  date(spec, name, value) {
    const m = typeof value === "string" ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value) : null;
    if (!m) fail("date", { name });
    const [y, mo, d] = m.slice(1).map(Number);
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) fail("date_real", { name });
    return value;
  },
  // A JSON number with no fraction is whole, however it is written (7, 7.0, 7e0).
  int(spec, name, value) {
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) fail("int", { name, min: spec.min, max: spec.max });
    return value;
  },
  number(spec, name, value) {
    if (typeof value !== "number" || !(value >= spec.min && value <= spec.max)) {
      fail("number", { name, min: spec.min, max: spec.max });
    }
    return value;
  },
  list(spec, name, value) {
    if (!Array.isArray(value) || value.length > spec.max) fail("list", { name, max: spec.max, noun: spec.noun });
    const items = Object.entries(spec.item);
    return value.map((item, i) => {
      if (!isObject(item) || Object.keys(item).some((k) => !Object.hasOwn(spec.item, k))
          || items.some(([k, s]) => s.required && !Object.hasOwn(item, k))) {
        fail("list_item", { name, i, shape: spec.shape });
      }
      const clean = {};
      for (const [k, s] of items) {
        const checked = checkValue(s, `${name}[${i}].${k}`, item[k]);
        if (Object.hasOwn(item, k)) clean[k] = checked;
      }
      return clean;
    });
  },
  week(spec, name, value) {
    const m = typeof value === "string" ? /^([0-9]{4})-W([0-9]{2})$/.exec(value) : null;
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[2]) > weeksInYear(Number(m[1]))) fail("week", { name });
    return value;
  },
  b64u(spec, name, value) {
    const ok = typeof value === "string" && /^[A-Za-z0-9_-]*$/.test(value) && value.length % 4 !== 1;
    const size = ok ? Math.floor((value.length * 3) / 4) : -1;
    if (!ok || ("bytes" in spec ? size !== spec.bytes : size < spec.min_bytes || size > spec.max_bytes)) {
      fail("b64u", { name });
    }
    return value;
  },
};

// One field's value, checked against its spec; returns it clean or throws RecordError.
export function checkValue(spec, name, value) {
  if (isNull(value) && spec.null) return null;
  return KINDS[spec.kind](spec, name, value);
}

// --- whole records ---------------------------------------------------------------------------

// A check's words are in records.json with the check; its key is "<type>_<field>_<how>"
// (period_ends_on_before; checkRecord adds the type), so a screen can say it in the phone's
// language too.
const refuse = (template, params, key) => { throw new RecordError(fill(template, params), { key, params }); };

const CHECKS = {
  only_when(check, rec) {
    const value = rec[check.when];
    const allowed = CHOICES[check.in].includes(value);
    if (allowed && isNull(rec[check.field])) refuse(check.missing, { value }, `${check.type}_${check.field}_missing`);
    if (!allowed && !isNull(rec[check.field])) refuse(check.present, { value }, `${check.type}_${check.field}_present`);
  },
  // `field` is required unless `when` is true, and absent when it is.
  required_unless(check, rec) {
    if (rec[check.when] === true) {
      if (!isNull(rec[check.field])) refuse(check.present, {}, `${check.type}_${check.field}_present`);
    } else if (isNull(rec[check.field])) {
      refuse(check.missing, {}, `${check.type}_${check.field}_missing`);
    }
  },
  not_before(check, rec) {
    const later = rec[check.field];
    const earlier = rec[check.other];
    if (!isNull(later) && !isNull(earlier) && later < earlier) refuse(check.message, {}, `${check.type}_${check.field}_before`);
  },
};

const sentWhen = (kind) => (kind.sent === "always" ? () => true : (fields) => fields.shared === true);

// Each type as the rest of the app uses it: owned, sharedWhen, defaults, its field specs.
export const TYPES = Object.fromEntries(Object.entries(SCHEMA.types).map(([name, kind]) => [name, {
  name,
  spec: kind,
  fields: kind.fields,
  required: Object.keys(kind.fields).filter((k) => kind.fields[k].required),
  owned: kind.owned,
  sharedWhen: sentWhen(kind),
}]));

export function recordType(name) {
  if (typeof name !== "string" || !Object.hasOwn(TYPES, name)) {
    fail("unknown_type", { type: name, types: Object.keys(TYPES).join(", ") });
  }
  return TYPES[name];
}

export function defaults(typeName) {
  const out = {};
  for (const [k, s] of Object.entries(recordType(typeName).fields)) {
    if ("default" in s) out[k] = typeof s.default === "object" && s.default !== null ? structuredClone(s.default) : s.default;
  }
  return out;
}

// Each field checked on its own: unknown fields and values that do not fit are refused.
export function cleanFields(typeName, fields) {
  const spec = recordType(typeName).fields;
  if (!isObject(fields)) fail("not_object");
  const unknown = Object.keys(fields).filter((k) => k !== "id" && !Object.hasOwn(spec, k)).sort(byCodePoint);
  if (unknown.length) fail("unknown_field", { field: unknown[0], type: typeName, allowed: Object.keys(spec).join(", ") });
  const clean = {};
  for (const [k, v] of Object.entries(fields)) if (k !== "id") clean[k] = checkValue(spec[k], k, v);
  return clean;
}

// The rules on a whole record: required fields, then its named cross-field checks.
export function checkRecord(typeName, rec) {
  const type = recordType(typeName);
  const missing = type.required.find((k) => isNull(rec[k]));
  if (missing) fail("required", { field: missing, type: typeName });
  for (const check of type.spec.checks || []) CHECKS[check.check]({ ...check, type: typeName }, rec);
}

// Validate an update to `existing` (or a new record when existing is null); return the
// clean fields to write. A new record gets the type's defaults.
export function validate(typeName, fields, existing = null) {
  const clean = cleanFields(typeName, fields);
  checkRecord(typeName, { ...defaults(typeName), ...(existing || {}), ...clean });
  return existing ? clean : { ...defaults(typeName), ...clean };
}

// Does an operation from an envelope fit (§5.4, §8)? Throws RecordError saying why not.
// Its fields are checked one by one here; against the record they change, by validate().
export function checkOp(op) {
  if (!isObject(op) || !["type", "id", "hlc", "fields"].every((k) => Object.hasOwn(op, k))) fail("op");
  if (typeof op.type !== "string") fail("op_type");
  const kind = recordType(op.type).spec;
  if (!isRecordId(op.id)) fail("op_id");
  if ("id" in kind && op.id !== kind.id) fail("op_fixed_id", { type: op.type, id: kind.id });
  if (typeof op.hlc !== "string") fail("op_hlc");
  if (!isNull(op.base) && (!isObject(op.base) || !Object.values(op.base).every((v) => typeof v === "string"))) fail("op_base");
  cleanFields(op.type, op.fields);
}

// For receiving: whether `op` fits; one that does not is counted in tally.skipped.
export function opFits(op, tally) {
  try {
    checkOp(op);
    return true;
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    tally.skipped = (tally.skipped || 0) + 1;
    return false;
  }
}

// The operations of an envelope's body, {"ops": [...]}. A body of any other shape is one
// update that does not fit.
export const opsIn = (body) => (isObject(body) && Array.isArray(body.ops) ? body.ops : [body]);

// {type: {field: caution order}} for every field that merges cautiously (§8.9).
export const SAFETY_FIELDS = Object.fromEntries(Object.entries(SCHEMA.types)
  .map(([name, kind]) => [name, Object.fromEntries(Object.entries(kind.fields)
    .filter(([, s]) => s.merge === "cautious").map(([f, s]) => [f, CHOICES[s.choices]]))])
  .filter(([, fields]) => Object.keys(fields).length));

export const isShared = (typeName, fields) => recordType(typeName).sharedWhen(fields);

// A partner's record its author has stopped sharing (§8.11): nothing of it is shown, and
// the receiving phone keeps only the flag and its clock, so sharing again brings it all back.
export const takenBack = (typeName, fields) => Object.hasOwn(recordType(typeName).fields, "shared") && !isShared(typeName, fields);

// Hybrid logical clock (§8): wall milliseconds, a counter, and the device id.
export const MAX_SKEW_MS = 86_400_000;

// The wall-clock part of a clock, if it is one: ASCII digits before the first dot.
export function hlcMs(hlc) {
  const head = typeof hlc === "string" ? hlc.split(".", 1)[0] : "";
  return /^[0-9]+$/.test(head) ? Number(head) : null;
}

export class Clock {
  constructor(device, lastMs = 0, counter = 0, now = () => Date.now()) {
    Object.assign(this, { device, lastMs, counter, now });
  }

  tick() {
    const ms = this.now();
    if (ms > this.lastMs) [this.lastMs, this.counter] = [ms, 0];
    else this.counter += 1;
    return `${String(this.lastMs).padStart(13, "0")}.${String(this.counter).padStart(4, "0")}.${this.device}`;
  }

  // A partner's clock can run ahead; one from a modified app could claim the year 2286.
  // Following it at most a day ahead of our own wall clock keeps that from sticking.
  observe(hlc) {
    const seen = hlcMs(hlc);
    if (seen === null) return;
    const ms = Math.min(seen, this.now() + MAX_SKEW_MS);
    if (ms > this.lastMs) [this.lastMs, this.counter] = [ms, 0];
  }
}

// Per-field last-writer-wins; mutates fields and clocks, returns whether anything changed.
export function merge(fields, clocks, update, hlc) {
  let changed = false;
  for (const [name, value] of Object.entries(update)) {
    if ((clocks[name] || "") < hlc) {
      fields[name] = value;
      clocks[name] = hlc;
      changed = true;
    }
  }
  return changed;
}

// Safety fields (protocol §8.9): when two writes meet without one having seen the other,
// or when the partner writes, the more cautious value wins until the owner decides.
export function moreCautious(type, name, next, old) {
  const order = SAFETY_FIELDS[type][name];
  return old === null || old === undefined || (next !== null && next !== undefined && order.indexOf(next) > order.indexOf(old));
}

// Fields the partner writes into the author's record, and only they do (§8.3): their answer.
export const PARTNER_FIELDS = Object.fromEntries(Object.entries(SCHEMA.types)
  .map(([name, kind]) => [name, new Set(Object.keys(kind.fields).filter((f) => kind.fields[f].by === "partner"))])
  .filter(([, fields]) => fields.size));

// The same rules as records.py's merge_safely; returns whether anything changed. For the
// partner's own fields the roles turn round: they are the owner, and the author changes nothing.
export function mergeSafely(type, fields, clocks, update, hlc, base, byOwner) {
  const safety = SAFETY_FIELDS[type] || {};
  const theirs = PARTNER_FIELDS[type] || new Set();
  let changed = false;
  const take = (name, value, clock) => {
    fields[name] = value;
    clocks[name] = clock;
    changed = true;
  };
  for (const [name, value] of Object.entries(update)) {
    const stored = clocks[name] || "";
    const holder = theirs.has(name) ? !byOwner : byOwner;   // whose field this is
    if (theirs.has(name) && !holder) continue;
    if (!Object.hasOwn(safety, name) || !Object.hasOwn(fields, name)) {
      if (holder && stored < hlc) take(name, value, hlc);
    } else if (holder && (base[name] || "") >= stored) {
      if (stored < hlc) take(name, value, hlc);
    } else if (moreCautious(type, name, value, fields[name])) {
      take(name, value, stored > hlc ? stored : hlc);
    }
  }
  return changed;
}

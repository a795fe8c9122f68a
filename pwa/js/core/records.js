// Record types, their schemas and the per-field merge: docs/protocol.md §8.
// The same rules as server/hearth/client/records.py, so the app and hearth-client agree
// on what a valid record is. Pure: runs in node's test runner and in the browser.

export const LEVELS = ["welcome", "ask_first", "not_now", "off_limits"];
export const BOUNDARY_KINDS = ["touch", "body_area", "topic", "fatigue", "pain", "side_effects", "stop_signal"];
export const LEVELLED_KINDS = ["touch", "body_area", "topic"];
export const JOURNAL_TAGS = ["tried", "worked", "didnt", "feelings"];
export const TIMES_OF_DAY = ["morning", "afternoon", "evening", "night"];
export const EXPERIMENT_STATUSES = ["proposed", "active", "finished"];
export const OUTCOMES = ["keep", "adjust", "drop"];
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
export const weekdayName = (jsDay) => WEEKDAYS[(jsDay + 6) % 7];   // from Date#getDay(): 0 is Sunday

// The one record the two of you share rather than own (§8.10): either phone may change any
// field, and the later change wins. Its id is fixed so both phones name the same record.
export const COUPLE_ID = "couple-settings-record";

export class RecordError extends Error {}

export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const text = (low, high, optional = false) => (name, value) => {
  if ((value === null || value === undefined) && optional) return null;
  if (typeof value !== "string") throw new RecordError(`'${name}' must be text`);
  const length = [...value].length;
  if ((low && value.trim().length < low) || length > high) {
    throw new RecordError(low ? `'${name}' must be ${low} to ${high} characters`
      : `'${name}' must be at most ${high} characters`);
  }
  return value;
};

const bool = (name, value) => {
  if (typeof value !== "boolean") throw new RecordError(`'${name}' must be true or false`);
  return value;
};

const choice = (options, nullable = false) => (name, value) => {
  if (nullable && (value === null || value === undefined)) return null;
  if (!options.includes(value)) throw new RecordError(`'${name}' must be one of: ${options.join(", ")}`);
  return value;
};

const tags = (name, value) => {
  if (!Array.isArray(value) || value.some((t) => !JOURNAL_TAGS.includes(t))) {
    throw new RecordError(`'${name}' must be a list drawn from: ${JOURNAL_TAGS.join(", ")}`);
  }
  if (new Set(value).size !== value.length) throw new RecordError(`'${name}' must not repeat a tag`);
  return value;
};

const recordId = (name, value) => {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" || value.length !== 22) {
    throw new RecordError(`'${name}' must be a record id (22 characters) or null`);
  }
  return value;
};

const date = (optional = false) => (name, value) => {
  if ((value === null || value === undefined) && optional) return null;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new RecordError(`'${name}' must be a date like 2026-11-25`);
  }
  const [y, m, d] = value.split("-").map(Number);
  const real = new Date(Date.UTC(y, m - 1, d));
  if (real.getUTCFullYear() !== y || real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d || y < 1) {
    throw new RecordError(`'${name}' must be a real calendar date`);
  }
  return value;
};

const int = (low, high, optional = false) => (name, value) => {
  if ((value === null || value === undefined) && optional) return null;
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new RecordError(`'${name}' must be a whole number from ${low} to ${high}`);
  }
  return value;
};

const number = (low, high, optional = false) => (name, value) => {
  if ((value === null || value === undefined) && optional) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < low || value > high) {
    throw new RecordError(`'${name}' must be a number from ${low} to ${high}`);
  }
  return value;
};

const questions = (name, value) => {
  if (!Array.isArray(value) || value.length > 50) throw new RecordError(`'${name}' must be a list of at most 50 questions`);
  value.forEach((item, i) => {
    if (!item || typeof item !== "object" || Array.isArray(item) || !("text" in item)
        || Object.keys(item).some((k) => k !== "text" && k !== "answer")) {
      throw new RecordError(`'${name}[${i}]' must be an object with 'text' and, once you have one, 'answer'`);
    }
    text(1, 500)(`${name}[${i}].text`, item.text);
    text(0, 2000, true)(`${name}[${i}].answer`, item.answer);
  });
  return value;
};

const sharedFlag = (rec) => rec.shared === true;

function checkBoundary(rec) {
  const levelled = LEVELLED_KINDS.includes(rec.kind);
  if (levelled && (rec.level === null || rec.level === undefined)) {
    throw new RecordError(`'level' is required for a ${rec.kind} boundary`);
  }
  if (!levelled && rec.level !== null && rec.level !== undefined) {
    throw new RecordError(`a ${rec.kind} boundary has a note, not a level`);
  }
}

export const TYPES = {
  journal: {
    fields: { text: text(1, 10000), tags, feeling_after: text(0, 200, true), shared: bool,
              reply_to: recordId, deleted: bool },
    required: ["text"],
    defaults: { tags: [], shared: false },
    owned: true,
    sharedWhen: (rec) => rec.shared === true,
  },
  boundary: {
    fields: { kind: choice(BOUNDARY_KINDS), label: text(1, 200), level: choice(LEVELS, true),
              note: text(0, 2000, true), during: recordId, deleted: bool },
    required: ["kind", "label"],
    defaults: {},
    owned: true,
    check: checkBoundary,
    sharedWhen: () => true,
  },
  period: {
    fields: { label: text(1, 100), starts_on: date(), ends_on: date(true), note: text(0, 500, true), deleted: bool },
    required: ["label", "starts_on"],
    defaults: {},
    owned: true,
    check: (rec) => {
      if (rec.ends_on && rec.ends_on < rec.starts_on) throw new RecordError("'ends_on' must not be before 'starts_on'");
    },
    sharedWhen: () => true,
  },
  experiment: {
    fields: { title: text(1, 200), description: text(0, 2000, true), starts_on: date(), days: int(1, 60),
              status: choice(EXPERIMENT_STATUSES), outcome: choice(OUTCOMES, true), deleted: bool },
    required: ["title", "starts_on"],
    defaults: { days: 7, status: "proposed" },
    owned: true,
    sharedWhen: () => true,
  },
  energy: {
    fields: { date: date(), time_of_day: choice(TIMES_OF_DAY), energy: int(0, 10, true), pain: int(0, 10, true),
              fatigue: int(0, 10, true), mood: int(0, 10, true), sleep_hours: number(0, 24, true),
              note: text(0, 500, true), shared: bool, deleted: bool },
    required: ["date", "time_of_day"],
    defaults: { shared: false },
    owned: true,
    sharedWhen: sharedFlag,
  },
  appointment: {
    fields: { title: text(1, 200), date: date(true), questions, next_date: date(true), shared: bool, deleted: bool },
    required: ["title"],
    defaults: { questions: [], shared: true },
    owned: true,
    sharedWhen: sharedFlag,
  },
  gratitude: {
    fields: { text: text(1, 2000), date: date(), shared: bool, deleted: bool },
    required: ["text", "date"],
    defaults: { shared: true },
    owned: true,
    sharedWhen: sharedFlag,
  },
  reassessment: {
    fields: { experiment: recordId, felt: text(0, 2000, true), comfort: int(0, 10, true),
              decision: choice(OUTCOMES), deleted: bool },
    required: ["experiment", "decision"],
    defaults: {},
    owned: true,
    sharedWhen: () => true,
  },
  couple: {
    fields: { checkin_day: choice(WEEKDAYS) },
    required: [],
    // No defaults: a new record would otherwise send them and undo the partner's choice.
    defaults: {},
    owned: false,
    sharedWhen: () => true,
  },
};

export function recordType(name) {
  if (!Object.hasOwn(TYPES, name)) {
    throw new RecordError(`unknown record type '${name}'; known types: ${Object.keys(TYPES).join(", ")}`);
  }
  return TYPES[name];
}

// Validate an update to `existing` (or a new record when existing is null); return the
// clean fields to write. A new record gets the type's defaults.
export function validate(typeName, fields, existing = null) {
  const type = recordType(typeName);
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) {
    throw new RecordError("a record must be an object of fields");
  }
  const unknown = Object.keys(fields).filter((k) => k !== "id" && !Object.hasOwn(type.fields, k)).sort();
  if (unknown.length) {
    throw new RecordError(`unknown field '${unknown[0]}' for ${typeName}; allowed: ${Object.keys(type.fields).join(", ")}`);
  }
  const clean = {};
  for (const [k, v] of Object.entries(fields)) if (k !== "id") clean[k] = type.fields[k](k, v);
  const merged = { ...type.defaults, ...(existing || {}), ...clean };
  const missing = type.required.find((k) => merged[k] === null || merged[k] === undefined);
  if (missing) throw new RecordError(`'${missing}' is required for ${typeName}`);
  if (type.check) type.check(merged);
  return existing ? clean : { ...type.defaults, ...clean };
}

export const isShared = (typeName, fields) => recordType(typeName).sharedWhen(fields);

// A partner's record its author has stopped sharing (§8.11): nothing of it is shown, and
// the receiving phone keeps only the flag and its clock, so sharing again brings it all back.
export const takenBack = (typeName, fields) => Object.hasOwn(recordType(typeName).fields, "shared") && !isShared(typeName, fields);

// Hybrid logical clock (§8): wall milliseconds, a counter, and the device id.
export const MAX_SKEW_MS = 86_400_000;

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
    const ms = Math.min(Number.parseInt(String(hlc).split(".", 1)[0], 10), this.now() + MAX_SKEW_MS);
    if (Number.isFinite(ms) && ms > this.lastMs) [this.lastMs, this.counter] = [ms, 0];
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

// Check-ins are sealed (protocol §10): the record holds the box, a commitment to its key,
// and later the key. Turning answers into these fields is core/checkin.js's job.
const week = (name, value) => {
  const m = typeof value === "string" ? /^(\d{4})-W(\d{2})$/.exec(value) : null;
  const weeksInYear = (y) => {
    const p = (yy) => (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400)) % 7;
    return p(y) === 4 || p(y - 1) === 3 ? 53 : 52;
  };
  if (!m || Number(m[2]) < 1 || Number(m[2]) > weeksInYear(Number(m[1]))) {
    throw new RecordError("'week' must be an ISO week like 2026-W48");
  }
  return value;
};

const b64uBytes = (size, optional = false) => (name, value) => {
  if ((value === null || value === undefined) && optional) return null;
  const ok = typeof value === "string" && /^[A-Za-z0-9_-]*$/.test(value) && value.length % 4 !== 1;
  const length = ok ? Math.floor((value.length * 3) / 4) : -1;
  if (!ok || (size ? length !== size : length < 28 || length > 20000)) {
    throw new RecordError(`'${name}' must be base64url of the right size`);
  }
  return value;
};

TYPES.checkin = {
  fields: { week, sealed: b64uBytes(null), commitment: b64uBytes(32), key: b64uBytes(32, true), deleted: bool },
  required: ["week", "sealed", "commitment"],
  defaults: {},
  owned: true,
  sharedWhen: () => true,
};

// Safety fields (protocol §8.9): when two writes meet without one having seen the other,
// or when the partner writes, the more cautious value wins until the owner decides.
export const SAFETY_FIELDS = { boundary: { level: LEVELS } };

export function moreCautious(type, name, next, old) {
  const order = SAFETY_FIELDS[type][name];
  return old === null || old === undefined || (next !== null && next !== undefined && order.indexOf(next) > order.indexOf(old));
}

// The same rules as records.py's merge_safely; returns whether anything changed.
export function mergeSafely(type, fields, clocks, update, hlc, base, byOwner) {
  const safety = SAFETY_FIELDS[type] || {};
  let changed = false;
  for (const [name, value] of Object.entries(update)) {
    const stored = clocks[name] || "";
    if (!Object.hasOwn(safety, name) || !Object.hasOwn(fields, name)) {
      if (byOwner && stored < hlc) {
        fields[name] = value;
        clocks[name] = hlc;
        changed = true;
      }
    } else if (byOwner && (base[name] || "") >= stored) {
      if (stored < hlc) {
        fields[name] = value;
        clocks[name] = hlc;
        changed = true;
      }
    } else if (moreCautious(type, name, value, fields[name])) {
      fields[name] = value;
      clocks[name] = stored > hlc ? stored : hlc;
      changed = true;
    }
  }
  return changed;
}

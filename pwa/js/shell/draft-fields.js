// What a form holds, as plain values to keep in a draft, and putting them back. Every kind of
// field a person fills in is read the same way, so a form needs nothing of its own to have
// its words kept: text, textareas, selects, radios, checkboxes, ranges, dates and numbers.

const SKIPPED = new Set(["submit", "button", "reset", "hidden", "file", "password", "image"]);

// Fields by a name that stays the same each time the form is drawn: its name (a checkbox
// with its value, as a group of them shares one name), else its id, else its place.
function fields(form) {
  const out = [];
  [...form.elements].forEach((field, place) => {
    if (!("value" in field) || field.tagName === "BUTTON" || field.tagName === "FIELDSET"
        || field.tagName === "OUTPUT" || SKIPPED.has(field.type)) return;
    const base = field.name || field.id || `#${place}`;
    out.push([field.type === "checkbox" ? `${base}=${field.value}` : base, field]);
  });
  return out;
}

/** The form's values by field: a radio group as the value chosen (or null). */
export function readFields(form) {
  const values = {};
  for (const [name, field] of fields(form)) {
    if (field.type === "radio") {
      if (field.checked) values[name] = field.value;
      else values[name] ??= null;
    } else if (field.type === "checkbox") {
      values[name] = field.checked;
    } else {
      values[name] = field.value;
    }
  }
  return values;
}

/** Put `values` back; each field that changes hears "input" and "change", as if typed. */
export function writeFields(form, values) {
  const told = new Set();
  for (const [name, field] of fields(form)) {
    if (!(name in values)) continue;
    const want = values[name];
    let changed = false;
    if (field.type === "radio") {
      const checked = field.value === want;
      changed = field.checked !== checked;
      field.checked = checked;
    } else if (field.type === "checkbox") {
      changed = field.checked !== Boolean(want);
      field.checked = Boolean(want);
    } else if (field.value !== want && want !== null) {
      field.value = want;
      changed = true;
    }
    if (changed) told.add(field);
  }
  for (const field of told) {
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

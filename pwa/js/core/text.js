// Quoting back what someone wrote: shared by the small wins and the reminders, which starts
// with the app while the small wins load only when opened. Pure: node tests it.

/** A short, whole-word excerpt of something someone wrote, for quoting back to them. */
export function excerpt(text, max = 120) {
  const flat = String(text ?? "").replace(/\s+/g, " ").trim();
  if ([...flat].length <= max) return flat;
  const cut = [...flat].slice(0, max).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, "")}…`;
}

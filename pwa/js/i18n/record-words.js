// A refusal of the records layer (RecordError) in the phone's language: its key names the
// message in i18n/<code>/records.js, and its field, list and type names are said as the
// person knows them. One without a key, or with a key not there (a programmer's mistake,
// such as a bad id), is said in its own English, as hearth-client says it.
import { RecordError } from "../core/records.js";
import english from "./en/records.js";
import { t, useWords } from "./index.js";

await useWords("records");

const known = (key) => Object.hasOwn(english, key);
// "questions[2].text" is the word for any question's text: "questions.text".
const fieldWord = (name) => {
  const key = `records.field.${String(name).replace(/\[\d+\]/g, "")}`;
  return known(key) ? t(key) : name;
};

/** What `err` says, in the phone's language where it can; "" for anything not a RecordError. */
export function recordWords(err) {
  if (!(err instanceof RecordError)) return "";
  const key = `records.${err.key}`;
  if (!err.key || !known(key)) return err.message;
  const params = { ...err.params };
  for (const name of ["name", "field", "noun"]) if (name in params) params[name] = fieldWord(params[name]);
  if ("type" in params && known(`records.type.${params.type}`)) params.type = t(`records.type.${params.type}`);
  return t(key, params);
}

/**
 * The field a refusal is about ("note", "questions[2].text"), "" for anything else: screens
 * that word some refusals their own way know them by it, never by the English message.
 */
export const refusedField = (err) => (err instanceof RecordError ? String(err.params?.name ?? err.params?.field ?? "") : "");

/** For a save that failed for another reason (storage full, a closed database). */
export const notSaved = () => t("records.not_saved");

// What the appointment screens share: dates in words, the order of the list, the notes'
// addresses, and words for what did not save.
import { dayAhead, today } from "../../core/dates.js";
import { RecordError } from "../../core/records.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { recordWords, refusedField } from "../../i18n/record-words.js";

await useWords("appointments");

export const MAX_QUESTIONS = 50;

/** "Today, …", "Tomorrow, 4 December", "Thursday 11 December", with the year when it isn't this one. */
export const dayLabel = (iso, { withYear = false } = {}) => (iso ? dayAhead(iso, { withYear }) : t("appointments.no_date"));

// Coming up first (soonest first, undated after the dated ones), then earlier visits, most
// recent first.
export function arrange(appointments, now = today()) {
  const upcoming = appointments.filter((a) => !a.date || a.date >= now)
    .sort((a, b) => (a.date || "9999").localeCompare(b.date || "9999") || b.at - a.at);
  const past = appointments.filter((a) => a.date && a.date < now)
    .sort((a, b) => b.date.localeCompare(a.date) || b.at - a.at);
  return { upcoming, past };
}

export function countLine(questions) {
  const n = questions.length;
  if (!n) return t("appointments.no_questions");
  const answered = questions.filter((q) => q.answer).length;
  return answered ? t("appointments.question_count_answered", { count: n, answered }) : t("appointments.question_count", { count: n });
}

export const href = (id, mode = null) => `#/appointments?id=${encodeURIComponent(id)}${mode ? `&mode=${mode}` : ""}`;

export function friendly(err) {
  if (!(err instanceof RecordError)) return t("appointments.error_unsaved");
  const field = refusedField(err);
  if (field === "title") return t("appointments.error_title");
  if (field.endsWith(".text")) return t("appointments.error_question");
  if (field.endsWith(".answer")) return t("appointments.error_answer");
  if (field === "questions") return t("appointments.error_too_many", { max: MAX_QUESTIONS });
  if (field === "date" || field === "next_date") return t("appointments.error_date");
  return recordWords(err);
}

export async function find(id) {
  return (await records.list("appointment")).find((a) => a.id === id) || null;
}

// Set by a tap on "Print" in the list, so the print page opens the print dialog on arrival;
// and when a new appointment is made, so its notes open ready for the first question.
export const arrival = { print: null, focusQuestion: null };

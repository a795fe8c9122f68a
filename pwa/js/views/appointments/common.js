// What the appointment screens share: dates in words, the order of the list, the notes'
// addresses, and words for what did not save.
import { dayAhead, today } from "../../core/dates.js";
import { RecordError } from "../../core/records.js";
import * as records from "../../device/records.js";

export const MAX_QUESTIONS = 50;

/** "Today, …", "Tomorrow, 4 December", "Thursday 11 December", with the year when it isn't this one. */
export const dayLabel = (iso, { withYear = false } = {}) => (iso ? dayAhead(iso, { withYear }) : "No date yet");

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
  if (!n) return "No questions yet";
  const answered = questions.filter((q) => q.answer).length;
  const asked = `${n} ${n === 1 ? "question" : "questions"}`;
  return answered ? `${asked}, ${answered} answered` : asked;
}

export const href = (id, mode = null) => `#/appointments?id=${encodeURIComponent(id)}${mode ? `&mode=${mode}` : ""}`;

export function friendly(err) {
  if (!(err instanceof RecordError)) return "That didn't save. Please try again.";
  const m = err.message;
  if (m.startsWith("'title'")) return "Give the appointment a short name first, up to 200 characters.";
  if (m.includes(".text'")) return "A question needs a few words, up to 500 characters.";
  if (m.includes(".answer'")) return "That answer is a little long; up to 2,000 characters fit.";
  if (m.startsWith("'questions'")) return `There's room for ${MAX_QUESTIONS} questions in one set of notes.`;
  if (m.startsWith("'date'") || m.startsWith("'next_date'")) return "That date doesn't look right. Please pick it again.";
  return m;
}

export async function find(id) {
  return (await records.list("appointment")).find((a) => a.id === id) || null;
}

// Set by a tap on "Print" in the list, so the print page opens the print dialog on arrival;
// and when a new appointment is made, so its notes open ready for the first question.
export const arrival = { print: null, focusQuestion: null };

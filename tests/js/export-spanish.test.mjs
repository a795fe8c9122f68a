// pwa/js/core/export.js on a phone that speaks Spanish: the copy's sections, labels, values,
// days and page lines are all Spanish. The language is chosen as i18n/index.js starts, so
// this file keeps "es" before importing it (each test file runs in a process of its own).
import assert from "node:assert/strict";
import test from "node:test";

globalThis.localStorage = { getItem: (k) => (k === "hearth-language" ? "es" : null) };
const { exportPage, recordHtml, SECTIONS } = await import("../../pwa/js/core/export.js");
const english = { ...(await import("../../pwa/js/i18n/en/export.js")).default, ...(await import("../../pwa/js/i18n/en/exp.js")).default };

// One record of each type, with every field the copy shows filled in.
const RECORDS = {
  journal: { text: "Un paseo.", tags: ["tried", "didnt", "feelings", "worked"], feeling_after: "Tranquila." },
  boundary: { kind: "touch", label: "Abrazos", level: "off_limits", note: "Con cuidado." },
  period: { label: "Quimio", starts_on: "2026-03-01", ends_on: "2026-03-08", note: "Descansar." },
  experiment: { title: "Paseos", description: "Cada tarde.", starts_on: "2026-03-02", days: 7, status: "active", outcome: "adjust" },
  reassessment: { felt: "Bien.", comfort: 7, decision: "keep" },
  energy: { date: "2026-03-05", time_of_day: "night", energy: 4, pain: 2, fatigue: 6, mood: 5, sleep_hours: 7.5, note: "Cansada." },
  appointment: { title: "Oncología", date: "2026-03-05", next_date: "2026-04-02", questions: [{ text: "¿Nadar?" }] },
  gratitude: { text: "El té.", date: "2026-03-05" },
  agreement: { kind: "no_pressure", status: "proposed", answer: "not_now", answered_on: "2026-03-04" },
  pace: { ready: "step_2" },
  pace_lookback: { step: 3, felt: "Despacio." },
  checkin: { week: "2026-W48", needs: "Dormir.", felt_good: "Reír.", try_next: "Cenar.", i_statement: "Siento…", anything_else: "Nada." },
};
const who = { who: "Tú", when: "3 de marzo de 2026, 09:30" };

function page() {
  const sections = Object.entries(SECTIONS).map(([type, heading]) => ({ heading, articles: [recordHtml(type, RECORDS[type], who)] }));
  sections.push({ heading: SECTIONS.checkin, articles: [recordHtml("checkin", { week: "2026-W47", skipped: true }, who)] });
  sections.push({ heading: SECTIONS.pace, articles: [] });
  return exportPage({ title: "Todo lo mío en Hearth", about: "Todo.", made: "3 de marzo de 2026", sections });
}

test("a Spanish phone's copy has no English label, value or line left in it", () => {
  const html = page();
  const words = new Set(Object.values(english).filter((w) => typeof w === "string").map((w) => w.toLowerCase()));
  const texts = [...html.matchAll(/>([^<>]+)</g)].map((m) => m[1].trim()).filter(Boolean);
  const left = texts.filter((text) => text.split(/, | /).length && (words.has(text.toLowerCase())
    || text.split(", ").some((part) => words.has(part.toLowerCase()))));
  assert.deepEqual(left, []);
  for (const line of ["This file is not encrypted", "Nothing here", "Made by Hearth", "week", "Looking back", "step"]) {
    assert.ok(!html.includes(line), line);
  }
  assert.ok(html.includes('<html lang="es">'));
});

test("its values, days and page lines are said in Spanish", () => {
  const html = page();
  for (const words of ["<h2>Límites</h2>", "<dt>Nivel</dt><dd dir=\"auto\">fuera de límites</dd>",
    "probamos algo, esta vez no funcionó, sobre lo que sentimos, nos funcionó", "<dd dir=\"auto\">madrugada</dd>",
    "<p class=\"text\" dir=\"auto\">5 de marzo de 2026</p>", "<dd dir=\"auto\">7,5</dd>", "<dd dir=\"auto\">en marcha</dd>",
    "2026, semana 48</p>", "2026, semana 47: esta semana me la salté", "Con ganas del paso 2", "Aquí no hay nada.",
    "Hecho con Hearth el 3 de marzo de 2026. Este archivo no está cifrado", "El dolor significa parar"]) {
    assert.ok(html.includes(words), words);
  }
});

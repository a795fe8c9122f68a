// The records layer's refusals on a screen (i18n/record-words.js): each carries its key and
// keeps records.json's English as its message (what hearth-client prints), while a screen
// says it in the person's words: plain English, or Spanish on a Spanish phone. The phone's language is chosen as index.js starts, so
// this file keeps "es" before importing it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";

globalThis.localStorage = { getItem: (k) => (k === "hearth-language" ? "es" : null) };
const { RecordError, validate } = await import("../../pwa/js/core/records.js");
const { recordWords } = await import("../../pwa/js/i18n/record-words.js");
const en = (await import("../../pwa/js/i18n/en/records.js")).default;
const SCHEMA = JSON.parse(readFileSync(new URL("../../server/hearth/protocol/records.json", import.meta.url), "utf8"));

const refusal = (fn) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RecordError, String(err));
    return err;
  }
  assert.fail("nothing was refused");
};

test("an English screen names each field and type as its form does, never by the schema's name", () => {
  const names = Object.entries(en).filter(([key]) => /^records\.(field|type)\./.test(key));
  assert.ok(names.length > 30);
  for (const [key, words] of names) assert.doesNotMatch(words, /_/, key);
  assert.notEqual(en["records.period_ends_on_before"], SCHEMA.types.period.checks.find((c) => c.check === "not_before").message);
});

test("a refusal keeps its English message and names its key and what filled it", () => {
  const err = refusal(() => validate("energy", { date: "2026-11-30", time_of_day: "morning", note: "x".repeat(501) }));
  assert.equal(err.message, "'note' must be at most 500 characters");
  assert.equal(err.key, "text_max");
  assert.deepEqual(err.params, { name: "note", min: 0, max: 500 });
  const order = refusal(() => validate("period", { label: "Tired", starts_on: "2026-11-30", ends_on: "2026-11-01" }));
  assert.equal(order.key, "period_ends_on_before");
});

test("on a Spanish phone the refusals a person can meet are said in Spanish", () => {
  const long = refusal(() => validate("energy", { date: "2026-11-30", time_of_day: "morning", note: "x".repeat(501) }));
  assert.equal(recordWords(long), "En «nota» caben como mucho 500 caracteres.");
  const journal = refusal(() => validate("journal", { text: "x".repeat(10001) }));
  assert.equal(recordWords(journal), "En «texto» caben de 1 a 10.000 caracteres.");
  const order = refusal(() => validate("period", { label: "Tired", starts_on: "2026-11-30", ends_on: "2026-11-01" }));
  assert.equal(recordWords(order), "El final no puede ser antes del comienzo.");
  const question = refusal(() => validate("appointment", { title: "GP", questions: [{ text: "" }] }));
  assert.equal(recordWords(question), "En «pregunta» caben de 1 a 500 caracteres.");
});

test("a programmer's mistake has no key, and stays English", () => {
  const err = refusal(() => validate("journal", { text: "hi", mood: 3 }));
  assert.equal(recordWords(err), err.message);
  assert.equal(recordWords(new RecordError("a check-in is sealed")), "a check-in is sealed");
  assert.equal(recordWords(new Error("disk full")), "");
});

// pwa/js/core/export.js: a readable page that runs nothing and fetches nothing.
import assert from "node:assert/strict";
import test from "node:test";

import { exportName, exportPage, recordHtml } from "../../pwa/js/core/export.js";

const who = { who: "You", when: "3 March 2026, 09:30" };

test("what a person wrote is shown as text, never as markup", () => {
  const html = recordHtml("journal", { text: "<script>alert(1)</script> & \"quotes\"", tags: ["tried"] }, who);
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
  assert.ok(html.includes('dir="auto"'), "each person's words keep their own direction");
});

test("replies sit beneath what they answer, each with its own author", () => {
  const reply = { record: { text: "Again on Sunday?" }, who: "Your partner", when: "4 March 2026, 10:00" };
  const html = recordHtml("journal", { text: "A walk by the river." }, who, [reply]);
  assert.match(html, /A walk by the river\.<\/p>.*<div class="replies"><article><p class="meta">Your partner · 4 March 2026/s);
});

test("the page has no scripts and nothing from anywhere else, and says it is not encrypted", () => {
  const html = exportPage({ title: "Our journal", about: "About.", made: "3 March 2026",
    sections: [{ heading: "Journal", articles: [] }] });
  assert.ok(!/<script|\bsrc=|\bhref=|url\(|@import/i.test(html), html);
  assert.ok(html.includes("This file is not encrypted"));
  assert.ok(html.includes("<p>Nothing here.</p>"));
  assert.ok(html.includes("@media print"));
});

test("appointments show their questions and answers", () => {
  const html = recordHtml("appointment", { title: "Oncology", date: "2026-03-05",
    questions: [{ text: "Is it safe to swim?", answer: "Yes, once healed." }, { text: "Lubricants?" }] }, who);
  assert.match(html, /<ol class="questions"><li><span dir="auto">Is it safe to swim\?<\/span><br><span class="answer" dir="auto">Yes, once healed\.<\/span>/);
});

test("the file name carries the date and nothing personal", () => {
  assert.equal(exportName("journal", "2026-11-30"), "hearth-journal-2026-11-30.html");
});

test("the agreement, the paced path and its look-backs read as words, not as field values", () => {
  const agreement = recordHtml("agreement", { kind: "no_pressure", status: "proposed", answer: "yes", answered_on: "2026-03-04" }, who);
  assert.match(agreement, /unless we both say so\..*whichever of us is slower\..*Pain means stop/s);
  assert.match(agreement, /<dt>The answer<\/dt><dd dir="auto">yes<\/dd>/);
  assert.match(recordHtml("pace", { ready: "step_2" }, who), /Ready for step 2/);
  assert.match(recordHtml("pace", { ready: "not_yet" }, who), /Not ready for a step yet/);
  assert.match(recordHtml("pace_lookback", { step: 3, felt: "Slow, and kind." }, who), /Slow, and kind\..*<dt>Step<\/dt><dd dir="auto">3<\/dd>/s);
});

test("a check-in reads as its week and the author's own answers, or says the week was sat out", () => {
  const answered = recordHtml("checkin", { week: "2026-W48", needs: "An early night, together.", try_next: null }, who);
  assert.match(answered, /2026, week 48<\/p><dl><dt>What would help<\/dt><dd dir="auto">An early night, together\.<\/dd><\/dl>/);
  assert.ok(!answered.includes("Something to try"), "a question left empty is not shown");
  const skipped = recordHtml("checkin", { week: "2026-W47", skipped: true }, who);
  assert.ok(skipped.includes("2026, week 47: sat this week out"));
});

// node has no phone: its English is "en", whose dates read "March 5, 2026".
test("an English phone's copy reads its values as words and its days as dates", () => {
  const html = recordHtml("boundary", { kind: "body_area", label: "My scar", level: "ask_first" }, who);
  assert.ok(html.includes("<dt>About</dt><dd dir=\"auto\">body area</dd><dt>Level</dt><dd dir=\"auto\">ask first</dd>"), html);
  assert.match(recordHtml("energy", { date: "2026-03-05", time_of_day: "evening", sleep_hours: 7.5 }, who),
    /<p class="text" dir="auto">(5 March|March 5,) 2026<\/p>.*<dd dir="auto">evening<\/dd>.*<dd dir="auto">7\.5<\/dd>/s);
  assert.ok(exportPage({ title: "T", about: "A.", made: "3 March 2026", sections: [] })
    .includes("Made by Hearth on 3 March 2026. This file is not encrypted"));
});

test("only a date field reads as a date: words that look like one stay as written", () => {
  const html = recordHtml("checkin", { week: "2026-W48", needs: "2026-03-05" }, who);
  assert.ok(html.includes('<dd dir="auto">2026-03-05</dd>'), html);
});

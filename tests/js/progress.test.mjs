// Small wins (pwa/js/core/progress.js): what is noticed, how it is worded, how it is grouped.
// Progress is noticed, never scored: nothing returned may count, rank or pressure.
import assert from "node:assert/strict";
import test from "node:test";

import { groupWins, noticing, periodOf, smallWins } from "../../pwa/js/core/progress.js";
import { excerpt } from "../../pwa/js/core/text.js";

const HOUR = 3600000;
const DAY = 24 * HOUR;
// Thursday 16 April 2026, mid-afternoon local time.
const NOW = new Date(2026, 3, 16, 15, 0);
const ago = (days, hours = 0) => NOW.getTime() - days * DAY - hours * HOUR;

const everything = () => ({
  experiments: [
    { id: "e1", title: "Ten minutes lying close before sleep", status: "finished", outcome: "keep", at: ago(12), updatedAt: ago(1) },
    { id: "e2", title: "A shower together", status: "finished", outcome: "adjust", at: ago(40), updatedAt: ago(30) },
    { id: "e3", title: "Morning massage", status: "finished", outcome: "drop", at: ago(70), updatedAt: ago(60) },
    { id: "e4", title: "Still going", status: "active", outcome: null, at: ago(2), updatedAt: ago(2) },
    { id: "e5", title: "Finished, no outcome yet", status: "finished", outcome: null, at: ago(2), updatedAt: ago(2) },
  ],
  checkins: [{ week: "2026-W16", both: true, at: ago(0, 2) }, { week: "2026-W15", both: false, at: ago(8) }],
  boundaries: [
    { id: "b1", kind: "stop_signal", label: "Pineapple", mine: true, at: ago(12), changes: [] },
    { id: "b2", kind: "touch", label: "Hugs from behind", level: "ask_first", mine: false, at: ago(50),
      changes: [{ at: ago(3), mine: false }, { at: ago(3), mine: false }] },   // two fields, one moment
    { id: "b3", kind: "body_area", label: "Chest", level: "not_now", mine: true, at: ago(50),
      changes: [{ at: ago(4), mine: false }] },   // the partner asked for more care
    { id: "b4", kind: "touch", label: "Hand holding", level: "welcome", mine: true, at: ago(5), changes: [] },
  ],
  journal: [
    { id: "j1", text: "Holding hands on the sofa felt like us again.", tags: ["tried", "worked"], mine: false, at: ago(2) },
    { id: "j2", text: "Too tired tonight.", tags: ["feelings"], mine: true, at: ago(2) },
  ],
  gratitude: [
    { id: "g1", text: "You made tea without asking.", date: "2026-04-14", mine: true, at: ago(2, 5) },
    { id: "g2", text: "You waited for me at the clinic.", date: "2026-04-14", mine: false, at: ago(2, 4) },
    { id: "g3", text: "A slow walk in the sun.", date: "2026-03-02", mine: false, at: ago(45) },
  ],
  appointments: [
    { id: "a1", title: "Oncology follow-up", mine: true, at: ago(9), updatedAt: ago(6),
      questions: [{ text: "When can we be close again?", answer: "Whenever you both feel ready." }, { text: "Pain?" }] },
    { id: "a2", title: "Not yet", mine: true, at: ago(9), updatedAt: ago(6), questions: [{ text: "Unanswered" }] },
  ],
});

const FORBIDDEN = /\b(streaks?|points?|scores?|scored|levels?|rank|badges?|achievement|total|%|percent)\b/i;

test("nothing it says counts, scores or pressures", () => {
  const wins = smallWins(everything());
  assert.ok(wins.length > 5);
  const said = [...wins.flatMap((w) => [w.text, w.quote || ""]),
    ...groupWins(wins, NOW).map((g) => g.heading),
    noticing(wins, NOW), noticing(wins, new Date(NOW.getTime() + 90 * DAY)),
    noticing(wins.filter((w) => w.who === "you"), NOW), noticing(wins.filter((w) => w.who === "partner"), NOW)];
  for (const text of said) {
    assert.equal(typeof text, "string");
    assert.doesNotMatch(text, FORBIDDEN, text);
    assert.doesNotMatch(text, /\d+ (times|days|wins|in a row)/i, text);
  }
  // No number anywhere in what the app itself writes (headings and noticing lines).
  for (const text of [...groupWins(wins, NOW).map((g) => g.heading), noticing(wins, NOW)]) {
    assert.doesNotMatch(text, /\d/, text);
  }
  for (const w of wins) {
    assert.deepEqual(Object.keys(w).filter((k) => !["at", "kind", "text", "who", "quote"].includes(k)), []);
  }
});

test("each kind of small win is noticed, with whose it was", () => {
  const wins = smallWins(everything());
  const of = (kind) => wins.filter((w) => w.kind === kind);
  assert.deepEqual(of("experiment").map((w) => w.who), ["both", "both", "both"]);
  assert.match(of("experiment")[0].text, /“Ten minutes lying close before sleep”.*keep it/);
  assert.match(of("experiment")[1].text, /“A shower together”/);
  assert.match(of("experiment")[2].text, /counts too/);
  assert.equal(wins.some((w) => /Still going|no outcome/.test(w.text)), false);

  assert.equal(of("checkin").length, 1);
  assert.equal(of("checkin")[0].who, "both");

  assert.equal(of("stop_signal").length, 1);
  assert.match(of("stop_signal")[0].text, /^You set a stop signal: “Pineapple”/);
  assert.equal(of("stop_signal")[0].who, "you");
  const boundaries = of("boundary");
  assert.equal(boundaries.length, 2, "two fields changed at once are one moment; unchanged ones are not wins");
  assert.match(boundaries.find((w) => /Hugs/.test(w.text)).text, /^Your partner let you know/);
  assert.match(boundaries.find((w) => /Chest/.test(w.text)).text, /^Your partner asked for a little more care/);

  assert.equal(of("journal").length, 1);
  assert.equal(of("journal")[0].who, "partner");
  assert.equal(of("journal")[0].quote, "Holding hands on the sofa felt like us again.");

  const thanks = of("gratitude");
  assert.deepEqual(thanks.map((w) => w.who), ["both", "partner"]);   // one moment per day
  assert.match(thanks[0].text, /^You both paused/);

  assert.equal(of("appointment").length, 1);
  assert.match(of("appointment")[0].text, /“Oncology follow-up”/);
});

test("newest first, and in gentle groups: this week, last week, earlier this month, then months", () => {
  const wins = smallWins(everything());
  for (let i = 1; i < wins.length; i += 1) assert.ok(wins[i - 1].at >= wins[i].at);
  const groups = groupWins(wins, NOW);
  assert.deepEqual(groups.map((g) => g.heading), ["This week", "Last week", "Earlier this month", "In March", "In February"]);
  assert.equal(groups.flatMap((g) => g.wins).length, wins.length);
  assert.equal(periodOf(new Date(2026, 3, 13, 0, 1).getTime(), NOW).heading, "This week");   // Monday
  assert.equal(periodOf(new Date(2026, 3, 12, 23, 59).getTime(), NOW).heading, "Last week");  // Sunday before
  assert.equal(periodOf(new Date(2026, 3, 5).getTime(), NOW).heading, "Earlier this month");
  assert.equal(periodOf(new Date(2025, 11, 5).getTime(), NOW).heading, "In December 2025");
  // Early in a month, last week can reach back into the one before.
  const early = new Date(2026, 4, 2, 10);   // Saturday 2 May
  assert.equal(periodOf(new Date(2026, 3, 28).getTime(), early).heading, "This week");
  assert.equal(periodOf(new Date(2026, 3, 22).getTime(), early).heading, "Last week");
  assert.equal(periodOf(new Date(2026, 3, 10).getTime(), early).heading, "In April");
});

test("an empty start is quiet, and the noticing line never scores", () => {
  assert.deepEqual(smallWins({}), []);
  assert.deepEqual(smallWins(), []);
  assert.deepEqual(groupWins([], NOW), []);
  assert.equal(noticing([], NOW), null);
  const wins = smallWins(everything());
  assert.equal(noticing(wins, NOW), "You've looked after each other in lots of small ways lately.");
  assert.match(noticing(wins, new Date(NOW.getTime() + 200 * DAY)), /quieter while/);
  assert.match(noticing([{ at: ago(1), who: "you", kind: "journal", text: "x" }], NOW), /^You've been making room/);
});

test("deleted, malformed or half-finished things are simply left out", () => {
  const wins = smallWins({
    experiments: [{ title: "x", status: "finished", outcome: "keep", deleted: true, at: ago(1) }, null],
    journal: [{ text: "", tags: ["worked"], mine: true, at: ago(1) }, { text: "ok", tags: "worked", at: ago(1) }],
    gratitude: [{ text: "x", date: "2026-04-01", deleted: true, mine: true, at: ago(1) }],
    checkins: [{ week: "2026-W16", both: true }],
    appointments: [{ title: "t", mine: true, at: ago(1), questions: [{ text: "q", answer: "  " }] }],
    boundaries: [{ kind: "touch", label: "x", level: "welcome", mine: true, at: ago(1), changes: [{ mine: true }] }],
  });
  assert.deepEqual(wins, []);
});

test("long words are quoted back in whole words, with an ellipsis", () => {
  const long = "We lay close for a while and talked about nothing in particular, which was exactly what we needed after a long and tiring week of appointments";
  const short = excerpt(long);
  assert.ok([...short].length <= 121, short);
  assert.ok(short.endsWith("…"));
  assert.ok(long.startsWith(short.slice(0, -1)));
  assert.equal(excerpt("  two\n lines  "), "two lines");
});

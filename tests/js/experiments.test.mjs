// The experiments screen's pure date logic and reveal rules (pwa/js/core/experiments.js).
import assert from "node:assert/strict";
import test from "node:test";

import { addDays, daysBetween, today as localToday } from "../../pwa/js/core/dates.js";
import {
  agreedDecision, beginsOn, consent, currentExperiment, dayNumber, daysLeft, dueOn, isDue, journalTags,
  openExperiments, pastExperiments, phase, proposals, reassessmentsFor, revealState, stoppedBy,
} from "../../pwa/js/core/experiments.js";

// Agreed by both (protocol §8.3) unless a test says otherwise.
const exp = (fields) => ({ days: 7, status: "active", answer: "yes", ...fields });

test("dates move in whole calendar days, across months, years and leap days", () => {
  assert.equal(addDays("2026-11-25", 7), "2026-12-02");
  assert.equal(addDays("2026-12-28", 7), "2027-01-04");
  assert.equal(addDays("2028-02-25", 5), "2028-03-01");
  assert.equal(addDays("2028-03-01", -1), "2028-02-29");
  assert.equal(daysBetween("2026-03-28", "2026-04-02"), 5);   // across a clock change in Europe
  assert.equal(daysBetween("2026-04-02", "2026-03-28"), -5);
  assert.equal(localToday(new Date(2026, 0, 9, 23, 30)), "2026-01-09");
});

test("the look-back is due on starts_on + days, and not before", () => {
  const e = exp({ starts_on: "2026-11-25" });
  assert.equal(dueOn(e), "2026-12-02");
  assert.equal(dueOn({ starts_on: "2026-11-25" }), "2026-12-02");   // 7 days when unsaid
  assert.equal(dueOn(exp({ starts_on: "2026-11-25", days: 1 })), "2026-11-26");
  assert.equal(isDue(e, "2026-12-01"), false);
  assert.equal(isDue(e, "2026-12-02"), true);
  assert.equal(isDue(e, "2027-01-15"), true);
  assert.equal(isDue({ ...e, status: "finished" }, "2027-01-15"), false);
});

test("days left counts down to the look-back and never goes below zero", () => {
  const e = exp({ starts_on: "2026-11-25" });
  assert.equal(daysLeft(e, "2026-11-20"), 12);
  assert.equal(daysLeft(e, "2026-11-25"), 7);
  assert.equal(daysLeft(e, "2026-12-01"), 1);
  assert.equal(daysLeft(e, "2026-12-02"), 0);
  assert.equal(daysLeft(e, "2026-12-20"), 0);
  assert.equal(dayNumber(e, "2026-11-24"), 0);
  assert.equal(dayNumber(e, "2026-11-25"), 1);
  assert.equal(dayNumber(e, "2026-12-01"), 7);
  assert.equal(dayNumber(e, "2026-12-09"), 7);
});

test("an experiment is upcoming, running, due or finished", () => {
  const e = exp({ starts_on: "2026-11-25", status: "proposed" });
  assert.equal(phase(e, "2026-11-24"), "upcoming");
  assert.equal(phase(e, "2026-11-25"), "running");
  assert.equal(phase(e, "2026-12-02"), "due");
  assert.equal(phase({ ...e, status: "finished" }, "2026-11-25"), "finished");
});

test("the current experiment is the earliest-started one still open", () => {
  const list = [
    exp({ id: "later", starts_on: "2026-12-10", at: 1 }),
    exp({ id: "done", starts_on: "2026-10-01", status: "finished", updatedAt: 50 }),
    exp({ id: "now", starts_on: "2026-11-25", at: 3 }),
    exp({ id: "gone", starts_on: "2026-11-01", deleted: true }),
    exp({ id: "same-day-later", starts_on: "2026-11-25", at: 9 }),
  ];
  assert.equal(currentExperiment(list).id, "now");
  assert.deepEqual(openExperiments(list).map((e) => e.id), ["now", "same-day-later", "later"]);
  assert.equal(currentExperiment([]), null);
  assert.equal(currentExperiment([list[1]]), null);
  const past = [exp({ id: "a", starts_on: "2026-01-01", status: "finished", updatedAt: 10 }),
    exp({ id: "b", starts_on: "2026-02-01", status: "finished", updatedAt: 20 }), list[2]];
  assert.deepEqual(pastExperiments(past).map((e) => e.id), ["b", "a"]);
});

test("a partner's look-back stays hidden until you have answered too", () => {
  const rs = [
    { id: "r1", experiment: "E", mine: false, decision: "keep", updatedAt: 1 },
    { id: "r2", experiment: "other", mine: true, decision: "drop", updatedAt: 2 },
  ];
  let both = reassessmentsFor("E", rs);
  assert.equal(both.mine, null);
  assert.equal(both.partner.id, "r1");
  assert.equal(revealState(both), "partner-waiting");
  assert.equal(revealState(reassessmentsFor("other", rs)), "waiting-for-partner");
  assert.equal(revealState(reassessmentsFor("none", rs)), "neither");

  rs.push({ id: "r3", experiment: "E", mine: true, decision: "adjust", updatedAt: 3 },
    { id: "r4", experiment: "E", mine: true, decision: "keep", updatedAt: 4 });
  both = reassessmentsFor("E", rs);
  assert.equal(both.mine.id, "r4");   // the latest of mine counts
  assert.equal(revealState(both), "both");
  assert.equal(agreedDecision(both), "keep");
  assert.equal(agreedDecision({ mine: { decision: "keep" }, partner: { decision: "drop" } }), null);
  assert.equal(agreedDecision({ mine: { decision: "keep" }, partner: null }), null);
});

test("a journal entry about an experiment is tagged for what was decided", () => {
  assert.deepEqual(journalTags("keep"), ["tried", "worked"]);
  assert.deepEqual(journalTags("drop"), ["tried", "didnt"]);
  assert.deepEqual(journalTags("adjust"), ["tried"]);
});

test("an experiment is a proposal until the partner says yes, and nothing counts before", () => {
  const asked = { starts_on: "2026-11-20", days: 7, status: "proposed" };
  assert.equal(consent(asked), "asked");
  assert.equal(phase(asked, "2026-12-30"), "asked");        // never due, however long it waits
  assert.equal(isDue(asked, "2026-12-30"), false);
  assert.equal(consent({ ...asked, status: "active" }), "asked");   // from before answers existed
  assert.equal(phase({ ...asked, answer: "change", answer_note: "feet too?" }, "2026-11-21"), "change");
  assert.equal(phase({ ...asked, answer: "not_now" }, "2026-11-21"), "not_now");
  const yes = { ...asked, answer: "yes", answered_on: "2026-11-23" };
  assert.equal(consent(yes), "agreed");
  assert.equal(beginsOn(yes), "2026-11-23");               // the days count from the yes
  assert.equal(dayNumber(yes, "2026-11-23"), 1);
  assert.equal(dueOn(yes), "2026-11-30");
  assert.equal(beginsOn({ ...yes, answered_on: "2026-11-10" }), "2026-11-20");   // or from the start, if later
  assert.deepEqual(proposals([asked, yes, { ...asked, answer: "change" }, { ...asked, deleted: true }]).length, 2);
  assert.deepEqual(openExperiments([asked, yes]), [yes]);
  assert.equal(currentExperiment([asked]), null);
});

test("a stop or a not now wins over a yes, whoever said which", () => {
  const yes = { starts_on: "2026-11-20", days: 7, status: "active", answer: "yes" };
  assert.equal(consent({ ...yes, status: "stopped" }), "stopped");
  assert.equal(stoppedBy({ ...yes, status: "stopped" }), "author");
  assert.equal(consent({ ...yes, answer: "stop" }), "stopped");
  assert.equal(stoppedBy({ ...yes, answer: "stop" }), "partner");
  assert.equal(stoppedBy(yes), null);
  assert.equal(consent({ ...yes, status: "finished", answer: "stop" }), "finished");
  const over = [{ ...yes, id: "s", status: "stopped", updatedAt: 2 }, { ...yes, id: "n", answer: "not_now", updatedAt: 1 }];
  assert.deepEqual(pastExperiments(over).map((e) => e.id), ["s", "n"]);
  assert.deepEqual(openExperiments(over), []);
});

test("the countdown counts the days after today, so day 1 of 7 has 6 to go and day 7 is the last", async () => {
  const { countdown } = await import("../../pwa/js/core/experiments.js");
  const exp = { starts_on: "2026-11-01", days: 7, answered_on: "2026-11-01" };
  assert.deepEqual(countdown(exp, "2026-11-01"), { day: 1, days: 7, count: 6 });
  assert.deepEqual(countdown(exp, "2026-11-06"), { day: 6, days: 7, count: 1 });
  assert.deepEqual(countdown(exp, "2026-11-07"), { day: 7, days: 7, count: 0 });
});

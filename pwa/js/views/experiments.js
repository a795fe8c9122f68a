// Experiments: one small new thing at a time, for a few days. It is a proposal until the
// partner says yes (experiments/answer.js); either of you can stop it at any time. Then each
// looks back privately (a `reassessment` of their own), and once both have, the answers sit
// side by side and the experiment's author records what you decided. Nothing is scored.
// Proposing is experiments/propose.js, looking back experiments/look-back.js.
import { format, today as localToday } from "../core/dates.js";
import {
  consent, countdown, currentExperiment, dueOn, journalTags, openExperiments, pastExperiments, phase, proposals,
  reassessmentsFor,
} from "../core/experiments.js";
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { opensDraft, reopenKept } from "../shell/drafts.js";
import { politeRedraw } from "./common.js";
import { agreementCard } from "./experiments/agreement.js";
import { endedWords, proposalCard, stopControl } from "./experiments/answer.js";
import { DECISION_NAMES, lookBack } from "./experiments/look-back.js";
import { proposeForm } from "./experiments/propose.js";

await useWords("exp");

export const title = t("exp.title");

const OUTCOME_WORDS = { keep: t("exp.outcome_keep"), adjust: t("exp.outcome_adjust"), drop: t("exp.outcome_drop") };

const longDate = (iso) => format(iso, "long");

const shortDate = (iso) => format(iso, "dayMonthYear");

// "Day 3 of 7, 4 days to go" as one message, so each language counts in its own words.
function countdownWords(exp, today) {
  const where = countdown(exp, today);
  return where.count === 0 ? t("exp.countdown_last", where) : t("exp.countdown", where);
}

// ---------- the current experiment ----------

function currentCard(exp, reassessments, me, today, rerender, early) {
  const p = phase(exp, today);
  const both = reassessmentsFor(exp.id, reassessments);
  const mineAuthor = exp.mine;
  const card = el("article", { class: "card exp-current", "aria-labelledby": `exp-${exp.id}-title` },
    el("p", { class: "exp-kicker" }, mineAuthor ? t("exp.idea_mine") : t("exp.idea_partner")),
    el("h2", { id: `exp-${exp.id}-title`, class: "exp-title" }, exp.title),
    exp.description ? el("p", { class: "exp-description" }, exp.description) : null);
  if (p === "upcoming") {
    card.append(el("p", { class: "exp-when" }, t("exp.starts", { date: longDate(exp.starts_on), count: exp.days })));
  } else if (p === "running") {
    card.append(el("p", { class: "exp-when" },
      el("strong", {}, countdownWords(exp, today)),
      t("exp.look_back_on", { date: longDate(dueOn(exp)) })));
  }
  const showLookBack = p === "due" || early.has(exp.id) || both.mine || both.partner;
  if (p === "due" && !both.mine) {
    card.append(el("div", { class: "notice exp-due" },
      el("p", { class: "exp-due-title" }, t("exp.due_title", { title: exp.title })),
      el("p", {}, t("exp.due_text"))));
  }
  if (showLookBack) {
    card.append(lookBack(exp, both, me, rerender));
  } else if (p === "running") {
    card.append(el("button", { type: "button", class: "button button-small button-quiet",
      onclick: () => { early.add(exp.id); rerender(); } }, t("exp.look_back_early")));
  }
  card.append(stopControl(exp, rerender));
  return card;
}

// ---------- finished ones ----------

function journalText(exp, mine) {
  const lines = [t("exp.journal_tried", { title: exp.title, count: exp.days, date: shortDate(exp.starts_on) })];
  if (exp.description) lines.push(exp.description);
  if (mine?.felt) lines.push(t("exp.journal_felt", { felt: mine.felt }));
  lines.push(t("exp.journal_decided", { decision: DECISION_NAMES[exp.outcome].toLowerCase() }));
  return lines.join("\n");
}

// How a saved entry begins ("exp.journal_marker" is the start of "exp.journal_tried"), in
// this phone's language and in English: entries saved before Hearth spoke other languages,
// or by a partner whose phone speaks English, are found too.
const journalMarkers = (exp) => [t("exp.journal_marker", { title: exp.title }), `We tried “${exp.title}” for `];

function pastItem(exp, reassessments, journal, rerender) {
  const saved = journal.some((j) => journalMarkers(exp).some((m) => j.text.startsWith(m)));
  const slot = el("div", { class: "exp-past-actions" });
  if (saved) {
    slot.append(el("p", { class: "exp-saved" }, t("exp.in_journal"), el("a", { href: "#/journal" }, t("exp.open_journal"))));
  } else if (exp.outcome) {
    slot.append(el("button", { type: "button", class: "button button-small", onclick: async (event) => {
      event.currentTarget.disabled = true;
      const { mine } = reassessmentsFor(exp.id, reassessments);
      await records.put("journal", { text: journalText(exp, mine), tags: journalTags(exp.outcome), shared: true });
      rerender();
    } }, t("exp.save_to_journal")));
  }
  return el("li", { class: "exp-past" },
    el("p", { class: "exp-past-title" }, exp.title),
    consent(exp) === "finished"
      ? el("p", { class: "exp-past-meta" }, t("exp.past_when", { count: exp.days, date: shortDate(exp.starts_on) }), " ",
        exp.outcome ? OUTCOME_WORDS[exp.outcome] : t("exp.finished"))
      : el("p", { class: "exp-past-meta exp-ended" }, endedWords(exp)),
    slot);
}

// ---------- the screen ----------

export function render(outlet) {
  const body = el("div", { class: "exp-body" });
  const composeSlot = el("div", { class: "exp-compose" });
  const proposeButton = opensDraft(el("button", { type: "button", class: "button button-primary button-wide" },
    t("exp.propose_button")), "experiment:new");
  const early = new Set();   // experiments this person chose to look back on before the day
  let composing = false;

  // A fresh proposal, or (`from`) a changed one that replaces the one the partner asked to change.
  async function compose(from = null) {
    const ours = (await records.list("experiment")).filter((e) => !e.earlier);
    const openOne = currentExperiment(ours) || proposals(ours)[0] || null;
    composing = true;
    proposeButton.hidden = true;
    composeSlot.replaceChildren(proposeForm({ openOne, from, onDone: () => {
      composing = false;
      composeSlot.replaceChildren();
      proposeButton.hidden = false;
      proposeButton.focus();
      draw();
    } }));
  }
  proposeButton.addEventListener("click", () => compose());
  const polite = politeRedraw(draw, ["experiment:", "reassessment:"]);

  async function draw(ready = () => true) {
    const [me, experiments, reassessments, journal, agreements] = await Promise.all([
      identity(), records.list("experiment"), records.list("reassessment"), records.list("journal"), records.list("agreement")]);
    const today = localToday();
    // One still open when a pairing ended is not the next partner's to carry on.
    const open = openExperiments(experiments.filter((e) => !e.earlier));
    const current = open[0] || null;
    const past = pastExperiments(experiments);
    const parts = proposals(experiments.filter((e) => !e.earlier)).map((e) => proposalCard(e, draw, compose));
    if (current) {
      parts.push(currentCard(current, reassessments, me, today, draw, early));
    } else if (!composing && !parts.length) {
      parts.push(el("p", { class: "empty" }, past.length
        ? t("exp.empty_after") : t("exp.empty_first")));
    }
    const later = open.slice(1);
    if (later.length) {
      parts.push(el("section", { class: "exp-later", "aria-labelledby": "exp-later-title" },
        el("h2", { id: "exp-later-title" }, t("exp.later_title")),
        el("ul", { class: "quiet-list" }, later.map((e) => el("li", {},
          el("span", { class: "exp-past-title" }, e.title), " ",
          el("span", { class: "exp-past-meta" }, t("exp.later_when", { date: longDate(e.starts_on), count: e.days })))))));
    }
    if (past.length) {
      parts.push(el("section", { class: "exp-history", "aria-labelledby": "exp-history-title" },
        el("h2", { id: "exp-history-title" }, t("exp.history_title")),
        el("ul", { class: "quiet-list" }, past.map((e) => pastItem(e, reassessments, journal, draw)))));
    }
    // A partner's change redraws the screen; a half-written look-back or request for a
    // change stays as it was.
    for (const selector of ["form.exp-reassess", "form.exp-change:not([hidden])"]) {
      const typing = body.querySelector(selector);
      const fresh = typing && parts.map((p) => p.querySelector?.(`form[data-experiment="${typing.dataset.experiment}"].${typing.classList[0]}`))
        .find(Boolean);
      if (fresh) fresh.replaceWith(typing);
    }
    if (!ready()) return;
    body.replaceChildren(agreementCard(agreements, draw), ...parts);
    reopenKept(outlet);   // words left half-written here come back in their forms
  }

  outlet.append(
    viewHeader(title, t("exp.lede")),
    proposeButton, composeSlot, polite.note, body);
  outlet.append(el("p", { class: "hint reminders-link" }, t("exp.reminders_hint"), el("a", { href: "#/reminders" }, t("exp.reminders_link"))));
  const onChange = (e) => { if (!e.detail.mine) polite.redraw(); };
  records.changes.addEventListener("records", onChange);
  const seen = () => Promise.all([records.markSeen("experiment"), records.markSeen("reassessment")]);
  draw().then(seen);
  return () => {
    records.changes.removeEventListener("records", onChange);
    polite.stop();
    seen();
  };
}

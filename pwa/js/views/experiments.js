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
import { el, viewHeader } from "../shell/dom.js";
import { opensDraft, reopenKept } from "../shell/drafts.js";
import { politeRedraw } from "./common.js";
import { agreementCard } from "./experiments/agreement.js";
import { endedWords, proposalCard, stopControl } from "./experiments/answer.js";
import { DECISION_NAMES, lookBack } from "./experiments/look-back.js";
import { proposeForm } from "./experiments/propose.js";

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

export const title = "Experiments";

const OUTCOME_WORDS = { keep: "You chose to keep it.", adjust: "You chose to adjust it.", drop: "You let this one go." };

const longDate = (iso) => format(iso, "long");

const shortDate = (iso) => format(iso, "dayMonthYear");

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// ---------- the current experiment ----------

function currentCard(exp, reassessments, me, today, rerender, early) {
  const p = phase(exp, today);
  const both = reassessmentsFor(exp.id, reassessments);
  const mineAuthor = exp.mine;
  const card = el("article", { class: "card exp-current", "aria-labelledby": `exp-${exp.id}-title` },
    el("p", { class: "exp-kicker" }, mineAuthor ? "Your idea" : "Your partner's idea"),
    el("h2", { id: `exp-${exp.id}-title`, class: "exp-title" }, exp.title),
    exp.description ? el("p", { class: "exp-description" }, exp.description) : null);
  if (p === "upcoming") {
    card.append(el("p", { class: "exp-when" }, `Starts ${longDate(exp.starts_on)}, for ${plural(exp.days, "day", "days")}.`));
  } else if (p === "running") {
    card.append(el("p", { class: "exp-when" },
      el("strong", {}, capital(countdown(exp, today))),
      `, then you look back on ${longDate(dueOn(exp))}.`));
  }
  const showLookBack = p === "due" || early.has(exp.id) || both.mine || both.partner;
  if (p === "due" && !both.mine) {
    card.append(el("div", { class: "notice exp-due" },
      el("p", { class: "exp-due-title" }, `Time to look back on “${exp.title}”`),
      el("p", {}, "Whenever you each have a quiet moment. There are no right answers, only what it was like for you.")));
  }
  if (showLookBack) {
    card.append(lookBack(exp, both, me, rerender));
  } else if (p === "running") {
    card.append(el("button", { type: "button", class: "button button-small button-quiet",
      onclick: () => { early.add(exp.id); rerender(); } }, "Look back early"));
  }
  card.append(stopControl(exp, rerender));
  return card;
}

// ---------- finished ones ----------

function journalText(exp, mine) {
  const lines = [`We tried “${exp.title}” for ${plural(exp.days, "day", "days")}, from ${shortDate(exp.starts_on)}.`];
  if (exp.description) lines.push(exp.description);
  if (mine?.felt) lines.push(`How it felt for me: ${mine.felt}`);
  lines.push(`What we decided: ${DECISION_NAMES[exp.outcome].toLowerCase()}.`);
  return lines.join("\n");
}

const journalMarker = (exp) => `We tried “${exp.title}” for `;

function pastItem(exp, reassessments, journal, rerender) {
  const saved = journal.some((j) => j.text.startsWith(journalMarker(exp)));
  const slot = el("div", { class: "exp-past-actions" });
  if (saved) {
    slot.append(el("p", { class: "exp-saved" }, "In your journal. ", el("a", { href: "#/journal" }, "Open the journal")));
  } else if (exp.outcome) {
    slot.append(el("button", { type: "button", class: "button button-small", onclick: async (event) => {
      event.currentTarget.disabled = true;
      const { mine } = reassessmentsFor(exp.id, reassessments);
      await records.put("journal", { text: journalText(exp, mine), tags: journalTags(exp.outcome), shared: true });
      rerender();
    } }, "Save this as a journal entry"));
  }
  return el("li", { class: "exp-past" },
    el("p", { class: "exp-past-title" }, exp.title),
    consent(exp) === "finished"
      ? el("p", { class: "exp-past-meta" }, `${plural(exp.days, "day", "days")} from ${shortDate(exp.starts_on)}. `,
        exp.outcome ? OUTCOME_WORDS[exp.outcome] : "Finished.")
      : el("p", { class: "exp-past-meta exp-ended" }, endedWords(exp)),
    slot);
}

// ---------- the screen ----------

export function render(outlet) {
  const body = el("div", { class: "exp-body" });
  const composeSlot = el("div", { class: "exp-compose" });
  const proposeButton = opensDraft(el("button", { type: "button", class: "button button-primary button-wide" },
    "Propose something small"), "experiment:new");
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
        ? "Nothing on the go right now. Rest is fine too; propose something whenever you're both ready."
        : "Nothing yet. Pick one small, gentle thing to try for about a week, then see how it felt for each of you."));
    }
    const later = open.slice(1);
    if (later.length) {
      parts.push(el("section", { class: "exp-later", "aria-labelledby": "exp-later-title" },
        el("h2", { id: "exp-later-title" }, "Waiting their turn"),
        el("ul", { class: "quiet-list" }, later.map((e) => el("li", {},
          el("span", { class: "exp-past-title" }, e.title), " ",
          el("span", { class: "exp-past-meta" }, `from ${longDate(e.starts_on)}, ${plural(e.days, "day", "days")}`))))));
    }
    if (past.length) {
      parts.push(el("section", { class: "exp-history", "aria-labelledby": "exp-history-title" },
        el("h2", { id: "exp-history-title" }, "What you've tried"),
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
    viewHeader("Experiments", "One small new thing at a time, for a few days, once you've both said yes. Then you each look "
      + "back, privately, and decide together: keep it, adjust it, or let it go. Either of you can stop at any time. "
      + "Ideas, answers and look-backs are always shared with your partner."),
    proposeButton, composeSlot, polite.note, body);
  outlet.append(el("p", { class: "hint reminders-link" }, "A nudge when it's time to look back, if you'd like one: ", el("a", { href: "#/reminders" }, "Reminders")));
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

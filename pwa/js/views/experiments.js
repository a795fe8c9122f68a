// Experiments: one small new thing at a time, for a few days. Then each partner looks back
// privately (a `reassessment` of their own), and once both have, the answers sit side by
// side and the experiment's author records what you decided. Nothing is scored.
import { format, today as localToday } from "../core/dates.js";
import {
  agreedDecision, currentExperiment, dayNumber, daysLeft, dueOn, journalTags, openExperiments,
  pastExperiments, phase, reassessmentsFor, revealState,
} from "../core/experiments.js";
import { RecordError } from "../core/records.js";
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, setDraft } from "../shell/drafts.js";
import { coalesce } from "./common.js";

export const title = "Experiments";

const DECISIONS = [
  ["keep", "Keep it", "It did us good; let's carry on."],
  ["adjust", "Adjust it", "Something in it worked; change a part and try again."],
  ["drop", "Let it go", "Not for us right now, and that's fine."],
];
const DECISION_NAMES = Object.fromEntries(DECISIONS.map(([v, name]) => [v, name]));
const OUTCOME_WORDS = { keep: "You chose to keep it.", adjust: "You chose to adjust it.", drop: "You let this one go." };

const longDate = (iso) => format(iso, "long");
const shortDate = (iso) => format(iso, "dayMonthYear");

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function friendly(message) {
  if (message.startsWith("'title' must be")) return "Give it a short name first, up to 200 characters.";
  if (message.startsWith("'days'")) return "Choose a length from 1 to 60 days.";
  if (message.startsWith("'starts_on'")) return "Choose a start date.";
  if (message.startsWith("'decision'")) return "Choose keep, adjust or let it go. You can talk it over after.";
  if (message.startsWith("'comfort'")) return "Comfort is a number from 0 to 10, or leave it out.";
  return message;
}

// ---------- proposing ----------

function proposeForm({ openOne, onDone }) {
  const key = "experiment:new";
  const titleInput = el("input", { id: "exp-title", name: "title", maxlength: 200, autocomplete: "off", required: true,
    "aria-describedby": "exp-title-hint" });
  const description = el("textarea", { id: "exp-description", name: "description", rows: 3, maxlength: 2000 });
  const startsOn = el("input", { id: "exp-starts", name: "starts_on", type: "date", value: localToday(), required: true });
  const days = el("input", { id: "exp-days", name: "days", type: "number", inputmode: "numeric", min: 1, max: 60,
    value: 7, required: true, "aria-describedby": "exp-days-hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "card exp-form", novalidate: true, "aria-labelledby": "exp-form-title" },
    el("h2", { id: "exp-form-title" }, "Propose something small"),
    openOne ? el("p", { class: "notice exp-one-at-a-time" },
      `You already have “${openOne.title}” on the go. One at a time tends to feel lighter, and it's easier to tell `
      + "what helped. You can still add another if you'd both like to.") : null,
    el("label", { for: titleInput.id }, "What would you like to try?"),
    el("p", { class: "hint", id: "exp-title-hint" },
      "Small and gentle is plenty: ten minutes lying close before sleep, a shower together with no expectations, "
      + "a slow massage of hands only."),
    titleInput,
    el("label", { for: description.id }, "A little more about it (optional)"),
    description,
    el("div", { class: "exp-form-row" },
      el("div", {}, el("label", { for: startsOn.id }, "Starting on"), startsOn),
      el("div", {}, el("label", { for: days.id }, "For how many days?"), days)),
    el("p", { class: "hint", id: "exp-days-hint" }, "A week is a good length to get a feel for something. Then you each look back."),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Propose it"),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onDone(); } }, "Cancel")));
  form.addEventListener("input", () => setDraft(key, Boolean(titleInput.value.trim() || description.value.trim())));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const start = startsOn.value;
    const length = days.value.trim() === "" ? 7 : Number(days.value);
    const fields = { title: titleInput.value.trim(), starts_on: start, days: length,
      status: start && start <= localToday() ? "active" : "proposed" };
    if (description.value.trim()) fields.description = description.value.trim();
    try {
      await records.put("experiment", fields);
    } catch (err) {
      error.textContent = err instanceof RecordError ? friendly(err.message) : "That didn't save. Please try again.";
      titleInput.focus();
      return;
    }
    clearDraft(key);
    onDone();
  });
  queueMicrotask(() => titleInput.focus());
  return form;
}

// ---------- looking back ----------

function reassessForm(exp, onDone) {
  const key = `reassessment:${exp.id}`;
  const base = `ra-${exp.id}`;
  const felt = el("textarea", { id: `${base}-felt`, name: "felt", rows: 3, maxlength: 2000 });
  const comfort = el("select", { id: `${base}-comfort`, name: "comfort" },
    el("option", { value: "" }, "Rather not say"),
    Array.from({ length: 11 }, (_, n) => el("option", { value: n },
      n === 0 ? "0: not comfortable at all" : n === 10 ? "10: completely at ease" : String(n))));
  const choices = DECISIONS.map(([value, name, about]) => el("label", { class: "check exp-choice" },
    el("input", { type: "radio", name: `${base}-decision`, value }),
    el("span", {}, el("span", { class: "exp-choice-name" }, name), el("span", { class: "exp-choice-about" }, about))));
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "exp-reassess", novalidate: true, "aria-labelledby": `${base}-title`,
    dataset: { experiment: exp.id } },
    el("h3", { id: `${base}-title` }, "Your look back"),
    el("p", { class: "hint" }, "Just for you to write. Your partner sees it only once they've added theirs, "
      + "and you'll see theirs the same way."),
    el("label", { for: felt.id }, "How did it feel for you? (optional)"),
    felt,
    el("label", { for: comfort.id }, "How comfortable were you, from 0 to 10? (optional)"),
    comfort,
    el("fieldset", {}, el("legend", {}, "What would you like to do with it?"), choices),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Save my answer")));
  form.addEventListener("input", () => setDraft(key, true));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector(`input[name="${base}-decision"]:checked`);
    const fields = { experiment: exp.id, decision: picked?.value ?? null };
    if (felt.value.trim()) fields.felt = felt.value.trim();
    if (comfort.value !== "") fields.comfort = Number(comfort.value);
    try {
      await records.put("reassessment", fields);
    } catch (err) {
      error.textContent = err instanceof RecordError ? friendly(err.message) : "That didn't save. Please try again.";
      return;
    }
    clearDraft(key);
    onDone();
  });
  return form;
}

function answerCard(who, answer) {
  return el("section", { class: "exp-answer", "aria-label": who },
    el("h4", { class: "exp-answer-who" }, who),
    el("p", { class: "exp-answer-decision" }, DECISION_NAMES[answer.decision]),
    answer.comfort !== null && answer.comfort !== undefined
      ? el("p", { class: "exp-answer-comfort" }, `Comfort: ${answer.comfort} of 10`) : null,
    answer.felt ? el("p", { class: "exp-answer-felt" }, answer.felt) : null);
}

function outcomeForm(exp, both, onDone) {
  const base = `oc-${exp.id}`;
  const agreed = agreedDecision(both);
  const choices = DECISIONS.map(([value, name]) => el("label", { class: "check" },
    el("input", { type: "radio", name: `${base}-outcome`, value, checked: value === agreed }), name));
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "exp-outcome", novalidate: true },
    el("fieldset", {}, el("legend", {}, "What did you decide together?"), choices),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Record it and finish")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector(`input[name="${base}-outcome"]:checked`);
    if (!picked) { error.textContent = "Choose what you decided first."; return; }
    try {
      await records.put("experiment", { outcome: picked.value, status: "finished" }, exp.id);
    } catch (err) {
      error.textContent = err instanceof RecordError ? friendly(err.message) : "That didn't save. Please try again.";
      return;
    }
    onDone();
  });
  return form;
}

function lookBack(exp, both, me, rerender) {
  const state = revealState(both);
  const wrap = el("div", { class: "exp-lookback" });
  if (state === "neither" || state === "partner-waiting") {
    if (state === "partner-waiting") {
      wrap.append(el("p", { class: "exp-waiting" },
        "Your partner has looked back. Their answer will show here once you've added yours."));
    }
    wrap.append(reassessForm(exp, rerender));
    return wrap;
  }
  if (state === "waiting-for-partner") {
    wrap.append(el("p", { class: "exp-waiting", role: "status" },
      "Your answer is saved. Your partner's will appear here once they've looked back too; no hurry."),
    el("div", { class: "exp-answers" }, answerCard("You", both.mine)));
    return wrap;
  }
  const agreed = agreedDecision(both);
  wrap.append(
    el("h3", {}, "You've both looked back"),
    el("div", { class: "exp-answers" }, answerCard("You", both.mine), answerCard("Your partner", both.partner)),
    el("p", { class: "exp-agree" }, agreed
      ? `You both said: ${DECISION_NAMES[agreed].toLowerCase()}.`
      : "You see it a little differently. That's normal, and worth a gentle talk."));
  if (exp.author === me?.device) wrap.append(outcomeForm(exp, both, rerender));
  else wrap.append(el("p", { class: "hint" }, "Once you've talked it over, your partner can record what you decided."));
  return wrap;
}

// ---------- the current experiment ----------

function currentCard(exp, reassessments, me, today, rerender, early) {
  const p = phase(exp, today);
  const both = reassessmentsFor(exp.id, reassessments);
  const mineAuthor = exp.author === me?.device;
  const card = el("article", { class: "card exp-current", "aria-labelledby": `exp-${exp.id}-title` },
    el("p", { class: "exp-kicker" }, mineAuthor ? "Your idea" : "Your partner's idea"),
    el("h2", { id: `exp-${exp.id}-title`, class: "exp-title" }, exp.title),
    exp.description ? el("p", { class: "exp-description" }, exp.description) : null);
  const left = daysLeft(exp, today);
  if (p === "upcoming") {
    card.append(el("p", { class: "exp-when" }, `Starts ${longDate(exp.starts_on)}, for ${plural(exp.days, "day", "days")}.`));
  } else if (p === "running") {
    card.append(el("p", { class: "exp-when" },
      `Day ${dayNumber(exp, today)} of ${exp.days}. `,
      el("strong", {}, left === 1 ? "1 day to go" : `${left} days to go`),
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
  if (mineAuthor && !both.mine && !both.partner) {
    const slot = el("div", { class: "exp-remove" });
    const remove = el("button", { type: "button", class: "button button-small button-quiet", onclick: () => {
      remove.hidden = true;
      slot.append(el("div", { class: "confirm", role: "group", "aria-label": "Take this experiment away?" },
        el("p", {}, "Take this one away, from both phones?"),
        el("button", { type: "button", class: "button button-small",
          onclick: async () => { await records.put("experiment", { deleted: true }, exp.id); rerender(); } }, "Yes, take it away"),
        el("button", { type: "button", class: "button button-small button-quiet", onclick: rerender }, "Keep it")));
    } }, "Take it away");
    slot.append(remove);
    card.append(slot);
  }
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
    el("p", { class: "exp-past-meta" },
      `${plural(exp.days, "day", "days")} from ${shortDate(exp.starts_on)}. `,
      exp.outcome ? OUTCOME_WORDS[exp.outcome] : "Finished."),
    slot);
}

// ---------- the screen ----------

export function render(outlet) {
  const body = el("div", { class: "exp-body" });
  const composeSlot = el("div", { class: "exp-compose" });
  const proposeButton = el("button", { type: "button", class: "button button-primary button-wide" }, "Propose something small");
  const early = new Set();   // experiments this person chose to look back on before the day
  let composing = false;

  proposeButton.addEventListener("click", async () => {
    const openOne = currentExperiment(await records.list("experiment"));
    composing = true;
    proposeButton.hidden = true;
    composeSlot.replaceChildren(proposeForm({ openOne, onDone: () => {
      composing = false;
      composeSlot.replaceChildren();
      proposeButton.hidden = false;
      proposeButton.focus();
      draw();
    } }));
  });

  async function draw() {
    const [me, experiments, reassessments, journal] = await Promise.all([
      identity(), records.list("experiment"), records.list("reassessment"), records.list("journal")]);
    const today = localToday();
    const open = openExperiments(experiments);
    const current = currentExperiment(experiments);
    const past = pastExperiments(experiments);
    const parts = [];
    if (current) {
      parts.push(currentCard(current, reassessments, me, today, draw, early));
    } else if (!composing) {
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
    // A partner's change redraws the screen; a half-written look-back stays as it was.
    const typing = body.querySelector("form.exp-reassess");
    const fresh = parts[0]?.querySelector?.("form.exp-reassess");
    if (typing && fresh && typing.dataset.experiment === fresh.dataset.experiment) fresh.replaceWith(typing);
    body.replaceChildren(...parts);
  }

  outlet.append(
    viewHeader("Experiments", "One small new thing at a time, for a few days. Then you each look back, privately, "
      + "and decide together: keep it, adjust it, or let it go."),
    proposeButton, composeSlot, body);
  outlet.append(el("p", { class: "hint reminders-link" }, "A nudge when it's time to look back, if you'd like one: ", el("a", { href: "#/reminders" }, "Reminders")));
  const redraw = coalesce(draw);
  const onChange = (e) => { if (!e.detail.mine) redraw(); };
  records.changes.addEventListener("records", onChange);
  const seen = () => Promise.all([records.markSeen("experiment"), records.markSeen("reassessment")]);
  draw().then(seen);
  return () => {
    records.changes.removeEventListener("records", onChange);
    seen();
  };
}

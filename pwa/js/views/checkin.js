// The weekly check-in: a few guided questions. Answers are sealed (protocol §10): neither
// of you can read the other's until you have both answered, then both open together.
import { currentWeek } from "../core/checkin.js";
import { RecordError, WEEKDAYS } from "../core/records.js";
import { answer, checkinWeek, pastWeeks, skip, withdraw } from "../device/checkins.js";
import { ended } from "../device/ending.js";
import { isPaired } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, keepDraft, opensDraft, reopenKept } from "../shell/drafts.js";
import { pastWeeksCard } from "./checkin/past.js";
import { coalesce, dayName } from "./common.js";

export const title = "Check-in";

const QUESTIONS = [
  ["needs", "What would help you feel cared for this week?", "Time, touch, rest, a conversation, some space…"],
  ["felt_good", "What felt good lately, even something small?", ""],
  ["try_next", "Is there something you'd like to try, or try again?", "Small is good. It can wait, too."],
  ["i_statement", "Is anything on your mind? Try saying it as “I feel… I'd like…”", ""],
  ["anything_else", "Anything else you'd like your partner to know?", ""],
];
const LABELS = Object.fromEntries(QUESTIONS.map(([k, q]) => [k, q]));

// A complaint turned into an "I" statement: when…, I feel…, I'd like….
function iStatementHelper(target) {
  const when = el("input", { id: "ist-when", autocomplete: "off", placeholder: "we rush in the evening" });
  const feel = el("input", { id: "ist-feel", autocomplete: "off", placeholder: "tense and a bit lonely" });
  const like = el("input", { id: "ist-like", autocomplete: "off", placeholder: "us to slow down together" });
  const use = el("button", { type: "button", class: "button button-small" }, "Use these words");
  use.addEventListener("click", () => {
    const parts = [when.value.trim() && `When ${when.value.trim()},`, feel.value.trim() && `I feel ${feel.value.trim()}.`,
      like.value.trim() && `I'd like ${like.value.trim()}.`].filter(Boolean);
    if (parts.length) {
      target.value = parts.join(" ");
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    }
  });
  return el("details", { class: "helper" },
    el("summary", {}, "Help me put it gently"),
    el("p", { class: "hint" }, "Describing what happened and how it felt for you is easier to hear than a “you always…”."),
    el("label", { for: "ist-when" }, "When…"), when,
    el("label", { for: "ist-feel" }, "I feel…"), feel,
    el("label", { for: "ist-like" }, "I'd like…"), like,
    el("div", { class: "form-actions" }, use));
}

function answerForm(week, onDone, before = {}) {
  const key = `checkin:${week}`;
  const boxes = {};
  const error = el("p", { class: "form-error", role: "alert" });
  const fields = QUESTIONS.map(([name, question, hint]) => {
    const box = el("textarea", { id: `ci-${name}`, name, rows: 3, maxlength: 2000 });
    box.value = before[name] ?? "";
    boxes[name] = box;
    return el("div", { class: "question" },
      el("label", { for: box.id }, question),
      hint ? el("p", { class: "hint" }, hint) : null,
      box,
      name === "i_statement" ? iStatementHelper(box) : null);
  });
  const form = el("form", { class: "card checkin-form", novalidate: true },
    el("p", { class: "hint" }, "Answer as many or as few as you like. Your answers stay sealed until your partner has answered too."),
    ...fields, error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Seal and share my answers"),
      el("button", { type: "button", class: "button button-quiet", onclick: () => {
        form.dataset.done = "true";
        act(error, () => skip(week), onDone);
      } }, "Skip this week")));
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = Object.fromEntries(Object.entries(boxes).map(([k, b]) => [k, b.value.trim()]).filter(([, v]) => v));
    if (!Object.keys(answers).length) {
      error.textContent = "Write something for at least one question first.";
      return;
    }
    try {
      await answer({ week, answers });
    } catch (err) {
      error.textContent = err instanceof RecordError ? err.message : "That didn't save. Please try again.";
      return;
    }
    clearDraft(key);
    form.dataset.done = "true";   // sent: the next draw shows what it became, not this form
    onDone();
  });
  return form;
}

// A change to my own week (skip, take back); a refusal's words go where the form shows errors.
async function act(error, change, onDone) {
  try {
    await change();
  } catch (err) {
    error.textContent = err instanceof RecordError ? err.message : "That didn't save. Please try again.";
    return;
  }
  onDone();
}

// While my partner hasn't answered, my answers can still change, be skipped or taken back.
function stillOpen(week, mine, draw) {
  const error = el("p", { class: "form-error", role: "alert" });
  return el("div", { class: "checkin-open" },
    el("p", { class: "hint" }, "Until your partner answers, you can change your answers or take them back. "
      + "They're still sealed, so your partner hasn't read them."),
    el("div", { class: "form-actions" },
      opensDraft(el("button", { type: "button", class: "button button-small", onclick: (e) => {
        e.currentTarget.closest(".checkin-open").replaceWith(answerForm(week, draw, mine.answers));
      } }, "Change my answers"), `checkin:${week}`),
      el("button", { type: "button", class: "button button-small button-quiet",
        onclick: () => act(error, () => skip(week), draw) }, "Skip this week instead"),
      el("button", { type: "button", class: "button button-small button-quiet",
        onclick: () => act(error, () => withdraw(week), draw) }, "Take them back")),
    error);
}

function answersList(answers) {
  // In the order the questions were asked (opened answers come back sorted by name).
  const order = (k) => { const i = QUESTIONS.findIndex(([name]) => name === k); return i < 0 ? QUESTIONS.length : i; };
  return el("dl", { class: "answers" }, Object.entries(answers).sort(([a], [b]) => order(a) - order(b)).flatMap(([k, v]) => [
    el("dt", {}, LABELS[k] || k), el("dd", {}, v)]));
}

// The day the two of you like to sit down for this: one shared choice (§8.10), which
// either of you can change; Home shows it on both phones.
function dayPicker() {
  const select = el("select", { id: "checkin-day", name: "checkin_day", "aria-describedby": "checkin-day-hint" },
    WEEKDAYS.map((day) => el("option", { value: day }, dayName(day))));
  const by = el("p", { class: "checkin-day-by" });
  const saved = el("p", { class: "checkin-day-saved", role: "status" });
  const section = el("section", { class: "card card-soft checkin-day", "aria-labelledby": "checkin-day-title" },
    el("h2", { id: "checkin-day-title" }, "Check-in day"),
    el("label", { for: select.id }, "The day we check in"),
    select,
    el("p", { class: "hint", id: "checkin-day-hint" },
      "Pick it together. Either of you can change it, and it changes on both phones. "
      + "Any day is fine for answering."),
    by, saved);
  async function show() {
    const { checkin_day: day, chosenBy } = await records.coupleSettings();
    select.value = day;
    by.textContent = chosenBy.checkin_day === "partner" ? `Your partner chose ${dayName(day)}.` : "";
  }
  select.addEventListener("change", async () => {
    const day = select.value;
    saved.textContent = "";
    try {
      await records.put("couple", { checkin_day: day });
      saved.textContent = `Saved. Your check-in day is ${dayName(day)}.`;
    } catch (err) {
      saved.textContent = `That didn't save: ${err.message}`;
    }
    show();
  });
  show();
  return { section, show };
}

function weekLabel(week) {
  return week === currentWeek() ? "This week" : week.replace("-W", ", week ");
}

export function render(outlet) {
  const body = el("div", { class: "checkin-body" });
  const { section: day, show: showDay } = dayPicker();
  day.hidden = true;
  const week = currentWeek();

  async function draw() {
    const paired = await isPaired();
    day.hidden = !paired;
    if (!paired) {
      const over = await ended();
      body.replaceChildren(el("section", { class: "card" },
        el("p", {}, over ? "Check-ins are for two paired phones, and this pairing has ended. If you pair again, " +
          "check-ins start afresh with that phone." : "Check-ins are for the two of you. Pair with your partner first, then come back here."),
        el("a", { class: "button button-primary", href: "#/pair" }, over ? "Pairing and settings" : "Pair with my partner")));
      return;
    }
    const [{ mine, partner }, earlier] = await Promise.all([checkinWeek(week), pastWeeks(week)]);
    const parts = [el("h2", { class: "week-label" }, weekLabel(week))];
    const typing = body.querySelector("form.checkin-form:not([data-done])");
    if (mine?.skipped) {
      const error = el("p", { class: "form-error", role: "alert" });
      parts.push(el("p", { class: "notice checkin-skipped", role: "status" },
        "You're sitting this week out. That's fine; there's always next week."),
      el("div", { class: "form-actions" }, el("button", { type: "button", class: "button button-small",
        onclick: () => act(error, () => withdraw(week), draw) }, "Answer after all")), error);
    } else if (!mine) {
      parts.push(el("p", { class: "notice", role: "status" }, partner?.skipped
        ? "Your partner is sitting this week out. That's fine. Nothing either of you writes this week opens for the other."
        : partner
          ? "Your partner has answered. Their answers will open when you've shared yours."
          : "Neither of you has answered yet. There's no hurry."));
      // A partner's change redraws the screen; answers being written stay as they are.
      parts.push(typing || answerForm(week, draw));
    } else if (typing) {
      parts.push(typing);   // changing my answers
    } else if (!partner || partner.sealed || partner.skipped) {
      parts.push(el("p", { class: "notice", role: "status" }, partner?.skipped
        ? "Your partner is sitting this week out, so your answers stay sealed. That's fine."
        : partner
          ? "You've both answered. Your answers open together as soon as your phones have talked to each other."
          : "Your answers are sealed and shared. They'll open together once your partner has answered too."));
      parts.push(el("section", { class: "card", "aria-labelledby": "ci-mine" },
        el("h3", { id: "ci-mine" }, "What you wrote"), answersList(mine.answers)));
      if (!partner || partner.skipped) parts.push(stillOpen(week, mine, draw));
    } else if (partner.damaged) {
      parts.push(el("p", { class: "notice notice-problem", role: "alert" },
        "Your partner's answers arrived damaged and can't be opened. Asking them to answer again will fix it."));
    } else {
      parts.push(
        el("p", { class: "hint" }, "Take turns. Before answering, try saying back what you heard: “It sounds like…”"),
        el("div", { class: "revealed" },
          el("section", { class: "card", "aria-labelledby": "ci-theirs" }, el("h3", { id: "ci-theirs" }, "Your partner"),
            answersList(partner.answers)),
          el("section", { class: "card", "aria-labelledby": "ci-yours" }, el("h3", { id: "ci-yours" }, "You"),
            answersList(mine.answers))));
    }
    body.replaceChildren(...parts, pastWeeksCard(earlier, answersList) ?? "");
    reopenKept(body);   // changed answers left half-written come back in their form
  }

  outlet.append(viewHeader("Weekly check-in",
    "A few quiet questions. Your answers stay sealed until you've both answered, then you see each other's together. "
    + "Check-ins are always shared with your partner, and either of you can skip a week."), body, day);
  outlet.append(el("p", { class: "hint reminders-link" }, "A nudge on the day, if you'd like one: ", el("a", { href: "#/reminders" }, "Reminders")));
  const redraw = coalesce(draw);
  const onChange = (e) => {
    if (e.detail.mine) return;
    if (!e.detail.type || e.detail.type === "couple") showDay();
    redraw();
  };
  records.changes.addEventListener("records", onChange);
  draw();
  return () => records.changes.removeEventListener("records", onChange);
}

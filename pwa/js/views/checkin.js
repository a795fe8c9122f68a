// The weekly check-in: a few guided questions. Answers are sealed (protocol §10): neither
// of you can read the other's until you have both answered, then both open together.
import { currentWeek } from "../core/checkin.js";
import { WEEKDAYS } from "../core/records.js";
import { answer, checkinWeek, pastWeeks, skip, withdraw } from "../device/checkins.js";
import { ended } from "../device/ending.js";
import { isPaired } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, keepDraft, opensDraft, reopenKept } from "../shell/drafts.js";
import { pastWeeksCard, weekName } from "./checkin/past.js";
import { addDays, format } from "../core/dates.js";
import { t, useWords } from "../i18n/index.js";
import { recordWords } from "../i18n/record-words.js";
import { coalesce } from "./common.js";

await useWords("checkin");

export const title = t("checkin.title");

const QUESTIONS = [
  ["needs", t("checkin.q_needs"), t("checkin.q_needs_hint")],
  ["felt_good", t("checkin.q_felt_good"), ""],
  ["try_next", t("checkin.q_try_next"), t("checkin.q_try_next_hint")],
  ["i_statement", t("checkin.q_i_statement"), ""],
  ["anything_else", t("checkin.q_anything_else"), ""],
];
const LABELS = Object.fromEntries(QUESTIONS.map(([k, q]) => [k, q]));

// A complaint turned into an "I" statement: when…, I feel…, I'd like….
function iStatementHelper(target) {
  const when = el("input", { id: "ist-when", autocomplete: "off", placeholder: t("checkin.helper_when_example") });
  const feel = el("input", { id: "ist-feel", autocomplete: "off", placeholder: t("checkin.helper_feel_example") });
  const like = el("input", { id: "ist-like", autocomplete: "off", placeholder: t("checkin.helper_like_example") });
  const use = el("button", { type: "button", class: "button button-small" }, t("checkin.helper_use"));
  use.addEventListener("click", () => {
    // The words go into the person's answer, so they are in the person's language.
    const parts = [[when, "checkin.helper_when_words"], [feel, "checkin.helper_feel_words"], [like, "checkin.helper_like_words"]]
      .filter(([box]) => box.value.trim()).map(([box, key]) => t(key, { words: box.value.trim() }));
    if (parts.length) {
      target.value = parts.join(" ");
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    }
  });
  return el("details", { class: "helper" },
    el("summary", {}, t("checkin.helper_title")),
    el("p", { class: "hint" }, t("checkin.helper_hint")),
    el("label", { for: "ist-when" }, t("checkin.helper_when")), when,
    el("label", { for: "ist-feel" }, t("checkin.helper_feel")), feel,
    el("label", { for: "ist-like" }, t("checkin.helper_like")), like,
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
    el("p", { class: "hint" }, t("checkin.form_hint")),
    ...fields, error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, t("checkin.seal")),
      el("button", { type: "button", class: "button button-quiet", onclick: () => {
        form.dataset.done = "true";
        act(error, () => skip(week), onDone);
      } }, t("checkin.skip"))));
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = Object.fromEntries(Object.entries(boxes).map(([k, b]) => [k, b.value.trim()]).filter(([, v]) => v));
    if (!Object.keys(answers).length) {
      error.textContent = t("checkin.empty_error");
      return;
    }
    try {
      await answer({ week, answers });
    } catch (err) {
      error.textContent = recordWords(err) || t("checkin.not_saved");
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
    error.textContent = recordWords(err) || t("checkin.not_saved");
    return;
  }
  onDone();
}

// While my partner hasn't answered, my answers can still change, be skipped or taken back.
function stillOpen(week, mine, draw) {
  const error = el("p", { class: "form-error", role: "alert" });
  return el("div", { class: "checkin-open" },
    el("p", { class: "hint" }, t("checkin.still_open")),
    el("div", { class: "form-actions" },
      opensDraft(el("button", { type: "button", class: "button button-small", onclick: (e) => {
        e.currentTarget.closest(".checkin-open").replaceWith(answerForm(week, draw, mine.answers));
      } }, t("checkin.change")), `checkin:${week}`),
      el("button", { type: "button", class: "button button-small button-quiet",
        onclick: () => act(error, () => skip(week), draw) }, t("checkin.skip_instead")),
      el("button", { type: "button", class: "button button-small button-quiet",
        onclick: () => act(error, () => withdraw(week), draw) }, t("checkin.take_back"))),
    error);
}

function answersList(answers) {
  // In the order the questions were asked (opened answers come back sorted by name).
  const order = (k) => { const i = QUESTIONS.findIndex(([name]) => name === k); return i < 0 ? QUESTIONS.length : i; };
  return el("dl", { class: "answers" }, Object.entries(answers).sort(([a], [b]) => order(a) - order(b)).flatMap(([k, v]) => [
    el("dt", {}, LABELS[k] || k), el("dd", { dir: "auto" }, v)]));
}

// A weekday of the protocol ("sunday") in the phone's language, through Intl: 1 January 2024
// was a Monday, the first of WEEKDAYS.
const weekdayWords = (day) => format(addDays("2024-01-01", WEEKDAYS.indexOf(day)), "weekday");

// The day the two of you like to sit down for this: one shared choice (§8.10), which
// either of you can change; Home shows it on both phones.
function dayPicker() {
  const select = el("select", { id: "checkin-day", name: "checkin_day", "aria-describedby": "checkin-day-hint" },
    WEEKDAYS.map((day) => el("option", { value: day }, weekdayWords(day))));
  const by = el("p", { class: "checkin-day-by" });
  const saved = el("p", { class: "checkin-day-saved", role: "status" });
  const section = el("section", { class: "card card-soft checkin-day", "aria-labelledby": "checkin-day-title" },
    el("h2", { id: "checkin-day-title" }, t("checkin.day_title")),
    el("label", { for: select.id }, t("checkin.day_label")),
    select,
    el("p", { class: "hint", id: "checkin-day-hint" },
t("checkin.day_hint")),
    by, saved);
  async function show() {
    const { checkin_day: day, chosenBy } = await records.coupleSettings();
    select.value = day;
    by.textContent = chosenBy.checkin_day === "partner" ? t("checkin.day_by_partner", { day: weekdayWords(day) }) : "";
  }
  select.addEventListener("change", async () => {
    const day = select.value;
    saved.textContent = "";
    try {
      await records.put("couple", { checkin_day: day });
      saved.textContent = t("checkin.day_saved", { day: weekdayWords(day) });
    } catch (err) {
      saved.textContent = t("checkin.day_not_saved", { reason: recordWords(err) || err.message });
    }
    show();
  });
  show();
  return { section, show };
}

function weekLabel(week) {
  return week === currentWeek() ? t("checkin.this_week") : weekName(week);
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
        el("p", {}, over ? t("checkin.unpaired_ended") : t("checkin.unpaired")),
        el("a", { class: "button button-primary", href: "#/pair" }, over ? t("checkin.to_settings") : t("checkin.to_pair"))));
      return;
    }
    const [{ mine, partner }, earlier] = await Promise.all([checkinWeek(week), pastWeeks(week)]);
    const parts = [el("h2", { class: "week-label" }, weekLabel(week))];
    const typing = body.querySelector("form.checkin-form:not([data-done])");
    if (mine?.skipped) {
      const error = el("p", { class: "form-error", role: "alert" });
      parts.push(el("p", { class: "notice checkin-skipped", role: "status" },
        t("checkin.skipping")),
      el("div", { class: "form-actions" }, el("button", { type: "button", class: "button button-small",
        onclick: () => act(error, () => withdraw(week), draw) }, t("checkin.answer_after_all"))), error);
    } else if (!mine) {
      parts.push(el("p", { class: "notice", role: "status" }, partner?.skipped
        ? t("checkin.partner_skipping")
        : partner ? t("checkin.partner_answered") : t("checkin.nobody_yet")));
      // A partner's change redraws the screen; answers being written stay as they are.
      parts.push(typing || answerForm(week, draw));
    } else if (typing) {
      parts.push(typing);   // changing my answers
    } else if (!partner || partner.sealed || partner.skipped) {
      parts.push(el("p", { class: "notice", role: "status" }, partner?.skipped
        ? t("checkin.partner_skipping_sealed")
        : partner ? t("checkin.both_sealed") : t("checkin.mine_sealed")));
      parts.push(el("section", { class: "card", "aria-labelledby": "ci-mine" },
        el("h3", { id: "ci-mine" }, t("checkin.what_you_wrote")), answersList(mine.answers)));
      if (!partner || partner.skipped) parts.push(stillOpen(week, mine, draw));
    } else if (partner.damaged) {
      parts.push(el("p", { class: "notice notice-problem", role: "alert" },
        t("checkin.damaged")));
    } else {
      parts.push(
        el("p", { class: "hint" }, t("checkin.take_turns")),
        el("div", { class: "revealed" },
          el("section", { class: "card", "aria-labelledby": "ci-theirs" }, el("h3", { id: "ci-theirs" }, t("author.partner")),
            answersList(partner.answers)),
          el("section", { class: "card", "aria-labelledby": "ci-yours" }, el("h3", { id: "ci-yours" }, t("author.you")),
            answersList(mine.answers))));
    }
    body.replaceChildren(...parts, pastWeeksCard(earlier, answersList) ?? "");
    reopenKept(body);   // changed answers left half-written come back in their form
  }

  outlet.append(viewHeader(t("checkin.heading"), t("checkin.lede")), body, day);
  outlet.append(el("p", { class: "hint reminders-link" }, t("checkin.reminders_hint"), el("a", { href: "#/reminders" }, t("checkin.reminders_link"))));
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

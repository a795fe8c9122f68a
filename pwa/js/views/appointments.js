// Appointment notes: questions for the care team, jotted down whenever they come to mind,
// then shown on screen in large text or printed for the visit, with room for the answers.
// Notes belong to the person who wrote them: a partner can read, show and print them, and
// only the author's phone can change them.
//
// Routes: #/appointments (the list), ?id=<id> (one appointment's notes),
// ?id=<id>&mode=show (large text to hold up at the visit), ?id=<id>&mode=print (a page to print).
import { dayAhead, today } from "../core/dates.js";
import { RecordError } from "../core/records.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, setDraft } from "../shell/drafts.js";
import { coalesce } from "./common.js";

export const title = "Appointments";

const MAX_QUESTIONS = 50;

// Plain questions many people want to ask and few feel able to. Each is phrased so it can be
// read out as it stands.
export const IDEAS = [
  ["Closeness and sex", [
    "Is it safe for us to be intimate during this treatment? Is there anything we should avoid?",
    "When would it be all right to have sex again?",
    "Could this treatment change my desire, or how my body responds? Is that likely to last?",
    "Is it normal to feel differently about my body since treatment? Who could help with that?",
  ]],
  ["Side effects", [
    "I've noticed dryness or soreness. What helps, and which lubricants or moisturisers are safe for me?",
    "I've had changes with erections. What could help, and is it safe with my treatment?",
    "I get very tired. Is that expected, and is there anything that helps?",
    "Could any of my medicines be affecting my mood, energy or desire?",
    "Touch sometimes hurts. Is that something we should look into?",
  ]],
  ["Practical things", [
    "Do we need contraception during treatment, and for how long afterwards?",
    "Is there anything my partner should be careful about during treatment, such as using condoms?",
    "Who can we talk to about sex and intimacy? Is there a nurse, counsellor or clinic you would suggest?",
    "Is there something in writing about this that we could take home?",
    "Who should we call if something worries us between appointments?",
  ]],
];

// ---------- dates ----------

/** "Today, …", "Tomorrow, 4 December", "Thursday 11 December", with the year when it isn't this one. */
const dayLabel = (iso, { withYear = false } = {}) => (iso ? dayAhead(iso, { withYear }) : "No date yet");

// Coming up first (soonest first, undated after the dated ones), then earlier visits, most
// recent first.
export function arrange(appointments, now = today()) {
  const upcoming = appointments.filter((a) => !a.date || a.date >= now)
    .sort((a, b) => (a.date || "9999").localeCompare(b.date || "9999") || b.at - a.at);
  const past = appointments.filter((a) => a.date && a.date < now)
    .sort((a, b) => b.date.localeCompare(a.date) || b.at - a.at);
  return { upcoming, past };
}

function countLine(questions) {
  const n = questions.length;
  if (!n) return "No questions yet";
  const answered = questions.filter((q) => q.answer).length;
  const asked = `${n} ${n === 1 ? "question" : "questions"}`;
  return answered ? `${asked}, ${answered} answered` : asked;
}

const href = (id, mode = null) => `#/appointments?id=${encodeURIComponent(id)}${mode ? `&mode=${mode}` : ""}`;

function friendly(err) {
  if (!(err instanceof RecordError)) return "That didn't save. Please try again.";
  const m = err.message;
  if (m.startsWith("'title'")) return "Give the appointment a short name first, up to 200 characters.";
  if (m.includes(".text'")) return "A question needs a few words, up to 500 characters.";
  if (m.includes(".answer'")) return "That answer is a little long; up to 2,000 characters fit.";
  if (m.startsWith("'questions'")) return `There's room for ${MAX_QUESTIONS} questions in one set of notes.`;
  if (m.startsWith("'date'") || m.startsWith("'next_date'")) return "That date doesn't look right. Please pick it again.";
  return m;
}

async function find(id) {
  return (await records.list("appointment")).find((a) => a.id === id) || null;
}

// Set by a tap on "Print" in the list, so the print page opens the print dialog on arrival.
let printOnArrival = null;
// Set when a new appointment is made, so its notes open ready for the first question.
let focusQuestionOnArrival = null;

// ---------- the list ----------

function newAppointmentForm(onCancel) {
  const key = "appointment:new";
  const titleInput = el("input", { id: "appt-new-title", name: "title", maxlength: 200, autocomplete: "off", required: true,
    placeholder: "e.g. Check-up with the nurse" });
  const dateInput = el("input", { id: "appt-new-date", name: "date", type: "date" });
  const shared = el("input", { id: "appt-new-shared", type: "checkbox", name: "shared", checked: true });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "card appt-new", novalidate: true },
    el("h2", {}, "A new appointment"),
    el("label", { for: titleInput.id }, "What is the appointment?"), titleInput,
    el("label", { for: dateInput.id }, "When is it? (if you know)"), dateInput,
    el("label", { class: "check", for: shared.id }, shared, "My partner can see these notes"),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Start the notes"),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onCancel(); } }, "Cancel")));
  form.addEventListener("input", () => setDraft(key, Boolean(titleInput.value.trim())));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let id;
    try {
      id = await records.put("appointment", { title: titleInput.value.trim(), date: dateInput.value || null, shared: shared.checked });
    } catch (err) {
      error.textContent = friendly(err);
      titleInput.focus();
      return;
    }
    clearDraft(key);
    focusQuestionOnArrival = id;
    location.hash = href(id);
  });
  queueMicrotask(() => titleInput.focus());
  return form;
}

function appointmentCard(appt) {
  const titleId = `appt-${appt.id}-title`;
  return el("article", { class: `card appt-card${appt.mine ? "" : " appt-partner"}`, "aria-labelledby": titleId },
    el("h3", { id: titleId, class: "appt-card-title" }, el("a", { href: href(appt.id) }, appt.title)),
    el("p", { class: "appt-when" }, dayLabel(appt.date)),
    el("p", { class: "appt-meta" }, appt.mine ? "Yours" : "Your partner's", " · ", countLine(appt.questions || []),
      appt.mine && !appt.shared ? el("span", { class: "badge" }, "Only on this phone") : null),
    appt.next_date ? el("p", { class: "appt-meta" }, "Next visit: ", dayLabel(appt.next_date)) : null,
    el("div", { class: "appt-card-actions" },
      el("a", { class: "button button-small", href: href(appt.id, "show"), "aria-describedby": titleId }, "Show"),
      el("a", { class: "button button-small", href: href(appt.id, "print"), "aria-describedby": titleId,
        onclick: () => { printOnArrival = appt.id; } }, "Print")));
}

function renderList(outlet) {
  const body = el("div", { class: "appt-list" });
  const composeSlot = el("div");
  const newButton = el("button", { type: "button", class: "button button-primary button-wide" }, "New appointment");
  newButton.addEventListener("click", () => {
    newButton.hidden = true;
    composeSlot.replaceChildren(newAppointmentForm(() => { composeSlot.replaceChildren(); newButton.hidden = false; newButton.focus(); }));
  });

  async function draw() {
    const all = await records.list("appointment");
    if (!all.length) {
      body.replaceChildren(el("p", { class: "empty" },
        "No notes yet. When a question comes to mind, even at three in the morning, start a note here " +
        "so it's ready for the visit."));
      return;
    }
    const { upcoming, past } = arrange(all);
    const section = (id, heading, items) => (items.length ? el("section", { class: "appt-group", "aria-labelledby": id },
      el("h2", { id }, heading), items.map(appointmentCard)) : null);
    body.replaceChildren(...[section("appt-upcoming", "Coming up", upcoming), section("appt-past", "Earlier visits", past)]
      .filter(Boolean));
  }

  outlet.append(
    viewHeader("Appointment notes",
      "Jot down questions for your care team whenever they come to you. At the visit, show them on screen or print them."),
    newButton, composeSlot, body);
  const redraw = coalesce(draw);
  const onChange = (e) => { if (!e.detail.mine) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw();
  return () => records.changes.removeEventListener("records", onChange);
}

// ---------- one appointment: the notes ----------

function questionItem(appt, q, index, save) {
  const item = el("li", { class: "appt-question" });
  const textId = `q-${appt.id}-${index}`;
  const parts = [el("p", { class: "appt-question-text", id: textId }, q.text)];
  if (q.answer) {
    parts.push(el("div", { class: "appt-answer" }, el("p", { class: "appt-answer-label" }, "What we heard"),
      el("p", { class: "appt-answer-text" }, q.answer)));
  }
  if (!appt.mine) {
    item.append(...parts);
    return item;
  }
  const actions = el("div", { class: "appt-question-actions" });
  const slot = el("div", { class: "appt-question-slot" });
  const key = `appointment:${appt.id}:q${index}`;
  const close = () => { clearDraft(key); slot.replaceChildren(); actions.hidden = false; actions.querySelector("button")?.focus(); };

  const openForm = () => {
    const questionInput = el("input", { id: `${textId}-edit`, name: "text", maxlength: 500, value: q.text, autocomplete: "off" });
    const answer = el("textarea", { id: `${textId}-answer`, name: "answer", rows: 4, maxlength: 2000 }, q.answer || "");
    const error = el("p", { class: "form-error", role: "alert" });
    const form = el("form", { class: "appt-answer-form", novalidate: true },
      el("label", { for: answer.id }, "The answer you were given"),
      el("p", { class: "hint" }, "In your own words is fine. A few key points are plenty."),
      answer,
      el("details", { class: "appt-fold" }, el("summary", {}, "Change the question's wording"),
        el("label", { for: questionInput.id }, "Question"), questionInput),
      error,
      el("div", { class: "form-actions" },
        el("button", { type: "submit", class: "button button-primary button-small" }, "Save"),
        el("button", { type: "button", class: "button button-quiet button-small", onclick: close }, "Cancel")));
    form.addEventListener("input", () => setDraft(key, answer.value !== (q.answer || "") || questionInput.value !== q.text));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ok = await save((qs) => {
        qs[index] = { text: questionInput.value.trim(), answer: answer.value.trim() || null };
      }, error);
      if (ok) clearDraft(key);
    });
    slot.replaceChildren(form);
    actions.hidden = true;
    answer.focus();
  };

  actions.append(
    el("button", { type: "button", class: "button button-small", "aria-describedby": textId, onclick: openForm },
      q.answer ? "Change the answer" : "Write the answer"),
    el("button", { type: "button", class: "button button-small button-quiet", "aria-describedby": textId, onclick: () => {
      const remove = () => save((qs) => { qs.splice(index, 1); });
      if (!q.answer) { remove(); return; }
      // An answer took effort to get: ask once before it goes.
      const keep = el("button", { type: "button", class: "button button-small button-quiet", onclick: close }, "Keep it");
      slot.replaceChildren(el("div", { class: "confirm", role: "group", "aria-label": "Remove this question?" },
        el("p", {}, "Remove this question and its answer?"),
        el("button", { type: "button", class: "button button-small", onclick: remove }, "Yes, remove it"), keep));
      actions.hidden = true;
      keep.focus();
    } }, "Remove"));
  item.append(...parts, actions, slot);
  return item;
}

function ideasFold(existing, add) {
  const have = new Set(existing.map((q) => q.text));
  const groups = IDEAS.map(([heading, ideas], i) => {
    const left = ideas.filter((text) => !have.has(text));
    if (!left.length) return null;
    return el("div", { class: "appt-idea-group" },
      el("h3", { id: `appt-ideas-${i}` }, heading),
      el("ul", { class: "appt-ideas", "aria-labelledby": `appt-ideas-${i}` }, left.map((text) => el("li", {},
        el("button", { type: "button", class: "appt-idea", onclick: () => add(text) },
          el("span", { class: "visually-hidden" }, "Add: "), text)))));
  }).filter(Boolean);
  return groups.length ? groups : [el("p", { class: "hint" }, "You've added every idea here. Your own questions matter just as much.")];
}

function renderNotes(outlet, id) {
  // The heading is there from the first moment, so the router can move focus to it.
  const heading = el("h1", {}, "Appointment notes");
  const lede = el("p", { class: "lede" });
  const top = [el("p", { class: "appt-back" }, el("a", { href: "#/appointments" }, "All appointment notes")),
    el("header", { class: "view-header" }, heading, lede)];
  const head = el("div");
  const status = el("p", { class: "visually-hidden", role: "status" });
  const questionsSlot = el("div");
  const ideasSlot = el("div");
  const addSlot = el("div");
  const nextSlot = el("section", { class: "card appt-next", "aria-labelledby": "appt-next-title" });
  const manageSlot = el("div");
  const sheetSlot = el("div", { class: "appt-print-only" });
  const mainParts = el("div", { class: "appt-notes" });
  let appt = null;

  // Change this appointment's questions with `change(list)`; false if it did not save.
  async function saveQuestions(change, errorNode = null) {
    const fresh = await find(id);
    if (!fresh) return false;
    const qs = structuredClone(fresh.questions || []);
    change(qs);
    try {
      await records.put("appointment", { questions: qs }, id);
    } catch (err) {
      if (errorNode) errorNode.textContent = friendly(err); else status.textContent = friendly(err);
      return false;
    }
    await draw();
    return true;
  }

  async function addQuestion(text, errorNode) {
    const before = appt?.questions?.length || 0;
    const ok = await saveQuestions((qs) => { qs.push({ text, answer: null }); }, errorNode);
    if (ok) status.textContent = `Added. ${before + 1} ${before + 1 === 1 ? "question" : "questions"} so far.`;
    return ok;
  }

  function addForm() {
    const key = `appointment:${id}:new-question`;
    const input = el("input", { id: "appt-add-question", name: "question", maxlength: 500, autocomplete: "off",
      enterkeyhint: "send" });
    const error = el("p", { class: "form-error", role: "alert" });
    const form = el("form", { class: "appt-add", novalidate: true },
      el("label", { for: input.id }, "Add a question"),
      el("p", { class: "hint", id: "appt-add-hint" }, "Press Enter to add it and start the next one."),
      el("div", { class: "appt-add-row" }, input, el("button", { type: "submit", class: "button button-primary" }, "Add")),
      error);
    input.setAttribute("aria-describedby", "appt-add-hint");
    form.addEventListener("input", () => { error.textContent = ""; setDraft(key, Boolean(input.value.trim())); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) { error.textContent = "Write a few words first."; input.focus(); return; }
      if ((appt?.questions?.length || 0) >= MAX_QUESTIONS) {
        error.textContent = `There's room for ${MAX_QUESTIONS} questions in one set of notes.`;
        return;
      }
      if (await addQuestion(text, error)) {
        input.value = "";
        clearDraft(key);
        input.focus();
      }
    });
    return form;
  }

  function nextSection() {
    const heading = el("h2", { id: "appt-next-title" }, "Next appointment");
    if (!appt.mine) {
      return [heading, el("p", {}, appt.next_date ? dayLabel(appt.next_date) : "Not set yet.")];
    }
    const input = el("input", { id: "appt-next-date", type: "date", name: "next_date", value: appt.next_date || "" });
    const error = el("p", { class: "form-error", role: "alert" });
    const form = el("form", { class: "appt-next-form", novalidate: true },
      el("label", { for: input.id }, "If they gave you a date for the next visit"), input, error,
      el("div", { class: "form-actions" },
        el("button", { type: "submit", class: "button button-small" }, "Save the date"),
        appt.next_date ? el("button", { type: "button", class: "button button-small button-quiet", onclick: async () => {
          await records.put("appointment", { next_date: null }, id);
          status.textContent = "Next date cleared.";
          draw();
        } }, "Clear it") : null));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await records.put("appointment", { next_date: input.value || null }, id);
      } catch (err) {
        error.textContent = friendly(err);
        return;
      }
      status.textContent = input.value ? `Next visit saved: ${dayLabel(input.value)}.` : "Next date cleared.";
      draw();
    });
    const carry = appt.next_date ? el("div", { class: "appt-carry" },
      el("p", { class: "hint" }, "When you're ready, start fresh notes for that visit. Questions still waiting for an answer come along."),
      el("button", { type: "button", class: "button button-small", onclick: async () => {
        const waiting = (appt.questions || []).filter((q) => !q.answer).map((q) => ({ text: q.text, answer: null }));
        const newId = await records.put("appointment", { title: appt.title, date: appt.next_date, questions: waiting,
          shared: appt.shared });
        focusQuestionOnArrival = newId;
        location.hash = href(newId);
      } }, "Start notes for that visit")) : null;
    return [heading, form, carry];
  }

  function manage() {
    if (!appt.mine) return [];
    const parts = [];
    if (!appt.shared) {
      parts.push(el("div", { class: "notice" },
        el("p", {}, "These notes are only on this phone for now."),
        el("button", { type: "button", class: "button button-small", onclick: async () => {
          await records.put("appointment", { shared: true }, id);
          status.textContent = "Shared with your partner.";
          draw();
        } }, "Share with my partner")));
    } else {
      // Taking notes back is always allowed and never asks why (protocol §8.11).
      parts.push(el("div", { class: "appt-unshare" },
        el("p", { class: "hint" }, "Your partner can see these notes. You can make them yours alone again; "
          + "they leave your partner's phone when it next connects, though they may have read them by then."),
        el("button", { type: "button", class: "button button-small", onclick: async () => {
          await records.put("appointment", { shared: false }, id);
          status.textContent = "These notes are only on this phone now.";
          draw();
        } }, "Stop sharing")));
    }
    const titleInput = el("input", { id: "appt-edit-title", name: "title", maxlength: 200, value: appt.title, autocomplete: "off" });
    const dateInput = el("input", { id: "appt-edit-date", type: "date", name: "date", value: appt.date || "" });
    const error = el("p", { class: "form-error", role: "alert" });
    const details = el("form", { class: "appt-edit", novalidate: true },
      el("label", { for: titleInput.id }, "What is the appointment?"), titleInput,
      el("label", { for: dateInput.id }, "When is it?"), dateInput, error,
      el("div", { class: "form-actions" }, el("button", { type: "submit", class: "button button-small" }, "Save changes")));
    details.addEventListener("input", () => setDraft(`appointment:${id}:details`,
      titleInput.value !== appt.title || dateInput.value !== (appt.date || "")));
    details.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await records.put("appointment", { title: titleInput.value.trim(), date: dateInput.value || null }, id);
      } catch (err) {
        error.textContent = friendly(err);
        return;
      }
      clearDraft(`appointment:${id}:details`);
      status.textContent = "Saved.";
      draw();
    });
    const deleteSlot = el("div", { class: "appt-delete" });
    const askDelete = () => {
      const keep = el("button", { type: "button", class: "button button-small button-quiet", onclick: () => {
        deleteSlot.replaceChildren(deleteButton);
        deleteButton.focus();
      } }, "Keep them");
      deleteSlot.replaceChildren(el("div", { class: "confirm", role: "group", "aria-label": "Delete these notes?" },
        el("p", {}, appt.shared ? "Delete these notes from both phones? This can't be undone." : "Delete these notes? This can't be undone."),
        el("button", { type: "button", class: "button button-small", onclick: async () => {
          await records.put("appointment", { deleted: true }, id);
          location.hash = "#/appointments";
        } }, "Yes, delete them"),
        keep));
      keep.focus();
    };
    const deleteButton = el("button", { type: "button", class: "button button-small button-quiet", onclick: askDelete }, "Delete these notes");
    deleteSlot.append(deleteButton);
    parts.push(el("details", { class: "appt-fold card" }, el("summary", {}, "Change the name or date"), details), deleteSlot);
    return parts;
  }

  async function draw() {
    appt = await find(id);
    if (!appt) {
      heading.textContent = "Appointment notes";
      lede.textContent = "These notes aren't here. They may have been deleted, or made private again.";
      head.replaceChildren();
      mainParts.replaceChildren(el("a", { class: "button", href: "#/appointments" }, "Back to all notes"));
      sheetSlot.replaceChildren();
      return;
    }
    const qs = appt.questions || [];
    if (!questionsSlot.parentNode) mainParts.replaceChildren(questionsSlot, ideasSlot, nextSlot, manageSlot);
    heading.textContent = appt.title;
    lede.textContent = `${dayLabel(appt.date)}${appt.mine ? "" : " · Your partner's notes"}`;
    head.replaceChildren(
      el("div", { class: "appt-use" },
        el("a", { class: "button button-primary", href: href(id, "show") }, "Show at the appointment"),
        el("button", { type: "button", class: "button", onclick: () => window.print() }, "Print")));
    questionsSlot.replaceChildren(el("section", { class: "card", "aria-labelledby": "appt-questions-title" },
      el("h2", { id: "appt-questions-title" }, appt.mine ? "Your questions" : "Their questions"),
      appt.mine ? null : el("p", { class: "hint" }, "Only your partner can change these. You can read, show or print them."),
      qs.length ? el("ol", { class: "appt-questions" }, qs.map((q, i) => questionItem(appt, q, i, saveQuestions)))
        : el("p", { class: "empty" }, appt.mine ? "No questions yet. Add one below, or pick from the ideas." : "No questions yet."),
      appt.mine ? addSlot : null));
    if (appt.mine) {
      if (!addSlot.firstChild) addSlot.append(addForm());
      addSlot.querySelector("input").disabled = qs.length >= MAX_QUESTIONS;
      const fold = ideasSlot.querySelector("details");
      const open = fold ? fold.open : false;
      ideasSlot.replaceChildren(el("details", { class: "card appt-ideas-fold", open },
        el("summary", {}, "Not sure what to ask? Some ideas"),
        el("p", { class: "hint" }, "Nurses and doctors hear these questions every day. Tap one to add it; you can change the wording later."),
        ideasFold(qs, (text) => addQuestion(text, null))));
    } else {
      ideasSlot.replaceChildren();
    }
    nextSlot.replaceChildren(...nextSection().filter(Boolean));
    manageSlot.replaceChildren(...manage());
    sheetSlot.replaceChildren(printSheet(appt));
  }

  mainParts.append(questionsSlot, ideasSlot, nextSlot, manageSlot);
  outlet.append(...top, head, status, mainParts, sheetSlot);
  const redraw = coalesce(draw);
  // Only the author changes a set of notes: a partner's arrive by sync, mine by my own taps
  // (redrawing then would sweep away a half-written answer).
  // Notes not here yet (a link opened before they synced) or taken back may come (back).
  const onChange = (e) => { if (!e.detail.mine && !appt?.mine) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw().then(() => {
    if (focusQuestionOnArrival === id && appt?.mine) {
      focusQuestionOnArrival = null;
      document.getElementById("appt-add-question")?.focus();
    }
  });
  return () => records.changes.removeEventListener("records", onChange);
}

// ---------- print ----------

// The clean page: title, date, numbered questions with room for answers, the next date.
function sheetBody(appt) {
  const qs = appt.questions || [];
  const lines = (n) => el("div", { class: "sheet-lines", "aria-hidden": "true" }, Array.from({ length: n }, () => el("span")));
  return [
    el("p", { class: "sheet-date" }, appt.date ? dayLabel(appt.date, { withYear: true }) : "Date:"),
    appt.date ? null : lines(1),
    qs.length ? el("ol", { class: "sheet-questions" }, qs.map((q) => el("li", { class: "sheet-question" },
      el("p", { class: "sheet-question-text" }, q.text),
      q.answer ? el("p", { class: "sheet-answer" }, q.answer) : null,
      lines(q.answer ? 1 : 3))))
      : el("p", {}, "No questions written yet."),
    el("div", { class: "sheet-next" },
      el("p", {}, "Next appointment: ", appt.next_date ? dayLabel(appt.next_date, { withYear: true }) : ""),
      appt.next_date ? null : lines(1)),
  ];
}

// Tucked inside the notes (hidden on screen), so printing from there gives the same page.
function printSheet(appt) {
  return el("article", { class: "appt-sheet" }, el("h2", { class: "sheet-title" }, appt.title), sheetBody(appt));
}

function renderPrint(outlet, id) {
  const controls = el("div", { class: "appt-print-controls no-print" });
  // The heading is there from the first moment, so the router can move focus to it.
  const heading = el("h1", { class: "sheet-title" }, "Ready to print");
  const body = el("div");
  const paper = el("article", { class: "appt-sheet appt-paper" }, heading, body);
  outlet.append(controls, paper);
  (async () => {
    const appt = await find(id);
    if (!appt) {
      heading.textContent = "These notes aren't here any more.";
      controls.replaceChildren(el("a", { class: "button", href: "#/appointments" }, "Back to all notes"));
      return;
    }
    heading.textContent = appt.title;
    controls.replaceChildren(
      el("p", { class: "hint" }, "This is how the page will look, with space under each question for the answers."),
      el("div", { class: "form-actions" },
        el("button", { type: "button", class: "button button-primary", onclick: () => window.print() }, "Print"),
        el("a", { class: "button button-quiet", href: href(id) }, "Back to the notes")));
    body.replaceChildren(...sheetBody(appt).filter(Boolean));
    if (printOnArrival === id) {
      printOnArrival = null;
      window.print();
    }
  })();
  return () => { printOnArrival = null; };
}

// ---------- show at the appointment ----------

function renderShow(outlet, id) {
  const heading = el("h1", { class: "show-title" }, "Your questions");
  const date = el("p", { class: "show-date" });
  const body = el("div");
  const view = el("div", { class: "appt-show" },
    el("p", { class: "show-top" }, el("a", { href: href(id) }, "Back to the notes")),
    heading, date, body,
    el("div", { class: "show-bar" }, el("a", { class: "button show-back", href: href(id) }, "Back to the notes")));
  outlet.append(view);
  async function draw() {
    const appt = await find(id);
    if (!appt) {
      heading.textContent = "These notes aren't here any more.";
      date.textContent = "";
      body.replaceChildren();
      return;
    }
    const qs = appt.questions || [];
    heading.textContent = appt.title;
    date.textContent = dayLabel(appt.date);
    body.replaceChildren(qs.length
      ? el("ol", { class: "show-questions" }, qs.map((q) => el("li", { class: `show-question${q.answer ? " is-answered" : ""}` },
        el("p", { class: "show-question-text" }, q.text),
        q.answer ? el("p", { class: "show-answer" }, el("span", { class: "show-answer-label" }, "Answer: "), q.answer) : null)))
      : el("p", { class: "show-question-text" }, "No questions yet."));
  }
  const redraw = coalesce(draw);
  const onChange = (e) => { if (!e.detail.mine) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw();
  return () => records.changes.removeEventListener("records", onChange);
}

export function render(outlet, { params }) {
  const id = params.get("id");
  if (!id) return renderList(outlet);
  const mode = params.get("mode");
  if (mode === "show") return renderShow(outlet, id);
  if (mode === "print") return renderPrint(outlet, id);
  return renderNotes(outlet, id);
}

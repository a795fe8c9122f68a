// The questions on one appointment's notes, each with room for the answer once given, and
// ideas for what to ask.
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft } from "../../shell/drafts.js";

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

export function questionItem(appt, q, index, save) {
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
  // By its words, not its place: removing another question must not move an answer here.
  const key = `appointment:${appt.id}:answer:${q.text}`;
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
    keepDraft(form, key);
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
    opensDraft(el("button", { type: "button", class: "button button-small", "aria-describedby": textId, onclick: openForm },
      q.answer ? "Change the answer" : "Write the answer"), key),
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

export function ideasFold(existing, add) {
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

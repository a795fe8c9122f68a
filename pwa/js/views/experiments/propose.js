// Proposing one small new thing to try, for a few days.
import { today as localToday } from "../../core/dates.js";
import { el } from "../../shell/dom.js";
import { clearDraft, setDraft } from "../../shell/drafts.js";
import { saveFrom } from "../common.js";
import { friendly } from "./look-back.js";

export function proposeForm({ openOne, onDone }) {
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
    if (!(await saveFrom({ error, friendly, focus: titleInput }, "experiment", fields))) return;
    clearDraft(key);
    onDone();
  });
  queueMicrotask(() => titleInput.focus());
  return form;
}

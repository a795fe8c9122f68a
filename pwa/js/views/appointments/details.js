// The rest of one appointment's notes: the next visit (and fresh notes for it), and for the
// author, sharing or taking the notes back, renaming, re-dating and deleting them. Each
// takes the notes screen: { id, appt (the notes as now drawn), status, draw }.
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { creationId } from "../common.js";
import { arrival, dayLabel, friendly, href } from "./common.js";

export function nextSection(screen) {
  const { id, status, draw } = screen;
  const heading = el("h2", { id: "appt-next-title" }, "Next appointment");
  if (!screen.appt.mine) {
    return [heading, el("p", {}, screen.appt.next_date ? dayLabel(screen.appt.next_date) : "Not set yet.")];
  }
  const input = el("input", { id: "appt-next-date", type: "date", name: "next_date", value: screen.appt.next_date || "" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "appt-next-form", novalidate: true },
    el("label", { for: input.id }, "If they gave you a date for the next visit"), input, error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-small" }, "Save the date"),
      screen.appt.next_date ? el("button", { type: "button", class: "button button-small button-quiet", onclick: async () => {
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
  const carry = screen.appt.next_date ? el("div", { class: "appt-carry" },
    el("p", { class: "hint" }, "When you're ready, start fresh notes for that visit. Questions still waiting for an answer come along."),
    el("button", { type: "button", class: "button button-small", onclick: async (event) => {
      const waiting = (screen.appt.questions || []).filter((q) => !q.answer).map((q) => ({ text: q.text, answer: null }));
      // One set of notes for the next visit, however often this is tapped.
      const newId = await create("appointment", { title: screen.appt.title, date: screen.appt.next_date, questions: waiting,
        shared: screen.appt.shared }, creationId(event.currentTarget));
      arrival.focusQuestion = newId;
      location.hash = href(newId);
    } }, "Start notes for that visit")) : null;
  return [heading, form, carry];
}

export function manage(screen) {
  const { id, status, draw } = screen;
  if (!screen.appt.mine) return [];
  const parts = [];
  if (!screen.appt.shared) {
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
  const titleInput = el("input", { id: "appt-edit-title", name: "title", maxlength: 200, value: screen.appt.title, autocomplete: "off" });
  const dateInput = el("input", { id: "appt-edit-date", type: "date", name: "date", value: screen.appt.date || "" });
  const error = el("p", { class: "form-error", role: "alert" });
  const details = el("form", { class: "appt-edit", novalidate: true },
    el("label", { for: titleInput.id }, "What is the appointment?"), titleInput,
    el("label", { for: dateInput.id }, "When is it?"), dateInput, error,
    el("div", { class: "form-actions" }, el("button", { type: "submit", class: "button button-small" }, "Save changes")));
  keepDraft(details, `appointment:${id}:details`);
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
      el("p", {}, screen.appt.shared ? "Delete these notes from both phones? This can't be undone, and your partner may already have read them."
        : "Delete these notes? This can't be undone."),
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

// The rest of one appointment's notes: the next visit (and fresh notes for it), and for the
// author, sharing or taking the notes back, renaming, re-dating and deleting them. Each
// takes the notes screen: { id, appt (the notes as now drawn), status, draw }.
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { askFirst, creationId } from "../common.js";
import { t, useWords } from "../../i18n/index.js";
import { arrival, dayLabel, friendly, href } from "./common.js";

await useWords("appointments");

export function nextSection(screen) {
  const { id, status, draw } = screen;
  const heading = el("h2", { id: "appt-next-title" }, t("appointments.next_heading"));
  if (!screen.appt.mine) {
    return [heading, el("p", {}, screen.appt.next_date ? dayLabel(screen.appt.next_date) : t("appointments.next_not_set"))];
  }
  const input = el("input", { id: "appt-next-date", type: "date", name: "next_date", value: screen.appt.next_date || "" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "appt-next-form", novalidate: true },
    el("label", { for: input.id }, t("appointments.next_label")), input, error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-small" }, t("appointments.next_save")),
      screen.appt.next_date ? el("button", { type: "button", class: "button button-small button-quiet", onclick: async () => {
        await records.put("appointment", { next_date: null }, id);
        status.textContent = t("appointments.next_cleared");
        draw();
      } }, t("appointments.next_clear")) : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await records.put("appointment", { next_date: input.value || null }, id);
    } catch (err) {
      error.textContent = friendly(err);
      return;
    }
    status.textContent = input.value ? t("appointments.next_saved", { date: dayLabel(input.value) }) : t("appointments.next_cleared");
    draw();
  });
  const carry = screen.appt.next_date ? el("div", { class: "appt-carry" },
    el("p", { class: "hint" }, t("appointments.carry_hint")),
    el("button", { type: "button", class: "button button-small", onclick: async (event) => {
      const waiting = (screen.appt.questions || []).filter((q) => !q.answer).map((q) => ({ text: q.text, answer: null }));
      // One set of notes for the next visit, however often this is tapped.
      const newId = await create("appointment", { title: screen.appt.title, date: screen.appt.next_date, questions: waiting,
        shared: screen.appt.shared }, creationId(event.currentTarget));
      arrival.focusQuestion = newId;
      location.hash = href(newId);
    } }, t("appointments.carry"))) : null;
  return [heading, form, carry];
}

export function manage(screen) {
  const { id, status, draw } = screen;
  if (!screen.appt.mine) return [];
  const parts = [];
  if (!screen.appt.shared) {
    parts.push(el("div", { class: "notice" },
      el("p", {}, t("appointments.only_here_now")),
      el("button", { type: "button", class: "button button-small", onclick: async () => {
        await records.put("appointment", { shared: true }, id);
        status.textContent = t("appointments.shared");
        draw();
      } }, t("appointments.share"))));
  } else {
    // Taking notes back is always allowed and never asks why (protocol §8.11).
    parts.push(el("div", { class: "appt-unshare" },
      el("p", { class: "hint" }, t("appointments.unshare_hint")),
      el("button", { type: "button", class: "button button-small", onclick: async () => {
        await records.put("appointment", { shared: false }, id);
        status.textContent = t("appointments.unshared");
        draw();
      } }, t("appointments.unshare"))));
  }
  const titleInput = el("input", { id: "appt-edit-title", name: "title", maxlength: 200, value: screen.appt.title, autocomplete: "off" });
  const dateInput = el("input", { id: "appt-edit-date", type: "date", name: "date", value: screen.appt.date || "" });
  const error = el("p", { class: "form-error", role: "alert" });
  const details = el("form", { class: "appt-edit", novalidate: true },
    el("label", { for: titleInput.id }, t("appointments.what_label")), titleInput,
    el("label", { for: dateInput.id }, t("appointments.when_label")), dateInput, error,
    el("div", { class: "form-actions" }, el("button", { type: "submit", class: "button button-small" }, t("appointments.save_changes"))));
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
    status.textContent = t("appointments.saved");
    draw();
  });
  const deleteSlot = el("div", { class: "appt-delete" });
  const askDelete = () => {
    deleteSlot.replaceChildren(askFirst({ key: `appointment:${id}:delete`, label: t("appointments.delete_ask"),
      lines: [screen.appt.shared ? t("appointments.delete_both") : t("appointments.delete_here")],
      yes: t("appointments.delete_yes"), no: t("appointments.delete_keep"),
      act: async () => {
        await records.put("appointment", { deleted: true }, id);
        location.hash = "#/appointments";
      },
      done: () => {
        deleteSlot.replaceChildren(deleteButton);
        deleteButton.focus();
      } }));
    deleteSlot.querySelector(".confirm button:last-of-type").focus();   // the safe answer first
  };
  const deleteButton = el("button", { type: "button", class: "button button-small button-quiet", onclick: askDelete }, t("appointments.delete"));
  deleteSlot.append(deleteButton);
  parts.push(el("details", { class: "appt-fold card" }, el("summary", {}, t("appointments.change_details")), details), deleteSlot);
  return parts;
}

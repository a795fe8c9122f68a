// The list of appointment notes (#/appointments): coming up, then earlier visits, and a
// new set of notes.
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { el, viewHeader } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft, reopenKept } from "../../shell/drafts.js";
import { coalesce, concerns, creationId } from "../common.js";
import { t, useWords } from "../../i18n/index.js";
import { arrange, arrival, countLine, dayLabel, friendly, href } from "./common.js";

await useWords("appointments");

function newAppointmentForm(onCancel) {
  const key = "appointment:new";
  const titleInput = el("input", { id: "appt-new-title", name: "title", maxlength: 200, autocomplete: "off", required: true,
    placeholder: t("appointments.new_placeholder") });
  const dateInput = el("input", { id: "appt-new-date", name: "date", type: "date" });
  const shared = el("input", { id: "appt-new-shared", type: "checkbox", name: "shared", checked: true });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "card appt-new", novalidate: true },
    el("h2", {}, t("appointments.new_heading")),
    el("label", { for: titleInput.id }, t("appointments.what_label")), titleInput,
    el("label", { for: dateInput.id }, t("appointments.when_label_new")), dateInput,
    el("label", { class: "check", for: shared.id }, shared, t("appointments.new_shared")),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, t("appointments.start")),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onCancel(); } }, t("appointments.cancel"))));
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let id;
    try {
      id = await create("appointment", { title: titleInput.value.trim(), date: dateInput.value || null, shared: shared.checked },
        creationId(form));
    } catch (err) {
      error.textContent = friendly(err);
      titleInput.focus();
      return;
    }
    clearDraft(key);
    arrival.focusQuestion = id;
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
    el("p", { class: "appt-meta" }, appt.mine ? t("appointments.yours") : t("appointments.partners"), " · ", countLine(appt.questions || []),
      appt.mine && !appt.shared ? el("span", { class: "badge" }, t("appointments.only_here")) : null),
    appt.next_date ? el("p", { class: "appt-meta" }, t("appointments.next_visit", { date: dayLabel(appt.next_date) })) : null,
    el("div", { class: "appt-card-actions" },
      el("a", { class: "button button-small", href: href(appt.id, "show"), "aria-describedby": titleId }, t("appointments.show")),
      el("a", { class: "button button-small", href: href(appt.id, "print"), "aria-describedby": titleId,
        onclick: () => { arrival.print = appt.id; } }, t("appointments.print"))));
}

export function renderList(outlet) {
  const body = el("div", { class: "appt-list" });
  const composeSlot = el("div");
  const newButton = opensDraft(el("button", { type: "button", class: "button button-primary button-wide" }, t("appointments.new")),
    "appointment:new");
  newButton.addEventListener("click", () => {
    newButton.hidden = true;
    composeSlot.replaceChildren(newAppointmentForm(() => { composeSlot.replaceChildren(); newButton.hidden = false; newButton.focus(); }));
  });

  async function draw() {
    const all = await records.list("appointment");
    if (!all.length) {
      body.replaceChildren(el("p", { class: "empty" },
        t("appointments.empty")));
      return;
    }
    const { upcoming, past } = arrange(all);
    const section = (id, heading, items) => (items.length ? el("section", { class: "appt-group", "aria-labelledby": id },
      el("h2", { id }, heading), items.map(appointmentCard)) : null);
    body.replaceChildren(...[section("appt-upcoming", t("appointments.upcoming"), upcoming), section("appt-past", t("appointments.past"), past)]
      .filter(Boolean));
  }

  outlet.append(
    viewHeader(t("appointments.heading"), t("appointments.lede")),
    newButton, composeSlot, body);
  const redraw = coalesce(draw);
  const onChange = (e) => { if (!e.detail.mine && concerns(e.detail, ["appointment"])) redraw(); };
  records.changes.addEventListener("records", onChange);
  // Once the list has been on screen, my partner's notes in it are no longer new on Home.
  draw().then(() => records.markSeen("appointment"));
  reopenKept(outlet);   // a new appointment left half-written comes back in its form
  return () => {
    records.changes.removeEventListener("records", onChange);
    records.markSeen("appointment");
  };
}

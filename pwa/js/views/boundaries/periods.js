// Treatment periods ("chemo week", "after surgery"): which apply now, and which boundaries
// apply only during one.
import { addDays, format, today } from "../../core/dates.js";
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { creationId, nextCreation } from "../common.js";

// --- treatment periods: what applies now -------------------------------------------------

const isNow = (p) => p.starts_on <= today() && (!p.ends_on || p.ends_on >= today());

const niceDate = (d) => format(d, "dayMonth");

const PERIOD_DRAFT = "boundary:period:new";

export function periodsCard(periods, mine, redraw) {
  const now = periods.filter(isNow);
  const label = el("input", { id: "period-label", maxlength: 100, autocomplete: "off", placeholder: "e.g. chemo week, after surgery" });
  const starts = el("input", { id: "period-starts", type: "date", value: today() });
  const ends = el("input", { id: "period-ends", type: "date" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "boundary-add", novalidate: true },
    el("label", { for: "period-label" }, "What is it called?"), label,
    el("label", { for: "period-starts" }, "From"), starts,
    el("label", { for: "period-ends" }, "Until (leave empty if you don't know yet)"), ends,
    error, el("button", { type: "submit", class: "button button-small" }, "Add"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await create("period", { label: label.value.trim(), starts_on: starts.value, ends_on: ends.value || null }, creationId(form));
    } catch (err) {
      error.textContent = err.message.startsWith("'label'") ? "Give it a short name first." : err.message;
      return;
    }
    nextCreation(form);
    clearDraft(PERIOD_DRAFT);
    redraw();
  });
  if (mine) keepDraft(form, PERIOD_DRAFT);
  return el("section", { class: "card periods", "aria-labelledby": "periods-title" },
    el("h2", { id: "periods-title" }, mine ? "Right now" : "Right now for your partner"),
    el("p", {}, now.length ? `Now: ${now.map((p) => p.label).join(", ")}.` : "No particular period right now."),
    periods.length ? el("ul", { class: "quiet-list" }, periods.map((p) => el("li", {},
      el("strong", {}, p.label), ` · ${niceDate(p.starts_on)}${p.ends_on ? ` to ${niceDate(p.ends_on)}` : " onwards"}`,
      isNow(p) ? el("span", { class: "badge" }, "Now") : null,
      mine && isNow(p) && !p.ends_on ? el("button", { type: "button", class: "button button-small button-quiet", onclick: async () => {
        // Ended means it no longer applies today: it ended yesterday, or never really began.
        const yesterday = addDays(today(), -1);
        await records.put("period", p.starts_on <= yesterday ? { ends_on: yesterday } : { deleted: true }, p.id);
        redraw();
      } }, "It's over") : null))) : null,
    mine ? el("details", { class: "boundary-add-fold" }, el("summary", {}, "Mark a treatment period"),
      el("p", { class: "hint" }, "Boundaries can apply only during a period, like a chemo week, so the map shows what fits now."), form) : null);
}

export function duringNote(item, periods) {
  if (!item.during) return null;
  const period = periods.find((p) => p.id === item.during);
  if (!period) return el("p", { class: "boundary-during" }, "Only during a period that has ended");
  return el("p", { class: `boundary-during${isNow(period) ? " is-now" : ""}` },
    isNow(period) ? `During ${period.label}: applies now` : `Only during ${period.label}, which isn't now`);
}

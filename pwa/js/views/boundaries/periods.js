// Treatment periods ("chemo week", "after surgery"): which apply now, and which boundaries
// apply only during one.
import { addDays, format, today } from "../../core/dates.js";
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { recordWords, refusedField } from "../../i18n/record-words.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { creationId, nextCreation } from "../common.js";

await useWords("boundaries");

// --- treatment periods: what applies now -------------------------------------------------

const isNow = (p) => p.starts_on <= today() && (!p.ends_on || p.ends_on >= today());

const niceDate = (d) => format(d, "dayMonth");

const PERIOD_DRAFT = "boundary:period:new";

export function periodsCard(periods, mine, redraw) {
  const now = periods.filter(isNow);
  const label = el("input", { id: "period-label", maxlength: 100, autocomplete: "off", placeholder: t("boundaries.period_example") });
  const starts = el("input", { id: "period-starts", type: "date", value: today() });
  const ends = el("input", { id: "period-ends", type: "date" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "boundary-add", novalidate: true },
    el("label", { for: "period-label" }, t("boundaries.period_name")), label,
    el("label", { for: "period-starts" }, t("boundaries.period_from")), starts,
    el("label", { for: "period-ends" }, t("boundaries.period_until")), ends,
    error, el("button", { type: "submit", class: "button button-small" }, t("boundaries.add")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await create("period", { label: label.value.trim(), starts_on: starts.value, ends_on: ends.value || null }, creationId(form));
    } catch (err) {
      error.textContent = refusedField(err) === "label" ? t("boundaries.name_first")
        : (recordWords(err) || t("boundaries.save_failed"));
      return;
    }
    nextCreation(form);
    clearDraft(PERIOD_DRAFT);
    redraw();
  });
  if (mine) keepDraft(form, PERIOD_DRAFT);
  return el("section", { class: "card periods", "aria-labelledby": "periods-title" },
    el("h2", { id: "periods-title" }, mine ? t("boundaries.periods_title") : t("boundaries.periods_title_partner")),
    el("p", {}, now.length ? t("boundaries.periods_now", { periods: now.map((p) => p.label).join(", ") }) : t("boundaries.periods_none")),
    periods.length ? el("ul", { class: "quiet-list" }, periods.map((p) => el("li", {},
      el("strong", { dir: "auto" }, p.label), " · ", p.ends_on
        ? t("boundaries.period_span", { from: niceDate(p.starts_on), to: niceDate(p.ends_on) })
        : t("boundaries.period_onwards", { from: niceDate(p.starts_on) }),
      isNow(p) ? el("span", { class: "badge" }, t("boundaries.period_now_badge")) : null,
      mine && isNow(p) && !p.ends_on ? el("button", { type: "button", class: "button button-small button-quiet", onclick: async () => {
        // Ended means it no longer applies today: it ended yesterday, or never really began.
        const yesterday = addDays(today(), -1);
        await records.put("period", p.starts_on <= yesterday ? { ends_on: yesterday } : { deleted: true }, p.id);
        redraw();
      } }, t("boundaries.period_over")) : null))) : null,
    mine ? el("details", { class: "boundary-add-fold" }, el("summary", {}, t("boundaries.period_mark")),
      el("p", { class: "hint" }, t("boundaries.period_hint")), form) : null);
}

export function duringNote(item, periods) {
  if (!item.during) return null;
  const period = periods.find((p) => p.id === item.during);
  if (!period) return el("p", { class: "boundary-during" }, t("boundaries.during_ended"));
  return el("p", { class: `boundary-during${isNow(period) ? " is-now" : ""}` },
    isNow(period) ? t("boundaries.during_now", { period: period.label }) : t("boundaries.during_not_now", { period: period.label }));
}

// Past weeks of the check-in, gently: what each of you wrote once both had answered, and
// otherwise only that a week was skipped or went unanswered, never as a score.
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";

await useWords("checkin");

/** "2026, week 48" in the person's language; the numbers stay as written, not as amounts. */
export function weekName(week) {
  const [year, number] = week.split("-W");
  return t("checkin.week_of_year", { year, week: number });
}

function pastWeek({ week, mine, partner }, answersList) {
  const parts = [];
  if (mine?.answers && partner?.answers) {
    parts.push(el("div", { class: "revealed" },
      el("section", { class: "card", "aria-label": t("checkin.past_partner_label", { week: weekName(week) }) }, el("h4", {}, t("author.partner")), answersList(partner.answers)),
      el("section", { class: "card", "aria-label": t("checkin.past_you_label", { week: weekName(week) }) }, el("h4", {}, t("author.you")), answersList(mine.answers))));
  } else {
    const said = [];
    if (mine?.skipped) said.push(t("checkin.past_i_skipped"));
    else if (mine?.answers) said.push(t("checkin.past_i_sealed"));
    if (partner?.skipped) said.push(t("checkin.past_partner_skipped"));
    else if (partner && !partner.answers) said.push(t("checkin.past_partner_sealed"));
    if (!mine && !partner) said.push(t("checkin.past_quiet"));
    parts.push(el("p", { class: "hint" }, said.join(" ") || t("checkin.past_quiet")));
    if (mine?.answers) parts.push(el("section", { class: "card", "aria-label": t("checkin.past_you_label", { week: weekName(week) }) }, el("h4", {}, t("checkin.what_you_wrote")), answersList(mine.answers)));
  }
  return el("li", { class: "checkin-past-week" }, el("details", {}, el("summary", {}, weekName(week)), ...parts));
}

/** The list of earlier weeks, or nothing when there are none. */
export function pastWeeksCard(weeks, answersList) {
  if (!weeks.length) return null;
  return el("section", { class: "card card-soft checkin-past", "aria-labelledby": "checkin-past-title" },
    el("h2", { id: "checkin-past-title" }, t("checkin.past_title")),
    el("p", { class: "hint" }, t("checkin.past_hint")),
    el("ul", { class: "quiet-list" }, weeks.map((w) => pastWeek(w, answersList))));
}

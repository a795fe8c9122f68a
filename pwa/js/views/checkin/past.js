// Past weeks of the check-in, gently: what each of you wrote once both had answered, and
// otherwise only that a week was skipped or went unanswered, never as a score.
import { el } from "../../shell/dom.js";

const weekName = (week) => week.replace("-W", ", week ");

function pastWeek({ week, mine, partner }, answersList) {
  const parts = [];
  if (mine?.answers && partner?.answers) {
    parts.push(el("div", { class: "revealed" },
      el("section", { class: "card", "aria-label": `Your partner, ${weekName(week)}` }, el("h4", {}, "Your partner"), answersList(partner.answers)),
      el("section", { class: "card", "aria-label": `You, ${weekName(week)}` }, el("h4", {}, "You"), answersList(mine.answers))));
  } else {
    const said = [];
    if (mine?.skipped) said.push("You sat this week out.");
    else if (mine?.answers) said.push("You answered; your answers stayed sealed.");
    if (partner?.skipped) said.push("Your partner sat this week out.");
    else if (partner && !partner.answers) said.push("Your partner answered; theirs stayed sealed.");
    if (!mine && !partner) said.push("A quiet week.");
    parts.push(el("p", { class: "hint" }, said.join(" ") || "A quiet week."));
    if (mine?.answers) parts.push(el("section", { class: "card", "aria-label": `You, ${weekName(week)}` }, el("h4", {}, "What you wrote"), answersList(mine.answers)));
  }
  return el("li", { class: "checkin-past-week" }, el("details", {}, el("summary", {}, weekName(week)), ...parts));
}

/** The list of earlier weeks, or nothing when there are none. */
export function pastWeeksCard(weeks, answersList) {
  if (!weeks.length) return null;
  return el("section", { class: "card card-soft checkin-past", "aria-labelledby": "checkin-past-title" },
    el("h2", { id: "checkin-past-title" }, "Earlier weeks"),
    el("p", { class: "hint" }, "Kept on this phone to look back on, whenever you like."),
    el("ul", { class: "quiet-list" }, weeks.map((w) => pastWeek(w, answersList))));
}

// Progress: a calm timeline of small wins, gathered from what the two of you already do in
// Hearth. Nothing is counted or scored; core/progress.js decides what is worth noticing.
import { groupWins, noticing, smallWins } from "../core/progress.js";
import { identity, ownIds } from "../device/identity.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { coalesce, when } from "./common.js";

await useWords("progress");

export const title = t("progress.title");

const WHO = { you: t("progress.who_you"), partner: t("progress.who_partner"), both: t("progress.who_both") };

// A week where both check-ins are here with their keys released: both answers are open.
function checkinWeeks(records) {
  const weeks = new Map();
  for (const r of records) {
    if (!r.week) continue;
    const w = weeks.get(r.week) || { week: r.week, mine: false, partner: false, at: 0 };
    if (r.key) {
      w[r.mine ? "mine" : "partner"] = true;
      w.at = Math.max(w.at, r.updatedAt || r.at || 0);
    }
    weeks.set(r.week, w);
  }
  return [...weeks.values()].map((w) => ({ week: w.week, both: w.mine && w.partner, at: w.at }));
}

// Boundaries with their gentle history (what this phone noted, never sent).
async function boundariesWithHistory(me) {
  const [boundaries, noted] = await Promise.all([records.list("boundary"), records.notes("boundary")]);
  return boundaries.map((b) => ({ ...b, changes: (noted.get(b.id)?.history || []).filter((h) => h.field !== "deleted")
    .map((h) => ({ at: h.at, mine: ownIds(me).has(h.by) })) }));
}

async function gather() {
  const me = await identity();
  const [experiments, checkins, boundaries, journal, gratitude, appointments] = await Promise.all([
    records.list("experiment"), records.list("checkin"), boundariesWithHistory(me), records.list("journal"),
    records.list("gratitude"), records.list("appointment")]);
  return smallWins({ experiments, checkins: checkinWeeks(checkins), boundaries, journal, gratitude, appointments });
}

function winItem(win) {
  return el("li", { class: "progress-win", dataset: { kind: win.kind, who: win.who } },
    el("p", { class: "progress-win-meta" },
      el("span", { class: "progress-who" }, WHO[win.who]),
      el("span", { class: "progress-sep", "aria-hidden": "true" }, " · "),
      el("time", { datetime: new Date(win.at).toISOString() }, when(win.at))),
    el("p", { class: "progress-text" }, win.text),
    win.quote ? el("blockquote", { class: "progress-quote" }, el("p", {}, win.quote)) : null);
}

function emptyState() {
  return el("section", { class: "card card-soft progress-empty", "aria-labelledby": "progress-empty-title" },
    el("h2", { id: "progress-empty-title" }, t("progress.empty_title")),
    el("p", {}, t("progress.empty_text")),
    el("p", { class: "hint" }, t("progress.empty_hint")),
    el("ul", { class: "progress-starts" },
      el("li", {}, el("a", { href: "#/gratitude" }, t("progress.start_gratitude"))),
      el("li", {}, el("a", { href: "#/experiments" }, t("progress.start_experiment"))),
      el("li", {}, el("a", { href: "#/journal" }, t("progress.start_journal")))));
}

export function render(outlet) {
  const body = el("div", { class: "progress-body" });
  let alive = true;

  async function draw() {
    const wins = await gather();
    if (!alive) return;
    const now = new Date();
    if (!wins.length) {
      body.replaceChildren(emptyState());
      return;
    }
    const line = noticing(wins, now);
    const parts = groupWins(wins, now).map((group) => el("section", { class: "progress-group",
      "aria-labelledby": `progress-${group.key}` },
    el("h2", { id: `progress-${group.key}`, class: "progress-heading" }, group.heading),
    el("ol", { class: "progress-list" }, group.wins.map(winItem))));
    if (line) parts.unshift(el("p", { class: "progress-noticing" }, line));
    body.replaceChildren(...parts);
  }

  outlet.append(viewHeader(t("progress.title"), t("progress.lede")), body);
  const redraw = coalesce(draw);
  records.changes.addEventListener("records", redraw);
  draw();
  return () => {
    alive = false;
    records.changes.removeEventListener("records", redraw);
  };
}

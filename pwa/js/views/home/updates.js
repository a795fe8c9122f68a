// Home's "From your partner": the latest few things they shared, in a line each.
import { daysBetween, relativeDay, today } from "../../core/dates.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { when } from "../common.js";
import { welcome } from "../home.js";
import { SCALE_WORDS, longDate, newest, plural, short } from "./today.js";

const LEVEL_WORDS = { welcome: "welcome", ask_first: "ask first", not_now: "not now", off_limits: "off-limits" };

export const UPDATE_TYPES = ["journal", "gratitude", "energy", "appointment", "boundary"];

function describe(r) {
  switch (r.type) {
    case "journal":
      return ["Journal", r.reply_to ? `Replied: ${short(r.text)}` : short(r.text), "#/journal"];
    case "gratitude":
      return ["Gratitude", short(r.text), "#/gratitude"];
    case "energy": {
      const values = SCALE_WORDS.filter(([k]) => Number.isInteger(r[k])).map(([k, word]) => `${word} ${r[k]}`);
      return ["Energy", values.length ? `Shared a note: ${values.join(", ")}` : "Shared a note", "#/energy"];
    }
    case "appointment": {
      const count = (r.questions || []).length;
      return ["Appointment notes", `${short(r.title, 60)}${count ? `, ${plural(count, "question", "questions")}` : ""}`,
        `#/appointments?id=${encodeURIComponent(r.id)}`];
    }
    case "boundary":
      return ["Boundaries", r.kind === "stop_signal" ? `Stop signal: ${short(r.label, 60)}`
        : `${short(r.label, 60)}${r.level ? `: ${LEVEL_WORDS[r.level]}` : ""}`, "#/boundaries?whose=partner"];
    default:
      return null;
  }
}

// When a partner's update happened, in their words: an energy note is about its own day.
function updatedWhen(r) {
  if (r.type !== "energy") return when(r.updatedAt || r.at);
  const ago = daysBetween(r.date, today());
  const day = ago === 0 || ago === 1 ? relativeDay(r.date) : longDate(r.date);
  return `${day}, ${r.time_of_day}`;
}

const TIMES = ["morning", "afternoon", "evening", "night"];

const laterNote = (a, b) => (a.date === b.date ? TIMES.indexOf(b.time_of_day) - TIMES.indexOf(a.time_of_day) : a.date < b.date ? 1 : -1);

// A step of the paced path waiting for my answer, or my partner's look-back on a step waiting
// for mine (§8.14): a gentle line, filled in once the records are read. Never a count.
async function pacedWaiting(slot) {
  const [paces, lookbacks, agreements] = await Promise.all(["pace", "pace_lookback", "agreement"].map((t) => records.list(t)));
  if (!paces.length && !lookbacks.length) return;
  // Loaded only for a couple on the path: Home is the first screen, and most never need it.
  const { agreementInEffect, lookBacksFor, pathOf } = await import("../../core/paced.js");
  const path = pathOf(paces);
  const theirs = lookbacks.filter((l) => !l.mine && !l.earlier && l.step <= path.open)
    .find((l) => !lookBacksFor(l.step, lookbacks).mine);
  const text = path.asked && agreementInEffect(agreements)
    ? "A step on your paced path is there for you, whenever you feel ready. No rush."
    : theirs ? "Your partner looked back on a step of your paced path. Theirs shows once you've added yours." : null;
  if (text) slot.replaceChildren(el("p", {}, text, " ", el("a", { href: "#/paced" }, "A paced path")));
}

export function partnerUpdates(lists, newCount) {
  const paced = el("div", { class: "paced-waiting" });
  pacedWaiting(paced);
  const shared = lists.flat()
    .filter((r) => !r.mine && (r.type !== "energy" || r.shared) && (r.type !== "appointment" || r.shared !== false));
  // Energy notes can arrive by the dozen after a quiet spell: only the latest one is news.
  const energy = shared.filter((r) => r.type === "energy").sort(laterNote)[0];
  const theirs = [...shared.filter((r) => r.type !== "energy"), ...(energy ? [energy] : [])].sort(newest).slice(0, 4);
  return el("section", { class: "card", "aria-labelledby": "home-recent-title" },
    el("h2", { id: "home-recent-title" }, newCount ? `From your partner (${newCount} new)` : "From your partner"),
    paced,
    theirs.length
      ? el("ul", { class: "quiet-list recent" }, theirs.map((r) => {
        const [kind, text, href] = describe(r);
        return el("li", { class: `recent-item recent-${r.type}` },
          el("span", { class: "recent-kind" }, kind),
          el("a", { href }, text),
          el("span", { class: "entry-meta" }, ` · ${updatedWhen(r)}`));
      }))
      : el("p", {}, "Nothing yet. When your partner shares something, it will show up here."));
}

// Home's "From your partner": the latest few things they shared, in a line each.
import { daysBetween, relativeDay, today } from "../../core/dates.js";
import * as records from "../../device/records.js";
import { t } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { when } from "../common.js";
import { longDate, newest, scaleValues, short } from "./today.js";

const LEVEL_WORDS = { welcome: t("home.level_welcome"), ask_first: t("home.level_ask_first"),
  not_now: t("home.level_not_now"), off_limits: t("home.level_off_limits") };

// A note's time of day is a protocol value ("morning"): said in the phone's language.
const TIME_WORDS = { morning: t("home.time_morning"), afternoon: t("home.time_afternoon"),
  evening: t("home.time_evening"), night: t("home.time_night") };

export const UPDATE_TYPES = ["journal", "gratitude", "energy", "appointment", "boundary"];

function describe(r) {
  switch (r.type) {
    case "journal":
      return [t("home.kind_journal"), r.reply_to ? t("home.recent_replied", { text: short(r.text) }) : short(r.text), "#/journal"];
    case "gratitude":
      return [t("home.kind_gratitude"), short(r.text), "#/gratitude"];
    case "energy": {
      const values = scaleValues(r);
      return [t("home.kind_energy"), values.length ? t("home.recent_energy", { values: values.join(", ") }) : t("home.recent_energy_plain"),
        "#/energy"];
    }
    case "appointment": {
      const count = (r.questions || []).length;
      const title = short(r.title, 60);
      return [t("home.kind_appointment"), count ? t("home.recent_questions", { title, count }) : title,
        `#/appointments?id=${encodeURIComponent(r.id)}`];
    }
    case "boundary": {
      const label = short(r.label, 60);
      return [t("home.kind_boundary"), r.kind === "stop_signal" ? t("home.recent_stop_signal", { label })
        : r.level ? t("home.recent_boundary_level", { label, level: LEVEL_WORDS[r.level] }) : label, "#/boundaries?whose=partner"];
    }
    default:
      return null;
  }
}

// When a partner's update happened, in their words: an energy note is about its own day.
function updatedWhen(r) {
  if (r.type !== "energy") return when(r.updatedAt || r.at);
  const ago = daysBetween(r.date, today());
  const day = ago === 0 || ago === 1 ? relativeDay(r.date) : longDate(r.date);
  return t("home.energy_when", { day, time: TIME_WORDS[r.time_of_day] ?? r.time_of_day });
}

const TIMES = ["morning", "afternoon", "evening", "night"];

const laterNote = (a, b) => (a.date === b.date ? TIMES.indexOf(b.time_of_day) - TIMES.indexOf(a.time_of_day) : a.date < b.date ? 1 : -1);

// A step of the paced path waiting for my answer, or my partner's look-back on a step waiting
// for mine (§8.14): a gentle line, filled in once the records are read. Never a count.
async function pacedWaiting(slot) {
  const [paces, lookbacks, agreements] = await Promise.all(["pace", "pace_lookback", "agreement"].map((type) => records.list(type)));
  if (!paces.length && !lookbacks.length) return;
  // Loaded only for a couple on the path: Home is the first screen, and most never need it.
  const { agreementInEffect, lookBacksFor, pathOf } = await import("../../core/paced.js");
  const path = pathOf(paces);
  const theirs = lookbacks.filter((l) => !l.mine && !l.earlier && l.step <= path.open)
    .find((l) => !lookBacksFor(l.step, lookbacks).mine);
  const text = path.asked && agreementInEffect(agreements)
    ? t("home.paced_step_ready")
    : theirs ? t("home.paced_partner_looked") : null;
  if (text) slot.replaceChildren(el("p", {}, text, " ", el("a", { href: "#/paced" }, t("home.paced_link"))));
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
    el("h2", { id: "home-recent-title" }, newCount ? t("home.recent_title_new", { count: newCount }) : t("home.recent_title")),
    paced,
    theirs.length
      ? el("ul", { class: "quiet-list recent" }, theirs.map((r) => {
        const [kind, text, href] = describe(r);
        return el("li", { class: `recent-item recent-${r.type}` },
          el("span", { class: "recent-kind" }, kind),
          el("a", { href }, text),
          el("span", { class: "entry-meta" }, ` · ${updatedWhen(r)}`));
      }))
      : el("p", {}, t("home.recent_none")));
}

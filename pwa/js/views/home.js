// Home: what matters today. Before pairing, a warm welcome and one clear next step;
// after, "Today" (today's energy note, the current experiment, this week's check-in and
// the chosen check-in day), what your partner shared lately, gentle notices, and the stop
// signals. Nothing here asks for anything: every line is an invitation, never a to-do.
// Today is home/today.js, what your partner shared home/updates.js. Once the pairing has
// ended, a kind notice of it comes first, and everything else stays to read.
import { currentWeek } from "../core/checkin.js";
import { checkinWeek } from "../device/checkins.js";
import { ended } from "../device/ending.js";
import { identity, isPaired } from "../device/identity.js";
import { t } from "../i18n/index.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { installHint } from "../shell/install.js";
import { progress } from "../device/move-state.js";
import { coalesce } from "./common.js";
import { todayCard } from "./home/today.js";
import { UPDATE_TYPES, partnerUpdates } from "./home/updates.js";
import { endedNotice } from "./settings/ending.js";

export const title = t("home.title");

const WELCOME = [t("home.welcome_title"), t("home.welcome_lede")];

const TOGETHER = [t("home.together_title"), t("home.together_lede")];

const ENDED = [t("home.ended_title"), t("home.ended_lede")];

export function welcome() {
  return [
    el("section", { class: "card", "aria-labelledby": "home-pair-title" },
      el("h2", { id: "home-pair-title" }, t("home.start_title")),
      el("p", {}, t("home.start_text")),
      el("a", { class: "button button-primary button-wide", href: "#/pair" }, t("home.start_pair"))),
    installHint(),
    toolkit(),
    el("section", { class: "card card-soft", "aria-labelledby": "home-gentle-title" },
      el("h2", { id: "home-gentle-title" }, t("home.gentle_title")),
      el("p", {}, t("home.gentle_text")),
      el("p", {}, WHAT_IS_SHARED)),
  ].filter(Boolean);
}

// A new phone that everything is moving to (§11.4): not paired yet, and nothing to start.
const movingHere = () => el("section", { class: "card", "aria-labelledby": "home-moving-title" },
  el("h2", { id: "home-moving-title" }, t("home.moving_title")),
  el("p", {}, t("home.moving_text")),
  el("a", { class: "button button-wide", href: "#/pair" }, t("home.moving_link")));

// What travels to the partner's phone, said truthfully (protocol §8: what each type sends).
export const WHAT_IS_SHARED = t("home.what_is_shared");

// A way to help that is always one tap away.
const helpLink = () => el("a", { class: "button button-small button-quiet help-link", href: "#/help" }, t("home.help_link"));

const TOOLS = [
  ["#/checkin", t("home.tool_checkin"), t("home.tool_checkin_about")],
  ["#/experiments", t("home.tool_experiments"), t("home.tool_experiments_about")],
  ["#/paced", t("home.tool_paced"), t("home.tool_paced_about")],
  ["#/energy", t("home.tool_energy"), t("home.tool_energy_about")],
  ["#/gratitude", t("home.tool_gratitude"), t("home.tool_gratitude_about")],
  ["#/appointments", t("home.tool_appointments"), t("home.tool_appointments_about")],
  ["#/progress", t("home.tool_progress"), t("home.tool_progress_about")],
  ["#/reminders", t("home.tool_reminders"), t("home.tool_reminders_about")],
  ["#/help", t("home.tool_help"), t("home.tool_help_about")],
  ["#/good-to-know", t("home.tool_good_to_know"), t("home.tool_good_to_know_about")],
  ["#/privacy", t("home.tool_privacy"), t("home.tool_privacy_about")],
];

function toolkit() {
  return el("nav", { class: "card toolkit", "aria-labelledby": "home-tools-title" },
    el("h2", { id: "home-tools-title" }, t("home.toolkit_title")),
    el("ul", { class: "quiet-list" }, TOOLS.map(([href, name, about]) => el("li", {},
      el("a", { class: "tool-link", href }, el("span", { class: "tool-name" }, name), el("span", { class: "tool-about" }, about))))));
}

function stopSignals(boundaries) {
  const signals = boundaries.filter((b) => b.kind === "stop_signal" && (b.mine || !b.earlier));
  if (!signals.length) {
    return el("section", { class: "card card-soft", "aria-labelledby": "home-stop-title" },
      el("h2", { id: "home-stop-title" }, t("home.stop_none_title")),
      el("p", {}, t("home.stop_none_text")),
      el("div", { class: "form-actions" },
        el("a", { class: "button button-small", href: "#/boundaries" }, t("home.stop_choose")), helpLink()));
  }
  return el("section", { class: "card stop-signal", "aria-labelledby": "home-stop-title" },
    el("h2", { id: "home-stop-title" }, t("home.stop_title")),
    // What each of you wrote keeps its own language and direction (dir="auto").
    el("ul", { class: "quiet-list" }, signals.map((s) => el("li", {},
      el("strong", { dir: "auto" }, s.label), ` ${s.mine ? t("home.stop_mine") : t("home.stop_partners")}`,
      s.note ? " — " : "", s.note ? el("span", { dir: "auto" }, s.note) : ""))),
    el("p", { class: "hint" }, t("home.stop_hint")), helpLink());
}

async function together({ ended = false } = {}) {
  const [lists, unseen, experiments, reassessments, week, couple] = await Promise.all([
    Promise.all(UPDATE_TYPES.map((type) => records.list(type).then((rs) => rs.map((r) => ({ ...r, type }))))),
    Promise.all(UPDATE_TYPES.map((type) => records.unseen(type))),
    records.list("experiment"),
    records.list("reassessment"),
    checkinWeek(currentWeek()),
    records.coupleSettings(),
  ]);
  const [, , energy, , boundaries] = lists;
  // What changed that I haven't looked at: my partner's own things, and, apart, their
  // requests for more care on my map, which are news about mine.
  const isNew = lists.map((list, i) => list.filter((r) => unseen[i].has(r.id)));
  const theirNews = isNew.flat().filter((r) => !r.mine).length;
  const boundaryNews = isNew[UPDATE_TYPES.indexOf("boundary")];
  return [
    todayCard({ energy, experiments: experiments.filter((e) => !e.earlier), reassessments, week, day: couple.checkin_day,
      together: !ended }),
    boundaryNews.some((b) => b.mine) ? el("div", { class: "notice", role: "status" },
      el("p", {}, t("home.notice_care_asked")),
      el("a", { class: "button button-small", href: "#/boundaries" }, t("home.notice_see_my_map"))) : null,
    boundaryNews.some((b) => !b.mine) ? el("div", { class: "notice", role: "status" },
      el("p", {}, t("home.notice_partner_map")),
      el("a", { class: "button button-small", href: "#/boundaries?whose=partner" }, t("home.notice_have_a_look"))) : null,
    partnerUpdates(lists, theirNews),
    ended && !boundaries.some((b) => b.kind === "stop_signal") ? null : stopSignals(boundaries),
    toolkit(),
    el("div", { class: "form-actions" },
      el("a", { class: "button", href: "#/journal" }, t("home.write_journal")),
      el("a", { class: "button button-quiet", href: "#/boundaries" }, t("home.my_boundaries"))),
  ].filter(Boolean);
}

export function render(outlet) {
  // The heading is there at once, so the router can move focus to it; the rest follows.
  const header = viewHeader(...WELCOME);
  const body = el("div", { class: "home-body" });
  outlet.append(header, body);
  async function draw() {
    const [paired, end, me, move] = await Promise.all([isPaired(), ended(), identity(), progress()]);
    const [heading, lede] = end ? ENDED : paired ? TOGETHER : WELCOME;
    header.querySelector("h1").textContent = heading;
    header.querySelector(".lede").textContent = lede;
    if (end) body.replaceChildren(endedNotice(end, me), ...(await together({ ended: true })));
    else body.replaceChildren(...(paired ? await together() : move ? [movingHere(), toolkit()] : welcome()));
  }
  const onChange = coalesce(draw);
  records.changes.addEventListener("records", onChange);
  records.changes.addEventListener("pairing", onChange);
  draw();
  return () => {
    records.changes.removeEventListener("records", onChange);
    records.changes.removeEventListener("pairing", onChange);
  };
}

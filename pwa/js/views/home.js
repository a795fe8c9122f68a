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
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { installHint } from "../shell/install.js";
import { progress } from "../sync/move-stream.js";
import { coalesce } from "./common.js";
import { todayCard } from "./home/today.js";
import { UPDATE_TYPES, partnerUpdates } from "./home/updates.js";
import { endedNotice } from "./settings/ending.js";

export const title = "Home";

const WELCOME = ["Welcome. Take your time.",
  "A quiet place for the two of you to notice what feels good, say what you need, " +
  "and try small things at your own pace."];

const TOGETHER = ["Good to see you.", "Here's what's new between you. Nothing here needs doing today."];

const ENDED = ["Good to see you.", "What's here is still yours to read, whenever you like."];

export function welcome() {
  return [
    el("section", { class: "card", "aria-labelledby": "home-pair-title" },
      el("h2", { id: "home-pair-title" }, "Start together"),
      el("p", {},
        "Sit side by side for a minute. One phone shows a code, the other scans it, and " +
        "from then on whatever you choose to share travels privately between your two phones."),
      el("a", { class: "button button-primary button-wide", href: "#/pair" }, "Pair with my partner")),
    installHint(),
    toolkit(),
    el("section", { class: "card card-soft", "aria-labelledby": "home-gentle-title" },
      el("h2", { id: "home-gentle-title" }, "Nothing here is a test"),
      el("p", {},
        "There are no scores and nothing to keep up with. Come back when you feel like it."),
      el("p", {}, WHAT_IS_SHARED)),
  ].filter(Boolean);
}

// A new phone that everything is moving to (§11.4): not paired yet, and nothing to start.
const movingHere = () => el("section", { class: "card", "aria-labelledby": "home-moving-title" },
  el("h2", { id: "home-moving-title" }, "Moving everything here"),
  el("p", {}, "Everything from your other phone is on its way. The line at the top says how far it has come."),
  el("a", { class: "button button-wide", href: "#/pair" }, "See how it's going"));

// What travels to the partner's phone, said truthfully (protocol §8: what each type sends).
export const WHAT_IS_SHARED = "Once you're paired, journal entries and energy notes stay on this phone until you " +
  "choose to share them. Gratitude and appointment notes are shared unless you keep them private. " +
  "Boundaries, periods, check-ins, experiments, the agreement, where each of you is on the paced path, " +
  "and look-backs are always shared with your partner.";

// A way to help that is always one tap away.
const helpLink = () => el("a", { class: "button button-small button-quiet help-link", href: "#/help" }, "Getting help");

const TOOLS = [
  ["#/checkin", "Weekly check-in", "A few questions; you see each other's answers together."],
  ["#/experiments", "Small experiments", "One new thing at a time, then look back together."],
  ["#/paced", "A paced path", "Closeness step by step, at the pace of whichever of you is slower."],
  ["#/energy", "Energy and symptoms", "A ten-second daily note, to find your better hours."],
  ["#/gratitude", "Gratitude and ideas", "A kind word a day, and gentle ideas for closeness."],
  ["#/appointments", "Appointment notes", "Questions for your care team, ready to show or print."],
  ["#/progress", "Small wins", "What you've noticed and tried together, without any scores."],
  ["#/reminders", "Reminders", "A quiet nudge from this phone when something's due, if you'd like one."],
  ["#/help", "Getting help", "When to call your care team, who helps with intimacy, and your own contacts."],
  ["#/good-to-know", "Good to know", "Short notes on how treatment changes closeness, with questions to bring."],
  ["#/privacy", "How your privacy works", "What stays on this phone, what travels, and who can see what."],
];

function toolkit() {
  return el("nav", { class: "card toolkit", "aria-labelledby": "home-tools-title" },
    el("h2", { id: "home-tools-title" }, "Your toolkit"),
    el("ul", { class: "quiet-list" }, TOOLS.map(([href, name, about]) => el("li", {},
      el("a", { class: "tool-link", href }, el("span", { class: "tool-name" }, name), el("span", { class: "tool-about" }, about))))));
}

function stopSignals(boundaries) {
  const signals = boundaries.filter((b) => b.kind === "stop_signal" && (b.mine || !b.earlier));
  if (!signals.length) {
    return el("section", { class: "card card-soft", "aria-labelledby": "home-stop-title" },
      el("h2", { id: "home-stop-title" }, "A stop signal"),
      el("p", {}, "A word or a sign that means “let's pause”, no questions asked. It helps to agree on one."),
      el("div", { class: "form-actions" },
        el("a", { class: "button button-small", href: "#/boundaries" }, "Choose ours"), helpLink()));
  }
  return el("section", { class: "card stop-signal", "aria-labelledby": "home-stop-title" },
    el("h2", { id: "home-stop-title" }, "Stop signal"),
    el("ul", { class: "quiet-list" }, signals.map((s) => el("li", {},
      el("strong", {}, s.label), s.mine ? " (yours)" : " (your partner's)", s.note ? ` — ${s.note}` : ""))),
    el("p", { class: "hint" }, "If something hurts or worries you, help is one tap away."), helpLink());
}

async function together({ ended = false } = {}) {
  const [lists, unseen, experiments, reassessments, week, couple] = await Promise.all([
    Promise.all(UPDATE_TYPES.map((t) => records.list(t).then((rs) => rs.map((r) => ({ ...r, type: t }))))),
    Promise.all(UPDATE_TYPES.map((t) => records.unseen(t))),
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
      el("p", {}, "Your partner asked for more care with something on your map."),
      el("a", { class: "button button-small", href: "#/boundaries" }, "See my map")) : null,
    boundaryNews.some((b) => !b.mine) ? el("div", { class: "notice", role: "status" },
      el("p", {}, "Your partner has updated their map."),
      el("a", { class: "button button-small", href: "#/boundaries?whose=partner" }, "Have a look")) : null,
    partnerUpdates(lists, theirNews),
    ended && !boundaries.some((b) => b.kind === "stop_signal") ? null : stopSignals(boundaries),
    toolkit(),
    el("div", { class: "form-actions" },
      el("a", { class: "button", href: "#/journal" }, "Write in the journal"),
      el("a", { class: "button button-quiet", href: "#/boundaries" }, "My boundaries")),
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

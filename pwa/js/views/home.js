// Home: what matters today. Before pairing, a warm welcome and one clear next step;
// after, what your partner shared lately, gentle notices, and the stop signals.
import { el, viewHeader } from "../shell/dom.js";
import * as device from "../sync/device.js";
import { coalesce, unseen, when } from "./common.js";

export const title = "Home";

const WELCOME = ["Welcome. Take your time.",
  "A quiet place for the two of you to notice what feels good, say what you need, " +
  "and try small things at your own pace."];
const TOGETHER = ["Good to see you.", "Here's what's new between you. Nothing here needs doing today."];

function welcome() {
  return [
    el("section", { class: "card", "aria-labelledby": "home-pair-title" },
      el("h2", { id: "home-pair-title" }, "Start together"),
      el("p", {},
        "Sit side by side for a minute. One phone shows a code, the other scans it, and " +
        "from then on whatever you choose to share travels privately between your two phones."),
      el("a", { class: "button button-primary button-wide", href: "#/pair" }, "Pair with my partner")),
    toolkit(),
    el("section", { class: "card card-soft", "aria-labelledby": "home-gentle-title" },
      el("h2", { id: "home-gentle-title" }, "Nothing here is a test"),
      el("p", {},
        "There are no scores and nothing to keep up with. Come back when you feel like it; " +
        "what you write stays on this phone until you decide to share it.")),
  ];
}

const TOOLS = [
  ["#/checkin", "Weekly check-in", "A few questions; you see each other's answers together."],
  ["#/experiments", "Small experiments", "One new thing at a time, then look back together."],
  ["#/energy", "Energy and symptoms", "A ten-second daily note, to find your better hours."],
  ["#/gratitude", "Gratitude and ideas", "A kind word a day, and gentle ideas for closeness."],
  ["#/appointments", "Appointment notes", "Questions for your care team, ready to show or print."],
  ["#/progress", "Small wins", "What you've noticed and tried together, without any scores."],
];

function toolkit() {
  return el("nav", { class: "card toolkit", "aria-labelledby": "home-tools-title" },
    el("h2", { id: "home-tools-title" }, "Your toolkit"),
    el("ul", { class: "quiet-list" }, TOOLS.map(([href, name, about]) => el("li", {},
      el("a", { class: "tool-link", href }, el("span", { class: "tool-name" }, name), el("span", { class: "tool-about" }, about))))));
}

function stopSignals(boundaries) {
  const signals = boundaries.filter((b) => b.kind === "stop_signal");
  if (!signals.length) {
    return el("section", { class: "card card-soft", "aria-labelledby": "home-stop-title" },
      el("h2", { id: "home-stop-title" }, "A stop signal"),
      el("p", {}, "A word or a sign that means “let's pause”, no questions asked. It helps to agree on one."),
      el("a", { class: "button button-small", href: "#/boundaries" }, "Choose ours"));
  }
  return el("section", { class: "card stop-signal", "aria-labelledby": "home-stop-title" },
    el("h2", { id: "home-stop-title" }, "Stop signal"),
    el("ul", { class: "quiet-list" }, signals.map((s) => el("li", {},
      el("strong", {}, s.label), s.mine ? " (yours)" : " (your partner's)", s.note ? ` — ${s.note}` : ""))));
}

async function together() {
  const journal = await device.list("journal");
  const boundaries = await device.list("boundary");
  const theirs = journal.filter((e) => !e.mine).slice(-3).reverse();
  const changed = (await unseen("boundary")).filter((r) => !r.fields.deleted);
  const newEntries = (await unseen("journal")).length;
  return [
    changed.length ? el("div", { class: "notice", role: "status" },
      el("p", {}, "Your partner has updated their boundaries."),
      el("a", { class: "button button-small", href: "#/boundaries?whose=partner" }, "Have a look")) : null,
    el("section", { class: "card", "aria-labelledby": "home-recent-title" },
      el("h2", { id: "home-recent-title" }, newEntries ? `From your partner (${newEntries} new)` : "From your partner"),
      theirs.length
        ? el("ul", { class: "quiet-list recent" }, theirs.map((e) => el("li", {},
          el("a", { href: `#/journal` }, e.text.length > 120 ? `${e.text.slice(0, 117)}…` : e.text),
          el("span", { class: "entry-meta" }, ` · ${when(e.at)}`))))
        : el("p", {}, "Nothing yet. When your partner shares a journal entry, it will show up here.")),
    stopSignals(boundaries),
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
    const paired = await device.isPaired();
    const [heading, lede] = paired ? TOGETHER : WELCOME;
    header.querySelector("h1").textContent = heading;
    header.querySelector(".lede").textContent = lede;
    body.replaceChildren(...(paired ? await together() : welcome()));
  }
  const onChange = coalesce(draw);
  device.changes.addEventListener("records", onChange);
  device.changes.addEventListener("pairing", onChange);
  draw();
  return () => {
    device.changes.removeEventListener("records", onChange);
    device.changes.removeEventListener("pairing", onChange);
  };
}

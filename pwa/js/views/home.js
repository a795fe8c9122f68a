// Home: a warm welcome and one clear next step.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Home";

export function render(outlet) {
  outlet.append(
    viewHeader("Welcome. Take your time.",
      "A quiet place for the two of you to notice what feels good, say what you need, " +
      "and try small things at your own pace."),

    el("section", { class: "card", "aria-labelledby": "home-pair-title" },
      el("h2", { id: "home-pair-title" }, "Start together"),
      el("p", {},
        "Sit side by side for a minute. One phone shows a code, the other scans it, and " +
        "from then on whatever you choose to share travels privately between your two phones."),
      el("a", { class: "button button-primary button-wide", href: "#/pair" }, "Pair with my partner")),

    el("section", { class: "card card-soft", "aria-labelledby": "home-gentle-title" },
      el("h2", { id: "home-gentle-title" }, "Nothing here is a test"),
      el("p", {},
        "There are no scores and nothing to keep up with. Come back when you feel like it; " +
        "what you write stays on this phone until you decide to share it.")),
  );
}

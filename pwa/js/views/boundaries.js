// Boundaries: placeholder until each partner's map arrives.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Boundaries";

export function render(outlet) {
  outlet.append(
    viewHeader("Boundaries",
      "Your own map of what feels welcome, what to ask about first, and what isn't for now."),
    el("section", { class: "card card-soft" },
      el("p", {},
        "You can change it whenever you like, and you never have to explain why. " +
        "This page will hold your map soon.")),
  );
}

// Journal: placeholder until the shared journal arrives.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Journal";

export function render(outlet) {
  outlet.append(
    viewHeader("Journal",
      "A shared place to note what you tried, how it felt, and what you'd like more of."),
    el("section", { class: "card card-soft" },
      el("p", {},
        "There's no right way to write here, and nothing is ever graded. " +
        "Your journal will appear on this page soon.")),
  );
}

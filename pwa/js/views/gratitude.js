// Gratitude: a placeholder until this screen lands.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Gratitude";

export function render(outlet) {
  outlet.append(viewHeader("Gratitude", "This part of Hearth is on its way."), el("p", {}, ""));
}

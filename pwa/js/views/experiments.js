// Experiments: a placeholder until this screen lands.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Experiments";

export function render(outlet) {
  outlet.append(viewHeader("Experiments", "This part of Hearth is on its way."), el("p", {}, ""));
}

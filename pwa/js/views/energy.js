// Energy: a placeholder until this screen lands.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Energy";

export function render(outlet) {
  outlet.append(viewHeader("Energy", "This part of Hearth is on its way."), el("p", {}, ""));
}

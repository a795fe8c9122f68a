// Progress: a placeholder until this screen lands.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Progress";

export function render(outlet) {
  outlet.append(viewHeader("Progress", "This part of Hearth is on its way."), el("p", {}, ""));
}

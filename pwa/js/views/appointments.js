// Appointments: a placeholder until this screen lands.
import { el, viewHeader } from "../shell/dom.js";

export const title = "Appointments";

export function render(outlet) {
  outlet.append(viewHeader("Appointments", "This part of Hearth is on its way."), el("p", {}, ""));
}

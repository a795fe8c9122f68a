// Who sees how my map has changed: my choice (protocol §8.2.2, a `map` record of my own).
// Each phone notes the changes it receives; this only decides what my partner's app shows.
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";

const CHOICES = [
  ["both", "Both of us", "Your partner can open “How this has changed” on each item."],
  ["owner", "Only me", "Your partner sees your map as it is now, without its history."],
];

/** The latest `map` record written by one side ("mine" true or false), or null. */
export function mapOf(maps, mine) {
  return maps.filter((m) => m.mine === mine && !m.earlier).sort((a, b) => (a.clock < b.clock ? 1 : -1))[0] || null;
}

/** Whether my partner lets me see how their map has changed (the default: yes). */
export const historyShown = (maps) => (mapOf(maps, false)?.history ?? "both") === "both";

export function historyChoice(maps, redraw) {
  const mine = mapOf(maps, true);
  const current = mine?.history ?? "both";
  const error = el("p", { class: "form-error", role: "alert" });
  const group = el("fieldset", { class: "boundary-history-choice" },
    el("legend", {}, "Who sees how your map has changed?"),
    CHOICES.map(([value, name, about]) => el("label", { class: "check" },
      el("input", { type: "radio", name: "map-history", value, checked: value === current,
        onchange: async () => {
          try {
            await records.put("map", { history: value }, mine?.id ?? null);
            redraw();
          } catch {
            error.textContent = "That didn't save. Please try again.";
          }
        } }),
      el("span", {}, el("span", { class: "exp-choice-name" }, name), " ", el("span", { class: "hint" }, about)))),
    error);
  return el("section", { class: "card boundary-section", "aria-labelledby": "sec-history" },
    el("h2", { id: "sec-history" }, "Your map's history"), group);
}

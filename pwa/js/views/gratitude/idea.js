// The idea of the day, for writing or for a nonsexual way to be close, matched to how
// much energy there is; the chosen level is remembered on this phone (nothing personal).
import { today as localDate } from "../../core/dates.js";
import { ENERGY_LEVELS, isEnergy, KINDS, nextInGroup, promptOfTheDay } from "../../core/prompts.js";
import { el } from "../../shell/dom.js";

const ENERGY_KEY = "hearth.gratitude.energy";   // only "low", "some" or "more": nothing personal

function savedEnergy() {
  try {
    const value = localStorage.getItem(ENERGY_KEY);
    return isEnergy(value) ? value : "low";
  } catch {
    return "low";
  }
}

function saveEnergy(value) {
  try { localStorage.setItem(ENERGY_KEY, value); } catch { /* private mode: just not remembered */ }
}

export function ideaCard() {
  let energy = savedEnergy();
  let current = null;
  const kindLine = el("p", { class: "gratitude-idea-kind" });
  const textLine = el("p", { class: "gratitude-prompt-text" });
  const extra = el("div", { class: "gratitude-idea-extra" });
  const body = el("div", { class: "gratitude-idea-body", "aria-live": "polite", "aria-atomic": "true" }, kindLine, textLine);

  function show(item) {
    current = item;
    kindLine.textContent = KINDS[item.kind];
    textLine.textContent = item.text;
    body.dataset.kind = item.kind;
    body.dataset.id = item.id;
    extra.replaceChildren(...(item.kind === "write"
      ? [el("p", { class: "hint" }, "Write it just for yourself, or share it with your partner. Either is welcome."),
        el("a", { class: "button button-small", href: "#/journal" }, "Write about it in the journal")]
      : [el("p", { class: "hint" }, "Only if it feels right for you both today. Either of you can stop at any point.")]));
  }

  const radios = ENERGY_LEVELS.map((level) => {
    const input = el("input", { type: "radio", name: "gr-energy", value: level.value, id: `gr-energy-${level.value}`,
      checked: level.value === energy, "aria-describedby": `gr-energy-${level.value}-about` });
    input.addEventListener("change", () => {
      if (!input.checked) return;
      energy = level.value;
      saveEnergy(energy);
      show(promptOfTheDay(localDate(), energy));
    });
    return el("label", { class: "gratitude-energy-option", for: input.id }, input,
      el("span", { class: "gratitude-energy-name" }, level.label),
      el("span", { class: "gratitude-energy-about", id: `gr-energy-${level.value}-about` }, level.about));
  });

  show(promptOfTheDay(localDate(), energy));
  return el("section", { class: "card gratitude-idea", "aria-labelledby": "gr-idea-title" },
    el("h2", { id: "gr-idea-title" }, "An idea for today"),
    el("fieldset", { class: "gratitude-energy" }, el("legend", {}, "How much energy do you have?"),
      el("div", { class: "gratitude-energy-options" }, radios)),
    body,
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-small", onclick: () => show(nextInGroup(current, energy)) },
        "Another idea")),
    extra);
}

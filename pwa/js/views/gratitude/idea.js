// The idea of the day, for writing or for a nonsexual way to be close, matched to how
// much energy there is; the chosen level is remembered on this phone (nothing personal).
import { today as localDate } from "../../core/dates.js";
import { ENERGY_LEVELS, isEnergy, nextInGroup, promptOfTheDay } from "../../core/prompts.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";

await useWords("gratitude");

// An idea is the same on both phones (its id); its words are this phone's language.
const ideaWords = (item) => t(`gratitude.idea_${item.id.replaceAll("-", "_")}`);

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
    kindLine.textContent = t(`gratitude.kind_${item.kind}`);
    textLine.textContent = ideaWords(item);
    body.dataset.kind = item.kind;
    body.dataset.id = item.id;
    extra.replaceChildren(...(item.kind === "write"
      ? [el("p", { class: "hint" }, t("gratitude.write_hint")),
        el("a", { class: "button button-small", href: "#/journal" }, t("gratitude.write_link"))]
      : [el("p", { class: "hint" }, t("gratitude.together_hint"))]));
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
      el("span", { class: "gratitude-energy-name" }, t(`gratitude.energy_${level.value}`)),
      el("span", { class: "gratitude-energy-about", id: `gr-energy-${level.value}-about` }, t(`gratitude.energy_${level.value}_about`)));
  });

  show(promptOfTheDay(localDate(), energy));
  return el("section", { class: "card gratitude-idea", "aria-labelledby": "gr-idea-title" },
    el("h2", { id: "gr-idea-title" }, t("gratitude.idea_title")),
    el("fieldset", { class: "gratitude-energy" }, el("legend", {}, t("gratitude.energy_legend")),
      el("div", { class: "gratitude-energy-options" }, radios)),
    body,
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-small", onclick: () => show(nextInGroup(current, energy)) },
        t("gratitude.another_idea"))),
    extra);
}

// The language card on Settings: the phone's own language by default, or one chosen here
// for this phone. Choosing starts the page again, so every screen speaks it at once.
import { LANGUAGES, keepLanguage, keptLanguage, language, pickLanguage, t } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";

const nameOf = (code) => LANGUAGES.find((l) => l.code === code).name;

export function languageCard() {
  const phones = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
  const select = el("select", { id: "language-choice", name: "language" },
    el("option", { value: "" }, t("language.phone", { name: nameOf(phones) })),
    ...LANGUAGES.map(({ code, name, complete }) =>
      el("option", { value: code, lang: code, dir: "auto" }, complete ? name : t("language.incomplete", { name }))));
  select.value = keptLanguage() && LANGUAGES.some((l) => l.code === keptLanguage()) ? keptLanguage() : "";
  select.addEventListener("change", () => {
    keepLanguage(select.value || null);
    if ((select.value || phones) !== language) location.reload();
  });
  return el("section", { class: "card", "aria-labelledby": "language-title" },
    el("h2", { id: "language-title" }, t("language.title")),
    el("p", {}, t("language.intro")),
    el("label", { for: "language-choice" }, t("language.label")),
    select,
    el("p", { class: "hint" }, t("language.note")));
}

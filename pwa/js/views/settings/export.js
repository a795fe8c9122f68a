// "A copy you can read", on the Settings screen: our journal, or everything of mine, as one
// HTML page (device/export.js), saved as a download. It is not encrypted, and says so.
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";

await useWords("settings");

function save({ name, html }) {
  const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);   // the download has long since begun
}

export function exportCard() {
  const status = el("p", { class: "hint", role: "status" });
  const button = (label, what) => {
    const b = el("button", { type: "button", class: "button button-wide" }, label);
    b.addEventListener("click", async () => {
      b.disabled = true;
      status.textContent = t("settings.export_making");
      try {
        // Loaded when asked for: most visits to Settings never make a copy.
        const { makeExport } = await import("../../device/export.js");
        const file = await makeExport(what);
        save(file);
        status.textContent = t("settings.export_saved", { name: file.name });
      } catch {
        status.textContent = t("settings.export_failed");
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  return el("section", { class: "card", "aria-labelledby": "export-title" },
    el("h2", { id: "export-title" }, t("settings.export_title")),
    el("p", {}, t("settings.export_intro")),
    el("p", { class: "hint" }, t("settings.export_not_encrypted")),
    el("div", { class: "stack" },
      button(t("settings.export_journal"), "journal"),
      button(t("settings.export_mine"), "mine")),
    status);
}

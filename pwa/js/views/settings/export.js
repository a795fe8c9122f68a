// "A copy you can read", on the Settings screen: our journal, or everything of mine, as one
// HTML page (device/export.js), saved as a download. It is not encrypted, and says so.
import { el } from "../../shell/dom.js";

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
      status.textContent = "Making your copy…";
      try {
        // Loaded when asked for: most visits to Settings never make a copy.
        const { makeExport } = await import("../../device/export.js");
        const file = await makeExport(what);
        save(file);
        status.textContent = `Saved as ${file.name}.`;
      } catch {
        status.textContent = "Hearth couldn't make the copy just now. Nothing has changed; please try again.";
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  return el("section", { class: "card", "aria-labelledby": "export-title" },
    el("h2", { id: "export-title" }, "A copy you can read"),
    el("p", {}, "Save a page you can open, read and print anywhere, even without Hearth."),
    el("p", { class: "hint" }, "This copy is not encrypted: anyone who opens the file can read it. " +
      "Keep it somewhere private, and delete it when you no longer need it."),
    el("div", { class: "stack" },
      button("Download our journal", "journal"),
      button("Download everything of mine", "mine")),
    status);
}

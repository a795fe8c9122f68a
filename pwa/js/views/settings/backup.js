// Backups on the Settings screen (docs/backup.md): "Save a backup" (a passphrase twice, a
// gentle strength hint, progress, then the file saved through the platform) with when the
// last one was and an opt-in, quiet reminder; and, on a phone with no Hearth data,
// "Restore from a backup" (a file, the passphrase, progress, and what to do next).
import * as b from "../../core/backup.js";
import * as backup from "../../device/backup.js";
import { el } from "../../shell/dom.js";

const STEPS = {
  gathering: "Gathering everything on this phone…",
  key: "Locking it with your passphrase. This takes a moment…",
  sealing: "Almost ready…",
};
const MAX_FILE = 200 * 1024 * 1024;   // far beyond any phone's history: anything larger is not one

/** The backup card: restore on a phone with nothing of Hearth yet, save on any other. */
export function backupSection() {
  const card = el("section", { class: "card backup", "aria-labelledby": "backup-title" });
  backup.holdsHearth().then((holds) => (holds ? drawSave(card) : drawRestore(card)));
  return card;
}

function field(id, label, attrs = {}) {
  const input = el("input", { id, type: "password", autocomplete: "new-password", ...attrs });
  return [input, el("div", {}, el("label", { for: id }, label), input)];
}

async function drawSave(card) {
  const [last, remind] = await Promise.all([backup.lastBackup(), backup.reminderOn()]);
  const lastLine = el("p", { class: "hint", id: "backup-last" }, b.lastBackupLine(last));
  const nudge = el("p", { class: "backup-nudge" }, remind ? b.gentleNudge(last) : null);
  nudge.hidden = !nudge.textContent;
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, "Save a backup");
  open.addEventListener("click", () => {
    open.hidden = true;
    slot.replaceChildren(saveForm(() => { slot.replaceChildren(); open.hidden = false; open.focus(); },
      (when) => { lastLine.textContent = b.lastBackupLine(when); nudge.hidden = true; }));
    slot.querySelector("input").focus();
  });
  const toggle = el("input", { type: "checkbox", id: "backup-remind", checked: remind || null });
  toggle.addEventListener("change", () => backup.setReminder(toggle.checked));
  card.replaceChildren(
    el("h2", { id: "backup-title" }, "Backups"),
    el("p", {}, "Save everything on this phone in one file, locked with a passphrase you choose. " +
      "If this phone is lost or reset, the file brings it all back."),
    lastLine, nudge, open, slot,
    el("label", { class: "check" }, toggle, "Remind me here, gently, when it's been a while"));
}

function saveForm(close, saved) {
  const [first, firstField] = field("backup-pass", "Choose a passphrase");
  const [again, againField] = field("backup-pass-again", "The same passphrase again");
  const hint = el("p", { class: "hint", id: "backup-strength", "aria-live": "polite" });
  const status = el("p", { role: "status", class: "hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const go = el("button", { type: "submit", class: "button button-primary" }, "Make the backup");
  const actions = el("div", { class: "form-actions" }, go,
    el("button", { type: "button", class: "button button-quiet", onclick: close }, "Not now"));
  first.setAttribute("aria-describedby", "backup-strength");
  first.addEventListener("input", () => { hint.textContent = b.strengthHint(first.value).text; });
  const form = el("form", { class: "backup-form", novalidate: true },
    el("h3", { tabindex: "-1" }, "Save a backup"),
    el("p", { class: "hint" }, "Nobody can open the file without this passphrase, not even us, and it can't be " +
      "recovered if it's forgotten. A few ordinary words in a row work well."),
    firstField, hint, againField, error, status, actions);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    if (first.value.length < 8) return void (error.textContent = "Please choose a passphrase of at least 8 characters.");
    if (first.value !== again.value) return void (error.textContent = "The two passphrases aren't the same. Please type them again.");
    go.disabled = first.disabled = again.disabled = true;
    try {
      const { data, count } = await backup.makeBackup(first.value, { onStep: (s) => { status.textContent = STEPS[s]; } });
      first.value = again.value = "";
      actions.replaceChildren(...deliver(data, count, status, saved, close));
      actions.querySelector("button").focus();
    } catch {
      error.textContent = "The backup couldn't be made. Nothing has changed; please try again.";
      go.disabled = first.disabled = again.disabled = false;
    }
  });
  return form;
}

// The file, offered through the platform: shared where the browser can share files (a
// phone's share sheet), and always as a download. Each is its own tap: the moment the
// key took is long enough for a browser to stop counting the first tap as permission.
function deliver(data, count, status, saved, close) {
  const file = new File([data], b.fileName(), { type: "application/octet-stream" });
  status.textContent = `Your backup is ready: ${count} ${count === 1 ? "entry" : "entries"}, locked. Save it somewhere other than this phone.`;
  const done = async () => {
    await backup.noteSaved();
    saved(Date.now());
  };
  const download = el("button", { type: "button", class: "button button-primary" }, "Save the file");
  download.addEventListener("click", async () => {
    const url = URL.createObjectURL(file);
    const a = el("a", { href: url, download: file.name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);   // the download has its own copy by then
    await done();
  });
  const buttons = [download];
  if (navigator.canShare?.({ files: [file] })) {
    const share = el("button", { type: "button", class: "button" }, "Share…");
    share.addEventListener("click", async () => {
      try {
        await navigator.share({ files: [file], title: file.name });
        await done();
      } catch { /* closed without choosing: the file is still here to save */ }
    });
    buttons.push(share);
  }
  buttons.push(el("button", { type: "button", class: "button button-quiet", onclick: close }, "Done"));
  return buttons;
}

function drawRestore(card) {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, "Restore from a backup");
  open.addEventListener("click", () => {
    open.hidden = true;
    slot.replaceChildren(restoreForm(card, () => { slot.replaceChildren(); open.hidden = false; open.focus(); }));
    slot.querySelector("h3").focus();
  });
  card.replaceChildren(el("h2", { id: "backup-title" }, "Restore from a backup"),
    el("p", {}, "If you saved a Hearth backup before, you can bring everything in it back onto this phone."),
    open, slot);
}

function restoreForm(card, close) {
  const picker = el("input", { id: "restore-file", type: "file", accept: ".hearth,application/octet-stream" });
  const [pass, passField] = field("restore-pass", "The backup's passphrase", { autocomplete: "current-password" });
  const status = el("p", { role: "status", class: "hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const go = el("button", { type: "submit", class: "button button-primary" }, "Restore");
  const form = el("form", { class: "backup-form", novalidate: true },
    el("h3", { tabindex: "-1" }, "Restore from a backup"),
    el("div", {}, el("label", { for: "restore-file" }, "The backup file"), picker),
    passField, error, status,
    el("div", { class: "form-actions" }, go,
      el("button", { type: "button", class: "button button-quiet", onclick: close }, "Not now")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = status.textContent = "";
    const file = picker.files?.[0];
    if (!file) return void (error.textContent = "Please choose the backup file first.");
    if (!pass.value) return void (error.textContent = "Please type the backup's passphrase.");
    go.disabled = pass.disabled = picker.disabled = true;
    try {
      if (file.size > MAX_FILE) throw new b.BackupError("not_backup");
      status.textContent = "Reading the file…";
      const data = new Uint8Array(await file.arrayBuffer());
      status.textContent = "Checking the passphrase. This takes a moment…";
      const payload = await backup.readBackup(data, pass.value);
      status.textContent = "Putting everything back…";
      const { count } = await backup.restore(payload);
      pass.value = "";
      card.replaceChildren(restored(count));
      card.querySelector("h2").focus();
    } catch (err) {
      error.textContent = err instanceof b.BackupError ? err.message
        : "The backup couldn't be restored. Nothing on this phone has changed; please try again.";
      status.textContent = "";
      go.disabled = pass.disabled = picker.disabled = false;
    }
  });
  return form;
}

function restored(count) {
  return el("div", { class: "backup-restored" },
    el("h2", { id: "backup-title", tabindex: "-1" }, "Everything is back"),
    el("p", { role: "status" }, `${count} ${count === 1 ? "entry is" : "entries are"} on this phone again.`),
    el("p", {}, "This phone is a new device now, so it needs to pair before anything travels again:"),
    el("ul", { class: "end-list" },
      el("li", {}, "If your partner's phone still has Hearth, ask them to open Settings and choose " +
        "\u201cMy partner has a new phone\u201d. Then scan their code, or use their link, above. " +
        "Everything you share comes back together, with nothing doubled."),
      el("li", {}, "If not, pair afresh above. What was restored stays on this phone and isn't sent to the phone you pair with.")));
}

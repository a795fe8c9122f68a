// Backups on the Settings screen (docs/backup.md): "Save a backup" (a passphrase twice, a
// gentle strength hint, progress, then the file saved through the platform) with when the
// last one was and an opt-in, quiet reminder; and, on a phone with no Hearth data,
// "Restore from a backup" (a file, the passphrase, progress, and what to do next).
import * as b from "../../core/backup.js";
import * as backup from "../../device/backup.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";

await useWords("settings");

const STEPS = {
  gathering: t("settings.backup_step_gathering"),
  key: t("settings.backup_step_key"),
  sealing: t("settings.backup_step_sealing"),
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
  const open = el("button", { type: "button", class: "button button-wide" }, t("settings.backup_save_open"));
  open.addEventListener("click", () => {
    open.hidden = true;
    slot.replaceChildren(saveForm(() => { slot.replaceChildren(); open.hidden = false; open.focus(); },
      (when) => { lastLine.textContent = b.lastBackupLine(when); nudge.hidden = true; }));
    slot.querySelector("input").focus();
  });
  const toggle = el("input", { type: "checkbox", id: "backup-remind", checked: remind || null });
  toggle.addEventListener("change", () => backup.setReminder(toggle.checked));
  card.replaceChildren(
    el("h2", { id: "backup-title" }, t("settings.backup_title")),
    el("p", {}, t("settings.backup_intro")),
    lastLine, nudge, open, slot,
    el("label", { class: "check" }, toggle, t("settings.backup_remind")));
}

function saveForm(close, saved) {
  const [first, firstField] = field("backup-pass", t("settings.backup_pass_choose"));
  const [again, againField] = field("backup-pass-again", t("settings.backup_pass_again"));
  const hint = el("p", { class: "hint", id: "backup-strength", "aria-live": "polite" });
  const status = el("p", { role: "status", class: "hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const go = el("button", { type: "submit", class: "button button-primary" }, t("settings.backup_make"));
  const actions = el("div", { class: "form-actions" }, go,
    el("button", { type: "button", class: "button button-quiet", onclick: close }, t("settings.backup_not_now")));
  first.setAttribute("aria-describedby", "backup-strength");
  first.addEventListener("input", () => { hint.textContent = b.strengthHint(first.value).text; });
  const form = el("form", { class: "backup-form", novalidate: true },
    el("h3", { tabindex: "-1" }, t("settings.backup_save_title")),
    el("p", { class: "hint" }, t("settings.backup_save_hint")),
    firstField, hint, againField, error, status, actions);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    if (first.value.length < 8) return void (error.textContent = t("settings.backup_pass_too_short"));
    if (first.value !== again.value) return void (error.textContent = t("settings.backup_pass_differ"));
    go.disabled = first.disabled = again.disabled = true;
    try {
      const { data, count } = await backup.makeBackup(first.value, { onStep: (s) => { status.textContent = STEPS[s]; } });
      first.value = again.value = "";
      actions.replaceChildren(...deliver(data, count, status, saved, close));
      actions.querySelector("button").focus();
    } catch {
      error.textContent = t("settings.backup_make_failed");
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
  status.textContent = t("settings.backup_ready", { count });
  const done = async () => {
    await backup.noteSaved();
    saved(Date.now());
  };
  const download = el("button", { type: "button", class: "button button-primary" }, t("settings.backup_save_file"));
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
    const share = el("button", { type: "button", class: "button" }, t("settings.backup_share"));
    share.addEventListener("click", async () => {
      try {
        await navigator.share({ files: [file], title: file.name });
        await done();
      } catch { /* closed without choosing: the file is still here to save */ }
    });
    buttons.push(share);
  }
  buttons.push(el("button", { type: "button", class: "button button-quiet", onclick: close }, t("settings.backup_done")));
  return buttons;
}

function drawRestore(card) {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, t("settings.backup_restore_open"));
  open.addEventListener("click", () => {
    open.hidden = true;
    slot.replaceChildren(restoreForm(card, () => { slot.replaceChildren(); open.hidden = false; open.focus(); }));
    slot.querySelector("h3").focus();
  });
  card.replaceChildren(el("h2", { id: "backup-title" }, t("settings.backup_restore_title")),
    el("p", {}, t("settings.backup_restore_intro")),
    open, slot);
}

function restoreForm(card, close) {
  const picker = el("input", { id: "restore-file", type: "file", accept: ".hearth,application/octet-stream" });
  const [pass, passField] = field("restore-pass", t("settings.backup_restore_pass"), { autocomplete: "current-password" });
  const status = el("p", { role: "status", class: "hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const go = el("button", { type: "submit", class: "button button-primary" }, t("settings.backup_restore"));
  const form = el("form", { class: "backup-form", novalidate: true },
    el("h3", { tabindex: "-1" }, t("settings.backup_restore_title")),
    el("div", {}, el("label", { for: "restore-file" }, t("settings.backup_restore_file")), picker),
    passField, error, status,
    el("div", { class: "form-actions" }, go,
      el("button", { type: "button", class: "button button-quiet", onclick: close }, t("settings.backup_not_now"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = status.textContent = "";
    const file = picker.files?.[0];
    if (!file) return void (error.textContent = t("settings.backup_restore_no_file"));
    if (!pass.value) return void (error.textContent = t("settings.backup_restore_no_pass"));
    go.disabled = pass.disabled = picker.disabled = true;
    try {
      if (file.size > MAX_FILE) throw new b.BackupError("not_backup");
      status.textContent = t("settings.backup_restore_reading");
      const data = new Uint8Array(await file.arrayBuffer());
      status.textContent = t("settings.backup_restore_checking");
      const payload = await backup.readBackup(data, pass.value);
      status.textContent = t("settings.backup_restore_putting_back");
      const { count } = await backup.restore(payload);
      pass.value = "";
      card.replaceChildren(restored(count));
      card.querySelector("h2").focus();
    } catch (err) {
      error.textContent = err instanceof b.BackupError ? err.message
        : t("settings.backup_restore_failed");
      status.textContent = "";
      go.disabled = pass.disabled = picker.disabled = false;
    }
  });
  return form;
}

function restored(count) {
  return el("div", { class: "backup-restored" },
    el("h2", { id: "backup-title", tabindex: "-1" }, t("settings.backup_restored_title")),
    el("p", { role: "status" }, t("settings.backup_restored_count", { count })),
    el("p", {}, t("settings.backup_restored_pair")),
    el("ul", { class: "end-list" },
      el("li", {}, t("settings.backup_restored_partner_has_hearth")),
      el("li", {}, t("settings.backup_restored_pair_afresh"))));
}

// The app shell: routing, the sync status line, quick hide, storage, updates and reminders.
import { translatePage } from "./i18n/index.js";
import { startRouter } from "./shell/router.js";
import { registerServiceWorker } from "./shell/sw-register.js";
import { requestPersistentStorage } from "./shell/storage.js";
import { keepFocusClearOfTheDock } from "./shell/bars.js";
import "./shell/install.js";   // listens for the browser's offer to install from the start
import { watchLengthLimits } from "./shell/limits.js";
import { installQuickHide } from "./shell/quick-hide.js";
import { startReminders } from "./reminders/remind.js";
import { startStatusLine } from "./shell/status-line.js";
import * as engine from "./sync/engine.js";
import { changes } from "./device/changes.js";
import { views } from "./views/index.js";
import { lockNow, startLocked, watchBackground } from "./lock/state.js";

const $ = (id) => document.getElementById(id);
translatePage();

function markCurrentTab(route) {
  for (const tab of document.querySelectorAll(".tab[data-route]")) {
    if (tab.dataset.route === route.name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
}

// Another tab erased everything: this one starts over too, rather than show what is gone.
changes.addEventListener("pairing", (e) => { if (e.detail.elsewhere && e.detail.erased) location.reload(); });
installQuickHide({ trigger: $("quick-hide"), cover: $("cover"), app: $("app"), lockNow: () => lockNow() });
// With the app lock on, nothing reads what Hearth keeps (and nothing syncs: the relay holds
// the partner's envelopes meanwhile) until the lock screen has the data key.
if (await startLocked()) {
  document.documentElement.dataset.ready = "locked";
  const { showLockScreen } = await import("./lock/screen.js");
  await showLockScreen($("view"), document.querySelector(".tabbar"));
}
watchBackground();
keepFocusClearOfTheDock();
watchLengthLimits();
startStatusLine($("sync-status"));
engine.start();
startRouter({ views, outlet: $("view"), onRoute: markCurrentTab });
registerServiceWorker({
  banner: $("update-banner"),
  note: $("update-banner-note"),
  updateButton: $("update-now"),
  laterButton: $("update-later"),
});
requestPersistentStorage();
startReminders();   // off unless turned on; then due things are mentioned once
document.documentElement.dataset.ready = "true";

// Home's, the status line's and the lock screen's counted messages (i18n/en.js, "home" area):
// one message with plural forms says what the English sentences built by hand said before.
import assert from "node:assert/strict";
import test from "node:test";

import { t } from "../../pwa/js/i18n/index.js";
import es from "../../pwa/js/i18n/es.js";

test("an experiment's days are counted in one message, the last day apart", () => {
  assert.equal(t("home.exp_running", { name: "“Walks”", day: 3, days: 7, count: 4 }), "“Walks”: day 3 of 7, 4 days to go");
  assert.equal(t("home.exp_running", { name: "“Walks”", day: 6, days: 7, count: 1 }), "“Walks”: day 6 of 7, 1 day to go");
  assert.equal(t("home.exp_last_day", { name: "“Walks”", day: 7, days: 7 }), "“Walks”: day 7 of 7, the last day");
});

test("the status line counts changes, minutes and lost updates in the language's plural forms", () => {
  assert.equal(t("status.sending", { count: 1 }), "Sending 1 change…");
  assert.equal(t("status.offline_waiting", { count: 3 }), "Offline: 3 changes waiting");
  assert.equal(t("status.synced_minutes", { count: 1 }), "Synced 1 minute ago");
  assert.equal(t("status.notice_lost", { count: 2 }),
    "2 updates from your partner couldn't be recovered: their phone no longer had them to send again.");
  assert.equal(t("status.refused", { count: 1, reason: "too large" }),
    "The relay didn't take 1 change (too large). It's kept safely here and will be tried again.");
  assert.equal(t("lock.wait_seconds", { count: 1 }), "Please wait 1 second before trying again.");
  assert.equal(t("home.recent_title_new", { count: 5 }), "From your partner (5 new)");
});

test("Spanish counts with its own forms where English has one and other", () => {
  assert.match(es["home.exp_running"].one, /queda \{count\} día$/);
  assert.match(es["home.exp_running"].other, /quedan \{count\} días$/);
  assert.ok(es["status.sending"].one !== es["status.sending"].other);
});

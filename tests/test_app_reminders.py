"""Reminders (#/reminders) in a real chromium against a real relay.

Off by default; turned on by a tap, which asks for the notifications permission. A due
look-back is mentioned once, in words fit for a lock screen, and never again after a
reload; a refused permission is explained kindly and breaks nothing; the service worker
reminds from the stored schedule when the phone wakes it (a periodic sync dispatched through
the DevTools protocol, with no app page open); the screen passes axe in light and dark and
fits a 360 px phone at 200 % text.

Headless chromium shows notifications once the context is granted the permission
(context.grant_permissions(["notifications"])), and registration.getNotifications() lists
them, so that is how they are inspected. One catch: a getNotifications() still running while
showNotification() is under way can make chromium drop the new notification (it lists it as
never shown; about a third of the time when polled in a loop), so these tests never poll
getNotifications() while something may be showing: they wait for the page's own call to
have finished (window.__shown, noted once showNotification resolves) or for the service
worker's note that it woke (meta "reminders_woke", written after it has shown), and only
then look. Without the grant, Notification.requestPermission() resolves "denied", which is
how the refusal is tested. Waiting is Playwright's own.
"""

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from app_helpers import AGREED_BEFORE, as_if_agreed, go, open_app, propose, serious_axe_violations, wait_installed, wider_than_a_phone

DISCREET = "Something you set aside is ready when you are."
TITLE = "Ten minutes lying close before sleep"

# Runs before the page's own scripts: every notification the page itself shows is noted,
# once it has been shown.
COUNT_SHOWN = """
window.__shown = [];
const show = ServiceWorkerRegistration.prototype.showNotification;
ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
  return show.call(this, title, options).then((done) => { window.__shown.push(options && options.body); return done; });
};
"""
SHOWN_BY_PAGE = "(count) => window.__shown.length === count"

NOTIFICATIONS = """() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) =>
  ns.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))"""
CLOSE_NOTIFICATIONS = """() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
  .then((ns) => ns.forEach((n) => n.close()))"""
# wait_for_function does not await promises: each poll starts a fresh read and judges the
# last one. Only for waiting on a close: polling races a notification being shown (see above).
NOTIFICATION_COUNT_IS = """(count) => {
  navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => { window.__notes = ns.length; });
  return window.__notes === count;
}"""
META_MATCHES = """([key, field, wanted]) => {
  import('/js/data/db.js').then((m) => m.getMeta(key)).then((v) => { window.__meta = JSON.stringify(v && v[field]); });
  return typeof window.__meta === 'string' && window.__meta.includes(wanted);
}"""
REMINDED = """(prefix) => {
  import('/js/data/db.js').then((m) => m.getMeta('reminded')).then((v) => { window.__reminded = Object.keys(v || {}); });
  return (window.__reminded || []).some((key) => key.startsWith(prefix));
}"""
CHECK_NOW = "() => import('/js/reminders/remind.js').then((m) => m.check())"
DAYS_FROM_TODAY = "(n) => import('/js/core/dates.js').then((m) => m.addDays(m.today(), n))"
# An experiment of this phone's, with a yes as of its start: only then do its days count (§8.3).
PUT_EXPERIMENT = """async ([title, starts]) => {
  await (await import('/js/device/records.js')).put('experiment', { title, starts_on: starts, days: 7, status: 'active' });
  await (""" + AGREED_BEFORE + """)([title, starts]);
}"""
META = "(key) => import('/js/data/db.js').then((m) => m.getMeta(key))"


def phone(browser_context, relay, notifications=True, **options):
    """A fresh phone; notifications allowed unless told otherwise, and the page's own
    showNotification calls noted in window.__shown."""
    context = browser_context(**options)
    if notifications:
        context.grant_permissions(["notifications"], origin=relay.url)
    context.add_init_script(COUNT_SHOWN)
    return context


def reminder_page(context, relay, route="reminders"):
    page = open_app(context, relay.url, route)
    wait_installed(page)
    return page


def turn_on(page):
    go(page, "reminders")
    switch = page.get_by_role("switch", name="Remind me on this phone")
    expect(switch).not_to_be_checked()   # off until asked for
    switch.click()
    expect(switch).to_be_checked()
    expect(page.locator("#rem-status")).to_have_text(
        "Reminders are on. Each thing is mentioned once, and there's never anything to answer.")


def test_a_due_look_back_is_mentioned_once_in_discreet_words(relay, browser_context):
    context = phone(browser_context, relay)
    page = reminder_page(context, relay)
    turn_on(page)
    assert page.evaluate(NOTIFICATIONS) == []

    propose(page, TITLE, page.evaluate(DAYS_FROM_TODAY, -8))   # started 8 days ago, for 7: due
    as_if_agreed(page, TITLE, page.evaluate(DAYS_FROM_TODAY, -8))   # only a yes makes it count (§8.3)
    expect(page.locator(".exp-due")).to_be_visible()
    page.wait_for_function(SHOWN_BY_PAGE, arg=1)
    [note] = page.evaluate(NOTIFICATIONS)
    assert note["title"] == "Hearth"
    assert note["body"] == DISCREET
    assert "lying close" not in note["title"] + note["body"]
    assert note["tag"].startswith("lookback:")
    assert note["data"] == {"key": note["tag"], "route": "#/experiments"}

    # The screen lists it as mentioned; more looks (coming back, another change) add nothing.
    go(page, "reminders")
    item = page.locator(".rem-item", has_text="lying close")
    expect(item).to_contain_text("Reminded")
    expect(item.get_by_role("link", name="Open")).to_have_attribute("href", "#/experiments")
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    assert page.evaluate(CHECK_NOW) == 0
    assert page.evaluate("() => window.__shown") == [DISCREET]

    # A tap on it while Hearth is open: the service worker asks the page to go there
    # (sw.js notificationclick; headless chromium cannot tap a notification, so its message is sent here).
    go(page, "home")
    page.evaluate("""(route) => navigator.serviceWorker.dispatchEvent(
      new MessageEvent('message', { data: { type: 'OPEN_ROUTE', route } }))""", note["data"]["route"])
    expect(page.locator('#view[data-view="experiments"] h1')).to_be_visible()

    # Dismissed, then the app reloaded: it is not brought up again.
    page.evaluate(CLOSE_NOTIFICATIONS)
    page.wait_for_function(NOTIFICATION_COUNT_IS, arg=0)
    go(page, "reminders")
    page.reload()
    expect(page.locator('#view[data-view="reminders"] h1')).to_be_visible()
    expect(page.get_by_role("switch", name="Remind me on this phone")).to_be_checked()
    assert page.evaluate(CHECK_NOW) == 0   # runs after the start-up look, in turn
    assert page.evaluate("() => window.__shown") == []
    assert page.evaluate(NOTIFICATIONS) == []
    assert page.errors == []


def test_showing_what_it_is_about_is_a_deliberate_choice(relay, browser_context):
    context = phone(browser_context, relay)
    page = reminder_page(context, relay)
    turn_on(page)
    private = page.get_by_role("radio", name="Keep it private")
    expect(private).to_be_checked()
    expect(page.locator(".rem-preview")).to_contain_text(DISCREET)
    page.get_by_role("radio", name="Show what it's about").check()
    expect(page.locator(".rem-preview")).to_contain_text("Time to look back on")

    page.evaluate(PUT_EXPERIMENT, [TITLE, page.evaluate(DAYS_FROM_TODAY, -8)])
    page.wait_for_function(SHOWN_BY_PAGE, arg=1)
    [note] = page.evaluate(NOTIFICATIONS)
    assert note["body"] == f"Time to look back on “{TITLE}”, whenever you have a quiet moment."
    assert page.evaluate(META, "reminders") == {"on": True, "detailed": True}

    # Back to private: what is kept for the service worker loses the words at once.
    private.check()
    page.wait_for_function(META_MATCHES, arg=["reminder_schedule", "items", DISCREET])
    assert "lying close" not in str(page.evaluate(META, "reminder_schedule"))
    assert page.errors == []


def test_a_refused_permission_is_explained_kindly_and_nothing_else_changes(relay, browser_context):
    page = reminder_page(phone(browser_context, relay, notifications=False), relay, "experiments")
    page.get_by_role("link", name="Reminders").click()
    expect(page.locator('#view[data-view="reminders"] h1')).to_have_text("Reminders")
    switch = page.get_by_role("switch", name="Remind me on this phone")
    expect(switch).not_to_be_checked()
    expect(page.locator("#rem-status")).to_be_hidden()

    switch.click()   # headless chromium answers "denied" when nothing was granted
    status = page.locator("#rem-status")
    expect(status).to_contain_text("Notifications are turned off for Hearth in this browser's settings")
    expect(status).to_contain_text("everything else works just the same")
    expect(switch).not_to_be_checked()
    assert page.evaluate(META, "reminders") is None
    assert page.evaluate(META, "reminder_schedule") is None

    # The rest of the app carries on as before, and a due look-back just shows in the app.
    propose(page, TITLE, page.evaluate(DAYS_FROM_TODAY, -8))
    as_if_agreed(page, TITLE, page.evaluate(DAYS_FROM_TODAY, -8))
    expect(page.locator(".exp-due")).to_be_visible()
    go(page, "checkin")
    expect(page.get_by_role("link", name="Reminders")).to_have_attribute("href", "#/reminders")
    assert page.evaluate(CHECK_NOW) == 0
    assert page.evaluate("() => window.__shown") == []
    assert page.errors == []


def test_the_couples_check_in_day_brings_a_reminder_on_the_day(browser_couple, relay):
    alex, sam = browser_couple()
    alex.context.grant_permissions(["notifications"], origin=relay.url)
    turn_on(alex)
    today = alex.evaluate("() => ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']"
                          "[new Date().getDay()]")

    # Sam chooses today for the two of them; it reaches Alex's phone, which mentions it once.
    go(sam, "checkin")
    sam.get_by_label("The day we check in").select_option(today)
    expect(sam.locator(".checkin-day-saved")).to_contain_text("Saved.")
    alex.wait_for_function(REMINDED, arg="checkin:")
    assert alex.evaluate(CHECK_NOW) == 0   # in turn after the look that claimed it, so that one has shown it
    [note] = alex.evaluate(NOTIFICATIONS)
    assert (note["title"], note["body"]) == ("Hearth", "A few quiet minutes are waiting for you, whenever suits.")
    assert note["data"]["route"] == "#/checkin"
    expect(alex.locator(".rem-item").first).to_contain_text("Reminded")
    expect(alex.locator(".rem-item").first).to_contain_text("Check-in: a few questions for the two of you")
    # The day in words, and a real link to change it (not the list's text with its address).
    day_note = alex.locator(".rem-day")
    expect(day_note).to_have_text(f"Your check-in day is {today.capitalize()}. Change it on the check-in screen")
    day_note.get_by_role("link", name="Change it on the check-in screen").click()
    expect(alex.locator('#view[data-view="checkin"]')).to_be_visible()
    assert alex.errors == [] and sam.errors == []


def registration_id(session, scope: str) -> str:
    """The service worker registration's id, from ServiceWorker.workerRegistrationUpdated."""
    found = {}

    def seen(event):
        for reg in event["registrations"]:
            if reg["scopeURL"] == scope and not reg.get("isDeleted"):
                found["id"] = reg["registrationId"]

    session.on("ServiceWorker.workerRegistrationUpdated", seen)
    session.send("ServiceWorker.enable")
    for _ in range(200):   # the events follow enable; each round trip lets them in
        if "id" in found:
            return found["id"]
        session.send("Runtime.evaluate", {"expression": "1"})
    raise AssertionError(f"no service worker registration reported for {scope}")


def test_the_service_worker_reminds_from_the_stored_schedule_when_woken(relay, browser_context):
    # The page lives a day behind: what it stores for "tomorrow" is due today for the service
    # worker, which keeps the real clock (Playwright's clock reaches pages, not workers).
    context = phone(browser_context, relay)
    context.clock.set_system_time(datetime.now(timezone.utc) - timedelta(days=1))
    page = reminder_page(context, relay)
    turn_on(page)
    page.evaluate(PUT_EXPERIMENT, [TITLE, page.evaluate(DAYS_FROM_TODAY, -6)])   # due the page's tomorrow
    page.wait_for_function(META_MATCHES, arg=["reminder_schedule", "items", "lookback:"])
    [stored] = page.evaluate(META, "reminder_schedule")["items"]
    assert stored["date"] == page.evaluate(DAYS_FROM_TODAY, 1)
    assert stored["body"] == DISCREET and stored["route"] == "#/experiments"
    assert page.evaluate(CHECK_NOW) == 0 and page.evaluate(NOTIFICATIONS) == []
    page.close()

    # No app page from here on: a bare page of the same origin to speak DevTools and look.
    probe = context.new_page()
    probe.goto(relay.url + "/healthz")
    session = context.new_cdp_session(probe)
    reg = registration_id(session, relay.url + "/")

    def wake():
        before = probe.evaluate(META, "reminders_woke")
        session.send("ServiceWorker.dispatchPeriodicSyncEvent", {
            "origin": relay.url, "registrationId": reg, "tag": "hearth-reminders", "lastChance": False})
        probe.wait_for_function("""(before) => {
          import('/js/data/db.js').then((m) => m.getMeta('reminders_woke')).then((v) => { window.__woke = v; });
          return window.__woke !== undefined && window.__woke !== null
            && JSON.stringify(window.__woke) !== JSON.stringify(before);
        }""", arg=before)
        probe.evaluate("() => { window.__woke = undefined; }")
        return probe.evaluate(META, "reminders_woke")

    assert wake()["shown"] == 1
    [note] = probe.evaluate(NOTIFICATIONS)
    assert (note["title"], note["body"], note["tag"]) == ("Hearth", DISCREET, stored["key"])
    assert stored["key"] in probe.evaluate(META, "reminded")

    # Woken again: it was mentioned already, so nothing more.
    probe.evaluate(CLOSE_NOTIFICATIONS)
    probe.wait_for_function(NOTIFICATION_COUNT_IS, arg=0)
    assert wake()["shown"] == 0
    assert probe.evaluate(NOTIFICATIONS) == []

    # The app, opened today, knows it was mentioned and does not repeat it.
    context.clock.set_system_time(datetime.now(timezone.utc))
    page = reminder_page(context, relay)
    expect(page.locator(".rem-item", has_text="lying close")).to_contain_text("Reminded")
    assert page.evaluate(CHECK_NOW) == 0
    assert page.evaluate("() => window.__shown") == []

    # Turned off: the schedule is gone and a wake shows nothing.
    page.get_by_role("switch", name="Remind me on this phone").click()
    expect(page.locator("#rem-status")).to_have_attribute("data-state", "off")
    expect(page.get_by_role("switch", name="Remind me on this phone")).not_to_be_checked()
    assert page.evaluate(META, "reminder_schedule") is None
    assert wake()["shown"] == 0
    assert probe.evaluate(NOTIFICATIONS) == []
    assert page.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_reminders_screen_is_accessible_and_fits_a_phone(relay, browser_context, scheme):
    page = reminder_page(phone(browser_context, relay, color_scheme=scheme), relay)
    turn_on(page)
    page.evaluate(PUT_EXPERIMENT, [TITLE, page.evaluate(DAYS_FROM_TODAY, -2)])
    expect(page.locator(".rem-item", has_text="lying close")).to_be_visible()
    problems = serious_axe_violations(page, f"reminders ({scheme})")
    problems += wider_than_a_phone(page, f"reminders ({scheme})")
    assert problems == []
    assert page.errors == []


def test_a_later_appointment_is_listed_without_calling_it_today(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    later = page.evaluate(DAYS_FROM_TODAY, 10)
    page.evaluate("""(date) => import('/js/device/records.js')
      .then((r) => r.put('appointment', { title: 'Scan results', date, shared: false }))""", later)
    go(page, "reminders")
    item = page.locator(".rem-item", has_text="Scan results")
    expect(item.locator(".rem-what")).to_have_text("Appointment: “Scan results”, with your questions ready to show or print.")
    assert page.errors == []

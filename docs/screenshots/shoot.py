#!/usr/bin/env python3
"""Retake the screenshots in this folder: every screen at 360x740, light and dark.

Starts a throwaway relay, pairs two browser profiles (Alex and Sam), fills in a little of
everything (journal, boundaries, an experiment that is due, a check-in, a few weeks of
shared energy notes, gratitude, appointment notes) and photographs each screen. PNGs this
script no longer produces are removed. Run from the repository root:
python docs/screenshots/shoot.py
"""

import datetime
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tests"))
from app_helpers import add_boundary, agree, go, open_app, pair_by_link, show_code, write_journal  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


MADE_ELSEWHERE = ("consent-",)


def start_relay(data: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "hearth.relay.cli", "serve", "--port", str(port), "--data", data],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/readyz", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the relay did not start")


# A few weeks of energy notes through the app's own records module, for past days (and
# today for one of them), shared so both phones draw both pictures.
SEED_ENERGY = """async ({ days, morning, evening, today }) => {
  const device = await import('/js/device/records.js');
  const dates = await import('/js/core/dates.js');
  const now = dates.today();
  for (let i = today ? 0 : 1; i <= days; i += 1) {
    const date = dates.addDays(now, -i);
    const wobble = (i * 7) % 3 - 1;
    await device.put('energy', { date, time_of_day: 'morning', energy: Math.max(0, morning + wobble), pain: 3,
                                 mood: 6 + wobble, shared: true });
    await device.put('energy', { date, time_of_day: 'evening', energy: Math.max(0, evening - wobble), fatigue: 6,
                                 sleep_hours: 7, shared: true });
  }
}"""

PUT = "([type, fields]) => import('/js/device/records.js').then((m) => m.put(type, fields))"


def days_from_now(n: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def put(page, rtype: str, fields: dict) -> str:
    return page.evaluate(PUT, [rtype, fields])


def answer_checkin(page, needs: str, felt_good: str) -> None:
    go(page, "checkin")
    page.get_by_label("What would help you feel cared for this week?").fill(needs)
    page.get_by_label("What felt good lately, even something small?").fill(felt_good)
    page.get_by_role("button", name="Seal and share my answers").click()
    expect(page.get_by_role("heading", name="What you wrote")).to_be_visible()


def snap(page, name: str, scheme: str, shots: set, top: bool = True) -> None:
    status = page.locator("#sync-status .sync-text")
    if status.count():   # the lock screen has none
        expect(status).not_to_contain_text("Sending")   # a settled status line
    page.evaluate("() => document.activeElement?.blur()")   # no focus ring in the picture
    if top:
        page.evaluate("() => window.scrollTo(0, 0)")
    path = HERE / f"{name}-{scheme}.png"
    page.screenshot(path=path)
    shots.add(path.name)


def care_screens(alex, scheme: str, shots: set) -> None:
    """Getting help (with the couple's contacts written) and Good to know (a note open)."""
    go(alex, "help")
    alex.get_by_role("button", name="Write our contacts").click()
    alex.get_by_label("Our care team", exact=True).fill("Breast care nurses, Ward 7: 0161 000 0000 (weekdays 9–5)\n"
                                                        "Out of hours: the 24-hour chemo line, 0161 000 0001")
    alex.get_by_label("A helpline", exact=True).fill("Macmillan Support Line, 0808 808 00 00")
    alex.get_by_role("button", name="Save our contacts").click()
    expect(alex.locator(".help-contacts-list")).to_contain_text("Macmillan")
    expect(alex.locator("#sync-status .sync-text")).to_contain_text("Synced")   # the contacts have reached Sam
    snap(alex, "help", scheme, shots)
    alex.evaluate("() => document.querySelector('#help-contacts-title').scrollIntoView({ block: 'start' })")
    snap(alex, "help-contacts", scheme, shots, top=False)
    go(alex, "good-to-know")
    note = alex.locator("details.gtk-note", has_text="Early menopause and dryness")
    note.locator("summary").click()
    alex.evaluate("() => document.querySelector('#gtk-menopause').scrollIntoView({ block: 'start' })")
    snap(alex, "good-to-know", scheme, shots, top=False)


def keeping_it_safe(alex, scheme: str, shots: set) -> None:
    """How privacy works, a backup ready to save, the readable copy and the erase question."""
    go(alex, "privacy")
    snap(alex, "privacy", scheme, shots)
    go(alex, "pair")
    alex.get_by_role("button", name="Save a backup").click()
    alex.get_by_label("Choose a passphrase").fill("quiet harbour lanterns at dusk")
    alex.get_by_label("The same passphrase again").fill("quiet harbour lanterns at dusk")
    alex.get_by_role("button", name="Make the backup").click()
    expect(alex.locator(".backup-form [role=status]")).to_contain_text("Your backup is ready", timeout=60_000)
    alex.evaluate("() => document.querySelector('#backup-title').scrollIntoView({ block: 'start' })")
    snap(alex, "backup-ready", scheme, shots, top=False)
    alex.get_by_role("button", name="Done").click()
    alex.evaluate("() => document.querySelector('#export-title').scrollIntoView({ block: 'start' })")
    snap(alex, "copy-to-read", scheme, shots, top=False)
    alex.get_by_role("button", name="Erase Hearth from this phone").click()
    expect(alex.get_by_role("group", name="Erase everything on this phone?")).to_contain_text("Your pairing ends first")
    alex.evaluate("() => document.querySelector('#erase-card-title').scrollIntoView({ block: 'start' })")
    snap(alex, "erase-ask", scheme, shots, top=False)
    alex.get_by_role("button", name="Keep everything").click()


def app_lock(browser, url: str, options: dict, scheme: str, shots: set) -> None:
    """On a phone of its own: turning the app lock on, and the lock screen."""
    page = open_app(browser.new_context(**options), url)
    write_journal(page, "Just for me, for now.", share=False)
    go(page, "pair")
    page.get_by_role("button", name="Set up the app lock").click()
    page.get_by_label("Choose a passcode").fill("246813")
    page.get_by_label("Type it again").fill("246813")
    page.evaluate("() => document.querySelector('#lock-title').scrollIntoView({ block: 'start' })")
    snap(page, "lock-set-up", scheme, shots, top=False)
    page.get_by_role("button", name="Turn on the app lock").click()
    expect(page.get_by_text("The app lock is on.")).to_be_visible()
    page.get_by_role("button", name="Lock now").click()
    expect(page.get_by_role("heading", name="Hearth is locked")).to_be_visible()
    page.get_by_text("Forgotten the passcode?").click()
    snap(page, "locked", scheme, shots)
    page.context.close()


def readable_by_everyone(alex, sam, scheme: str, shots: set) -> None:
    """A Hebrew entry in its own direction beside English ones, and Home at 200% text."""
    write_journal(sam, "ערב שקט, יד ביד. זה הרגיש כמו פעם.")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="ערב שקט")).to_be_visible()
    snap(alex, "journal-rtl", scheme, shots)
    go(alex, "home")
    alex.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    snap(alex, "home-200", scheme, shots)
    alex.evaluate("() => { document.documentElement.style.fontSize = ''; }")


def speak(page, code) -> None:
    """This phone's language from its next start: `code`, or (None) the phone's own."""
    page.evaluate("(c) => c ? localStorage.setItem('hearth-language', c) : localStorage.removeItem('hearth-language')", code)
    page.reload()
    expect(page.locator("#view h1")).to_be_visible()


def in_other_languages(browser, url: str, options: dict, scheme: str, shots: set) -> None:
    """A couple whose phones speak Spanish (paired with English chosen for the while, since
    the helpers tap English words): Home, the journal, a boundary map, pairing and help, and
    Home at 200% text, where Spanish's longer words test the tab bar. Then a phone in Arabic,
    whose catalogue is only started: the layout from the right, with an English entry and an
    Arabic one each in its own direction."""
    phones = []
    for _ in range(2):
        page = open_app(browser.new_context(**options, locale="es-ES"), url)
        speak(page, "en")
        phones.append(page)
    ana, leo = phones
    pair_by_link(ana, leo, url)
    write_journal(leo, "Hoy nos quedamos en el sofá con una manta y una película. Sin prisa, sin planes.")
    add_boundary(leo, "Add a kind of touch", "una mano en la espalda", "welcome")
    add_boundary(leo, "Add a body area", "alrededor del puerto", "off_limits", "Todavía sensible; aún no, por favor.")
    add_boundary(leo, "Add a topic", "cuánto dura la recuperación", "ask_first")
    for page in phones:
        speak(page, None)
    go(ana, "journal")
    expect(ana.locator(".entry-text", has_text="manta")).to_be_visible()
    snap(ana, "es-journal", scheme, shots)
    go(leo, "boundaries")
    snap(leo, "es-boundaries-mine", scheme, shots)
    go(ana, "help")
    snap(ana, "es-help", scheme, shots)
    go(ana, "home")
    expect(ana.locator(".recent-item").first).to_be_visible()
    snap(ana, "es-home", scheme, shots)
    ana.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    snap(ana, "es-home-200", scheme, shots)
    ana.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    alone = open_app(browser.new_context(**options, locale="es-ES"), url)
    show_code(alone)
    snap(alone, "es-pair", scheme, shots)
    for page in (ana, leo, alone):
        page.context.close()

    layla = open_app(browser.new_context(**options, locale="ar"), url)
    expect(layla.locator("html")).to_have_attribute("dir", "rtl")
    write_journal(layla, "مشينا معًا بعد العشاء، ببطء. كان ذلك لطيفًا.", share=False)
    write_journal(layla, "A short walk, and tea after.", share=False)
    snap(layla, "ar-journal", scheme, shots)
    go(layla, "home")
    snap(layla, "ar-home", scheme, shots)
    layla.context.close()


def shoot(browser, url: str, scheme: str, shots: set) -> None:
    options = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "color_scheme": scheme}
    alex = open_app(browser.new_context(**options), url)
    sam = open_app(browser.new_context(**options), url)
    snap(alex, "welcome", scheme, shots)
    show_code(alex)
    snap(alex, "pair", scheme, shots)
    go(alex, "home")   # leave that code unused; pairing below shows a fresh one
    pair_by_link(alex, sam, url)
    write_journal(sam, "We tried a slow bath together with the lights low. No expectations, "
                       "just warmth. I felt more like myself than I have in weeks.")
    write_journal(alex, "A walk after dinner, holding hands. Short, but it was nice to feel close.")
    # Let Alex's entry reach Sam first: a change arriving mid-way redraws the boundary forms.
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="A walk after dinner")).to_be_visible()
    add_boundary(sam, "Add a kind of touch", "a hand on my back", "welcome")
    add_boundary(sam, "Add a body area", "around the port", "off_limits", "Still tender; not yet, please.")
    add_boundary(sam, "Add a topic", "how long recovery takes", "ask_first")
    add_boundary(sam, "Choose a stop signal", "the word 'amber'", note="and we just lie together for a bit")
    add_boundary(sam, "Add a kind of touch", "a long hug", "welcome")
    sam.get_by_label('How "a long hug" feels now').select_option("not_now")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="slow bath")).to_be_visible()
    snap(alex, "journal", scheme, shots)
    go(sam, "boundaries")
    snap(sam, "boundaries-mine", scheme, shots)
    go(alex, "boundaries?whose=partner")
    expect(alex.locator(".boundary-item", has_text="a long hug")).to_be_visible()
    snap(alex, "boundaries-partner", scheme, shots)

    # Experiments: one small thing, started a week ago, so it is time to look back.
    # Sam said yes the day it was proposed: nothing counts down until both have.
    put(alex, "experiment", {"title": "Ten minutes lying close before sleep", "starts_on": days_from_now(-7), "days": 7,
                             "description": "No expectations; just warmth, and talking if we like."})
    agree(sam, "Ten minutes lying close before sleep", on=days_from_now(-7))
    go(alex, "experiments")
    expect(alex.locator(".exp-due")).to_be_visible()
    snap(alex, "experiments", scheme, shots)

    # Energy: three weeks of notes from both, shared, so the charts and the insight show.
    sam.evaluate(SEED_ENERGY, {"days": 20, "morning": 4, "evening": 7, "today": True})
    alex.evaluate(SEED_ENERGY, {"days": 20, "morning": 7, "evening": 5, "today": False})
    # Each lets the other's phone say when they tend to feel best (off until its owner says so).
    for page in (sam, alex):
        go(page, "energy")
        page.get_by_label("Let my partner see when I tend to feel best").check()
    go(alex, "home")
    go(alex, "energy")
    expect(alex.locator("#chart-together")).to_be_visible()
    expect(alex.locator(".energy-insight-together")).to_be_visible()
    snap(alex, "energy", scheme, shots)
    alex.evaluate("() => document.querySelector('.energy-insight').scrollIntoView({ block: 'start' })")
    snap(alex, "energy-picture", scheme, shots, top=False)
    form = alex.locator("form.energy-form")
    form.get_by_role("slider", name="Energy", exact=True).fill("6")
    form.get_by_role("slider", name="Mood", exact=True).fill("7")
    form.get_by_label("Anything else?").fill("A good walk in the park")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".energy-saved")).to_contain_text("Saved")

    # Gratitude: a note of Sam's arrives; Alex writes today's.
    put(sam, "gratitude", {"text": "Thank you for making tea and just sitting with me.", "date": days_from_now(0)})
    go(alex, "gratitude")
    expect(alex.locator(".gratitude-history", has_text="making tea")).to_be_visible()
    today = alex.locator(".gratitude-today")
    today.get_by_label("What are you grateful for today?").fill("Your laugh at dinner. I'd missed it.")
    today.get_by_role("button", name="Save today's note").click()
    expect(today.locator(".gratitude-note-text")).to_be_visible()
    snap(alex, "gratitude", scheme, shots)

    # Appointment notes: the list, and the large-text view to hold up at the visit.
    appt = put(alex, "appointment", {"title": "Check-up with the oncology nurse", "date": days_from_now(5), "questions": [
        {"text": "Is it normal to feel this tired three weeks after the last cycle?"},
        {"text": "Which lubricants are safe with my treatment?"},
        {"text": "When can we expect touch around the port to feel comfortable?",
         "answer": "Usually a few weeks; ask again at the next visit."}]})
    put(sam, "appointment", {"title": "Physiotherapy", "date": days_from_now(12),
                             "questions": [{"text": "Gentle exercises for the pelvic floor?"}]})
    go(alex, "appointments")
    expect(alex.locator(".appt-card", has_text="Physiotherapy")).to_be_visible()
    snap(alex, "appointments", scheme, shots)
    go(alex, f"appointments?id={appt}&mode=show")
    expect(alex.locator(".show-question-text").first).to_be_visible()
    snap(alex, "appointments-show", scheme, shots)

    # Check-in: the day picked together; sealed until both have answered, then revealed.
    go(sam, "checkin")
    sam.get_by_label("The day we check in").select_option("sunday")
    expect(sam.locator(".checkin-day-saved")).to_contain_text("Sunday")
    answer_checkin(alex, "Quiet evenings, and your patience while I'm slow.", "The long hug on Sunday.")
    snap(alex, "checkin-sealed", scheme, shots)
    answer_checkin(sam, "To hear what feels okay before we try it.", "Reading to each other in bed.")
    go(alex, "checkin")
    expect(alex.locator(".revealed")).to_be_visible()
    snap(alex, "checkin-revealed", scheme, shots)

    # Reminders, turned on: what is coming up, worded discreetly.
    alex.context.grant_permissions(["notifications"], origin=url)
    go(alex, "reminders")
    alex.get_by_role("switch", name="Remind me on this phone").click()
    expect(alex.locator("#rem-status")).to_be_visible()
    alex.evaluate("() => document.querySelector('#view [role=switch]').closest('section').scrollIntoView({ block: 'start' })")
    snap(alex, "reminders", scheme, shots, top=False)

    # Progress (photographed as it is, even while it is still being built).
    go(alex, "progress")
    snap(alex, "progress", scheme, shots)

    care_screens(alex, scheme, shots)

    # Home last, with today's note, the experiment that is due, the check-in and Sam's news.
    go(alex, "home")
    expect(alex.locator(".home-today .today-energy")).to_have_attribute("data-state", "logged")
    expect(alex.locator(".home-today .today-experiment")).to_have_attribute("data-state", "due")
    expect(alex.locator(".recent-item").first).to_be_visible()
    snap(alex, "home", scheme, shots)
    alex.evaluate("() => document.querySelector('.today-checkin').scrollIntoView({ block: 'start' })")
    snap(alex, "home-more", scheme, shots, top=False)

    keeping_it_safe(alex, scheme, shots)
    app_lock(browser, url, options, scheme, shots)
    readable_by_everyone(alex, sam, scheme, shots)
    devices_over_time(browser, url, options, alex, sam, scheme, shots)
    in_other_languages(browser, url, options, scheme, shots)


def new_phone_opens_the_code(inviter, context, url: str, button: str, heading: str, shown=None):
    """The inviter shows a code for a new phone (`button`, then `heading`), `shown` runs while
    it is on screen, and a new phone in `context` opens it and is ready to compare."""
    inviter.get_by_role("button", name=button).click()
    expect(inviter.get_by_role("heading", name=heading)).to_be_visible()
    if shown:
        shown()
    new = open_app(context, url)
    new.goto(inviter.locator("#pair-link").input_value())
    new.get_by_role("button", name="Pair with my partner's phone").click()
    expect(new.locator(".taking-place")).to_be_visible()
    return new


def devices_over_time(browser, url: str, options: dict, alex, sam, scheme: str, shots: set) -> None:
    """Sam's phone is lost and a new one takes its place (protocol §11.3); Alex moves to a
    new phone (§11.4); then the pairing ends (§11.2). Each step as the person sees it."""
    sam_context = sam.context
    sam.close()   # lost
    go(alex, "pair")
    alex.get_by_role("button", name="My partner has a new phone").click()
    expect(alex.get_by_role("group", name="Welcome your partner's new phone?")).to_be_visible()
    snap(alex, "new-phone-ask", scheme, shots, top=False)
    new = new_phone_opens_the_code(alex, browser.new_context(**options), url, "Show a code for the new phone",
                                   "Let your partner's new phone scan this",
                                   lambda: snap(alex, "new-phone-code", scheme, shots))
    snap(new, "new-phone-compare", scheme, shots)
    alex.get_by_role("button", name="They match").click()
    expect(alex.locator(".hand-over")).to_contain_text("Your partner's new phone has all of your shared history.",
                                                       timeout=20_000)
    snap(alex, "new-phone-sent", scheme, shots)
    new.get_by_role("link", name="Continue").click()
    go(new, "journal")
    expect(new.locator(".entry-text", has_text="slow bath")).to_be_visible()
    snap(new, "new-phone-journal", scheme, shots)
    old = open_app(sam_context, url, "pair")
    expect(old.get_by_role("heading", name="This phone has been replaced")).to_be_visible()
    snap(old, "replaced", scheme, shots)

    # Alex moves to a new phone of their own, with both in hand (§11.4).
    go(alex, "pair")
    alex.get_by_role("button", name="Move to a new phone").click()
    expect(alex.get_by_role("group", name="Move everything to your new phone?")).to_be_visible()
    snap(alex, "move-ask", scheme, shots, top=False)
    moved = new_phone_opens_the_code(alex, browser.new_context(**options), url, "Show a code for my new phone",
                                     "Let your new phone scan this")
    expect(moved.locator(".taking-place")).to_contain_text("Everything from your other phone is moving here")
    snap(moved, "move-compare", scheme, shots)
    alex.get_by_role("button", name="They match").click()
    expect(alex.get_by_role("heading", name="Everything is on your new phone")).to_be_visible(timeout=20_000)
    snap(alex, "moved-old", scheme, shots)
    go(moved, "pair")
    expect(moved.get_by_role("heading", name="Everything is here")).to_be_visible(timeout=20_000)
    snap(moved, "moved-new", scheme, shots)
    go(new, "pair")
    expect(new.get_by_role("heading", name="Your partner moved to a new phone")).to_be_visible(timeout=20_000)
    snap(new, "partner-moved", scheme, shots)

    go(moved, "pair")
    moved.get_by_role("button", name="End the pairing").click()
    expect(moved.get_by_role("group", name="End the pairing?")).to_be_visible()
    snap(moved, "unpair-ask", scheme, shots, top=False)
    moved.get_by_role("group", name="End the pairing?").get_by_role("button", name="Yes, end the pairing").click()
    expect(moved.get_by_role("heading", name="You ended the pairing")).to_be_visible()
    go(new, "home")
    expect(new.locator(".card-ended")).to_contain_text("Your partner ended the pairing on")
    snap(new, "unpaired", scheme, shots)


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        relay, url = start_relay(data)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                shots: set[str] = set()
                for scheme in ("light", "dark"):
                    shoot(browser, url, scheme, shots)
                browser.close()
        finally:
            relay.terminate()
            relay.wait(10)
    for stale in HERE.glob("*.png"):
        # The consent screens are photographed by tests/test_app_consent.py (HEARTH_SHOTS set).
        if stale.name not in shots and not stale.name.startswith(MADE_ELSEWHERE):
            stale.unlink()
    print("\n".join(sorted(shots)))


if __name__ == "__main__":
    main()

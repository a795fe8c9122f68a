"""A full offline pass of every screen, two paired phones (browser contexts), a real relay.

Each phone that writes is taken off the network for real (context.set_offline) and then
reloaded, so the app it uses comes from the service worker and its data from IndexedDB.
It writes through the screens as a person would, its status line counts the changes
waiting, and once it is back online the partner sees each record on their own screen.
The journal and boundaries are covered offline in test_app_sync.py and test_app_care.py.

Waiting is Playwright's own (expect, wait_for_function); nothing sleeps.
"""


from playwright.sync_api import expect

from app_helpers import agree, back_online, days_ago, expect_status, expect_waiting, go, propose, reload_offline

SYNC_WAIT = 15_000   # a phone back online reconnects, logs in and catches up before it shows anything

EXPERIMENT = "Ten minutes lying close before sleep"
PRIVATE_ENERGY = "Only for me: a heavy, aching afternoon."
SHARED_ENERGY = "A better morning, happy to share."
APPOINTMENT = "Follow-up with the nurse"
QUESTION = "When would it be all right to have sex again?"
GRATITUDE = "You read to me on the train with no signal."
KEPT = f"You tried “{EXPERIMENT}” together and decided to keep it."
CHECKIN_DONE = "You both made time for your check-in, and heard each other's answers."


# ---------- the screens, driven the way a person does ----------


def look_back(page, felt: str, decision: str = "Keep it") -> None:
    go(page, "experiments")
    form = page.locator("form.exp-reassess")
    form.get_by_label("How did it feel for you?").fill(felt)
    form.get_by_role("radio", name=decision).check()
    form.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("region", name="You", exact=True).locator(".exp-answer-felt")).to_have_text(felt)


def log_energy(page, note: str, energy: str, share: bool) -> None:
    go(page, "energy")
    form = page.locator("form.energy-form")
    form.get_by_role("slider", name="Energy", exact=True).fill(energy)
    form.get_by_label("Anything else?").fill(note)
    if share:
        form.get_by_label("Share this with my partner").check()
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".energy-saved")).to_contain_text("Saved and shared" if share else "Saved on this phone")
    item = page.locator(".energy-entry", has_text=note)
    expect(item.locator(".badge")).to_have_text("Shared" if share else "Only on this phone")
    expect(item.locator(".chip", has_text="Energy")).to_have_text(f"Energy {energy}")


def start_appointment(page, title: str, question: str) -> None:
    go(page, "appointments")
    page.get_by_role("button", name="New appointment").click()
    page.get_by_label("What is the appointment?").fill(title)
    expect(page.get_by_label("My partner can see these notes")).to_be_checked()
    page.get_by_role("button", name="Start the notes").click()
    expect(page.locator("#view h1")).to_have_text(title)
    box = page.get_by_label("Add a question")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".appt-question-text")).to_have_text([question])


def write_gratitude(page, text: str) -> None:
    go(page, "gratitude")
    today = page.locator(".gratitude-today")
    today.get_by_label("What are you grateful for today?").fill(text)
    expect(today.get_by_label("My partner and me")).to_be_checked()
    today.get_by_role("button", name="Save today's note").click()
    expect(today.locator(".gratitude-note-text")).to_have_text(text)
    expect(today.locator(".gratitude-note-status")).to_have_text("Shared with your partner")


def answer_checkin(page, needs: str) -> None:
    go(page, "checkin")
    page.get_by_label("What would help you feel cared for this week?").fill(needs)
    page.get_by_role("button", name="Seal and share my answers").click()
    mine = page.get_by_role("region", name="What you wrote")
    expect(mine).to_contain_text(needs)
    expect(page.locator("#view .notice")).to_have_text(
        "Your answers are sealed and shared. They'll open together once your partner has answered too.")


def win(page, text: str):
    return page.locator(".progress-win", has_text=text)


def today_item(page, kind: str):
    return page.locator(f".home-today .today-{kind}")


# ---------- the tests ----------

def test_experiments_energy_appointments_gratitude_and_progress_written_offline_reach_the_partner(browser_couple):
    alex, sam = browser_couple()

    # Sam's phone loses its signal and is opened again from the home screen icon.
    reload_offline(sam)
    expect_status(sam, "Offline. Everything is kept safely on this phone.")

    propose(sam, EXPERIMENT, days_ago(8))   # started a week ago: time to look back
    expect(sam.locator(".exp-kicker")).to_have_text("Your idea")
    expect_waiting(sam, 1)

    log_energy(sam, PRIVATE_ENERGY, "3", share=False)
    log_energy(sam, SHARED_ENERGY, "8", share=True)
    expect_waiting(sam, 2)   # the private note never joined the queue

    start_appointment(sam, APPOINTMENT, QUESTION)
    expect_waiting(sam, 4)   # the new notes, then the question added to them

    write_gratitude(sam, GRATITUDE)
    expect_waiting(sam, 5)

    # Nothing has reached Alex: it is all waiting on Sam's phone.
    go(alex, "experiments")
    expect(alex.locator("#view .empty")).to_contain_text("Nothing yet.")
    expect_status(alex, "Synced")

    back_online(sam.context)
    expect(alex.locator(".exp-proposal .exp-title")).to_have_text(EXPERIMENT, timeout=SYNC_WAIT)
    expect(alex.locator(".exp-kicker")).to_have_text("Your partner's idea")
    expect(alex.locator(".exp-due")).to_have_count(0)   # a proposal: nothing is due before a yes (§8.3)
    agree(alex, EXPERIMENT, on=days_ago(8))             # a yes given a week ago
    expect(alex.locator(".exp-due")).to_contain_text(f"Time to look back on “{EXPERIMENT}”")
    expect_status(sam, "Synced")

    go(alex, "energy")
    shared = alex.locator(".energy-entry-partner", has_text=SHARED_ENERGY)
    expect(shared.locator(".entry-author")).to_have_text("Your partner")
    expect(shared.locator(".chip", has_text="Energy")).to_have_text("Energy 8")
    expect(alex.locator("#chart-partner-caption")).to_contain_text("averaging 8 out of 10 over the last 14 days")
    expect(alex.locator(".energy-entry")).to_have_count(1)
    assert "heavy, aching" not in alex.locator("#view").inner_text()
    # Not merely hidden: the private note was written before the shared one and never left Sam's phone.
    assert alex.evaluate("() => import('/js/device/records.js').then((m) => m.list('energy')).then((l) => l.length)") == 1

    go(alex, "appointments")
    card = alex.locator(".appt-card", has_text=APPOINTMENT)
    expect(card.locator(".appt-meta")).to_contain_text("Your partner's · 1 question")
    card.get_by_role("link", name=APPOINTMENT).click()
    expect(alex.locator("#view h1")).to_have_text(APPOINTMENT)
    expect(alex.locator(".appt-question-text")).to_have_text([QUESTION])

    go(alex, "gratitude")
    note = alex.locator(".gratitude-note", has_text=GRATITUDE)
    expect(note.locator(".gratitude-note-author")).to_have_text("Your partner")
    expect(note.locator("time")).to_have_text("Today")

    # Alex looks back on the experiment; Sam sees that Alex has, and then loses the signal again.
    look_back(alex, "Calm and warm. I slept better.")
    go(sam, "experiments")
    expect(sam.locator(".exp-waiting")).to_contain_text("Your partner has looked back")
    reload_offline(sam)
    expect_status(sam, "Offline. Everything is kept safely on this phone.")
    expect(sam.locator(".exp-waiting")).to_contain_text("Your partner has looked back")   # kept through the reload

    go(alex, "progress")
    expect(win(alex, "thankful")).to_contain_text("Your partner paused to notice something they're thankful for.")
    expect(win(alex, EXPERIMENT)).to_have_count(0)

    # Offline, Sam looks back too, sees both answers, and records that they keep it.
    look_back(sam, "Awkward the first night, then lovely.")
    expect(sam.get_by_role("region", name="Your partner").locator(".exp-answer-felt")).to_have_text(
        "Calm and warm. I slept better.")
    expect(sam.locator(".exp-agree")).to_have_text("You both said: keep it.")
    sam.locator("form.exp-outcome").get_by_role("button", name="Record it and finish").click()
    expect(sam.locator(".exp-past", has_text=EXPERIMENT)).to_contain_text("You chose to keep it.")
    expect_waiting(sam, 2)
    go(sam, "progress")
    expect(win(sam, EXPERIMENT)).to_contain_text(KEPT)
    expect(win(sam, EXPERIMENT).locator(".progress-who")).to_have_text("Both of you")
    expect(win(alex, EXPERIMENT)).to_have_count(0)

    # Back online, the kept experiment arrives on Alex's open progress screen, and on the experiment itself.
    back_online(sam.context)
    kept = win(alex, EXPERIMENT)
    expect(kept).to_contain_text(KEPT, timeout=SYNC_WAIT)
    expect(kept.locator(".progress-who")).to_have_text("Both of you")
    expect_status(sam, "Synced")
    go(alex, "experiments")
    expect(alex.locator(".exp-past", has_text=EXPERIMENT)).to_contain_text("You chose to keep it.")
    assert alex.errors == [] and sam.errors == []


def test_a_check_in_answered_offline_on_each_phone_stays_sealed_then_opens_on_both_and_home_keeps_up(browser_couple):
    alex, sam = browser_couple()
    # Before any signal is lost: Sam has thanked Alex, Alex has noted today's energy and started an experiment.
    write_gratitude(sam, "Thank you for the tea this morning.")
    log_energy(alex, "Slept well for once.", "6", share=False)
    propose(alex, "Holding hands on the evening walk", days_ago(2))
    agree(sam, "Holding hands on the evening walk", on=days_ago(2))
    go(alex, "home")
    expect(today_item(alex, "experiment")).to_contain_text("day 3 of 7", timeout=SYNC_WAIT)
    expect(alex.locator(".recent-gratitude")).to_contain_text("Thank you for the tea this morning.")
    expect_status(alex, "Synced")   # the experiment has left the phone

    # Alex's phone goes offline and is opened again: Home still has today, and what Sam shared.
    reload_offline(alex)
    expect_status(alex, "Offline. Everything is kept safely on this phone.")
    expect(alex.get_by_role("heading", name="Today")).to_be_visible()
    expect(today_item(alex, "energy")).to_have_attribute("data-state", "logged")
    expect(today_item(alex, "energy")).to_contain_text("You noted energy 6.")
    expect(today_item(alex, "experiment")).to_contain_text("“Holding hands on the evening walk”: day 3 of 7, 4 days to go.")
    expect(today_item(alex, "checkin")).to_have_attribute("data-state", "open")
    expect(alex.locator("#home-recent-title")).to_contain_text("From your partner")
    expect(alex.locator(".recent-gratitude")).to_contain_text("Thank you for the tea this morning.")

    # Alex answers this week's check-in with no signal; sealed, and waiting on the phone.
    answer_checkin(alex, "Quiet evenings, and your patience.")
    expect_waiting(alex, 1)
    go(alex, "home")
    expect(today_item(alex, "checkin")).to_have_attribute("data-state", "waiting")
    expect(today_item(alex, "checkin")).to_contain_text("Your answers are sealed.")

    # Back online, Alex's answers reach Sam's phone sealed: Sam learns that Alex answered, not what.
    back_online(alex.context)
    expect_status(alex, "Synced")
    go(sam, "checkin")
    expect(sam.locator("#view .notice")).to_have_text(
        "Your partner has answered. Their answers will open when you've shared yours.", timeout=SYNC_WAIT)
    assert "Quiet evenings" not in sam.locator("#view").inner_text()
    held = sam.evaluate("""() => import('/js/data/db.js').then((db) => db.recordsOfType('checkin'))
        .then((rs) => rs.map((r) => [Boolean(r.fields.sealed), Boolean(r.fields.key)]))""")
    assert held == [[True, False]]   # Alex's sealed answers are on Sam's phone, without their key

    # Now both lose the signal. Sam answers offline, and shares an energy note; still sealed.
    reload_offline(alex)
    reload_offline(sam)
    for page in (alex, sam):
        expect_status(page, "Offline. Everything is kept safely on this phone.")
    go(sam, "checkin")
    sam.get_by_label("What would help you feel cared for this week?").fill("To hear what feels okay before we try it.")
    sam.get_by_role("button", name="Seal and share my answers").click()
    expect(sam.get_by_role("region", name="What you wrote")).to_contain_text("To hear what feels okay before we try it.")
    expect(sam.locator("#view .notice")).to_have_text(
        "You've both answered. Your answers open together as soon as your phones have talked to each other.")
    expect_waiting(sam, 2)   # the sealed answers, then the key to them: Alex's sealed answers are already here
    assert "Quiet evenings" not in sam.locator("#view").inner_text()
    log_energy(sam, "Tired but content after the walk.", "4", share=True)
    expect_waiting(sam, 3)

    # Sam's signal comes back first; Alex, still offline, has nothing new yet.
    back_online(sam.context)
    expect_status(sam, "Synced")
    go(alex, "home")
    expect(today_item(alex, "checkin")).to_have_attribute("data-state", "waiting")
    expect(alex.locator(".recent-energy")).to_have_count(0)

    # Then Alex's: Home, open all along, picks up Sam's note and the opened check-in without a reload.
    back_online(alex.context)
    expect(today_item(alex, "checkin")).to_have_attribute("data-state", "ready", timeout=SYNC_WAIT)
    expect(today_item(alex, "checkin").get_by_role("link", name="Read them together")).to_be_visible()
    expect(alex.locator(".recent-energy")).to_contain_text("Shared a note: energy 4")
    expect_status(alex, "Synced")
    for page, mine, theirs in ((alex, "Quiet evenings", "To hear what feels okay"),
                               (sam, "To hear what feels okay", "Quiet evenings")):
        go(page, "checkin")
        revealed = page.locator(".revealed")
        expect(revealed.get_by_role("region", name="Your partner")).to_contain_text(theirs, timeout=SYNC_WAIT)
        expect(revealed.get_by_role("region", name="You", exact=True)).to_contain_text(mine)
        go(page, "progress")
        done = win(page, "check-in")
        expect(done).to_contain_text(CHECKIN_DONE)
        expect(done.locator(".progress-who")).to_have_text("Both of you")
    assert alex.errors == [] and sam.errors == []

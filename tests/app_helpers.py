"""Driving the app the way a person does: two phones are two browser contexts."""

import datetime
import os
import time
from pathlib import Path

from playwright.sync_api import expect

SYNCED = "Synced"


def app_error(message) -> bool:
    """A console error the app is answerable for. The browser's own line for a connection a
    test's offline switch refused is not: Chromium 150 tells a page reloaded offline that it
    is online (see reload_offline), so the app tries the relay once before it hears otherwise,
    as it would on a phone whose signal dropped a moment ago."""
    return message.type == "error" and "net::ERR_INTERNET_DISCONNECTED" not in message.text


def open_app(context, url: str, route: str = "home"):
    """A page on the app with console and page errors collected in page.errors."""
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(f"console: {m.text}") if app_error(m) else None)
    page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
    page.goto(f"{url}/#/{route}")
    expect(page.locator(f'#view[data-view="{route}"] h1')).to_be_visible()
    return page


def eventually(page, script: str, arg=None, timeout: float = 30):
    """`script`'s answer once it is truthy, polled every 100 ms. For what the app answers
    asynchronously (IndexedDB, imports): page.wait_for_function takes a returned promise for
    a truthy answer and returns at once (microsoft/playwright#29132), so it waits for nothing."""
    deadline = time.monotonic() + timeout
    while True:
        answer = page.evaluate(script, arg)
        if answer or time.monotonic() > deadline:
            assert answer, f"still {answer!r} after {timeout} s: {script[:80]}"
            return answer
        page.wait_for_timeout(100)


PAIRING_KEPT = """() => import('/js/data/db.js').then(async (db) => ({
  invite: Boolean(await db.getKey('pending_invite')), join: Boolean(await db.getKey('pending_join')),
  stored: JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]), url: location.href }))"""


def expect_secret_forgotten(link: str, pages, relay) -> None:
    """Once a pairing (first, replacement or move) is confirmed, its link's one-time secret
    is nowhere: not in either phone's storage or address bar, nor the relay's log or files."""
    secret = link.split("s=", 1)[1].split("&", 1)[0]
    for page in pages:
        kept = page.evaluate(PAIRING_KEPT)
        assert not kept["invite"] and not kept["join"], kept
        assert secret not in kept["stored"] and secret not in kept["url"]
    assert secret not in relay.log()
    for path in relay.data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def show_code(page) -> str:
    """On the pair screen, show a code; returns the pairing link the QR code holds."""
    page.goto(page.url.split("#")[0] + "#/pair")
    page.locator("#pair-show-code").click()   # by its id, so a phone in any language can pair
    expect(page.locator("svg.qr")).to_be_visible()
    return page.locator("#pair-link").input_value()


def confirm_pairing(page) -> str:
    """After opening a pairing link: tap to pair; returns the safety code the joining phone
    shows while it waits for the partner to confirm that the numbers match."""
    page.locator("#pair-join").click()   # by its id, so a phone in any language can pair
    return safety_code(page)


def safety_code(page) -> str:
    code = page.locator(".safety-code")
    expect(code).to_be_visible()
    return code.text_content()


def they_match(inviter) -> None:
    """The inviting phone's person compares and taps "They match"; its app goes home paired."""
    inviter.get_by_role("button", name="They match").click()
    expect(inviter.locator('#view[data-view="home"] h1')).to_have_text("Good to see you.")


def finish_joining(joiner) -> None:
    """The joining phone hears its partner confirmed, says so, and goes home paired."""
    expect(joiner.get_by_role("heading", name="You're paired")).to_be_visible()
    joiner.get_by_role("link", name="Continue").click()
    expect(joiner.locator('#view[data-view="home"] h1')).to_have_text("Good to see you.")


def pair_by_link(inviter, joiner, url: str) -> str:
    link = show_code(inviter)
    joiner.goto(link)
    code = confirm_pairing(joiner)
    assert safety_code(inviter) == code
    they_match(inviter)
    finish_joining(joiner)
    return code


def go(page, route: str) -> None:
    page.goto(page.url.split("#")[0] + f"#/{route}")
    expect(page.locator(f'#view[data-view="{route.split("?")[0]}"] h1')).to_be_visible()


def write_journal(page, text: str, share: bool = True) -> None:
    go(page, "journal")
    page.get_by_role("button", name="Write an entry").click()
    page.get_by_label("What did you try, and how did it feel?").fill(text)
    page.get_by_role("button", name="Share with my partner" if share else "Keep it private for now").click()
    expect(page.locator(".entry-text", has_text=text)).to_be_visible()


def reply(page, entry_text: str, text: str) -> None:
    """In the journal, answer the entry holding `entry_text` with `text`, and see it there."""
    go(page, "journal")
    entry = page.locator("article.entry", has_text=entry_text)
    entry.get_by_role("button", name="Reply", exact=True).click()
    entry.get_by_label("Your reply").fill(text)
    entry.get_by_role("button", name="Send reply").click()
    expect(entry.locator(".reply", has_text=text)).to_be_visible()


def expect_status(page, text: str) -> None:
    expect(page.locator("#sync-status .sync-text")).to_contain_text(text)


def wider_than_a_phone(page, where: str, width: int = 360) -> list[str]:
    """Where the page scrolls sideways, at 100% and 200% text; the text size is reset after."""
    problems = []
    for text_size in ("100%", "200%"):
        page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text_size)
        wide = page.evaluate("() => document.scrollingElement.scrollWidth")
        if wide > width:
            problems.append(f"{where} at {text_size} is {wide}px wide")
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    return problems


def serious_axe_violations(page, where: str, axe=None) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    return [f"{where}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']]}"
            for v in (axe or Axe()).run(page).response["violations"] if v["impact"] in {"serious", "critical"}]


def in_each_scheme(*pages):
    """Light, then dark: the pages' colour scheme switched in place, so a test that checks
    both sets its phones up once."""
    for scheme in ("light", "dark"):
        for page in pages:
            page.emulate_media(color_scheme=scheme)
            # Colours that change with the scheme may ease in: check them once they have.
            # One cancelled meanwhile (its element redrawn) has finished too, as far as this goes.
            page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")
        yield scheme


def screen_checks(problems: list, name: str, scheme: str):
    """check(page, state): adds to `problems` what scrolls sideways at 360 px or axe finds
    serious on the page as it is now; with HEARTH_SHOTS set (docs/screenshots/shoot.py), it
    also saves the screen there as `<name>-<state>-<scheme>.png`."""
    from axe_playwright_python.sync_playwright import Axe

    axe, shots = Axe(), os.environ.get("HEARTH_SHOTS")

    def check(page, state: str) -> None:
        problems.extend(wider_than_a_phone(page, state))
        if shots:
            page.screenshot(path=os.path.join(shots, f"{name}-{state}-{scheme}.png"), full_page=True)
        problems.extend(serious_axe_violations(page, state, axe))
    return check


def add_boundary(page, section: str, label: str, level: str | None = None, note: str = "") -> None:
    """On my map, open `section` ("Add a kind of touch", …), fill it in and add it."""
    go(page, "boundaries")
    page.get_by_text(section).click()
    form = page.locator("details.boundary-add-fold[open]")
    form.get_by_label("In a few words").or_(form.get_by_label("The word or sign")).fill(label)
    if level:
        form.get_by_label("How it feels now").select_option(level)
    if note:
        form.get_by_label("A note, if you like").fill(note)
    form.get_by_role("button", name="Add").click()
    expect(page.locator(".boundary-item", has_text=label)).to_be_visible()


def wait_installed(page) -> None:
    """Wait until the service worker controls the page, as it does a person's installed app:
    only then can a screen not yet opened load with no network."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    except PlaywrightTimeout:
        state = page.evaluate("""() => navigator.serviceWorker.getRegistration().then((r) => r
            ? { active: r.active?.state ?? null, installing: r.installing?.state ?? null, waiting: r.waiting?.state ?? null }
            : null)""")
        raise AssertionError(f"no service worker controls the page, so it cannot open offline "
                             f"(did one fail to install?): registration {state}, errors {page.errors}") from None


def go_offline(*pages) -> None:
    """Take these phones off the network, once each is installed (wait_installed): a test
    that cut the network sooner would meet a worker still precaching, which no person who
    had opened the app before would."""
    for page in pages:
        wait_installed(page)
    for page in pages:
        page.context.set_offline(True)


def reload_offline(page, drawn: bool = True) -> None:
    """Take this phone off the network for real and reload it: only the service worker can
    serve the app now. Waits until the worker controls the page first (wait_installed); ends,
    when `drawn`, with the app drawn and the status line saying "Offline". back_online()
    brings it back."""
    wait_installed(page)
    page.context.set_offline(True)
    page.reload()
    # Chromium 150 still fails the reloaded page's requests but tells it navigator.onLine is
    # true: Playwright's offline no longer reaches the new document. Offline is applied
    # again to this page through a DevTools session of its own, without going online
    # between, so the app sees what a phone with no signal would; back_online() ends it.
    if page.evaluate("navigator.onLine"):
        if getattr(page, "offline_session", None) is None:
            page.offline_session = page.context.new_cdp_session(page)
        page.offline_session.send("Network.emulateNetworkConditions", _NO_NETWORK)
    if drawn:
        expect(page.locator("#view h1")).to_be_visible()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null && navigator.onLine === false")
        expect_status(page, "Offline")


_NO_NETWORK = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def back_online(context) -> None:
    """Give a context's phones their network back, reload_offline()'s too."""
    context.set_offline(False)
    for page in context.pages:
        session = getattr(page, "offline_session", None)
        if session is not None:
            session.send("Network.emulateNetworkConditions", {**_NO_NETWORK, "offline": False})
            session.detach()
            page.offline_session = None


def expect_waiting(page, changes: int) -> None:
    """The status line of an offline phone says exactly `changes` changes are waiting to be
    sent, and so does the phone's outbox. The line redraws a moment after each save, so on
    its own it could still show the count from before an unwanted extra change; the outbox,
    written before the save shows on screen, cannot."""
    expect(page.locator("#sync-status .sync-text")).to_have_text(
        f"Offline: {changes} change{'' if changes == 1 else 's'} waiting")
    held = page.evaluate("() => import('/js/data/db.js').then((db) => db.outboxCount())")
    assert held == changes, f"{held} changes in the outbox, {changes} expected"


def all_sent(page) -> None:
    """Everything this phone wrote is with the relay: its outbox is empty (an envelope leaves
    it only once the relay says `sent`). The status line can say "Synced" from before a save,
    so a test about to read the relay through another device waits for this instead."""
    eventually(page, "() => import('/js/data/db.js').then((db) => db.outboxCount()).then((n) => n === 0)")


def days_ago(n: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=n)).isoformat()


def propose(page, title: str, starts_on: str, days: int = 7) -> None:
    """Propose an experiment on the experiments screen; it shows as a proposal, waiting for
    the partner's yes (protocol §8.3: nothing counts down before then; see `agree`)."""
    go(page, "experiments")
    page.get_by_role("button", name="Propose something small").first.click()
    page.get_by_label("What would you like to try?").fill(title)
    page.get_by_label("Starting on").fill(starts_on)
    page.get_by_label("For how many days?").fill(str(days))
    page.get_by_role("button", name="Propose it").click()
    expect(page.locator(".exp-proposal .exp-title", has_text=title)).to_be_visible()
    expect(page.get_by_role("button", name="Propose something small").first).to_be_visible()


ANSWER_ON = """async ([title, on]) => {
  const exp = (await (await import('/js/device/records.js')).list('experiment')).find((e) => e.title === title && !e.mine);
  if (!exp) return false;
  await (await import('/js/device/experiments.js')).answer(exp.id, 'yes', null, on);
  return true;
}"""


def agree(partner, title: str, on: str | None = None) -> None:
    """The partner says "Yes, let's try" to the proposal `title`, which then runs on both
    phones. With `on` (a date), the yes is given through the same call the button makes,
    dated that day: how a test has a look-back fall due without waiting a week."""
    if on is None:
        go(partner, "experiments")
        partner.locator(".exp-proposal", has_text=title).get_by_role("button", name="Yes, let's try").click()
    else:
        go(partner, "home")
        eventually(partner, ANSWER_ON, [title, on])
        go(partner, "experiments")
    expect(partner.locator(".exp-proposal", has_text=title)).to_have_count(0)
    expect(partner.locator(".exp-body")).to_contain_text(title)


# A phone on its own has no partner to say yes: the yes is written into its storage the way
# device/records.js writes a change (kept in its index once committed, then announced).
AGREED_BEFORE = """async ([title, on]) => {
  const [db, records, changes] = await Promise.all([
    import('/js/data/db.js'), import('/js/device/records.js'), import('/js/device/changes.js')]);
  const r = (await db.recordsOfType('experiment')).find((x) => x.fields.title === title);
  Object.assign(r.fields, { answer: 'yes', answered_on: on });
  Object.assign(r.clocks, { answer: '0000000000001.0000.partner', answered_on: '0000000000001.0000.partner' });
  await db.write(['records'], async (tx) => {
    records.keepOnCommit(tx, [r]);
    await tx.objectStore('records').put(r);
  });
  changes.announce('records', { type: 'experiment', id: r.id, mine: false });
}"""


def as_if_agreed(page, title: str, on: str) -> None:
    """One phone on its own: its proposal `title` as if a partner had said yes `on` that day
    (for what needs no second phone, such as reminders)."""
    page.evaluate(AGREED_BEFORE, [title, on])


def files_holding(profile: Path, needles: list[bytes]) -> list[str]:
    """Every file of a browser profile on disk that holds any of `needles`, by its path in it."""
    found = []
    for path in profile.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(str(path.relative_to(profile)))
    return found


# Words that are English and never Spanish: a screen shown in Spanish that still holds one of
# them, outside what a person wrote, has words not yet in the catalogue.
ENGLISH_ONLY = {"the", "and", "your", "you", "you're", "with", "this", "that", "what", "when", "for", "from",
                "are", "is", "it", "it's", "have", "will", "not", "here", "there", "can", "can't", "don't", "of",
                "to", "on", "in", "at", "or", "be", "by", "we", "our", "my", "yet", "just", "open"}

ENGLISH_LEFT = """(words) => {
  const english = new Set(words);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const owner = node.parentElement;
    // What a person wrote keeps its own language, and hidden text is not on the screen.
    if (!owner || owner.closest('[dir="auto"], textarea, [hidden], script, style, noscript, .brand-name')) continue;
    if (!owner.checkVisibility()) continue;
    const text = node.textContent.trim();
    if (text && text.toLowerCase().split(/[^\\p{L}']+/u).some((w) => english.has(w))) found.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    if (el.closest('[hidden]')) continue;
    for (const attr of ['aria-label', 'title', 'placeholder']) {
      const text = el.getAttribute(attr);
      if (text && text.toLowerCase().split(/[^\\p{L}']+/u).some((w) => english.has(w))) found.push(`${attr}: ${text}`);
    }
  }
  return found;
}"""


def english_left(page) -> list[str]:
    """The text on the screen (and its labels) that is still in English, outside what people
    wrote: for a screen shown in another language."""
    return page.evaluate(ENGLISH_LEFT, sorted(ENGLISH_ONLY))

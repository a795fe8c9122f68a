"""Where engines differ, the app must still work and say kind things: this records what
each engine offers (printed in the run's summary) and checks the screens that depend on it.

- persistent storage (navigator.storage.persist): Settings says how the phone keeps things;
- a camera: none here, so the scanner explains and offers the paste form;
- notifications: turning reminders on where they are refused ends in the calm words for it;
- sharing and the clipboard: "Share link" only where navigator.share exists, and "Copy
  link" copies or at least selects the link;
- Web Locks, Periodic Background Sync, BarcodeDetector and file saving are recorded; the
  app has no file export yet, so there is nothing of it to check.
And nothing uncaught, anywhere (window.onerror, unhandledrejection, console.error).
"""

from engines.flows import go, open_app

OFFERS = """return {
  "storage.persist": typeof navigator.storage?.persist === "function",
  "storage.persisted": navigator.storage?.persisted ? await navigator.storage.persisted() : null,
  "Web Locks": typeof navigator.locks?.request === "function",
  "Notification.permission": typeof Notification === "undefined" ? null : Notification.permission,
  "periodicSync": typeof ServiceWorkerRegistration !== "undefined" && "periodicSync" in ServiceWorkerRegistration.prototype,
  "navigator.share": typeof navigator.share === "function",
  "clipboard.writeText": typeof navigator.clipboard?.writeText === "function",
  "showSaveFilePicker": typeof globalThis.showSaveFilePicker === "function",
  "a[download]": "download" in HTMLAnchorElement.prototype,
  "BarcodeDetector": "BarcodeDetector" in globalThis,
  "getUserMedia": typeof navigator.mediaDevices?.getUserMedia === "function",
};"""

STORAGE_WORDS = {True: "Kept safely by the browser", False: "Kept, unless the phone runs very low on space",
                 None: "Kept on this phone"}
NO_CAMERA_WORDS = ("There doesn't seem to be a camera Hearth can use.", "Hearth can't use the camera",
                   "This browser can't use the camera here.", "The camera didn't start.")
REFUSED_STATES = {"denied", "default", "unsupported"}   # reminders.js's words for "not allowed"


def fact(page, name: str) -> str:
    return page.wait("""(name) => {
        const dt = [...document.querySelectorAll("dt")].find((d) => d.textContent === name);
        return dt?.nextElementSibling?.textContent || null;
    }""", name, what=f'the "{name}" fact')


def test_the_app_degrades_kindly_where_the_engine_offers_less(new_phone, shared_relay, engine_note):
    page = new_phone()
    open_app(page, shared_relay.url)
    offers = page.js(OFFERS)
    for key, value in offers.items():
        engine_note(key, value)

    # Settings says how this phone keeps things, in the words for what the engine can promise.
    go(page, "pair")
    persisted = offers["storage.persisted"] if offers["storage.persist"] else None
    assert fact(page, "Storage") == STORAGE_WORDS[persisted]

    # No camera to be had: the scanner says so and offers the link instead.
    page.click("button", "Scan my partner's code", exact=True)
    problem = page.find(".notice-problem").text
    assert any(words in problem for words in NO_CAMERA_WORDS), problem
    page.field("Paste the link your partner sent")

    # A code to show: share where the engine can, copy (or select) the link everywhere.
    go(page, "home")
    go(page, "pair")
    page.click("button", "Show a code on this phone", exact=True)
    page.find("svg.qr")
    page.click("summary", "Pair by link instead")
    share = page.js("return [...document.querySelectorAll('button')].some((b) => b.textContent === 'Share link');")
    assert share is offers["navigator.share"]
    page.click("button", "Copy link", exact=True)
    copied = page.wait("""() => {
        const field = document.querySelector("#pair-link");
        if ([...document.querySelectorAll("button")].some((b) => b.textContent === "Copied")) return "copied";
        return field.selectionEnd - field.selectionStart === field.value.length && field.value.length ? "selected" : null;
    }""", what="the link to be copied or selected")
    engine_note("Copy link", copied)

    # Reminders turned on where notifications are refused: the switch goes back off, calmly.
    go(page, "reminders")
    page.click("label", "Remind me on this phone", exact=True)
    state = page.wait("""() => {
        const s = document.querySelector("#rem-status");
        return s.dataset.state !== "asking" && !document.querySelector("#rem-on").hasAttribute("aria-busy") && s.dataset.state;
    }""", what="the reminders switch to settle")
    engine_note("reminders turned on", state)
    checked = page.js("return document.querySelector('#rem-on').checked;")
    if state == "on":
        assert checked
        if not offers["periodicSync"]:   # it cannot wake when closed, and says so
            page.find(".rem-wake", "this browser doesn't let it wake on its own")
    else:
        assert state in REFUSED_STATES and not checked, (state, checked)
        assert page.text("#rem-status").strip()

    assert page.errors == [], page.errors

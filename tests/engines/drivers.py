"""Debian's real WebKitGTK and Firefox, driven through their standard clients, behind one
small page-driving API (`EnginePage`) that the engine tests use the same way in both.

- WebKit: `WebKitWebDriver` (webkit2gtk-driver) starts WebKitGTK's MiniBrowser in
  automation mode, on an Xvfb display of our own; Selenium speaks WebDriver to it. Every
  session is a fresh, ephemeral profile.
- Firefox: `firefox-esr --marionette --headless` on a fresh temporary profile whose
  `marionette.port` we chose; Mozilla's marionette-driver speaks Marionette to it, and the
  same session's WebDriver BiDi side runs the page's scripts in the page's own realm.

Playwright's own WebKit and Firefox builds cannot be downloaded here, and these are the
engines a Debian CI (and a person's Linux desktop) really has. Waiting is by polling the
page against a deadline, never by sleeping and hoping.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ENGINES = ("webkit", "firefox")

WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
FIREFOX = "/usr/bin/firefox-esr"
XVFB = "/usr/bin/Xvfb"

# What CI installs for each binary (.ci/run), named in the failure when one is missing.
PACKAGES = {WEBKIT_DRIVER: "webkit2gtk-driver", MINIBROWSER: "libwebkit2gtk-4.1-0 (pulled in by webkit2gtk-driver)",
            FIREFOX: "firefox-esr", XVFB: "xvfb"}

WAIT = 15.0          # seconds a page gets to show what a person would wait for
POLL = 0.1           # how often a wait looks again
SCRIPT_TIMEOUT = 60  # seconds one script may run in the page (the crypto vectors take a few)

# Collects what the page did not catch, from the moment it is installed: uncaught errors,
# unhandled rejections and the app's own console.error calls. In Firefox it goes in before
# the page's own scripts (a WebDriver BiDi preload script); WebKitGTK's driver has no such
# hook (it speaks no BiDi), so there it goes in right after each load, and the app's
# main.js marking <html data-ready> as its last step catches a load that failed before
# (see EnginePage.wait_ready).
ERROR_TRAP = """
if (!window.__engineErrors) {
  const errors = window.__engineErrors = [];
  const say = (x) => (x instanceof Error ? `${x.name}: ${x.message}\\n${x.stack}` : String(x));
  window.addEventListener("error", (e) => errors.push(`error: ${e.message} (${e.filename}:${e.lineno})`));
  window.addEventListener("unhandledrejection", (e) => errors.push(`unhandledrejection: ${say(e.reason)}`));
  const original = console.error;
  console.error = (...args) => { errors.push(`console.error: ${args.map(say).join(" ")}`); original.apply(console, args); };
}
"""


class EngineMissing(Exception):
    pass


def require(*paths: str) -> None:
    """Fail (not skip) when an engine is not installed: CI installs them, so a missing one
    is a broken machine, and the message says which Debian package to install."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise EngineMissing("; ".join(f"{p} is missing: apt-get install {PACKAGES[p]}" for p in missing))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Display:
    """One Xvfb server for the test session (WebKitGTK needs an X display; Firefox runs
    headless). Xvfb picks a free display number itself and writes it to a pipe once it
    accepts connections, so nothing waits on a guess."""

    def __init__(self):
        require(XVFB)
        read, write = os.pipe()
        self.proc = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                                     pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()   # blocks until Xvfb is ready (or has died: "")
        if not number:
            self.proc.kill()
            raise RuntimeError("Xvfb did not start")
        self.name = f":{number}"

    def close(self) -> None:
        stop_group(self.proc)


def stop_group(proc: subprocess.Popen, grace: float = 10) -> None:
    """End a process we started in its own group, and everything it started."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # helpers left behind in the group (content processes)
    except (ProcessLookupError, PermissionError):
        pass


class PageError(AssertionError):
    pass


class EnginePage:
    """One phone: one browser session on a fresh profile. The API the tests use:
    goto, reload, js, wait, find, click, fill, text, errors, close."""

    engine = ""

    def __init__(self):
        self.collected: list[str] = []   # errors from documents this page has left

    # -- what each engine provides --
    def _call(self, function: str, args: list) -> dict:
        """Call the JS `function` (an async function's source) in the page's own realm with
        `args` (JSON values); {"value": result} (an element result is a WebElement) or
        {"thrown": the page's error}."""
        raise NotImplementedError

    def _navigate(self, url: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def set_offline(self, offline: bool) -> bool:
        """Take the browser off the network; False where its driver cannot."""
        return False

    # -- the shared API --
    def js(self, body: str, *args):
        """Run `body` as an async function in the page (its arguments are `args`, JSON
        values) and return its result (JSON, or one element); a throw in the page fails
        with its stack."""
        function = f"async function () {{ {body}\n}}"
        try:
            out = self._call(function, list(args))
        except PageError:
            raise
        except Exception as exc:  # noqa: BLE001 - each client has its own errors; a document unloading mid-script is one
            raise PageError(f"{self.engine}: the script did not finish: {type(exc).__name__}: {exc}") from exc
        if not isinstance(out, dict) or not ("value" in out or "thrown" in out):
            raise PageError(f"{self.engine}: the page answered {out!r}")
        if "thrown" in out:
            raise PageError(f"{self.engine}: the page threw: {out['thrown']}")
        return out["value"]

    def url(self) -> str:
        return self.js("return location.href;")

    def goto(self, url: str) -> None:
        """Open `url`. A new document gets the error trap and must finish the app's start;
        a new fragment on the same document is just a route change."""
        same_document = self._same_document(url)
        if not same_document:
            self._keep_errors()
        self._navigate(url)
        if not same_document:
            self.wait_ready()

    def reload(self) -> None:
        """Reload as a person does (location.reload(): a normal reload goes through the service
        worker; WebDriver's own refresh in Firefox skips it, like a forced reload)."""
        self._keep_errors()
        self.js("window.__engineOld = true; setTimeout(() => location.reload(), 0);")
        self.wait("() => !window.__engineOld && document.readyState === 'complete'", what="the page to reload")
        self.wait_ready()

    def wait_ready(self) -> None:
        self.wait("() => document.readyState === 'complete'", what="the page to load")
        self.js(ERROR_TRAP)
        self.wait("() => document.documentElement.dataset.ready === 'true'",
                  what="the app to start (main.js sets <html data-ready> last)")

    def wait(self, condition: str, *args, timeout: float = WAIT, what: str = ""):
        """Poll the JS function `condition` until it returns something truthy, which is returned."""
        deadline = time.monotonic() + timeout
        body = f"return await ({condition})(...arguments);"
        last = ""
        while True:
            try:
                value = self.js(body, *args)
            except PageError as exc:
                value, last = None, f" (last try: {exc})"   # mid-navigation, the document went away under it
            if value:
                return value
            if time.monotonic() > deadline:
                raise PageError(f"{self.engine}: waited {timeout:.0f} s for {what or condition}{last}; {self.describe()}")
            time.sleep(POLL)

    def find(self, selector: str, text: str | None = None, timeout: float = WAIT, exact: bool = False,
             centre: bool = False):
        """The first visible element matching `selector` whose text contains `text` (or is
        it, with exact), once there is one; with centre, scrolled to the middle of the screen
        first, where a person would have it before tapping (WebDriver's own scrolling may
        leave it under the app's fixed tab bar)."""
        def look():
            return self.js("""
                const [selector, text, exact, centre] = arguments;
                const norm = (s) => s.replace(/\\s+/g, " ").trim();
                const found = [...document.querySelectorAll(selector)].find((e) => e.getClientRects().length
                  && getComputedStyle(e).visibility !== "hidden"
                  && (text === null || (exact ? norm(e.textContent) === text : norm(e.textContent).includes(text))));
                if (found && centre) found.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
                return found ?? null;""", selector, text, exact, centre)
        deadline = time.monotonic() + timeout
        while (element := look()) is None:
            if time.monotonic() > deadline:
                shown = f' with text "{text}"' if text is not None else ""
                raise PageError(f"{self.engine}: no visible {selector}{shown} after {timeout:.0f} s; {self.describe()}")
            time.sleep(POLL)
        return element

    def click(self, selector: str, text: str | None = None, exact: bool = False) -> None:
        """A WebDriver element click, which checks the element is the one a tap there hits."""
        self.find(selector, text, exact=exact, centre=True).click()

    def field(self, label: str, timeout: float = WAIT):
        """The form control a visible <label> with this text names."""
        deadline = time.monotonic() + timeout
        while True:
            control = self.js("""
                const label = [...document.querySelectorAll("label")]
                  .find((l) => l.getClientRects().length && l.textContent.replace(/\\s+/g, " ").trim() === arguments[0]);
                label?.control?.scrollIntoView({ block: "center", behavior: "instant" });
                return label ? label.control : null;""", label)
            if control is not None:
                return control
            if time.monotonic() > deadline:
                raise PageError(f'{self.engine}: no field labelled "{label}"; {self.describe()}')
            time.sleep(POLL)

    def fill(self, label: str, value: str) -> None:
        """Type into the field labelled `label`, as a person does (keys, not a value set)."""
        control = self.field(label)
        control.clear()
        control.send_keys(value)

    def text(self, selector: str) -> str | None:
        return self.js("return document.querySelector(arguments[0])?.textContent ?? null;", selector)

    def wait_text(self, selector: str, expected: str, exact: bool = False, timeout: float = WAIT) -> str:
        """Wait until the first `selector` shows `expected` (contains it, or is it with exact)."""
        return self.wait("""(selector, expected, exact) => {
            const e = document.querySelector(selector);
            const t = e && e.textContent.replace(/\\s+/g, " ").trim();
            return t !== null && t !== undefined && (exact ? t === expected : t.includes(expected)) && t;
        }""", selector, expected, exact, timeout=timeout, what=f'{selector} to show "{expected}"')

    @property
    def errors(self) -> list[str]:
        """Everything uncaught so far, in this document and those before it."""
        try:
            here = self.js("return window.__engineErrors ? [...window.__engineErrors] : [];")
        except PageError:
            here = []
        return self.collected + here

    def describe(self) -> str:
        """Where the page is, for a failure message."""
        try:
            where = self.js("""return { url: location.href.replace(/([#&]s=)[^&]+/, "$1…"),
                view: document.querySelector("#view")?.dataset.view ?? null,
                heading: document.querySelector("#view h1, #view h2")?.textContent ?? null,
                status: document.querySelector("#sync-status")?.textContent ?? null,
                alerts: [...document.querySelectorAll("#view [role=alert]")].filter((e) => e.getClientRects().length)
                  .map((e) => e.textContent.replace(/\\s+/g, " ").trim()) };""")
        except PageError as exc:
            where = str(exc)
        return f"page {json.dumps(where)}, errors {self.errors}"

    def _same_document(self, url: str) -> bool:
        try:
            here = self.url()
        except PageError:
            return False
        return here.split("#")[0] == url.split("#")[0] and "#" in url and "#" in here

    def _keep_errors(self) -> None:
        try:
            self.collected += self.js("return window.__engineErrors ? window.__engineErrors.splice(0) : [];")
        except PageError:
            pass


# ---------- WebKitGTK through WebKitWebDriver and Selenium ----------

class WebKitPage(EnginePage):
    engine = "webkit"

    def __init__(self, display: Display, log_dir: Path):
        super().__init__()
        require(WEBKIT_DRIVER, MINIBROWSER)
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.service import Service

        options = webdriver.WebKitGTKOptions()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")   # an ephemeral profile that WebDriver may drive
        log_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(log_dir / f"webkit-{os.getpid()}-{id(self)}.log", "ab")
        service = Service(executable_path=WEBKIT_DRIVER, log_output=self._log,
                          env={**os.environ, "DISPLAY": display.name})
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_script_timeout(SCRIPT_TIMEOUT)
        self.driver.set_window_rect(0, 0, 412, 860)   # about a phone

    def _call(self, function, args):
        # WebKit runs WebDriver scripts in the page's own world: import() there finds the
        # modules the app already loaded, not copies.
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"({function}).apply(null, Array.prototype.slice.call(arguments, 0, -1))"
            ".then((value) => done({ value: value === undefined ? null : value }),"
            " (e) => done({ thrown: String((e && e.stack) ? `${e}\\n${e.stack}` : e) }));", *args)

    def _navigate(self, url):
        self.driver.get(url)

    def close(self):
        try:
            self.driver.quit()   # ends MiniBrowser and WebKitWebDriver
        finally:
            self._log.close()


# ---------- Firefox ESR through Marionette (and WebDriver BiDi for scripts) ----------

FIREFOX_PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    # Offline is set by the test (set_offline), never guessed from the machine's network.
    "network.manage-offline-status": False,
    # A person who is asked "show notifications?" and says no: deterministic, and the app
    # must say so kindly (a prompt left open would leave the reminders screen asking).
    "permissions.default.desktop-notification": 2,
}

# Marionette runs a script in a sandbox of its own, even with sandbox=None: its import()
# loads a second copy of each app module in a realm whose Uint8Array is not the page's, so
# the app's `instanceof Uint8Array` checks fail on bytes the page's WebCrypto returns. The
# session's WebDriver BiDi side (asked for with webSocketUrl) calls functions in the page's
# own realm instead; Marionette still navigates and clicks, and BiDi's element ids are its
# element references.
PAGE_CALL = """async function (argsJson) {
  try {
    const value = await (%s).apply(null, JSON.parse(argsJson));
    return value instanceof Node ? value : JSON.stringify({ value: value === undefined ? null : value });
  } catch (e) {
    return JSON.stringify({ thrown: String((e && e.stack) ? `${e}\\n${e.stack}` : e) });
  }
}"""


class FirefoxPage(EnginePage):
    engine = "firefox"

    def __init__(self, log_dir: Path):
        super().__init__()
        require(FIREFOX)
        from marionette_driver.marionette import Marionette
        from websockets.sync.client import connect

        self.profile = Path(tempfile.mkdtemp(prefix="hearth-firefox-"))
        port, bidi_port = free_port(), free_port()
        prefs = {**FIREFOX_PREFS, "marionette.port": port}
        (self.profile / "user.js").write_text("".join(f'user_pref("{k}", {json.dumps(v)});\n' for k, v in prefs.items()))
        log_dir.mkdir(parents=True, exist_ok=True)
        self.bidi = None
        with open(log_dir / f"firefox-{port}.log", "ab") as log:
            # -remote-allow-system-access lets Marionette's chrome context switch the
            # browser's offline mode, as a person's airplane mode would.
            self.proc = subprocess.Popen(
                [FIREFOX, "--marionette", "--headless", "--no-remote", "-remote-allow-system-access",
                 "--remote-debugging-port", str(bidi_port), "--profile", str(self.profile), "about:blank"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"})
        try:
            self.driver = Marionette(host="127.0.0.1", port=port, startup_timeout=60)
            self.driver.raise_for_port(timeout=60)
            self.driver.start_session(capabilities={"webSocketUrl": True})
            self.driver.timeout.script = SCRIPT_TIMEOUT
            self.driver.set_window_rect(width=412, height=860)
            self.bidi = connect(self.driver.session_capabilities["webSocketUrl"], max_size=None,
                                open_timeout=30, close_timeout=5)
            self._bidi_id = 0
            self._bidi("script.addPreloadScript", {"functionDeclaration": f"() => {{ {ERROR_TRAP} }}"})
        except BaseException:
            self._end()
            raise

    def _bidi(self, method: str, params: dict) -> dict:
        self._bidi_id += 1
        self.bidi.send(json.dumps({"id": self._bidi_id, "method": method, "params": params}))
        while True:   # no events are subscribed to, but skip any all the same
            message = json.loads(self.bidi.recv(timeout=SCRIPT_TIMEOUT))
            if message.get("id") == self._bidi_id:
                break
        if message.get("type") != "success":
            raise PageError(f"firefox: {method}: {message.get('error')}: {message.get('message')}")
        return message["result"]

    def _call(self, function, args):
        from marionette_driver.marionette import WebElement

        # A top-level browsing context's id is its WebDriver window handle.
        done = self._bidi("script.callFunction", {
            "functionDeclaration": PAGE_CALL % function, "awaitPromise": True,
            "target": {"context": self.driver.current_window_handle},
            "arguments": [{"type": "string", "value": json.dumps(args)}], "resultOwnership": "none"})
        result = done.get("result") or {}
        if done.get("type") == "exception":
            return {"thrown": json.dumps(done.get("exceptionDetails"))[:2000]}
        if result.get("type") == "node":
            return {"value": WebElement(self.driver, result["sharedId"])}
        if result.get("type") != "string":
            return {"thrown": f"unexpected result {result}"}
        return json.loads(result["value"])

    def _navigate(self, url):
        self.driver.navigate(url)

    def set_offline(self, offline: bool) -> bool:
        """Firefox's own offline mode: navigator.onLine turns false, "offline" fires and
        WebSockets are refused. (Plain HTTP to 127.0.0.1 still goes through in this mode, so a
        test that must prove the service worker served a page stops the relay as well.)"""
        with self.driver.using_context("chrome"):
            self.driver.execute_script("Services.io.offline = arguments[0];", script_args=[offline])
        return True

    def close(self):
        try:
            if self.bidi is not None:
                self.bidi.close()
            self.driver.delete_session()
        except Exception:  # noqa: BLE001 - the browser may already be gone; it is ended below anyway
            pass
        self._end()

    def _end(self):
        stop_group(self.proc)
        shutil.rmtree(self.profile, ignore_errors=True)


def open_page(engine: str, display_for_webkit, log_dir: Path) -> EnginePage:
    """A fresh phone of `engine`. `display_for_webkit()` gives the Xvfb display, started
    the first time WebKit asks for it."""
    if engine == "webkit":
        return WebKitPage(display_for_webkit(), log_dir)
    if engine == "firefox":
        return FirefoxPage(log_dir)
    raise ValueError(engine)

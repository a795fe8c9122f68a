"""Shared fixtures: a real relay process on an ephemeral port, per test; or the relay in the
test's own process (`local_relay`, `app`, `client`) where no socket is needed."""

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every relay of this test run, in a process or in this one, shares one compressed copy
# of the app (relay/static.py), made by the first: compressing it takes about a second.
if "HEARTH_APP_CACHE" not in os.environ:
    os.environ["HEARTH_APP_CACHE"] = tempfile.mkdtemp(prefix="hearth-test-app-cache-")
    atexit.register(shutil.rmtree, os.environ["HEARTH_APP_CACHE"], True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RelayProcess:
    """`hearth serve` as a user runs it, with its log captured to a file."""

    def __init__(self, data_dir: Path, env: dict | None = None):
        self.data_dir = data_dir
        self.log_path = data_dir.parent / f"{data_dir.name}-relay.log"
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def start(self) -> "RelayProcess":
        return self.launch().wait_ready()

    def launch(self) -> "RelayProcess":
        """Start the process, without waiting for it to serve."""
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hearth.relay.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--data", str(self.data_dir)],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.data_dir.parent,
            start_new_session=True)  # its own process group, so a kill reaches gunicorn's workers too
        log.close()
        return self

    def wait_ready(self) -> "RelayProcess":
        # Generous: a relay is up in a third of a second, but on a machine busy with other
        # test workers its first answer has been seen to take more than 20 s.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"relay exited early:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as r:
                    if json.load(r).get("status") == "ok":
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"relay did not become ready:\n{self.log_path.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up, like a power cut."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; open sockets just close
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> "RelayProcess":
        self.kill()
        return self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stats(self) -> dict:
        """`hearth stats` on this relay's data, as an operator runs it."""
        out = subprocess.run([sys.executable, "-m", "hearth.relay.cli", "stats", "--data", str(self.data_dir)],
                             capture_output=True, text=True, check=True, env=self.env)
        return json.loads(out.stdout)

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class SpareRelays:
    """A relay of its own for the next test, started while the test before runs: a relay
    takes about a third of a second to start, and dozens of tests each want a fresh one."""

    def __init__(self, root: Path):
        self.root, self.made, self.spare = root, 0, None

    def _launch(self) -> None:
        self.made += 1
        data = self.root / f"relay-{self.made}" / "relay"
        data.mkdir(parents=True)
        self.spare = RelayProcess(data).launch()

    def take(self) -> RelayProcess:
        if self.spare is None:
            self._launch()
        ready = self.spare
        self._launch()
        try:
            return ready.wait_ready()
        except BaseException:
            ready.kill()   # the test never gets it, so its teardown would never kill it
            raise

    def close(self) -> None:
        if self.spare is not None:
            self.spare.kill()


@pytest.fixture(scope="session")
def spare_relays(tmp_path_factory):
    spares = SpareRelays(tmp_path_factory.mktemp("own-relays"))
    yield spares
    spares.close()


@pytest.fixture
def relay_factory(tmp_path, request):
    """make(name="relay", env=None) -> a started RelayProcess of the test's own, on a fresh
    data directory; with the default settings, the one started ahead (SpareRelays)."""
    started = []

    def make(name: str = "relay", env: dict | None = None) -> RelayProcess:
        if name == "relay" and not env:
            r = request.getfixturevalue("spare_relays").take()
            started.append(r)
            return r
        r = RelayProcess(tmp_path / name, env)
        r.data_dir.mkdir(parents=True, exist_ok=True)
        started.append(r)
        return r.start()

    yield make
    for r in started:   # killed, not stopped: a test that cares how the relay stops says so
        r.kill()


@pytest.fixture
def relay(relay_factory) -> RelayProcess:
    return relay_factory()


@pytest.fixture(scope="session")
def shared_relay(tmp_path_factory):
    """One relay for every test that needs a relay but not its own: each pair is its own
    world on a relay, so pairs of different tests never meet. Its limits per address are
    lifted, as every test connects from 127.0.0.1."""
    data = tmp_path_factory.mktemp("shared") / "relay"
    data.mkdir()
    r = RelayProcess(data, {"HEARTH_LOGIN_RATE_PER_MINUTE": "1000000",
                            "HEARTH_MAX_CONNECTIONS_PER_ADDRESS": "100000"}).start()
    yield r
    r.stop()


@pytest.fixture
def any_relay(request) -> RelayProcess:
    """The test's own relay if it asked for one (to read its database or kill it), else the
    shared one."""
    return request.getfixturevalue("relay" if "relay" in request.fixturenames else "shared_relay")


@pytest.fixture
def couple(any_relay, tmp_path):
    """(alex, sam): two hearth-client devices paired through a real relay."""
    from client_helpers import Client, pair

    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(any_relay.url, alex, sam)
    return alex, sam


# ---------- the relay in this process (tests/local_relay.py) ----------

@pytest.fixture
def local_relay_factory(tmp_path):
    """make(name="local", env=None, upgrade=True) -> a LocalRelay on a fresh SQLite file, with
    settings from `env` alone (HEARTH_* variables, as for relay_factory). One per test."""
    from local_relay import LocalRelay

    made = []

    def make(name: str = "local", env: dict | None = None, upgrade: bool = True):
        made.append(LocalRelay(tmp_path / name, env, upgrade))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def local_relay(local_relay_factory):
    return local_relay_factory()


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the session (tests/postgres_helpers.py), started
    only if a test asks; each test makes its own database on it."""
    from postgres_helpers import PostgresServer, missing

    why = missing()
    if why:
        pytest.fail(why)   # CI installs it; a relay test that says PostgreSQL must run on it
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def local_relay_on_each(request, local_relay_factory):
    """A LocalRelay on SQLite, then on a fresh PostgreSQL database, for use cases whose
    transactions must hold on both engines."""
    if request.param == "sqlite":
        return local_relay_factory()
    server = request.getfixturevalue("postgres_server")
    name = f"t{len(request.node.name)}_{os.urandom(4).hex()}"
    server.create_database(name)
    return local_relay_factory(env={"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{server.port}/{name}"})


@pytest.fixture
def app(local_relay):
    """The relay's Flask app, as create_app makes it, on a temporary data directory."""
    return local_relay.app


@pytest.fixture
def client(app):
    return app.test_client()


# ---------- browser fixtures (Playwright driving Debian's chromium) ----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """One headless chromium for the whole session; each test gets fresh contexts."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import expect, sync_playwright

    # Playwright's 5 s for an expectation is short on a busy shared machine; a passing
    # expectation returns as soon as it holds, so this costs nothing.
    expect.set_options(timeout=15_000)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium):
    """new_context(**options) -> a fresh, isolated browser profile (own storage, own service
    workers), closed after the test. Defaults: a 360x740 phone viewport."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 360, "height": 740})
        context = chromium.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def browser_couple(relay, browser_context):
    """make(**context_options) -> (alex, sam): two phones, each its own browser profile,
    paired by link through the test's relay. Options go to both contexts."""
    from app_helpers import open_app, pair_by_link

    def make(**options):
        alex = open_app(browser_context(**options), relay.url)
        sam = open_app(browser_context(**options), relay.url)
        pair_by_link(alex, sam, relay.url)
        return alex, sam
    return make


# ---------- a hostile relay in front of the real one ----------

@pytest.fixture
def hostile(any_relay):
    """A started HostileRelay (tests/hostile_relay.py) in front of the test's relay (or the
    shared one): give devices and browsers `hostile.url` instead of `relay.url`; add rules
    to make it misbehave. Stopped after the test, which fails if one of its rules raised."""
    from hostile_relay import HostileRelay

    proxy = HostileRelay(any_relay.url).start()
    yield proxy
    proxy.stop()
    assert proxy.errors == [], "a hostile relay rule raised:\n" + "\n".join(proxy.errors)


@pytest.fixture
def hostile_couple(hostile, tmp_path):
    """(alex, sam): two hearth-client devices paired through the hostile relay, honest while
    they pair."""
    from client_helpers import Client, pair

    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(hostile.url, alex, sam)
    # The joiner hears `caught_up` after `pair_confirmed`, which may still be crossing when
    # pairing returns: a test's first rule must not catch it.
    hostile.until_all_closed()
    return alex, sam


# ---------- markers: -m "not browser and not slow" is the quick set ----------

BROWSER_FIXTURES = {"chromium", "browser_context", "browser_couple"}
PROCESS_FIXTURES = {"relay", "relay_factory", "shared_relay", "any_relay", "hostile"}


def pytest_collection_modifyitems(items):
    """Mark each test by what it starts, so nobody has to remember to."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & PROCESS_FIXTURES:
            item.add_marker(pytest.mark.process)


# What each engine offers where engines differ (tests/engines, through engine_note), printed
# at the end of the run: the differences are findings, not only pass or fail. Gathered here,
# from the tests' reports, because under pytest-xdist they arrive in this process from the
# workers, and only this conftest is loaded before any test is collected.
ENGINE_NOTES: dict[str, dict[str, object]] = {}


def pytest_runtest_logreport(report):
    if report.when == "call":
        for name, value in report.user_properties:
            engine, dot, key = name.partition(".")
            if dot and engine in ("webkit", "firefox"):
                ENGINE_NOTES.setdefault(engine, {})[key] = value


def pytest_terminal_summary(terminalreporter):
    if ENGINE_NOTES:
        terminalreporter.section("what each engine offers (tests/engines)")
        for engine in sorted(ENGINE_NOTES):
            for key, value in sorted(ENGINE_NOTES[engine].items()):
                terminalreporter.write_line(f"{engine:8} {key}: {value}")

"""Fixtures for the cross-engine tests: each test runs once in WebKit (WebKitGTK) and once
in Firefox (ESR), the engines of Safari on a phone and of Firefox, next to the Chromium
tests the rest of the suite drives through Playwright.

Every test here is marked `engines` and `browser`: `-m "not engines"` leaves them out, and
the quick set (`-m "not browser and not slow"`) never starts a browser.
"""

from pathlib import Path

import pytest

from engines.drivers import ENGINES, Display, EngineMissing, open_page

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.engines)
            item.add_marker(pytest.mark.browser)
            # One xdist worker takes them all, so each engine's browser starts once per run.
            item.add_marker(pytest.mark.xdist_group("engines"))


@pytest.fixture
def engine_note(engine, request):
    """engine_note(key, value): record what this engine does, in the test's report
    (user_properties), from which tests/conftest.py prints the run's summary."""
    def note(key: str, value) -> None:
        request.node.user_properties.append((f"{engine}.{key}", value))
    return note


@pytest.fixture(scope="session")
def engine_display():
    """display() -> the session's Xvfb display, started the first time WebKit needs one."""
    started = []

    def display() -> Display:
        if not started:
            started.append(Display())
        return started[0]

    yield display
    for d in started:
        d.close()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    """The engine under test, "webkit" or "firefox"; tests are grouped by it, so each
    engine's browsers come and go together."""
    return request.param


@pytest.fixture(scope="session")
def engine_logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("engine-logs")


def _open(engine, engine_display, engine_logs):
    try:
        return open_page(engine, engine_display, engine_logs)
    except EngineMissing as exc:   # CI installs every engine: a missing one fails, never skips
        pytest.fail(f"{engine}: {exc}", pytrace=False)


@pytest.fixture
def new_phone(engine, engine_display, engine_logs):
    """new_phone() -> a fresh phone (browser session, empty profile) of the engine under
    test, closed after the test."""
    pages = []

    def make():
        pages.append(_open(engine, engine_display, engine_logs))
        return pages[-1]

    yield make
    for page in pages:
        page.close()


@pytest.fixture(scope="module")
def module_phone(engine, engine_display, engine_logs):
    """One phone shared by the tests of a module that leave it as they found it (starting
    a browser costs seconds; the suite's budget is minutes)."""
    page = _open(engine, engine_display, engine_logs)
    yield page
    page.close()

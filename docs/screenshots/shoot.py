#!/usr/bin/env python3
"""Retake the screenshots in this folder: each screen at 360 px, light and dark.

Starts a throwaway relay, pairs two browser profiles, fills in a little of everything and
photographs it. Run from the repository root: python docs/screenshots/shoot.py
"""

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
from app_helpers import go, open_app, pair_by_link, show_code, write_journal  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


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


def add_boundary(page, section: str, label: str, level: str | None = None, note: str = "") -> None:
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


def shoot(browser, url: str, scheme: str) -> None:
    options = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "color_scheme": scheme}
    alex = open_app(browser.new_context(**options), url)
    sam = open_app(browser.new_context(**options), url)
    alex.screenshot(path=HERE / f"welcome-{scheme}.png")
    show_code(alex)
    alex.screenshot(path=HERE / f"pair-{scheme}.png")
    go(alex, "home")   # leave that code unused; pairing below shows a fresh one
    pair_by_link(alex, sam, url)
    write_journal(sam, "We tried a slow bath together with the lights low. No expectations, "
                       "just warmth. I felt more like myself than I have in weeks.")
    write_journal(alex, "A walk after dinner, holding hands. Short, but it was nice to feel close.")
    add_boundary(sam, "Add a kind of touch", "a hand on my back", "welcome")
    add_boundary(sam, "Add a body area", "around the port", "off_limits", "Still tender; not yet, please.")
    add_boundary(sam, "Add a topic", "how long recovery takes", "ask_first")
    add_boundary(sam, "Choose a stop signal", "the word 'amber'", note="and we just lie together for a bit")
    add_boundary(sam, "Add a kind of touch", "a long hug", "welcome")
    sam.get_by_label('How "a long hug" feels now').select_option("not_now")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="slow bath")).to_be_visible()
    alex.screenshot(path=HERE / f"journal-{scheme}.png")
    go(sam, "boundaries")
    sam.screenshot(path=HERE / f"boundaries-mine-{scheme}.png")
    go(alex, "boundaries?whose=partner")
    expect(alex.locator(".boundary-item", has_text="a long hug")).to_be_visible()
    alex.screenshot(path=HERE / f"boundaries-partner-{scheme}.png")
    go(alex, "home")
    expect(alex.locator(".stop-signal")).to_be_visible()
    alex.screenshot(path=HERE / f"home-{scheme}.png")


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        relay, url = start_relay(data)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for scheme in ("light", "dark"):
                    shoot(browser, url, scheme)
                browser.close()
        finally:
            relay.terminate()
            relay.wait(10)
    print("\n".join(sorted(p.name for p in HERE.glob("*.png"))))


if __name__ == "__main__":
    main()

"""The first visit on a phone, for bench/app.py: what crosses the wire, and Lighthouse.

first_visit_kb (target <= 150)
    A fresh 360x740 context (no service worker, empty HTTP cache) opens the relay's `/`.
    Definition: the sum of `transferSize` (headers and the body as sent, so compressed
    when the relay compresses) over the page's navigation entry and every resource entry
    that started before the first view heading `#view h1` was in the DOM, in KiB (1024
    bytes), from the browser's own resource timing. The service worker's precache fetches
    are its own, not the page's, and are not counted. first_visit_requests counts those
    entries; first_visit_raw_kb sums their decoded bodies, for comparison.

lh_performance (target >= 0.95), lh_lcp_ms (target <= 2500)
    Lighthouse LIGHTHOUSE_VERSION (npm, installed on demand into ~/.cache/hearth-bench), its
    default mobile form factor with simulated slow 4G and CPU throttling, performance
    category only, on Debian's chromium against the relay's `/`. Also lh_tti_ms and
    lh_requests. If npm or the install fails, the keys are null and a note says why.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_HOME = Path.home() / ".cache" / "hearth-bench" / f"lighthouse-{LIGHTHOUSE_VERSION}"

READ_FIRST_VISIT = """() => {
  const until = window.__benchFirstView;
  const entries = [performance.getEntriesByType("navigation")[0],
                   ...performance.getEntriesByType("resource").filter((e) => e.startTime <= until)];
  return { until, requests: entries.length,
           transfer: entries.reduce((sum, e) => sum + e.transferSize, 0),
           decoded: entries.reduce((sum, e) => sum + e.decodedBodySize, 0) };
}"""


def first_visit(browser, url: str, viewport: dict, probe: str) -> dict:
    context = browser.new_context(viewport=viewport)
    try:
        context.add_init_script(probe)
        page = context.new_page()
        page.goto(url + "/")
        page.wait_for_selector("#view h1")
        page.wait_for_function("() => window.__benchFirstView !== null")
        got = page.evaluate(READ_FIRST_VISIT)
    finally:
        context.close()
    return {"first_visit_kb": round(got["transfer"] / 1024, 1), "first_visit_requests": got["requests"],
            "first_visit_raw_kb": round(got["decoded"] / 1024, 1), "first_visit_view_ms": round(got["until"], 1)}


def _lighthouse_cli(note) -> Path | None:
    cli = LIGHTHOUSE_HOME / "node_modules" / "lighthouse" / "cli" / "index.js"
    if cli.exists():
        return cli
    note(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_HOME} (once)")
    LIGHTHOUSE_HOME.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", f"lighthouse@{LIGHTHOUSE_VERSION}"],
                       cwd=LIGHTHOUSE_HOME, check=True, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        note(f"lighthouse could not be installed: {exc}")
        return None
    return cli if cli.exists() else None


def lighthouse(url: str, chromium: str, chrome_args: list[str], note) -> dict:
    empty = {"lh_performance": None, "lh_lcp_ms": None, "lh_tti_ms": None, "lh_requests": None}
    cli = _lighthouse_cli(note)
    if cli is None:
        return empty
    # Lighthouse records no trace under the old headless mode (its NO_NAVSTART error).
    chrome_args = ["--headless=new" if a == "--headless" else a for a in chrome_args]
    with tempfile.TemporaryDirectory(prefix="hearth-lh-") as work:
        report = Path(work, "report.json")
        done = subprocess.run(
            ["node", str(cli), url + "/", "--quiet", "--only-categories=performance", "--output=json",
             f"--output-path={report}", f"--chrome-flags={' '.join(chrome_args)}"],
            env={**os.environ, "CHROME_PATH": chromium, "TMPDIR": work}, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not report.exists():
            note(f"lighthouse failed ({done.returncode}): {done.stderr.strip()[-500:]}")
            return empty
        lhr = json.loads(report.read_text())
    audits = lhr["audits"]
    return {"lh_performance": lhr["categories"]["performance"]["score"],
            "lh_lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
            "lh_tti_ms": round(audits["interactive"]["numericValue"]),
            "lh_requests": len(audits["network-requests"]["details"]["items"]),
            "lh_version": lhr["lighthouseVersion"]}


if __name__ == "__main__":
    sys.exit("run bench/app.py, which uses this module")

"""The app lock's figures for bench/app.py (issue #12): a second phone, paired with its own
reference device, with the lock on.

catchup_10k_locked_s (target <= 2)
    As catchup_10k_s, with the app lock on: the phone's page is closed while the reference
    device sends `envelopes` shared journal records; a new page opens #/journal, which shows
    the lock screen; the passcode is typed and Unlock tapped as soon as it shows. Seconds,
    by time.perf_counter(), from just before page.goto() until the app's database reports
    peer_next_seq == envelopes + 1. The passcode's key derivation is inside this figure
    (catchup_locked_kdf_ms says how much of it).

unlock_10k_ms (target <= 1000) and unlock_kdf_ms
    That phone now holds the envelopes' records, sealed. It locks (the page starts again at
    the lock screen), the passcode is typed and Unlock tapped. In the page: from the tap (the
    app's performance mark "hearth-unlock") to the moment Home has drawn its cards, which
    read the whole journal (a MutationObserver installed before any page script notes when
    `.home-body .form-actions` appears), less the Argon2id derivation, which is unlock_kdf_ms (the
    app's performance measure "hearth-kdf"). Reported: the median of `unlocks` runs, and
    unlock_total_ms with the derivation included.

Run alone, `python bench/app_lock.py [--envelopes N] [--runs 3] [--profile DIR] [--timeline]` measures only
these figures, beside the unlocked catch_up_10k_s of the same run as a baseline, each on a
fresh pairing, and prints the medians (and every run) as its last line of JSON. Beside each
figure, catchup_cpu_s and catchup_locked_cpu_s: the CPU seconds all of Chromium's processes
used in that catch-up, which a busy machine hardly changes where it can double the seconds
on the clock. --profile
records Chromium's CPU profile of the locked catch-up page (DevTools Profiler, from page
open to caught up) into DIR, one .cpuprofile a run (open in Chrome DevTools), and prints the
functions with the most self time. --timeline prints what each catch-up's page saw, in
order: every frame from the relay (its envelopes and bytes), every ack and receipt sent, and
every readwrite transaction (start, stores, how long until it committed).
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSCODE = "246813"

HOME_DRAWN_PROBE = """
(() => {
  if (window.top !== window) return;
  window.__benchHomeDrawn = null;
  const seen = () => {
    if (window.__benchHomeDrawn === null && document.querySelector('#view[data-view="home"] .home-body .form-actions')) {
      window.__benchHomeDrawn = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, attributes: true });
})();
"""

READ_UNLOCK = """() => {
  const last = (name) => performance.getEntriesByName(name).at(-1);
  return { start: last('hearth-unlock')?.startTime ?? null, kdf: last('hearth-kdf')?.duration ?? null,
           drawn: window.__benchHomeDrawn };
}"""

# --timeline: what the page waits for during a catch-up, without touching the app: the time
# each delivery frame arrives (and its envelopes), each ack and receipt sent, and each
# readwrite transaction's start and end with its stores.
TIMELINE_PROBE = """
(() => {
  if (window.top !== window) return;
  const log = window.__benchTimeline = [];
  const now = () => performance.now();
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try { const f = JSON.parse(data); if (f.type !== 'send') log.push([now(), 'out', f.type]); } catch {}
    return send.call(this, data);
  };
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, fn, ...rest) {
    if (type === 'message') {
      add.call(this, type, (e) => {
        const m = /"type": ?"(\\w+)"/.exec(e.data.slice(0, 40));
        log.push([now(), 'in', m ? m[1] : '?', (e.data.match(/"cursor"/g) || []).length, e.data.length]);
      }, ...rest);
    }
    return add.call(this, type, fn, ...rest);
  };
  const tx = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
    const t = tx.call(this, stores, mode, ...rest);
    if (mode === 'readwrite' || [].concat(stores).includes('records')) {
      const start = now();
      const names = [].concat(stores).join(',');
      t.addEventListener('complete', () => log.push([start, mode === 'readwrite' ? 'tx' : 'read', names, now() - start]));
      t.addEventListener('abort', () => log.push([start, 'tx-abort', names, now() - start]));
    }
    return t;
  };
})();
"""

TURN_ON = "(passcode) => import('/js/lock/state.js').then((s) => s.turnOn(passcode)).then(() => true)"


def type_passcode(page) -> None:
    page.get_by_label("Passcode", exact=True).fill(PASSCODE)
    page.get_by_role("button", name="Unlock", exact=True).click()


def locked_catch_up(browser, url: str, work: str, envelopes: int, timeout_s: float, log, helpers,
                    profile_to: Path | None = None, cpu=None, timeline: bool = False) -> dict:
    """The figures above; `helpers` are bench/app.py's pair_with_reference, fill_relay, poll,
    CAUGHT_UP and VIEWPORT (passed in: app.py runs as a script). With `profile_to`, the
    locked catch-up's CPU profile is written there; with `cpu` (the browser's CPU seconds so
    far), the catch-up's share is catchup_locked_cpu_s."""
    context = browser.new_context(viewport=helpers["VIEWPORT"])
    context.set_default_timeout(30_000)
    context.add_init_script(HOME_DRAWN_PROBE)
    if timeline:
        context.add_init_script(TIMELINE_PROBE)
    poll = helpers["poll"]
    out: dict = {"catchup_10k_locked_s": None, "unlock_10k_ms": None, "unlock_kdf_ms": None}
    try:
        partner_dir = str(Path(work, "partner-locked"))
        helpers["pair_with_reference"](context, url, partner_dir, log)
        page = context.new_page()
        log.attach(page, "lock on")
        page.goto(f"{url}/#/home")
        page.evaluate(TURN_ON, PASSCODE)
        page.close()
        helpers["fill_relay"](partner_dir, envelopes)

        page = context.new_page()
        log.attach(page, "locked catch-up")
        profiler = start_profile(context, page) if profile_to else None
        cpu0 = cpu() if cpu else None
        t0 = time.perf_counter()
        page.goto(f"{url}/#/journal")
        type_passcode(page)
        # Asked while still locked (the derivation under way), CAUGHT_UP's read of the sealed
        # meta store would throw inside IndexedDB's event handler and its promise never
        # settle: page.evaluate would wait for ever. main.js says "ready" once unlocked.
        page.wait_for_function("() => document.documentElement.dataset.ready === 'true'", timeout=timeout_s * 1000)
        done = poll(page, helpers["CAUGHT_UP"], envelopes + 1, timeout_s)
        elapsed = time.perf_counter() - t0
        if cpu:
            out["catchup_locked_cpu_s"] = round(cpu() - cpu0, 3)
        if profiler:
            profile_to.write_text(json.dumps(profiler.send("Profiler.stop")["profile"]))
        if timeline:
            print_timeline("locked", page)
        kdf = page.evaluate(READ_UNLOCK)["kdf"]
        out["catchup_locked_kdf_ms"] = round(kdf, 1) if kdf is not None else None
        if done:
            out["catchup_10k_locked_s"] = round(elapsed, 3)
        else:
            out["catchup_locked_timed_out_s"] = round(elapsed, 1)
            return out

        totals, kdfs = [], []
        for _ in range(3):
            with page.expect_navigation():
                page.evaluate("() => { import('/js/lock/state.js').then((s) => s.lockNow()); }")
            page.get_by_role("heading", name="Hearth is locked").wait_for()
            type_passcode(page)
            if not poll(page, "() => window.__benchHomeDrawn !== null", None, 30):
                raise SystemExit("Home was not drawn after unlocking")
            got = page.evaluate(READ_UNLOCK)
            totals.append(got["drawn"] - got["start"])
            kdfs.append(got["kdf"])
        kdf = statistics.median(kdfs)
        out["unlock_kdf_ms"] = round(kdf, 1)
        out["unlock_total_ms"] = round(statistics.median(totals), 1)
        out["unlock_10k_ms"] = round(statistics.median(t - k for t, k in zip(totals, kdfs)), 1)
        out["unlocks"] = len(totals)
        page.close()
    finally:
        context.close()
    return out


# ---------- run alone, with a profile or a timeline if asked ----------

def print_timeline(label: str, page) -> None:
    """The catch-up as the page saw it (TIMELINE_PROBE), one line an event, in ms from the
    first frame from the relay; then the totals: time in readwrite transactions, and the
    gaps between one delivery frame and the next."""
    events = sorted(page.evaluate("() => window.__benchTimeline || []"), key=lambda e: e[0])
    frames = [e for e in events if e[1] == "in"]
    if not frames:
        return
    t0 = frames[0][0]
    for e in events:
        print(f"  {label} {e[0] - t0:9.1f} {' '.join(str(round(x, 1) if isinstance(x, float) else x) for x in e[1:])}",
              flush=True)
    deliveries = [e for e in frames if e[2] == "deliveries"]
    txs = [e for e in events if e[1] == "tx"]
    print(f"  {label}: {len(deliveries)} delivery frames over {deliveries[-1][0] - deliveries[0][0]:.0f} ms;"
          f" readwrite transactions {sum(e[3] for e in txs):.0f} ms in all, the longest {max((e[3] for e in txs), default=0):.0f};"
          f" last event at {events[-1][0] - t0:.0f} ms; the first frame came {t0:.0f} ms after the page's"
          f" navigation began", flush=True)

def start_profile(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})   # µs
    cdp.send("Profiler.start")
    return cdp


def self_times(profile: dict, top: int = 25) -> list[tuple[float, str]]:
    """(ms, "function url:line") with the most self time in a .cpuprofile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    spent: dict[str, float] = {}
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0]):
        frame = nodes[sample]["callFrame"]
        where = f"{frame['functionName'] or '(anon)'} {frame['url'].rsplit('/', 1)[-1]}:{frame['lineNumber'] + 1}"
        spent[where] = spent.get(where, 0.0) + delta / 1000
    return sorted(((ms, where) for where, ms in spent.items()), reverse=True)[:top]


def browser_cpu(browser):
    """A function giving the CPU seconds every process of `browser` has used so far: a
    measure of the work a catch-up costs that a busy machine hardly changes, where seconds
    on the clock can double."""
    cdp = browser.new_browser_cdp_session()
    return lambda: sum(p["cpuTime"] for p in cdp.send("SystemInfo.getProcessInfo")["processInfo"])


def plain_catch_up(context, url: str, args, helpers, cpu, profile_to: Path | None):
    """bench/app.py's catch_up, its figure alone (and its CPU seconds), with the lock off:
    the baseline, under the profiler if asked."""
    page = context.new_page()
    profiler = start_profile(context, page) if profile_to else None
    cpu0 = cpu()
    t0 = time.perf_counter()
    page.goto(f"{url}/#/journal")
    done = helpers["poll"](page, helpers["CAUGHT_UP"], args.envelopes + 1, args.catchup_timeout)
    elapsed = time.perf_counter() - t0
    got = {"catchup_10k_s": round(elapsed, 3) if done else None, "catchup_cpu_s": round(cpu() - cpu0, 3)}
    if args.timeline:
        print_timeline("unlocked", page)
    if profiler:
        profile_to.write_text(json.dumps(profiler.send("Profiler.stop")["profile"]))
        for ms, where in self_times(json.loads(profile_to.read_text()), 12):
            print(f"  unlocked {ms:8.1f} ms  {where}", flush=True)
    page.close()
    return got


def main(args) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import app   # noqa: PLC0415 - app.py imports this module too
    from playwright.sync_api import sync_playwright

    work = tempfile.mkdtemp(prefix="hearth-bench-lock-")
    log = app.PageLog()
    helpers = {"pair_with_reference": app.pair_with_reference, "fill_relay": app.fill_relay, "poll": app.poll,
               "CAUGHT_UP": app.CAUGHT_UP, "VIEWPORT": app.VIEWPORT}
    runs = []
    relay = None
    try:
        data_dir = Path(work, "relay")
        data_dir.mkdir()
        relay, url = app.start_relay(str(data_dir), Path(work, "relay.log"))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=app.CHROMIUM, args=app.CHROMIUM_ARGS)
            cpu = browser_cpu(browser)
            try:
                for i in range(args.runs):
                    run_dir = Path(work, f"run{i}")
                    got = {}
                    if args.baseline:
                        context = browser.new_context(viewport=app.VIEWPORT)
                        context.set_default_timeout(30_000)
                        if args.timeline:
                            context.add_init_script(TIMELINE_PROBE)
                        partner = str(run_dir / "partner")
                        app.pair_with_reference(context, url, partner, log)
                        app.fill_relay(partner, args.envelopes)
                        got.update(plain_catch_up(context, url, args, helpers, cpu, args.profile
                                                  and Path(args.profile, f"unlocked-{i}.cpuprofile")))
                        context.close()
                    profile_to = Path(args.profile, f"locked-{i}.cpuprofile") if args.profile else None
                    got.update(locked_catch_up(browser, url, str(run_dir), args.envelopes, args.catchup_timeout,
                                               log, helpers, profile_to, cpu, args.timeline))
                    app.note(f"run {i + 1}: {json.dumps(got)}")
                    if profile_to:
                        for ms, where in self_times(json.loads(profile_to.read_text())):
                            app.note(f"  {ms:8.1f} ms  {where}")
                    runs.append(got)
            finally:
                browser.close()
    finally:
        if relay is not None:
            app.stop_relay(relay)
        shutil.rmtree(work, ignore_errors=True)
    out = {"envelopes": args.envelopes}
    for name in runs[0]:
        values = [r[name] for r in runs if isinstance(r.get(name), (int, float))]
        if values and name != "unlocks":
            out[name] = round(statistics.median(values), 3)
    out["runs"] = runs
    out["page_errors"] = log.errors
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The app lock's figures alone (see this file's docstring).")
    parser.add_argument("--envelopes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="fresh pairings measured; medians reported")
    parser.add_argument("--catchup-timeout", type=float, default=45.0)
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="skip the unlocked catch-up measured beside each locked one")
    parser.add_argument("--profile", type=Path, help="write each locked catch-up's CPU profile into this directory")
    parser.add_argument("--timeline", action="store_true",
                        help="print each catch-up's delivery frames, acks, receipts and transactions as the page saw them")
    parsed = parser.parse_args()
    if parsed.profile:
        parsed.profile.mkdir(parents=True, exist_ok=True)
    print(json.dumps(main(parsed)), flush=True)

"""The app told to wait at login (protocol §7: `rate_limited`, with `retry_after`): it comes
back no sooner than the relay asked, even when the phone comes online or into view
meanwhile, and then syncs as before. Two phones paired through a real relay whose login
limit is made tight by its setting; nothing sleeps: the test waits for what the page records."""

import threading

import pytest

from app_helpers import SYNCED, eventually, expect_status, open_app, pair_by_link
from test_client_login_gate import use_up_logins

pytestmark = pytest.mark.slow   # a wait of a few seconds the relay chooses

# Every socket the page opens, when, and what the relay said at login on it (performance.now() ms).
RECORD_SOCKETS = """() => {
  const Real = WebSocket;
  const seen = window.hearthSockets = { opens: [], refusals: [], readies: [] };
  window.WebSocket = class extends Real {
    constructor(...args) {
      super(...args);
      seen.opens.push(performance.now());
      this.addEventListener("message", (event) => {
        let frame;
        try { frame = JSON.parse(event.data); } catch { return; }
        if (frame.type === "error" && frame.code === "rate_limited") {
          seen.refusals.push({ at: performance.now(), retryAfter: frame.retry_after });
        }
        if (frame.type === "ready") seen.readies.push(performance.now());
      });
    }
  };
}"""


def test_the_app_waits_as_long_as_the_relay_asks_before_logging_in_again(relay_factory, browser_context):
    # 20 logins a minute from one address: a token every 3 s, so the wait asked is 1-3 s.
    relay = relay_factory("gate", env={"HEARTH_LOGIN_RATE_PER_MINUTE": "20"})
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    expect_status(alex, SYNCED)
    alex.evaluate(RECORD_SOCKETS)

    # Another program on the same address keeps the relay's login limit used up...
    stop, used_up = threading.Event(), threading.Event()

    def keep_using_up() -> None:
        while not stop.is_set():
            use_up_logins(relay.ws_url)
            used_up.set()

    draining = threading.Thread(target=keep_using_up)
    draining.start()
    try:
        assert used_up.wait(30)
        refusal = None
        for _ in range(5):
            # The connection drops. The phone's next login meets the used-up limit, unless a
            # token came back just then and the phone won it from the other program (CI saw
            # it); then it drops again.
            readies = alex.evaluate("() => hearthSockets.readies.length")
            alex.evaluate("() => dispatchEvent(new Event('offline'))")
            outcome = eventually(alex, "(n) => hearthSockets.refusals[0] || hearthSockets.readies.length > n", readies)
            if outcome is not True:
                refusal = outcome
                break
        assert refusal, "the phone won a login five times over a used-up limit"
    finally:
        stop.set()
        draining.join(30)
    # ...and the phone, told to wait, comes online and into view at once: neither may bring
    # its next login sooner than the relay asked.
    alex.evaluate("() => { dispatchEvent(new Event('online')); document.dispatchEvent(new Event('visibilitychange')); }")
    assert 1 <= refusal["retryAfter"] <= 3

    eventually(alex, "(after) => hearthSockets.readies.some((at) => at > after)", refusal["at"])
    seen = alex.evaluate("() => hearthSockets")
    after = [at for at in seen["opens"] if at > refusal["at"]]
    assert after and after[0] >= refusal["at"] + refusal["retryAfter"] * 1000, seen
    expect_status(alex, SYNCED)
    assert not alex.errors, alex.errors

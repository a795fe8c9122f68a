"""hearth-client refused at login for too many attempts (protocol §7, `rate_limited`): one
plain line that says how long the relay asked it to wait, and a failing exit status, so a
script that runs it (cron, a shell loop) knows to wait that long rather than try again at
once. Against a real relay whose login limit is made tight by its setting."""

from client_helpers import Client, pair
from wsproto_helpers import RawDevice


def use_up_logins(ws_url: str) -> dict:
    """Log in with nonsense from the test's own address until the relay says to wait: the
    limit is per address, and counts a login before its signature is checked."""
    for _ in range(100):
        device = RawDevice(ws_url)
        try:
            device.send({"type": "login", "device": "A" * 22, "sig": "A" * 86})
            answer = device.expect("error")
        finally:
            device.close()
        if answer["code"] == "rate_limited":
            return answer
    raise AssertionError("the relay never limited logins")


def test_a_rate_limited_login_prints_one_line_with_the_wait_and_fails(relay_factory, tmp_path):
    relay = relay_factory("gate", env={"HEARTH_LOGIN_RATE_PER_MINUTE": "6"})
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam", process=True)
    pair(relay.url, alex, sam)
    refused = use_up_logins(relay.ws_url)
    assert 1 <= refused["retry_after"] <= 10   # 6 a minute: a token every 10 s

    done = sam.run("sync", check=False)

    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("hearth-client: the relay is busy or has had too many attempts"), lines[0]
    wait = int(lines[0].split("try again in ")[1].split()[0])
    assert 1 <= wait <= 10, lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""

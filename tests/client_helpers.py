"""`hearth-client` as a user runs it: real processes, real state directories, a real relay."""

import json
import subprocess
import sys
from pathlib import Path

from hearth.client.device import Device
from hearth.client.state import State


class Client:
    def __init__(self, state_dir: Path):
        self.state_dir = state_dir

    def run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "hearth.client.cli", "--state", str(self.state_dir), *args],
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise AssertionError(f"hearth-client {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
        return done

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "hearth.client.cli", "--state", str(self.state_dir), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)

    def put(self, rtype: str, fields: dict) -> str:
        return self.run("put", rtype, json.dumps(fields)).stdout.strip()

    def list(self, rtype: str) -> list[dict]:
        return [json.loads(line) for line in self.run("list", rtype).stdout.splitlines()]

    def sync(self) -> subprocess.CompletedProcess:
        return self.run("sync")

    def device(self) -> Device:
        """The same device in-process, for putting hundreds of records quickly."""
        return Device(State(str(self.state_dir)))


def pair(relay_url: str, inviter: Client, joiner: Client) -> str:
    """invite on one, join on the other with the printed link; both must show the same code."""
    proc = inviter.popen("invite", relay_url, "--timeout", "30")
    try:
        link = proc.stdout.readline().strip()
        assert link.startswith(relay_url + "/#/pair?v=1&"), link
        joined = joiner.run("join", link)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    code = joined.stdout.strip()
    assert code.startswith("safety code: ") and out.strip() == code
    return code.removeprefix("safety code: ")


def pair_with_app(relay_url: str, client: Client, context):
    """`client` invites, the app in a fresh page of `context` opens the link and confirms;
    both must show the same safety code. Returns the app's page."""
    from app_helpers import confirm_pairing, open_app

    inviting = client.popen("invite", relay_url, "--timeout", "60")
    try:
        link = inviting.stdout.readline().strip()
        page = open_app(context, relay_url)
        page.goto(link)
        code = confirm_pairing(page)
        out, err = inviting.communicate(timeout=30)
    finally:
        if inviting.poll() is None:
            inviting.kill()
    assert inviting.returncode == 0, err
    assert out.strip() == f"safety code: {code}"
    return page

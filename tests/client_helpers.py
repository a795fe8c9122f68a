"""`hearth-client` as a user runs it: real state directories, a real relay.

`run` calls the command line's own `main` in this process, which spares a new interpreter
(and its imports) per call; `Client(dir, process=True)` runs real processes instead, and
`popen` always does, for commands that wait on each other (pairing) or are killed.
"""

import contextlib
import io
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from hearth.client import cli
from hearth.client.device import Device
from hearth.client.state import State


class Client:
    def __init__(self, state_dir: Path, process: bool = False):
        self.state_dir = state_dir
        self.process = process

    def run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        argv = ["--state", str(self.state_dir), *args]
        if self.process:
            done = subprocess.run([sys.executable, "-m", "hearth.client.cli", *argv],
                                  capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        else:
            done = _in_process(argv)
        if check and done.returncode != 0:
            raise AssertionError(f"hearth-client {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
        return done

    def popen(self, *args: str, stdin=subprocess.DEVNULL) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "hearth.client.cli", "--state", str(self.state_dir), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=stdin)

    def put(self, rtype: str, fields: dict) -> str:
        return self.run("put", rtype, json.dumps(fields)).stdout.strip()

    def list(self, rtype: str) -> list[dict]:
        return [json.loads(line) for line in self.run("list", rtype).stdout.splitlines()]

    def sync(self) -> subprocess.CompletedProcess:
        return self.run("sync")

    @property
    def device_id(self) -> str:
        return self.device().state.get("device")

    def device(self) -> Device:
        """The same device in-process, for putting hundreds of records quickly."""
        return Device(State(str(self.state_dir)))


def _in_process(argv: list[str]) -> subprocess.CompletedProcess:
    """cli.main(argv) with its output captured, as a finished process would report it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            open(os.devnull) as nothing, _stdin(nothing):
        try:
            code = cli.main(argv)
        except SystemExit as exc:   # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(["hearth-client", *argv], code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin(stream):
    saved, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = saved


def read_code(proc: subprocess.Popen) -> str:
    """The six numbers a pairing process prints on its `safety code: 123 456` line."""
    line = proc.stdout.readline().strip()
    assert line.startswith("safety code: "), f"{line!r}\n{proc.stderr.read() if proc.poll() is not None else ''}"
    return line.removeprefix("safety code: ")


def invite_and_join_on_the_command_line(inviter: Client, joiner: Client, command: str,
                                        timeout: int = 30) -> tuple[str, str]:
    """`inviter` runs `command` (replace-partner, move) as a script would: the link on the
    first line, the code, the joiner's numbers typed in; returns both processes' stderr."""
    inviting = inviter.popen(command, "--timeout", str(timeout), stdin=subprocess.PIPE)
    joining = None
    try:
        link = inviting.stdout.readline().strip()
        assert "/#/pair?v=1&" in link, link + inviting.stderr.read()
        joining = joiner.popen("join", link, "--timeout", str(timeout))
        code = read_code(joining)
        assert read_code(inviting) == code
        _, err = inviting.communicate(code + "\n", timeout=timeout)
        assert inviting.returncode == 0, err
        _, jerr = joining.communicate(timeout=timeout)
        assert joining.returncode == 0, jerr
    finally:
        for proc in (inviting, joining):
            if proc is not None and proc.poll() is None:
                proc.kill()
    return err, jerr


def pair(relay_url: str, inviter: Client, joiner: Client) -> str:
    """invite on one, join on the other with the printed link; both show the same code, and
    the inviter's person types the joiner's numbers to confirm it, as a person would. Real
    `hearth-client` processes if either Client asks for them, else both devices in threads."""
    if not (inviter.process or joiner.process):
        return _pair_in_threads(relay_url, inviter, joiner)
    inviting = inviter.popen("invite", relay_url, "--timeout", "30", stdin=subprocess.PIPE)
    joining = None
    try:
        link = inviting.stdout.readline().strip()
        assert link.startswith(relay_url + "/#/pair?v=1&"), link
        joining = joiner.popen("join", link, "--timeout", "30")
        shown_to_joiner = read_code(joining)
        assert read_code(inviting) == shown_to_joiner
        out, err = inviting.communicate(shown_to_joiner + "\n", timeout=30)
        assert inviting.returncode == 0, err
        jout, jerr = joining.communicate(timeout=30)
        assert joining.returncode == 0, jerr
    finally:
        for proc in (inviting, joining):
            if proc is not None and proc.poll() is None:
                proc.kill()
    return shown_to_joiner


def _pair_in_threads(relay_url: str, inviter: Client, joiner: Client, timeout: float = 30) -> str:
    """What `invite` and `join` do, each device in a thread of its own: the link and the
    joiner's numbers pass between them as the two people would pass them."""
    return exchange_in_threads(lambda link, ask: Device(State(str(inviter.state_dir))).invite(
        relay_url, timeout, link, lambda code: None, ask), joiner, timeout)


def exchange_in_threads(invite, joiner: Client, timeout: float = 30, typed: str | None = None,
                        failures: list | None = None, then=None) -> str | None:
    """invite(on_link, ask_code) on one device and `join` on the other, each in a thread;
    the inviter's person types what the joiner's screen shows, or `typed`. Returns the code
    the inviter showed, once both have finished. A failure is raised, or, given a list in
    `failures`, added to it with the others (in no particular order). `then(device)` runs
    on the joiner once it has joined."""
    link, numbers = queue.Queue(), queue.Queue()
    shown = {}
    failed = []

    def inviting():
        shown["inviter"] = invite(link.put, lambda: numbers.get(timeout=timeout) + "\n")

    def join():
        def on_code(code):
            shown["joiner"] = code
            numbers.put(code if typed is None else typed)
        device = Device(State(str(joiner.state_dir)))
        device.join(link.get(timeout=timeout), timeout, on_code)
        if then is not None:
            then(device)

    def run(fn):
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the test's thread
            failed.append(exc)
            link.put("")      # so the other side stops waiting for what will not come
            numbers.put("")

    threads = [threading.Thread(target=run, args=(fn,), daemon=True) for fn in (inviting, join)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout + 5)
    if failed and failures is None:
        raise failed[0]
    if failed:
        failures.extend(failed)
        return None
    assert shown["inviter"] == shown["joiner"], shown
    return shown["inviter"]


def replace_partner(remaining: Client, newcomer: Client, typed: str | None = None, timeout: float = 30,
                    failures: list | None = None) -> str | None:
    """`remaining` pairs `newcomer` in its partner's lost phone's place (§11.3) as
    `hearth-client replace-partner` does, pushing the history before it returns, while
    `newcomer` joins by the link; each in a thread. `typed`: what the remaining phone's
    person types instead of the numbers on the new phone. Returns the safety code."""
    def replace(on_link, ask):
        device = remaining.device()
        code = device.replace_partner(timeout, on_link, lambda code: None, ask)
        device.sync()
        return code
    return exchange_in_threads(replace, newcomer, timeout, typed, failures)


def move_phone(old: Client, new: Client, timeout: float = 30, before_confirming=None) -> str:
    """`old` moves to `new` (§11.4) as `hearth-client move` and `join` do, each in a thread:
    returns the safety code the partner's phone will show for the new one, once the old one
    has retired and the new one has taken its place. `before_confirming()` runs while the
    old phone's person is about to type the numbers."""
    moved = []

    def move(on_link, ask):
        def typing():
            if before_confirming is not None:
                before_confirming()
            return ask()
        shown = []
        moved.append(old.device().move(timeout, on_link, shown.append, typing))
        return shown[0]   # the code both phones showed while pairing

    def finish(device):
        assert device.finish_move(timeout), "the new phone did not take the old one's place in time"
    exchange_in_threads(move, new, timeout, then=finish)
    assert moved == [new.device().state.get("safety_code")]
    return moved[0]


def client_invites(relay_url: str, client: Client, join) -> str:
    """`client` invites; `join(link)` joins on the other device (an app page, by link or by its
    scanner) and returns the six numbers it shows, which the client's person types in.
    Returns them once the client has confirmed."""
    inviting = client.popen("invite", relay_url, "--timeout", "60", stdin=subprocess.PIPE)
    try:
        link = inviting.stdout.readline().strip()
        assert link.startswith(relay_url + "/#/pair?v=1&"), link
        code = join(link)
        assert read_code(inviting) == code
        out, err = inviting.communicate(code + "\n", timeout=30)
    finally:
        if inviting.poll() is None:
            inviting.kill()
    assert inviting.returncode == 0, err
    return code


def pair_with_app(relay_url: str, client: Client, context):
    """`client` invites, the app in a fresh page of `context` opens the link and joins; the
    client's person types the numbers the app shows, and the app hears it is confirmed.
    Returns the app's page."""
    from app_helpers import confirm_pairing, finish_joining, open_app

    page = open_app(context, relay_url)

    def join(link):
        page.goto(link)
        return confirm_pairing(page)

    client_invites(relay_url, client, join)
    finish_joining(page)
    return page


def client_joins_the_app(page, client: Client, link: str, timeout: int = 60) -> None:
    """`client` joins the link the app on `page` shows (to replace a partner's phone or move
    to a new one); the app's person compares the numbers and says they match."""
    from app_helpers import safety_code

    joining = client.popen("join", link, "--timeout", str(timeout))
    try:
        code = read_code(joining)
        assert safety_code(page) == code
        page.get_by_role("button", name="They match").click()
        _, err = joining.communicate(timeout=timeout)
    finally:
        if joining.poll() is None:
            joining.kill()
    assert joining.returncode == 0, err


def modified_partner_bodies(author: str, good_id: str, good_text: str) -> tuple[list[dict], int]:
    """What a buggy or modified partner app could seal with its real key: one envelope of
    operations that do not fit around one that does, and one whose body is not {"ops": [...]}.
    Returns the bodies and how many updates in them do not fit."""
    hlc = f"{int(time.time() * 1000):013d}.0000.{author}"
    misfits = [
        {"type": "journal", "id": "numberClock00000000000", "hlc": 1764000000001, "fields": {"text": "a number for a clock"}},
        {"type": "journal", "id": ["a", "list", "for", "an", "id"], "hlc": hlc, "fields": {"text": "a list for an id"}},
        {"type": "journal", "id": "\ud800" + "A" * 21, "hlc": hlc, "fields": {"text": "half a character in the id"}},
        {"type": "spells", "id": "unknownType00000000000", "hlc": hlc, "fields": {"text": "a type from a newer app"}},
        {"type": "journal", "id": "fieldsList000000000000", "hlc": hlc, "fields": ["text", "not an object"]},
        {"type": "boundary", "id": "baseIsText000000000000", "hlc": hlc, "base": "not an object",
         "fields": {"kind": "touch", "label": "hugs", "level": "not_now"}},
    ]
    good = {"type": "journal", "id": good_id, "hlc": hlc, "fields": {"text": good_text, "shared": True}}
    return [{"ops": [*misfits[:3], good, *misfits[3:]]}, {"ops": "not a list"}], len(misfits) + 1


def queue_raw(client: Client, bodies: list[dict]) -> None:
    """Put hand-built bodies in the client's outbox; its next sync seals them with its own key."""
    state = client.device().state
    with state.transaction():
        for body in bodies:
            state.queue(json.dumps(body).encode())

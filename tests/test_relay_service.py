"""The use cases on their own: service.py through a link that records what it is told, with
no socket, no Flask and a clock the test moves."""

import ast
from pathlib import Path

from hearth.protocol.encoding import b64u
from hearth.protocol.identity import DeviceKeys
from hearth.relay import ending, service, store
from hearth.relay.pump import Pump

RELAY = Path(__file__).resolve().parent.parent / "server" / "hearth" / "relay"


class Recorder:
    """A session's link: keeps the frames instead of writing them anywhere."""

    def __init__(self):
        self.frames = []

    def send(self, frame: dict) -> None:
        self.frames.append(frame)

    def refuse(self, err, in_type) -> None:
        self.frames.append(err.frame(in_type))

    def alive(self) -> bool:
        return True


def registered(relay: service.Relay):
    session = relay.open_session(Recorder(), "10.0.0.1")
    relay.hello(session)
    keys = DeviceKeys.generate()
    relay.register(session, {"type": "register", **keys.public_frame(), "sig": b64u(keys.sign_register(session.challenge))})
    assert [f["type"] for f in session.link.frames] == ["challenge", "registered"]
    return session


def exists(device: str) -> bool:
    with store.reading():
        return store.device(device) is not None


def test_devices_that_never_paired_expire_at_a_later_login_unless_connected(local_relay):
    relay = local_relay.relay
    gone, connected = registered(relay), registered(relay)
    relay.close_session(gone)
    local_relay.sleep(25 * 3600)   # past unpaired_ttl_hours, 24 by default
    newcomer = registered(relay)   # a login purges, at most every PURGE_EVERY seconds
    assert not exists(gone.device)
    assert exists(connected.device) and exists(newcomer.device)
    relay.close_session(connected)
    local_relay.sleep(ending.PURGE_EVERY - 60)
    registered(relay)
    assert exists(connected.device)   # the last purge was too recent; the next login's is not
    local_relay.sleep(60)
    registered(relay)
    assert not exists(connected.device) and exists(newcomer.device)


def test_a_kick_during_a_delivery_runs_it_once_more_and_never_twice_at_once():
    tasks, steps = [], []

    def step():
        steps.append(pump.running)
        if len(steps) == 1:
            pump.kick()   # an envelope arrives while the first round is still sending

    pump = Pump(step, tasks.append)
    pump.kick()
    pump.kick()   # before the task has even started: still one task
    assert len(tasks) == 1 and steps == []
    tasks.pop()()
    assert steps == [True, True] and not pump.running
    pump.kick()   # idle again: a new task
    assert len(tasks) == 1


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_use_cases_know_no_transport():
    """service.py and what it uses move no frames themselves and start no thread of their own."""
    for name in ("service.py", "sessions.py", "logging_in.py", "forwarding.py", "news.py", "pairing.py", "moving.py",
                 "ending.py", "hub.py", "pump.py", "domain.py", "migrations.py", "store.py", "database.py",
                 "models.py", "devices.py", "invites.py", "envelopes.py", "upkeep.py"):
        source = (RELAY / name).read_text()
        assert not imports_of(RELAY / name) & {"flask", "flask_sock", "simple_websocket", "werkzeug", "gevent",
                                               "socket", "gunicorn"}, name
        assert "Thread(" not in source and "json.dumps(frame" not in source, name


def test_every_write_of_a_use_case_goes_through_the_group_commit():
    """A use case's own transaction on SQLite syncs the disk on the event loop and holds up
    every connection of the process: writes go through Relay.write (committer.py). Only the
    purge, every ten minutes at most, and PostgreSQL's shared rate limits (shared.py, whose
    commits wait for no disk) keep transactions of their own."""
    allowed = {"purge_now", "hit"}
    found = []
    for path in sorted(RELAY.glob("*.py")):
        if path.stem in ("store", "database", "models", "devices", "invites", "envelopes", "upkeep",
                         "cli", "committer"):
            continue   # the queries and what opens their transactions
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name not in allowed:
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and call.func.attr in ("transaction", "atomic", "relaxed_transaction")):
                        found.append(f"{path.name}: {node.name}")
    assert found == []

"""Pairing against a hostile relay or a stranger with a leaked link (protocol §4).

The relay keeps a joiner pending until the inviter confirms the safety code; every public
key is checked at every entry; a pairing completes on both sides or on neither.
"""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from hearth.protocol.encoding import b64u
from hearth.protocol.identity import register_message
from hearth.protocol.primitives import sign
from hearth.relay import domain
from test_relay_protocol import refused, stats
from wsproto_helpers import RawDevice, accepted, joined_pending, paired

ZERO_POINT = bytes(65)
NO_POINT = b"\x04" + bytes(64)                                   # right shape, not on the curve
OFF_CURVE = b"\x04" + (1).to_bytes(32, "big") + (1).to_bytes(32, "big")
BAD_POINTS = [ZERO_POINT, NO_POINT, OFF_CURVE]


def signed_register(device: RawDevice, sig_pub: bytes, dh_pub: bytes) -> dict:
    """A register frame whose signature is good, over whatever keys it names."""
    sig = device.keys.sig
    return {"type": "register", "suite": 1, "sig_pub": b64u(sig_pub), "dh_pub": b64u(dh_pub),
            "sig": b64u(sign(sig, register_message(device.challenge, 1, sig_pub, dh_pub)))}


# --- 5. every public key is a point on P-256 -----------------------------------------------------

@pytest.mark.parametrize("bad", BAD_POINTS, ids=["zero", "no-point", "off-curve"])
def test_register_refuses_a_dh_key_that_is_not_a_point(local_relay, bad):
    device = RawDevice(local_relay.ws_url)
    err = refused(device, signed_register(device, device.keys.sig_pub, bad), "bad_key")
    assert "'dh_pub'" in err["message"]
    # The challenge was not spent on it: the same connection can still register properly.
    device.register()
    assert stats(local_relay)["devices"] == 1


def test_register_refuses_a_signing_key_that_is_not_a_point(local_relay):
    device = RawDevice(local_relay.ws_url)
    frame = signed_register(device, device.keys.sig_pub, device.keys.dh_pub)
    frame["sig_pub"] = b64u(OFF_CURVE)
    assert "'sig_pub'" in refused(device, frame, "bad_key")["message"]
    assert stats(local_relay)["devices"] == 0


@pytest.mark.parametrize("field", ["eph", "dh_pub", "sig_pub"])
@pytest.mark.parametrize("bad", BAD_POINTS, ids=["zero", "no-point", "off-curve"])
def test_join_refuses_keys_that_are_not_points(local_relay, field, bad):
    a = RawDevice(local_relay.ws_url)
    a.register()
    invite = a.invite()
    b = RawDevice(local_relay.ws_url)
    frame = b.join_frame(invite)
    frame[field] = b64u(bad)
    if field == "dh_pub":   # a good signature over the bad key: only the point check refuses it
        frame["sig"] = signed_register(b, b.keys.sig_pub, bad)["sig"]
    refused(b, frame, "bad_key")
    assert a.quiet()   # nothing reached the inviter
    b.join(invite)     # the invite is untouched, the challenge unspent
    assert a.expect("pair_request")["device"] == b.id


def test_key_errors_are_documented():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text()
    for code in ("bad_key", "not_accepted", "invite_cancelled", "already_paired", "not_joined", "not_your_invite"):
        assert f"| `{code}` |" in doc, code
        assert code in domain.MESSAGES


# --- 6. a refused joiner leaves the pair as it was ----------------------------------------------

def test_a_pending_joiner_is_not_in_the_pair(local_relay):
    a, b, invite = joined_pending(local_relay.ws_url)
    assert stats(local_relay)["devices"] == 1
    assert RawDevice(local_relay.ws_url, a.keys).login()["peer"] is None
    seq, env = a.envelope()
    refused(a, {"type": "send", "seq": seq, "body": b64u(env)}, "no_peer")
    # The pending joiner can neither send, acknowledge nor invite.
    refused(b, {"type": "ack", "cursor": 1}, "not_logged_in")
    refused(b, {"type": "invite", "invite": b64u(os.urandom(16))}, "not_logged_in")
    b.send({"type": "send", "seq": 1, "body": b64u(env)})
    assert b.expect("error")["code"] in ("no_peer", "not_logged_in")
    assert stats(local_relay)["queued_envelopes"] == 0


def test_a_junk_joiner_refused_by_the_inviter_leaves_room_for_the_real_partner(local_relay):
    a, stranger, invite = joined_pending(local_relay.ws_url)   # anyone who learns the invite id
    a.send({"type": "cancel", "invite": invite})
    assert a.expect("cancel_ok")["invite"] == invite
    assert stranger.expect("pair_cancelled")["invite"] == invite
    # The stranger is forgotten: its login fails like any unknown device's.
    again = RawDevice(local_relay.ws_url, stranger.keys)
    refused(again, {"type": "login", "device": again.id, "sig": b64u(again.keys.sign_login(again.challenge))},
            "login_failed")
    # The invite is spent, the pair is as it was, and a new code pairs the real partner.
    late = RawDevice(local_relay.ws_url)
    refused(late, late.join_frame(invite), "invite_used")
    assert stats(local_relay)["devices"] == 1
    fresh = a.invite()
    partner = RawDevice(local_relay.ws_url)
    partner.join(fresh)
    a.expect("pair_request")
    a.send({"type": "accept", "invite": fresh, "box": b64u(b"box")})
    a.expect("accept_ok")
    a.send({"type": "confirm", "invite": fresh})
    assert a.expect("confirm_ok")["peer"]["device"] == partner.id
    assert stats(local_relay)["devices"] == 2


def test_the_joiner_can_cancel_and_the_inviter_hears_it(local_relay):
    a, b, invite = accepted(local_relay.ws_url)
    b.send({"type": "cancel", "invite": invite})
    b.expect("cancel_ok")
    assert a.expect("pair_cancelled")["invite"] == invite
    refused(a, {"type": "confirm", "invite": invite}, "invite_cancelled")
    refused(a, {"type": "accept", "invite": invite, "box": b64u(b"x")}, "invite_cancelled")
    b.send({"type": "cancel", "invite": invite})   # cancelling twice is harmless
    b.expect("cancel_ok")
    refused(b, {"type": "cancel", "invite": b64u(os.urandom(16))}, "not_your_invite")
    assert stats(local_relay)["devices"] == 1


def test_pending_joiners_of_expired_invites_are_forgotten(local_relay_factory):
    local_relay = local_relay_factory(env={"HEARTH_INVITE_TTL_SECONDS": "2"})
    a, b, invite = accepted(local_relay.ws_url)
    b.close()
    local_relay.sleep(3.1)
    refused(a, {"type": "confirm", "invite": invite}, "invite_expired")
    late = RawDevice(local_relay.ws_url, b.keys)
    refused(late, {"type": "login", "device": late.id, "sig": b64u(late.keys.sign_login(late.challenge))},
            "login_failed")
    assert stats(local_relay)["devices"] == 1
    assert a.invite()   # the inviter simply shows a new code


def test_a_new_code_replaces_the_old_one_and_drops_its_pending_joiner(local_relay):
    a, b, old = joined_pending(local_relay.ws_url)
    a.invite()
    assert b.expect("pair_cancelled")["invite"] == old
    refused(a, {"type": "confirm", "invite": old}, "invite_cancelled")
    assert stats(local_relay)["devices"] == 1


# --- 7 and 8. the comparison cannot be skipped; both sides or neither ----------------------------

def test_confirm_only_after_accept_by_the_inviter_and_only_once_in_effect(local_relay):
    a, b, invite = joined_pending(local_relay.ws_url)
    refused(a, {"type": "confirm", "invite": invite}, "not_accepted")
    refused(b, {"type": "confirm", "invite": invite}, "not_logged_in")
    other = RawDevice(local_relay.ws_url)
    other.register()
    refused(other, {"type": "confirm", "invite": invite}, "invite_unknown")
    refused(other, {"type": "cancel", "invite": invite}, "invite_unknown")
    a.send({"type": "accept", "invite": invite, "box": b64u(b"box")})
    a.expect("accept_ok")
    assert b.expect("pair_accepted")["box"] == b64u(b"box")
    assert stats(local_relay)["devices"] == 2   # a and other: accepted is not admitted
    a.send({"type": "confirm", "invite": invite})
    ok = a.expect("confirm_ok")
    assert ok["peer"] == {"device": b.id, **b.keys.public_frame()}
    assert b.expect("pair_confirmed")["invite"] == invite
    # The joiner's connection is now logged in: it receives, and it acknowledges.
    sent = a.send_envelope()
    assert b.expect("deliver")["cursor"] == sent["cursor"]
    # A lost confirm_ok: confirming again is harmless; cancelling now is too late.
    a.send({"type": "confirm", "invite": invite})
    assert a.expect("confirm_ok")["peer"]["device"] == b.id
    refused(a, {"type": "cancel", "invite": invite}, "already_paired")
    assert stats(local_relay)["devices"] == 3


def test_an_inviter_whose_confirm_ok_was_lost_learns_the_peer_from_ready(local_relay):
    a, b, invite = accepted(local_relay.ws_url)
    a.send({"type": "confirm", "invite": invite})
    b.expect("pair_confirmed")
    a.close()   # its confirm_ok is never read
    assert RawDevice(local_relay.ws_url, a.keys).login()["peer"]["device"] == b.id


def test_a_pending_joiner_can_log_in_again_for_each_step(local_relay):
    a, b, invite = joined_pending(local_relay.ws_url)
    b.close()
    again = RawDevice(local_relay.ws_url, b.keys)
    joined = again.login_pending()
    assert joined["pending"] is True and joined["peer"]["device"] == a.id
    a.send({"type": "accept", "invite": invite, "box": b64u(b"box")})
    a.expect("accept_ok")
    assert again.expect("pair_accepted")["box"] == b64u(b"box")
    again.close()
    third = RawDevice(local_relay.ws_url, b.keys)
    third.login_pending()
    assert third.expect("pair_accepted")["box"] == b64u(b"box")   # again, until confirmed
    a.send({"type": "confirm", "invite": invite})
    a.expect("confirm_ok")
    third.expect("pair_confirmed")


def test_a_confirm_between_a_joiners_lookup_and_its_joining_the_hub_still_reaches_it(local_relay, monkeypatch):
    """On PostgreSQL a login's queries yield to other connections: the inviter's confirm can
    commit after the relay looked the pending joiner up and before its connection can hear
    news. The connection looks again once it can, so the joiner still hears it."""
    a, b, invite = accepted(local_relay.ws_url)
    b.close()
    relay = local_relay.relay
    enter_pending = type(relay).enter_pending

    def confirmed_meanwhile(self, session, inv):
        monkeypatch.setattr(type(relay), "enter_pending", enter_pending)
        a.send({"type": "confirm", "invite": invite})   # committed and published: nobody here hears it
        return enter_pending(self, session, inv)
    monkeypatch.setattr(type(relay), "enter_pending", confirmed_meanwhile)
    again = RawDevice(local_relay.ws_url, b.keys)
    again.login_pending()
    a.expect("confirm_ok")
    assert again.expect("pair_accepted")["invite"] == invite
    assert again.expect("pair_confirmed")["invite"] == invite
    assert again.quiet()


def test_caught_up_follows_joined(local_relay):
    a = RawDevice(local_relay.ws_url)
    a.register()
    invite = a.invite()
    b = RawDevice(local_relay.ws_url)
    b.send(b.join_frame(invite))
    assert [b.recv()["type"], b.recv()["type"]] == ["joined", "caught_up"]


def test_a_third_device_cannot_slip_in_once_paired(local_relay):
    a, b, invite = paired(local_relay.ws_url)
    refused(a, {"type": "invite", "invite": b64u(os.urandom(16))}, "pair_full")
    third = RawDevice(local_relay.ws_url)
    refused(third, third.join_frame(invite), "invite_used")


# --- the rules on their own ---------------------------------------------------------------------

def row(used_at=None, expires_at=100, joiner=None, join_frame=None, accept_box=None):
    return SimpleNamespace(used_at=used_at, expires_at=expires_at, pair_id="P" * 22, creator="A" * 22,
                           joiner=joiner, join_frame=join_frame, accept_box=accept_box, kind=None)


def test_invite_states():
    state = domain.invite_state
    assert state(row(), False, 50) == "open"
    assert state(row(expires_at=49), False, 50) == "expired"
    assert state(row(used_at=10), False, 50) == "cancelled"            # withdrawn before anyone joined
    assert state(row(used_at=10, joiner="B"), False, 50) == "cancelled"  # the joiner's keys forgotten
    assert state(row(used_at=10, joiner="B", join_frame="{}"), False, 50) == "pending"
    assert state(row(used_at=10, joiner="B", join_frame="{}", accept_box="x"), False, 50) == "accepted"
    assert state(row(used_at=10, joiner="B", join_frame="{}", accept_box="x", expires_at=49), False, 50) == "expired"
    assert state(row(used_at=10, joiner="B", join_frame="{}", accept_box="x", expires_at=49), True, 50) == "confirmed"


# --- hearth-client against a hostile relay -------------------------------------------------------

import json  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402

from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.sync.client import connect  # noqa: E402
from websockets.sync.server import serve  # noqa: E402

from client_helpers import Client, pair, read_code  # noqa: E402


class HostileRelay:
    """A websocket man in the middle in front of a real relay: `tamper(frame, to_client)`
    returns the frame to pass on (changed or not), or None to drop it, or "close" to cut
    that connection. Clients reach it at `url`; pairing links then name it too."""

    def __init__(self, relay, tamper):
        self.relay, self.tamper = relay, tamper
        self.server = serve(self.handle, "127.0.0.1", 0, compression=None, max_size=None)
        self.url = f"http://127.0.0.1:{self.server.socket.getsockname()[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, client):
        upstream = connect(self.relay.ws_url, compression=None, max_size=None)

        def pump(src, dst, to_client):
            try:
                for raw in src:
                    frame = self.tamper(json.loads(raw), to_client)
                    if frame == "close":
                        client.close()
                        upstream.close()
                        return
                    if frame is not None:
                        dst.send(json.dumps(frame))
            except (ConnectionClosed, OSError):
                pass
            finally:
                src.close()
                dst.close()

        back = threading.Thread(target=pump, args=(upstream, client, True), daemon=True)
        back.start()
        pump(client, upstream, False)
        back.join(5)

    def close(self):
        self.server.shutdown()


@pytest.fixture
def hostile(relay):
    made = []

    def make(tamper):
        proxy = HostileRelay(relay, tamper)
        made.append(proxy)
        return proxy
    yield make
    for proxy in made:
        proxy.close()


def changed(kind, **fields):
    """A tamper function that rewrites frames of one type going to clients."""
    def tamper(frame, to_client):
        if to_client and frame.get("type") == kind:
            return {**frame, **fields}
        return frame
    return tamper


def no_traceback(done):
    out, err = done if isinstance(done, tuple) else (done.stdout, done.stderr)
    assert "Traceback" not in err and "Traceback" not in out, err
    return err


def relay_devices(relay) -> int:
    with sqlite3.connect(relay.data_dir / "hearth.db") as db:
        return db.execute("SELECT COUNT(*) FROM device").fetchone()[0]


def invite_and_join(url, inviter, joiner, *, inviter_types=None):
    """Start both; returns (inviting, joining) processes after the inviter printed its link."""
    inviting = inviter.popen("invite", url, "--timeout", "30", stdin=subprocess.PIPE)
    link = inviting.stdout.readline().strip()
    assert link.startswith(url), link
    joining = joiner.popen("join", link, "--timeout", "30")
    return inviting, joining


def finish(proc, stdin=None):
    try:
        out, err = proc.communicate(stdin, timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, out, err


def pending_state(client: Client) -> dict:
    state = client.device().state
    return {k: state.get(k) for k in ("pending_invite", "pending_join", "root", "device")} | {
        "keys": state.has_keys()}


@pytest.mark.parametrize("v", [0, 2, "x", None, True])
def test_the_client_refuses_a_relay_of_another_protocol_version(relay, hostile, tmp_path, v):
    proxy = hostile(changed("challenge", v=v))
    done = Client(tmp_path / "a").run("invite", proxy.url, "--timeout", "5", check=False)
    assert done.returncode == 1 and "protocol version" in no_traceback(done), done.stderr
    assert relay_devices(relay) == 0


def test_the_client_refuses_a_link_of_another_version_or_with_an_invalid_key(relay, tmp_path):
    joiner = Client(tmp_path / "b")
    good = "http://127.0.0.1:9/#/pair?v=1&s=" + b64u(bytes(32))
    for link, words in ((good + "&e=" + b64u(OFF_CURVE), "not valid"),
                        (good + "&e=" + b64u(NO_POINT), "not valid"),
                        (good.replace("v=1", "v=2") + "&e=" + b64u(OFF_CURVE), "unsupported version"),
                        (good.replace("v=1", "v=1&v=1") + "&e=" + b64u(OFF_CURVE), "unsupported version")):
        done = joiner.run("join", link, check=False)
        assert done.returncode == 1 and words in no_traceback(done), (link, done.stderr)


def test_an_off_curve_key_in_a_pair_request_is_refused_in_plain_words(relay, hostile, tmp_path):
    proxy = hostile(changed("pair_request", eph=b64u(OFF_CURVE)))
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    inviting, joining = invite_and_join(proxy.url, alex, sam)
    code, _, err = finish(inviting)
    assert code == 1 and "could not prove it scanned this code" in no_traceback((_, err)), err
    code, _, err = finish(joining)   # the inviter called it off, so the joiner hears at once
    assert code == 1 and "Nothing has been shared" in no_traceback((_, err)), err
    assert relay_devices(relay) == 1
    assert pending_state(sam) == {"pending_invite": None, "pending_join": None, "root": None, "device": None,
                                  "keys": False}


def test_an_off_curve_key_for_the_inviter_is_refused_by_the_joiner(relay, hostile, tmp_path):
    def tamper(frame, to_client):
        if to_client and frame.get("type") == "joined":
            return {**frame, "peer": {**frame["peer"], "dh_pub": b64u(OFF_CURVE)}}
        return frame
    proxy = hostile(tamper)
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    inviting, joining = invite_and_join(proxy.url, alex, sam)
    code, _, err = finish(joining)
    assert code == 1 and "keys are not valid" in no_traceback((_, err)), err
    inviting.kill()
    assert relay_devices(relay) == 1


def test_different_numbers_stop_the_pairing_on_both_sides_and_both_can_start_again(relay, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    inviting, joining = invite_and_join(relay.url, alex, sam)
    shown = read_code(joining)
    assert read_code(inviting) == shown
    wrong = f"{(int(shown.replace(' ', '')) + 1) % 1_000_000:06d}"
    code, _, err = finish(inviting, wrong + "\n")
    assert code == 1 and "someone else may have used this code" in err.lower() and "Nothing has been shared" in err
    code, _, err = finish(joining)
    assert code == 1 and "stopped the pairing" in no_traceback((_, err))
    assert relay_devices(relay) == 1
    assert pending_state(alex)["pending_invite"] is None and pending_state(alex)["root"] is None
    assert pending_state(sam) == {"pending_invite": None, "pending_join": None, "root": None, "device": None,
                                  "keys": False}
    # Nothing is left in the way: the same two state directories pair at the next go.
    pair(relay.url, alex, sam)
    assert relay_devices(relay) == 2


def test_the_first_joiner_of_a_leaked_link_is_not_accepted_without_the_comparison(relay, tmp_path):
    alex, stranger, sam = Client(tmp_path / "alex"), Client(tmp_path / "stranger"), Client(tmp_path / "sam")
    inviting, sneaking = invite_and_join(relay.url, alex, stranger)
    assert read_code(sneaking) == read_code(inviting)
    # Alex's partner holds a phone that says the code was already used: there are no numbers
    # to type, so Alex's person types none.
    code, _, err = finish(inviting, "")
    assert code == 1 and "nothing was shared" in err.lower()
    code, _, err = finish(sneaking)
    assert code == 1 and "Nothing has been shared" in err
    assert relay_devices(relay) == 1 and pending_state(alex)["root"] is None
    pair(relay.url, alex, sam)


def test_an_altered_pair_accepted_pairs_neither_side(relay, hostile, tmp_path):
    tampering = {"on": True}
    alter = changed("pair_accepted", box=b64u(os.urandom(120)))
    proxy = hostile(lambda frame, to_client: alter(frame, to_client) if tampering["on"] else frame)
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    inviting, joining = invite_and_join(proxy.url, alex, sam)
    own = read_code(inviting)
    code, _, err = finish(joining)
    assert code == 1 and "could not prove it showed this code" in no_traceback((_, err)), err
    # Even a careless person who types the inviter's own numbers cannot pair one side alone.
    code, _, err = finish(inviting, own + "\n")
    assert code == 1 and "stopped" in no_traceback((_, err)), err
    assert relay_devices(relay) == 1
    assert pending_state(alex)["root"] is None and pending_state(sam)["keys"] is False
    tampering["on"] = False
    pair(proxy.url, alex, sam)


def test_a_lost_pair_confirmed_is_made_up_by_the_next_login(relay, hostile, tmp_path):
    proxy = hostile(lambda frame, to_client: "close" if to_client and frame.get("type") == "pair_confirmed"
                    else frame)
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    inviting, joining = invite_and_join(proxy.url, alex, sam)
    shown = read_code(joining)
    assert read_code(inviting) == shown
    assert finish(inviting, shown + "\n")[0] == 0
    code, _, err = finish(joining)
    assert code == 0, err
    for client in (alex, sam):
        assert client.device().state.get("root") and pending_state(client)["pending_join"] is None
    alex.put("journal", {"text": "through the proxy and back", "shared": True})
    alex.sync()
    sam.sync()
    assert [r["text"] for r in sam.list("journal")] == ["through the proxy and back"]


def test_a_joiner_that_stopped_after_the_code_finishes_on_its_next_run(relay, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    inviting, joining = invite_and_join(relay.url, alex, sam)
    shown = read_code(joining)
    joining.kill()   # the joiner's process dies while its person compares
    joining.wait()
    assert read_code(inviting) == shown
    assert finish(inviting, shown + "\n")[0] == 0
    assert pending_state(sam)["pending_join"]["code"] == shown
    sam.sync()   # the next run asks the relay, hears it was confirmed, and keeps the pairing
    assert pending_state(sam)["pending_join"] is None and sam.device().state.get("root")


def test_an_inviter_the_relay_forgot_registers_afresh(relay, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    done = alex.run("invite", relay.url, "--timeout", "1", check=False)
    assert done.returncode == 1 and "nobody joined" in done.stderr
    first_pair = alex.device().state.get("pair")
    with sqlite3.connect(relay.data_dir / "hearth.db") as db:   # the relay purges devices that never paired
        db.execute("DELETE FROM device")
        db.execute("DELETE FROM pair")
    pair(relay.url, alex, sam)
    assert alex.device().state.get("pair") not in (None, first_pair)
    assert alex.device().state.get("pair") == sam.device().state.get("pair")

"""Replacing a lost phone at the relay (protocol §11.3): the new device takes the old one's
place only once the remaining phone confirms, the epoch moves on, nothing of the old phone
stays queued, and the old phone is refused from then on, on every path, with a specific
answer. Each use case runs on SQLite and on PostgreSQL."""

import os

from websockets.exceptions import ConnectionClosed

from hearth.protocol.encoding import b64u
from test_relay_unpair import closed, fresh_login, refused
from wsproto_helpers import RawDevice, new_invite, paired


def drained(device: RawDevice) -> list:
    """Every frame left for a connection the relay has closed; fails if it is still open."""
    frames = []
    while True:
        try:
            frames.append(device.recv(timeout=2))
        except ConnectionClosed:
            return frames


def replace_invite(remaining: RawDevice) -> str:
    invite = new_invite()
    remaining.send({"type": "invite", "invite": invite, "replace": True})
    ok = remaining.expect("invite_ok")
    assert ok["replace"] is True and ok["invite"] == invite
    return invite


def join_in_place(ws_url, remaining: RawDevice, old: RawDevice, invite: str) -> RawDevice:
    """A new phone joins through the replacement link; both sides hear whom it replaces."""
    new = RawDevice(ws_url)
    joined = new.join(invite)
    assert joined["replaces"] == old.id and joined["epoch"] == remaining.epoch + 1
    request = remaining.expect("pair_request")
    assert request["device"] == new.id and request["replaces"] == old.id
    remaining.send({"type": "accept", "invite": invite, "box": b64u(os.urandom(100))})
    remaining.expect("accept_ok")
    new.expect("pair_accepted")
    return new


def replace(ws_url, remaining: RawDevice, old: RawDevice) -> RawDevice:
    invite = replace_invite(remaining)
    new = join_in_place(ws_url, remaining, old, invite)
    remaining.send({"type": "confirm", "invite": invite})
    ok = remaining.expect("confirm_ok")
    assert ok["replaced"] == old.id and ok["epoch"] == remaining.epoch + 1 and ok["peer"]["device"] == new.id
    confirmed = new.expect("pair_confirmed")
    assert confirmed["epoch"] == ok["epoch"] and confirmed["replaced"] == old.id
    remaining.epoch = new.epoch = ok["epoch"]
    remaining.seq, new.seq = 0, 0
    return new


def test_the_new_phone_takes_the_old_ones_place_under_a_new_epoch(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    a.send_envelope()
    assert b.expect("deliver")     # delivered, not acknowledged: still queued
    b.send_envelope()
    assert a.expect("deliver")
    assert relay.stats()["queued_envelopes"] == 2

    c = replace(relay.ws_url, a, b)
    err = b.expect("error")        # the old phone hears it, plainly, and is closed
    assert err["code"] == "replaced" and err["by"] == a.id and err["device"] == c.id
    assert closed(b)
    assert relay.stats()["queued_envelopes"] == 0   # nothing sealed under the old epoch waits

    # The new pair works both ways, sequence numbers starting again under the new epoch.
    assert a.send_envelope()["seq"] == 1
    assert c.expect("deliver")
    assert c.send_envelope()["seq"] == 1
    assert a.expect("deliver")
    again = fresh_login(relay, a)
    ready = again.expect("ready")
    assert ready["epoch"] == a.epoch == 2 and ready["peer"]["device"] == c.id and ready["last_seq"] == 1


def test_the_old_phone_is_refused_at_login_and_its_keys_cannot_come_back(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    c = replace(relay.ws_url, a, b)
    again = fresh_login(relay, b)
    err = again.expect("error")
    assert (err["code"], err["in"], err["by"], err["device"]) == ("replaced", "login", a.id, c.id)
    assert closed(again)
    # A wrong signature for the old id is the same failure as for any unknown id.
    forged = RawDevice(relay.ws_url)
    forged.send({"type": "login", "device": b.id, "sig": b64u(forged.keys.sign_login(forged.challenge))})
    assert forged.expect("error")["code"] == "login_failed"
    for kind in ("register", "join"):
        retry = RawDevice(relay.ws_url, keys=b.keys)
        frame = retry.join_frame(replace_invite(a)) if kind == "join" else {
            "type": "register", **b.keys.public_frame(), "sig": b64u(b.keys.sign_register(retry.challenge))}
        retry.send(frame)
        assert retry.expect("error")["code"] == "device_exists"


def test_an_old_phone_still_connected_elsewhere_cannot_send_or_leave_a_receipt(local_relay_on_each):
    """Another worker's connection of the old phone never hears of the replacement at once:
    whatever it sends afterwards is refused inside the transaction that would store it."""
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    elsewhere = b.ws.endpoint.session
    relay.relay.hub.remove(elsewhere)   # as if it were connected to another process
    c = replace(relay.ws_url, a, b)
    seq, env = b.envelope()
    b.send({"type": "send", "seq": seq, "body": b64u(env)})
    err = b.expect("error")
    assert (err["code"], err["in"], err["device"]) == ("replaced", "send", c.id)
    assert closed(b)
    assert a.quiet() and c.quiet() and relay.stats()["queued_envelopes"] == 0


def test_the_remaining_phones_other_connections_must_log_in_again(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    second = fresh_login(relay, a)
    second.expect("ready")
    replace(relay.ws_url, a, b)
    # It heard the pairing as every connection of the inviter does, then the relay closed it.
    assert [f["type"] for f in drained(second)] == ["caught_up", "pair_request"]
    # Had it been on another worker, its old-epoch envelope would be refused all the same.
    third = fresh_login(relay, a)
    third.pair = third.expect("ready")["pair"]
    third.ws.endpoint.session.epoch = third.epoch = 1
    seq, env = third.envelope()
    third.send({"type": "send", "seq": seq, "body": b64u(env)})
    err = third.expect("error")
    assert err["code"] == "bad_envelope" and "log in again" in err["message"]
    assert closed(third)


def test_nothing_changes_until_the_remaining_phone_confirms(local_relay_on_each):
    """A leaked replacement link gets an attacker a pending join, and no more: without the
    remaining phone's confirm (after its person compared the codes) the old pair goes on."""
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    invite = replace_invite(a)
    attacker = RawDevice(relay.ws_url)
    attacker.join(invite)
    assert a.expect("pair_request")["device"] == attacker.id
    refused(a, {"type": "confirm", "invite": invite}, "not_accepted")
    a.send({"type": "cancel", "invite": invite})
    a.expect("cancel_ok")
    attacker.expect("pair_cancelled")
    a.send_envelope()
    assert b.expect("deliver")
    b.send_envelope()
    assert a.expect("deliver")
    assert fresh_login(relay, b).expect("ready")["epoch"] == 1


def test_replacing_needs_a_partner_and_an_ordinary_invite_still_needs_room(local_relay):
    lone = RawDevice(local_relay.ws_url)
    lone.register()
    refused(lone, {"type": "invite", "invite": new_invite(), "replace": True}, "not_paired")
    refused(lone, {"type": "invite", "invite": new_invite(), "replace": "yes"}, "bad_frame")
    a, b, _ = paired(local_relay.ws_url)
    refused(a, {"type": "invite", "invite": new_invite()}, "pair_full")
    refused(a, {"type": "invite", "invite": new_invite(), "replace": True, "move": True}, "bad_frame")


def test_both_phones_replacing_each_other_only_one_wins(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    b_invite = replace_invite(b)
    d = join_in_place(relay.ws_url, b, a, b_invite)
    c = replace(relay.ws_url, a, b)       # a confirms first: b is out
    assert b.expect("error")["code"] == "replaced"
    again = fresh_login(relay, b)
    assert again.expect("error")["code"] == "replaced"
    assert c.send_envelope() and a.expect("deliver")
    d.send({"type": "cancel", "invite": b_invite})   # b's own pairing went with it
    assert d.expect("error")["code"] in ("invite_unknown", "not_your_invite")


def test_a_replaced_device_is_forgotten_after_the_envelopes_time(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    replace(relay.ws_url, a, b)
    relay.sleep(31 * 86400)
    relay.relay.purge()
    assert fresh_login(relay, b).expect("error")["code"] == "login_failed"

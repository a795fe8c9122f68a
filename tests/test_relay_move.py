"""Moving to a new phone at the relay (protocol §11.4): the new phone receives the old one's
move stream without being in the pair, the partner sees nothing until the old phone
retires with a signed notice, and then the partner hears that notice, at once and at its
next login. Each use case runs on SQLite and on PostgreSQL."""

import os

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import MOVED, succession_message
from hearth.protocol.primitives import sign, verify
from hearth.protocol.receipt import seal_receipt
from test_relay_replace import drained
from test_relay_unpair import closed, fresh_login, refused
from wsproto_helpers import RawDevice, new_invite, paired

FULL_RECEIPT = {"n": 1, "received": 2, "received_hash": b64u(bytes(32)), "missing": [], "head": 0, "kept_from": 1}


def start_move(ws_url, old: RawDevice) -> tuple[RawDevice, str]:
    """The old phone invites its successor, which joins; codes compared, the old one confirms."""
    invite = new_invite()
    old.send({"type": "invite", "invite": invite, "move": True})
    assert old.expect("invite_ok")["move"] is True
    new = RawDevice(ws_url)
    assert new.join(invite)["move"] is True
    request = old.expect("pair_request")
    assert request["device"] == new.id and request["move"] is True
    old.send({"type": "accept", "invite": invite, "box": b64u(os.urandom(100))})
    old.expect("accept_ok")
    new.expect("pair_accepted")
    old.send({"type": "confirm", "invite": invite})
    ok = old.expect("confirm_ok")
    assert ok["move"] is True and ok["peer"]["device"] == new.id
    assert new.expect("pair_confirmed")["move"] is True
    return new, invite


def move_envelope(old: RawDevice, seq: int) -> dict:
    """A move-stream envelope: epoch 0, its own sequence numbers."""
    epoch, saved = old.epoch, (old.seq, old.prev)
    old.epoch, old.seq = 0, seq - 1
    _, env = old.envelope()
    old.epoch, (old.seq, old.prev) = epoch, saved
    return {"type": "send", "seq": seq, "body": b64u(env)}


def one_part_moved(relay) -> tuple:
    """A pair whose first device has begun moving: one part of its stream queued for its mover."""
    a, b, _ = paired(relay.ws_url)
    new, invite = start_move(relay.ws_url, a)
    a.send(move_envelope(a, 1))
    a.expect("sent")
    return a, b, new, invite


def retire_frame(old: RawDevice, new: RawDevice, epoch: int | None = None) -> tuple[dict, bytes]:
    message = succession_message(old.pair, epoch or old.epoch + 1, MOVED, old.id, new.id,
                                 new.keys.sig_pub, new.keys.dh_pub)
    return {"type": "retire", "succession": b64u(sign(old.keys.sig, message))}, message


def test_a_phone_moves_and_the_partner_hears_it_signed(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    b.send_envelope()
    assert a.expect("deliver")                  # not acknowledged: it still waits for a
    new, _ = start_move(relay.ws_url, a)
    for seq in (1, 2):
        a.send(move_envelope(a, seq))
        assert a.expect("sent")["seq"] == seq
    assert [new.expect("deliver")["cursor"] for _ in range(2)]
    new.send({"type": "receipt", "body": b64u(seal_receipt(bytes(32), a.pair, new.id, 0, FULL_RECEIPT))})
    new.expect("receipt_ok")
    assert a.expect("receipt")
    a.send_envelope()                           # the pair goes on meanwhile, under its epoch
    assert b.expect("deliver")
    assert b.quiet()                            # and the partner has heard nothing of the move

    frame, message = retire_frame(a, new)
    a.send(frame)
    ok = a.expect("retire_ok")
    assert ok == {"type": "retire_ok", "device": new.id, "epoch": 2}
    assert closed(a) and {f["type"] for f in drained(new)} <= {"caught_up"}
    told = b.expect("succession")
    assert told == {"type": "succession", "reason": MOVED, "old": a.id, "device": new.id, "suite": 1,
                    "sig_pub": b64u(new.keys.sig_pub), "dh_pub": b64u(new.keys.dh_pub), "epoch": 2,
                    "sig": frame["succession"]}
    assert verify(a.keys.sig_pub, unb64u(told["sig"]), message)
    assert relay.stats()["queued_envelopes"] == 0

    moved_in = fresh_login(relay, new)
    ready = moved_in.expect("ready")
    assert ready["epoch"] == 2 and ready["peer"]["device"] == b.id and ready["last_seq"] == 0
    moved_in.pair, moved_in.epoch = ready["pair"], 2
    b.epoch, b.seq = 2, 0
    b.send_envelope()
    assert moved_in.expect("deliver")
    # The partner's next login hears the notice again, first, until it is forgotten.
    again = fresh_login(relay, b)
    again.expect("ready")
    assert again.expect("succession") == told
    old = fresh_login(relay, a)
    err = old.expect("error")
    assert (err["code"], err["by"], err["device"]) == ("moved", a.id, new.id)


def test_the_old_phone_hears_its_movers_receipt_after_it_logs_in_again(local_relay_on_each):
    relay = local_relay_on_each
    a, b, new, invite = one_part_moved(relay)
    a.close()
    new.expect("deliver")
    new.send({"type": "receipt", "body": b64u(seal_receipt(bytes(32), a.pair, new.id, 0, FULL_RECEIPT))})
    new.expect("receipt_ok")
    back = fresh_login(relay, a)
    mover = back.expect("ready")["mover"]
    assert mover == {"invite": invite, "device": new.id, "suite": 1, "sig_pub": b64u(new.keys.sig_pub),
                     "dh_pub": b64u(new.keys.dh_pub)}
    assert back.expect("receipt")
    # The mover logging in again is a mover still: epoch 0, its old phone as peer.
    again = fresh_login(relay, new)
    ready = again.expect("ready")
    assert ready["move"] is True and ready["epoch"] == 0 and ready["peer"]["device"] == a.id


def test_retiring_needs_a_confirmed_move_and_the_right_signature(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    stranger = RawDevice(relay.ws_url)
    refused(a, retire_frame(a, stranger)[0], "not_moving")
    refused(a, move_envelope(a, 1), "not_moving")
    new, _ = start_move(relay.ws_url, a)
    refused(a, retire_frame(a, stranger)[0], "bad_signature")            # another successor
    refused(a, retire_frame(a, new, epoch=a.epoch + 2)[0], "bad_signature")  # another epoch
    refused(a, {"type": "retire", "succession": b64u(bytes(64))}, "bad_signature")
    a.send_envelope()
    assert b.expect("deliver")                  # nothing changed
    assert fresh_login(relay, b).expect("ready")["epoch"] == 1


def test_a_mover_only_receives_until_it_takes_its_place(local_relay_on_each):
    relay = local_relay_on_each
    a, b, _ = paired(relay.ws_url)
    new, _ = start_move(relay.ws_url, a)
    new.pair, new.epoch = a.pair, 1
    seq, env = new.envelope()
    refused(new, {"type": "send", "seq": seq, "body": b64u(env)}, "not_logged_in")
    refused(new, {"type": "invite", "invite": new_invite()}, "not_logged_in")
    refused(new, retire_frame(a, new)[0], "not_logged_in")
    assert b.quiet()


def test_the_old_phone_can_call_the_move_off_even_after_confirming(local_relay_on_each):
    relay = local_relay_on_each
    a, b, new, invite = one_part_moved(relay)
    a.send({"type": "cancel", "invite": invite})
    a.expect("cancel_ok")
    assert relay.stats()["queued_envelopes"] == 0   # the move stream went with it
    assert fresh_login(relay, new).expect("error")["code"] == "login_failed"
    refused(a, retire_frame(a, new)[0], "not_moving")
    a.send_envelope()
    assert b.expect("deliver")


def test_moving_needs_a_partner(local_relay):
    lone = RawDevice(local_relay.ws_url)
    lone.register()
    refused(lone, {"type": "invite", "invite": new_invite(), "move": True}, "not_paired")


def test_a_movers_receipt_sent_as_the_old_phone_retires_is_not_taken_for_a_called_off_move(local_relay_on_each):
    """The mover's last receipt can cross the old phone's retire (another process's connection
    does not hear of it at once): the move is done, so the connection is closed to log in
    again, not told the move was called off."""
    relay = local_relay_on_each
    a, b, new, _ = one_part_moved(relay)
    new.expect("deliver")
    relay.relay.hub.remove(new.ws.endpoint.session)   # as if connected to another process
    a.send(retire_frame(a, new)[0])
    a.expect("retire_ok")
    new.send({"type": "receipt", "body": b64u(seal_receipt(bytes(32), a.pair, new.id, 0, FULL_RECEIPT))})
    assert all(f["type"] == "caught_up" for f in drained(new))
    assert fresh_login(relay, new).expect("ready")["epoch"] == 2

"""Ending a pairing at the relay (protocol §11.2): a signed notice, both keys refused after,
nothing left waiting, and every refusal changes nothing. In-process, and once through a
real `hearth serve` for the socket the relay closes."""

import time

import pytest
from websockets.exceptions import ConnectionClosed

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import unpair_message
from hearth.protocol.primitives import sign, verify
from wsproto_helpers import RawDevice, paired


def unpair_frame(device: RawDevice, at: int | None = None, **override) -> dict:
    at = int(time.time()) if at is None else at
    sig = sign(device.keys.sig, unpair_message(device.pair, device.epoch, device.id, at))
    return {"type": "unpair", "at": at, "sig": b64u(sig), **override}


def refused(device: RawDevice, frame: dict, code: str) -> dict:
    device.send(frame)
    err = device.expect("error")
    assert err["code"] == code and err["in"] == frame["type"], err
    return err


def closed(device: RawDevice) -> bool:
    try:
        device.recv(timeout=2)
    except ConnectionClosed:
        return True
    return False


def fresh_login(relay, device: RawDevice) -> RawDevice:
    again = RawDevice(relay.ws_url, keys=device.keys)
    again.send({"type": "login", "device": again.id, "sig": b64u(again.keys.sign_login(again.challenge))})
    return again


def test_either_partner_ends_it_and_the_other_hears_it_signed(local_relay_on_each):
    local_relay = local_relay_on_each
    a, b, _ = paired(local_relay.ws_url)
    b.send_envelope()
    assert a.expect("deliver")   # delivered, not acknowledged: still waiting when the pairing ends
    assert local_relay.stats()["queued_envelopes"] == 1
    notice = unpair_frame(a)
    a.send(notice)
    assert a.expect("unpair_ok")["at"] == notice["at"]
    told = b.expect("unpaired")
    assert told == {"type": "unpaired", "by": a.id, "at": notice["at"], "sig": notice["sig"]}
    # The partner checks the relay's word against a's own key, over its own pair and epoch.
    assert verify(a.keys.sig_pub, unb64u(told["sig"]), unpair_message(b.pair, b.epoch, a.id, told["at"]))
    assert closed(a) and closed(b)
    assert local_relay.stats()["queued_envelopes"] == 0

    for device in (a, b):   # from now on, each login is told, with the same notice, and closed
        again = fresh_login(local_relay, device)
        err = again.expect("error")
        assert err["code"] == "unpaired" and err["in"] == "login"
        assert {k: err[k] for k in ("by", "at", "sig")} == {k: told[k] for k in ("by", "at", "sig")}
        assert closed(again)


def test_the_keys_of_an_ended_pair_cannot_register_or_join_again(local_relay_on_each):
    local_relay = local_relay_on_each
    a, b, _ = paired(local_relay.ws_url)
    a.send(unpair_frame(a))
    a.expect("unpair_ok")
    again = RawDevice(local_relay.ws_url, keys=b.keys)
    again.send({"type": "register", **b.keys.public_frame(), "sig": b64u(b.keys.sign_register(again.challenge))})
    assert again.expect("error")["code"] == "device_exists"
    # Either person can pair again, with anyone, as a new device.
    c, d, _ = paired(local_relay.ws_url)
    c.send_envelope()
    assert d.expect("deliver")


@pytest.mark.parametrize("bad", ["signature", "other_pair", "old_clock", "not_a_number"])
def test_a_notice_that_does_not_hold_is_refused_and_changes_nothing(local_relay_on_each, bad):
    local_relay = local_relay_on_each
    a, b, _ = paired(local_relay.ws_url)
    if bad == "signature":
        frame, code = unpair_frame(a, sig=b64u(bytes(64))), "bad_signature"
    elif bad == "other_pair":   # a notice signed for another pair cannot end this one
        sig = sign(a.keys.sig, unpair_message("b3RoZXItcGFpci1pZC0xMg", a.epoch, a.id, int(time.time())))
        frame, code = unpair_frame(a, sig=b64u(sig)), "bad_signature"
    elif bad == "old_clock":
        frame, code = unpair_frame(a, at=int(time.time()) - 3 * 86400), "bad_frame"
    else:
        frame, code = {**unpair_frame(a), "at": "soon"}, "bad_frame"
    refused(a, frame, code)
    a.send_envelope()
    assert b.expect("deliver")   # still paired, both ways
    b.send_envelope()
    assert a.expect("deliver")


def test_a_device_alone_in_its_pair_has_nothing_to_unpair(local_relay):
    lone = RawDevice(local_relay.ws_url)
    lone.register()
    refused(lone, unpair_frame(lone), "not_paired")
    lone.send({"type": "ping"})
    assert lone.expect("pong")


def test_after_the_envelopes_time_the_ended_pair_is_forgotten(local_relay_on_each):
    local_relay = local_relay_on_each
    a, b, _ = paired(local_relay.ws_url)
    a.send(unpair_frame(a))
    a.expect("unpair_ok")
    local_relay.sleep(31 * 86400)
    local_relay.relay.purge()
    again = fresh_login(local_relay, b)
    assert again.expect("error")["code"] == "login_failed"


def test_over_a_real_socket_the_partner_is_told_and_both_sockets_close(relay):
    a, b, _ = paired(relay.ws_url)
    a.send(unpair_frame(a))
    assert a.expect("unpair_ok")
    assert b.expect("unpaired")["by"] == a.id
    assert closed(a) and closed(b)
    again = fresh_login(relay, b)
    assert again.expect("error")["code"] == "unpaired"
    assert closed(again)

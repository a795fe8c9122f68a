"""docs/test-vectors.json holds for the Python implementation of the protocol."""

import json
from pathlib import Path

import pytest

from hearth.protocol import encoding
from hearth.protocol.envelope import (bucket_size, envelope_hash, open_envelope, parse_header,
                                      seal_envelope, sender_key)
from hearth.protocol.identity import DeviceKeys, login_message, register_message, unpair_message
from hearth.protocol.pairing import (invite_id, make_accept_box, make_join_box, open_accept_box,
                                     open_join_box, pair_keys, pairing_link, parse_pairing_link,
                                     root_key, safety_code, transcript1, transcript2)
from hearth.protocol.primitives import CryptoError, private_key_from_scalar, verify

V = json.loads((Path(__file__).parent.parent / "docs" / "test-vectors.json").read_text())
P = V["pairing"]
h = bytes.fromhex


def device(name):
    d = V[name]
    return DeviceKeys(private_key_from_scalar(h(d["sig_d"])), private_key_from_scalar(h(d["dh_d"])))


A, B = device("device_a"), device("device_b")


def test_device_keys_and_ids():
    for name, keys in (("device_a", A), ("device_b", B)):
        assert keys.sig_pub.hex() == V[name]["sig_pub"]
        assert keys.dh_pub.hex() == V[name]["dh_pub"]
        assert keys.device_id == V[name]["device_id"]


def test_login_and_register_messages_and_signatures():
    lg, rg = V["login"], V["register"]
    assert login_message(h(lg["challenge"]), lg["device"]).hex() == lg["message"]
    assert verify(A.sig_pub, h(lg["signature"]), h(lg["message"]))
    assert register_message(h(rg["challenge"]), 1, B.sig_pub, B.dh_pub).hex() == rg["message"]
    assert verify(B.sig_pub, h(rg["signature"]), h(rg["message"]))
    assert not verify(B.sig_pub, h(lg["signature"]), h(lg["message"]))


def test_pairing_derivations():
    secret = h(P["secret"])
    eph_a = private_key_from_scalar(h(P["eph_a_d"]))
    eph_b = private_key_from_scalar(h(P["eph_b_d"]))
    assert invite_id(secret) == P["invite_id"]
    assert pairing_link(P["origin"], secret, h(P["eph_a_pub"])) == P["link"]
    assert parse_pairing_link(P["link"]) == (P["origin"], secret, h(P["eph_a_pub"]))
    th1 = transcript1(P["invite_id"], h(P["eph_a_pub"]), h(P["eph_b_pub"]))
    assert th1.hex() == P["th1"]
    keys_b = pair_keys(eph_b, h(P["eph_a_pub"]), secret, th1)
    keys_a = pair_keys(eph_a, h(P["eph_b_pub"]), secret, th1)
    assert keys_a == keys_b == (h(P["k_join"]), h(P["k_accept"]))
    th2 = transcript2(th1, A.sig_pub, A.dh_pub, B.sig_pub, B.dh_pub)
    assert th2.hex() == P["th2"]
    assert safety_code(th2, secret) == P["safety_code"]
    assert root_key(A.dh, B.dh_pub, th2, P["pair_id"], P["epoch"]).hex() == P["root"]
    assert root_key(B.dh, A.dh_pub, th2, P["pair_id"], P["epoch"]).hex() == P["root"]


def test_pairing_boxes_reproduce_and_open():
    th1, th2 = h(P["th1"]), h(P["th2"])
    join = make_join_box(B, th1, h(P["k_join"]), h(P["join_nonce"]), h(P["join_proof"]))
    assert join.hex() == P["join_box"]
    open_join_box(join, th1, h(P["k_join"]), B.sig_pub, B.dh_pub)
    accept = make_accept_box(A, th1, th2, P["pair_id"], h(P["k_accept"]), h(P["accept_nonce"]),
                             h(P["accept_proof"]))
    assert accept.hex() == P["accept_box"]
    assert open_accept_box(accept, th1, h(P["k_accept"]), B, P["pair_id"], A.sig_pub, A.dh_pub) == th2


def test_pairing_boxes_reject_substitution():
    th1 = h(P["th1"])
    with pytest.raises(CryptoError):  # a relay swapping in its own keys for B's
        open_join_box(h(P["join_box"]), th1, h(P["k_join"]), A.sig_pub, A.dh_pub)
    with pytest.raises(CryptoError):  # a box opened under the wrong pair id
        open_accept_box(h(P["accept_box"]), th1, h(P["k_accept"]), B, "another-pair", A.sig_pub, A.dh_pub)
    with pytest.raises(CryptoError):  # a key derived without the QR secret
        open_join_box(h(P["join_box"]), th1, bytes(32), B.sig_pub, B.dh_pub)


def test_sender_keys_and_envelopes():
    root = h(P["root"])
    for dev, key in V["sender_keys"].items():
        assert sender_key(root, P["pair_id"], P["epoch"], dev).hex() == key
    for e in V["envelopes"]:
        key = h(V["sender_keys"][e["sender"]])
        env = seal_envelope(key, P["pair_id"], e["sender"], e["epoch"], e["seq"], h(e["prev"]),
                            e["body"].encode(), h(e["nonce"]))
        assert env.hex() == e["envelope"]
        assert envelope_hash(env).hex() == e["hash"]
        assert parse_header(env).seq == e["seq"]
        assert open_envelope(key, P["pair_id"], e["sender"], env).decode() == e["body"]
    first, second = V["envelopes"]
    assert second["prev"] == first["hash"]


def test_envelope_rejects_tampering_reflection_and_other_pairs():
    e = V["envelopes"][0]
    env, key = h(e["envelope"]), h(V["sender_keys"][e["sender"]])
    tampered = bytearray(env)
    tampered[-1] ^= 1
    with pytest.raises(CryptoError):
        open_envelope(key, P["pair_id"], e["sender"], bytes(tampered))
    with pytest.raises(CryptoError):  # reflected back as if the other device sent it
        open_envelope(h(V["sender_keys"][B.device_id]), P["pair_id"], B.device_id, env)
    with pytest.raises(CryptoError):
        open_envelope(key, "another-pair", e["sender"], env)


def test_padding_buckets_and_b64u():
    for p in V["padding"]:
        assert bucket_size(p["body_len"]) == p["bucket"]
    with pytest.raises(ValueError):
        bucket_size(32765)
    for c in V["b64u"]:
        assert encoding.b64u(h(c["hex"])) == c["b64u"]
        assert encoding.unb64u(c["b64u"]) == h(c["hex"])
    for bad in ("AA==", "A", "a+b/", "é"):
        with pytest.raises(ValueError):
            encoding.unb64u(bad)


def test_receipt_vector_reproduces_and_opens_only_for_its_writer():
    from hearth.protocol.receipt import open_receipt, seal_receipt
    from hearth.protocol.primitives import CryptoError

    r, pair = V["receipt"], V["pairing"]["pair_id"]
    key = bytes.fromhex(V["sender_keys"][r["writer"]])
    assert seal_receipt(key, pair, r["writer"], r["epoch"], r["fields"], bytes.fromhex(r["nonce"])).hex() == r["receipt"]
    assert open_receipt(key, pair, r["writer"], r["epoch"], bytes.fromhex(r["receipt"])) == r["fields"]
    for writer, at_pair, epoch in ((V["device_a"]["device_id"], pair, 1), (r["writer"], "x" * 22, 1), (r["writer"], pair, 2)):
        with pytest.raises(CryptoError):
            open_receipt(key, at_pair, writer, epoch, bytes.fromhex(r["receipt"]))


def test_unpair_notice_message_and_signature():
    u, a = V["unpair"], V["device_a"]
    message = unpair_message(u["pair_id"], u["epoch"], u["device"], u["at"])
    assert message.hex() == u["message"] and u["device"] == a["device_id"]
    assert verify(h(a["sig_pub"]), h(u["signature"]), message)
    assert not verify(h(a["sig_pub"]), h(u["signature"]), unpair_message(u["pair_id"], u["epoch"], u["device"], u["at"] + 1))


def test_succession_notices_and_the_keys_they_lead_to():
    from hearth.protocol.identity import succession_message
    from hearth.protocol.pairing import move_key, moved_root, moved_safety_code, root_key

    s, a = V["succession"], V["device_a"]
    c, d = s["device_c"], s["device_d"]
    th2 = h(s["th2"])
    for step, new in (("replaced", c), ("moved", d)):
        n = s[step]
        message = succession_message(s["pair_id"], n["epoch"], n["reason"], n["old"], n["new"],
                                     h(new["sig_pub"]), h(new["dh_pub"]))
        assert message.hex() == n["message"] and n["new"] == new["device_id"]
        assert verify(h(a["sig_pub"]), h(n["signature"]), message)
        # Another reason, epoch or successor key is another notice.
        assert not verify(h(a["sig_pub"]), h(n["signature"]), succession_message(
            s["pair_id"], n["epoch"] + 1, n["reason"], n["old"], n["new"], h(new["sig_pub"]), h(new["dh_pub"])))
        assert not verify(h(a["sig_pub"]), h(n["signature"]), succession_message(
            s["pair_id"], n["epoch"], 3 - n["reason"], n["old"], n["new"], h(new["sig_pub"]), h(new["dh_pub"])))
    r, m = s["replaced"], s["moved"]
    a_keys, c_keys, d_keys = (private_key_from_scalar(h(x["dh_d"])) for x in (a, c, d))
    # Both ends of each agreement derive the same keys, and neither matches an old one.
    assert root_key(a_keys, h(c["dh_pub"]), th2, s["pair_id"], r["epoch"]).hex() == r["root"]
    assert root_key(c_keys, h(a["dh_pub"]), th2, s["pair_id"], r["epoch"]).hex() == r["root"]
    assert move_key(d_keys, h(a["dh_pub"]), th2, s["pair_id"]).hex() == m["move_key"]
    assert moved_root(d_keys, h(c["dh_pub"]), h(m["message"]), s["pair_id"], m["epoch"]).hex() == m["root"]
    assert r["root"] != V["pairing"]["root"] and m["root"] != r["root"]
    assert moved_safety_code(h(m["message"])) == m["safety_code"]

"""Print docs/test-vectors.json: fixed inputs and the outputs they must give.

Run `python -m hearth.protocol.vectors > docs/test-vectors.json` only when the protocol
changes; ECDSA is randomised, so every run gives new (equally valid) signatures.
"""

import json
import sys

from .encoding import b64u
from .envelope import ZERO_HASH, bucket_size, envelope_hash, seal_envelope, sender_key
from .identity import MOVED, REPLACED, DeviceKeys, login_message, register_message, succession_message, unpair_message
from .pairing import (invite_id, make_accept_box, make_join_box, move_key, moved_root,
                      moved_safety_code, pair_keys, pairing_link, root_key, safety_code,
                      transcript1, transcript2)
from .primitives import private_key_from_scalar, public_raw, sign
from .receipt import seal_receipt
from .encoding import canon

ORIGIN = "https://hearth.example.org"
PAIR_ID = "cGFpci1pZC1mb3ItdGVzdA"
EPOCH = 1


def scalar(tag: int) -> bytes:
    # Small, readable, valid P-256 scalars: 0x11..11, 0x22..22 and so on.
    return bytes([tag]) * 32


def keys(sig_tag: int, dh_tag: int) -> DeviceKeys:
    return DeviceKeys(private_key_from_scalar(scalar(sig_tag)), private_key_from_scalar(scalar(dh_tag)))


def describe(k: DeviceKeys, sig_tag: int, dh_tag: int) -> dict:
    return {"sig_d": scalar(sig_tag).hex(), "sig_pub": k.sig_pub.hex(),
            "dh_d": scalar(dh_tag).hex(), "dh_pub": k.dh_pub.hex(), "device_id": k.device_id}


def receipt_vector(key: bytes, writer: str, last_hash_hex: str) -> dict:
    """B's receipt for A's two vector envelopes, asking again for A's 4th to 6th."""
    fields = {"n": 3, "received": 2, "received_hash": b64u(bytes.fromhex(last_hash_hex)),
              "missing": [[4, 6]], "head": 0, "kept_from": 1}
    nonce = bytes([0xC1]) * 12
    return {"writer": writer, "epoch": EPOCH, "nonce": nonce.hex(), "fields": fields,
            "plaintext": json.dumps(fields, separators=(",", ":")),
            "receipt": seal_receipt(key, PAIR_ID, writer, EPOCH, fields, nonce).hex()}


def unpair_vector(a: DeviceKeys, at: int = 1795000000) -> dict:
    """A's signed end of the pairing (§11.2)."""
    message = unpair_message(PAIR_ID, EPOCH, a.device_id, at)
    return {"pair_id": PAIR_ID, "epoch": EPOCH, "device": a.device_id, "at": at,
            "message": message.hex(), "signature": sign(a.sig, message).hex()}


def succession_vector(a: DeviceKeys, b: DeviceKeys, th2: bytes) -> dict:
    """Devices over time (§11): B's phone replaced by C (signed by A), then A moving to D
    (signed by A), with the keys each step derives."""
    c, d = keys(0x77, 0x88), keys(0x99, 0xAA)
    replaced = succession_message(PAIR_ID, EPOCH + 1, REPLACED, b.device_id, c.device_id, c.sig_pub, c.dh_pub)
    moved = succession_message(PAIR_ID, EPOCH + 2, MOVED, a.device_id, d.device_id, d.sig_pub, d.dh_pub)
    return {
        "pair_id": PAIR_ID, "th2": th2.hex(),
        "device_c": describe(c, 0x77, 0x88), "device_d": describe(d, 0x99, 0xAA),
        "replaced": {"epoch": EPOCH + 1, "reason": REPLACED, "old": b.device_id, "new": c.device_id,
                     "signer": a.device_id, "message": replaced.hex(), "signature": sign(a.sig, replaced).hex(),
                     "root": root_key(a.dh, c.dh_pub, th2, PAIR_ID, EPOCH + 1).hex()},
        "moved": {"epoch": EPOCH + 2, "reason": MOVED, "old": a.device_id, "new": d.device_id,
                  "signer": a.device_id, "message": moved.hex(), "signature": sign(a.sig, moved).hex(),
                  "move_key": move_key(a.dh, d.dh_pub, th2, PAIR_ID).hex(),
                  "root": moved_root(c.dh, d.dh_pub, moved, PAIR_ID, EPOCH + 2).hex(),
                  "safety_code": moved_safety_code(moved)},
    }


def build() -> dict:
    a, b = keys(0x11, 0x22), keys(0x33, 0x44)
    eph_a, eph_b = private_key_from_scalar(scalar(0x55)), private_key_from_scalar(scalar(0x66))
    secret = bytes(range(32))
    challenge = bytes(range(100, 132))
    invite = invite_id(secret)
    th1 = transcript1(invite, public_raw(eph_a), public_raw(eph_b))
    k_join, k_accept = pair_keys(eph_b, public_raw(eph_a), secret, th1)
    th2 = transcript2(th1, a.sig_pub, a.dh_pub, b.sig_pub, b.dh_pub)
    join_proof = sign(b.sig, canon("hearth/v1/pair-join", th1, b.sig_pub, b.dh_pub))
    accept_proof = sign(a.sig, canon("hearth/v1/pair-accept", th2, PAIR_ID.encode()))
    join_nonce, accept_nonce = bytes([0xA1]) * 12, bytes([0xA2]) * 12
    root = root_key(a.dh, b.dh_pub, th2, PAIR_ID, EPOCH)
    key_a = sender_key(root, PAIR_ID, EPOCH, a.device_id)
    bodies = ['{"ops":[{"type":"journal","id":"AAAAAAAAAAAAAAAAAAAAAA","hlc":"1795000000000.0000.'
              + a.device_id + '","fields":{"text":"We held hands on the sofa.","shared":true}}]}',
              '{"ops":[]}']
    envelopes, prev = [], ZERO_HASH
    for seq, body in enumerate(bodies, start=1):
        nonce = bytes([0xB0 + seq]) * 12
        env = seal_envelope(key_a, PAIR_ID, a.device_id, EPOCH, seq, prev, body.encode(), nonce)
        envelopes.append({"sender": a.device_id, "epoch": EPOCH, "seq": seq, "prev": prev.hex(),
                          "nonce": nonce.hex(), "body": body, "envelope": env.hex(),
                          "hash": envelope_hash(env).hex()})
        prev = envelope_hash(env)
    return {
        "protocol": 1,
        "suite": 1,
        "notes": "Binary values are hex. Private keys are P-256 scalars (JWK 'd' is their "
                 "base64url). Signatures are raw r||s and must verify; they are not reproducible.",
        "device_a": describe(a, 0x11, 0x22),
        "device_b": describe(b, 0x33, 0x44),
        "login": {"challenge": challenge.hex(), "device": a.device_id,
                  "message": login_message(challenge, a.device_id).hex(),
                  "signature": a.sign_login(challenge).hex()},
        "register": {"challenge": challenge.hex(),
                     "message": register_message(challenge, 1, b.sig_pub, b.dh_pub).hex(),
                     "signature": b.sign_register(challenge).hex()},
        "pairing": {
            "origin": ORIGIN, "secret": secret.hex(), "pair_id": PAIR_ID, "epoch": EPOCH,
            "eph_a_d": scalar(0x55).hex(), "eph_a_pub": public_raw(eph_a).hex(),
            "eph_b_d": scalar(0x66).hex(), "eph_b_pub": public_raw(eph_b).hex(),
            "invite_id": invite,
            "link": pairing_link(ORIGIN, secret, public_raw(eph_a)),
            "th1": th1.hex(), "k_join": k_join.hex(), "k_accept": k_accept.hex(),
            "join_proof": join_proof.hex(), "join_nonce": join_nonce.hex(),
            "join_box": make_join_box(b, th1, k_join, join_nonce, join_proof).hex(),
            "th2": th2.hex(),
            "accept_proof": accept_proof.hex(), "accept_nonce": accept_nonce.hex(),
            "accept_box": make_accept_box(a, th1, th2, PAIR_ID, k_accept, accept_nonce,
                                          accept_proof).hex(),
            "safety_code": safety_code(th2, secret),
            "root": root.hex(),
        },
        "sender_keys": {a.device_id: key_a.hex(),
                        b.device_id: sender_key(root, PAIR_ID, EPOCH, b.device_id).hex()},
        "envelopes": envelopes,
        "receipt": receipt_vector(sender_key(root, PAIR_ID, EPOCH, b.device_id), b.device_id,
                                  envelopes[-1]["hash"]),
        "padding": [{"body_len": n, "bucket": bucket_size(n)}
                    for n in (0, 252, 253, 508, 509, 1000, 32764)],
        "b64u": [{"hex": bytes(range(n)).hex(), "b64u": b64u(bytes(range(n)))} for n in (0, 1, 2, 3, 31)],
        "unpair": unpair_vector(a),
        "succession": succession_vector(a, b, th2),
    }


if __name__ == "__main__":
    json.dump(build(), sys.stdout, indent=2)
    sys.stdout.write("\n")

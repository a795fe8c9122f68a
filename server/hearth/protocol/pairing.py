"""Pairing by QR link: section 4 of docs/protocol.md."""

import os
from urllib.parse import parse_qs, urlsplit

from . import SUITE_P256, VERSION
from .encoding import b64u, canon, u8, u32, unb64u, uncanon
from .identity import DeviceKeys, device_id
from .primitives import CryptoError, ecdh, hkdf, load_public, open_sealed, seal, sha256, sign, verify

SECRET_BYTES = 32
NONCE_BYTES = 12


def new_secret() -> bytes:
    return os.urandom(SECRET_BYTES)


def invite_id(secret: bytes) -> str:
    return b64u(sha256(canon("hearth/v1/invite-id", secret))[:16])


def pairing_link(origin: str, secret: bytes, eph_pub: bytes) -> str:
    return f"{origin.rstrip('/')}/#/pair?v={VERSION}&s={b64u(secret)}&e={b64u(eph_pub)}"


def parse_pairing_link(link: str) -> tuple[str, bytes, bytes]:
    """Return (origin, secret, inviter's ephemeral key) or raise ValueError saying why."""
    parts = urlsplit(link.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("a pairing link starts with http:// or https:// and the relay's address")
    if not parts.fragment.startswith("/pair?"):
        raise ValueError("this is not a Hearth pairing link (no #/pair part)")
    query = parse_qs(parts.fragment[len("/pair?"):], keep_blank_values=True)
    if query.get("v") != [str(VERSION)]:
        raise ValueError("this pairing link is from an unsupported version of Hearth")
    # A repeated parameter is refused rather than guessed at: the link is all the joiner has.
    if len(query.get("s", [])) != 1 or len(query.get("e", [])) != 1:
        raise ValueError("this pairing link is incomplete or damaged")
    try:
        secret = unb64u(query["s"][0])
        eph = unb64u(query["e"][0])
    except ValueError as exc:
        raise ValueError("this pairing link is incomplete or damaged") from exc
    if len(secret) != SECRET_BYTES or len(eph) != 65:
        raise ValueError("this pairing link is incomplete or damaged")
    try:
        load_public(eph)
    except CryptoError:
        raise ValueError("this pairing link is damaged (its key is not valid)") from None
    return f"{parts.scheme}://{parts.netloc}", secret, eph


def checked_peer(frame: dict) -> dict:
    """The other device's keys from a relay frame, as {device, suite, sig_pub, dh_pub},
    once both keys are points on P-256 and the id is theirs; CryptoError otherwise.
    The relay checks keys too, but only for itself (§4.7)."""
    try:
        suite, device = frame["suite"], frame["device"]
        sig_pub, dh_pub = unb64u(frame["sig_pub"]), unb64u(frame["dh_pub"])
    except (KeyError, TypeError, ValueError):
        raise CryptoError("the other device's keys are missing or malformed") from None
    if suite != SUITE_P256 or type(suite) is not int:
        raise CryptoError("the other device uses a cryptographic suite this client does not know")
    load_public(sig_pub)
    load_public(dh_pub)
    if device_id(sig_pub, dh_pub, suite) != device:
        raise CryptoError("the other device's id does not match its keys")
    return {"device": device, "suite": suite, "sig_pub": frame["sig_pub"], "dh_pub": frame["dh_pub"]}


def transcript1(invite: str, eph_a: bytes, eph_b: bytes) -> bytes:
    return sha256(canon("hearth/v1/pair-transcript", u8(SUITE_P256), invite.encode(), eph_a, eph_b))


def transcript2(th1: bytes, a_sig: bytes, a_dh: bytes, b_sig: bytes, b_dh: bytes) -> bytes:
    return sha256(canon("hearth/v1/pair-final", th1, a_sig, a_dh, b_sig, b_dh))


def pair_keys(eph_private, peer_eph_pub: bytes, secret: bytes, th1: bytes) -> tuple[bytes, bytes]:
    """(k_join, k_accept) from the two ephemeral keys, salted with the QR secret."""
    k = hkdf(ecdh(eph_private, peer_eph_pub), secret, canon("hearth/v1/pair-keys", th1), 64)
    return k[:32], k[32:]


def make_join_box(keys: DeviceKeys, th1: bytes, k_join: bytes, nonce: bytes | None = None,
                  proof: bytes | None = None) -> bytes:
    # `nonce` and `proof` are fixed only by the test vectors; normally both are fresh.
    proof = proof or sign(keys.sig, canon("hearth/v1/pair-join", th1, keys.sig_pub, keys.dh_pub))
    inner = canon("hearth/v1/pair-join-box", u8(keys.suite), keys.sig_pub, keys.dh_pub, proof)
    nonce = nonce or os.urandom(NONCE_BYTES)
    return nonce + seal(k_join, nonce, inner, th1)


def open_join_box(box: bytes, th1: bytes, k_join: bytes, sig_pub: bytes, dh_pub: bytes) -> None:
    """Raise CryptoError unless the box came from the holder of S and these keys."""
    inner = _open_box(box, k_join, th1)
    suite, b_sig, b_dh, proof = _fields(inner, "hearth/v1/pair-join-box", 4)
    if suite != u8(SUITE_P256) or b_sig != sig_pub or b_dh != dh_pub:
        raise CryptoError("the joining device's keys do not match what the relay reported")
    if not verify(b_sig, proof, canon("hearth/v1/pair-join", th1, b_sig, b_dh)):
        raise CryptoError("the joining device's proof does not verify")


def make_accept_box(keys: DeviceKeys, th1: bytes, th2: bytes, pair_id: str, k_accept: bytes,
                    nonce: bytes | None = None, proof: bytes | None = None) -> bytes:
    proof = proof or sign(keys.sig, canon("hearth/v1/pair-accept", th2, pair_id.encode()))
    inner = canon("hearth/v1/pair-accept-box", u8(keys.suite), keys.sig_pub, keys.dh_pub,
                  pair_id.encode(), proof)
    nonce = nonce or os.urandom(NONCE_BYTES)
    return nonce + seal(k_accept, nonce, inner, th1)


def open_accept_box(box: bytes, th1: bytes, k_accept: bytes, joiner: DeviceKeys, pair_id: str,
                    sig_pub: bytes, dh_pub: bytes) -> bytes:
    """Check the inviter's box against the keys the relay reported; return th2."""
    inner = _open_box(box, k_accept, th1)
    suite, a_sig, a_dh, boxed_pair, proof = _fields(inner, "hearth/v1/pair-accept-box", 5)
    if suite != u8(SUITE_P256) or a_sig != sig_pub or a_dh != dh_pub:
        raise CryptoError("the inviting device's keys do not match what the relay reported")
    if boxed_pair != pair_id.encode():
        raise CryptoError("the invite belongs to a different pair")
    th2 = transcript2(th1, a_sig, a_dh, joiner.sig_pub, joiner.dh_pub)
    if not verify(a_sig, proof, canon("hearth/v1/pair-accept", th2, pair_id.encode())):
        raise CryptoError("the inviting device's proof does not verify")
    return th2


def _code(salt: bytes, ikm: bytes) -> str:
    n = int.from_bytes(hkdf(ikm, salt, b"hearth/v1/safety-code", 4), "big") % 1_000_000
    digits = f"{n:06d}"
    return f"{digits[:3]} {digits[3:]}"


def safety_code(th2: bytes, secret: bytes) -> str:
    return _code(secret, th2)


def root_key(my_dh, peer_dh_pub: bytes, th2: bytes, pair_id: str, epoch: int) -> bytes:
    info = canon("hearth/v1/root", pair_id.encode(), u32(epoch))
    return hkdf(ecdh(my_dh, peer_dh_pub), th2, info, 32)


def move_key(my_dh, peer_dh_pub: bytes, th2: bytes, pair_id: str) -> bytes:
    """The key of a move stream from an old phone to its successor (§11.4)."""
    return hkdf(ecdh(my_dh, peer_dh_pub), th2, canon("hearth/v1/move-key", pair_id.encode()), 32)


def moved_root(my_dh, peer_dh_pub: bytes, succession: bytes, pair_id: str, epoch: int) -> bytes:
    """The root the partner and a moved device share from `epoch`, the new one (§11.4): a
    fresh agreement between them, salted by the notice, that the old device cannot compute."""
    info = canon("hearth/v1/root", pair_id.encode(), u32(epoch))
    return hkdf(ecdh(my_dh, peer_dh_pub), sha256(succession), info, 32)


def moved_safety_code(succession: bytes) -> str:
    """The code a partner compares with a moved phone's, once they are together (§11.4)."""
    return _code(b"", sha256(succession))


def peer_device_id(peer: dict) -> str:
    return device_id(unb64u(peer["sig_pub"]), unb64u(peer["dh_pub"]), peer["suite"])


def _open_box(box: bytes, key: bytes, th1: bytes) -> bytes:
    if len(box) < NONCE_BYTES + 16:
        raise CryptoError("the pairing box is too short")
    return open_sealed(key, box[:NONCE_BYTES], box[NONCE_BYTES:], th1)


def _fields(inner: bytes, label: str, count: int) -> list[bytes]:
    try:
        return uncanon(inner, label, count)
    except ValueError as exc:
        raise CryptoError("the pairing box is malformed") from exc

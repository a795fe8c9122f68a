"""The encrypted backup file (docs/backup.md): its header, keys and payload, without I/O.

A backup is a fixed 76-byte header, then the payload sealed with AES-256-GCM under a key
made by Argon2id from the person's passphrase. The header is the associated data, so a
changed header never opens; a short key-check value in it tells a wrong passphrase from a
damaged file before the payload is tried. pwa/js/core/backup.js is the same, byte for byte.
"""

import gzip
import hmac
import json
import os
import struct
import unicodedata
import zlib
from dataclasses import dataclass

from .primitives import CryptoError, hkdf, open_sealed, seal, sha256

MAGIC = b"HEARTHBK"
VERSION = 1
KDF_ARGON2ID = 1
NO_COMPRESSION, GZIP = 0, 1
HEADER = struct.Struct(">8sBBIIBB16s12sI16s8s")   # see docs/backup.md, "The header"
HEADER_BYTES = HEADER.size                          # 76
DIGEST_AT = HEADER_BYTES - 8
TAG_BYTES = 16
PAYLOAD_VERSION = 1


@dataclass(frozen=True)
class Kdf:
    iterations: int
    memory_kib: int
    parallelism: int


# What a backup is written with, and the floor and ceiling a reader accepts (docs/backup.md,
# "Key derivation"): below the floor guessing is too cheap; above the ceiling a file could
# ask a phone for more memory than it has. Test vectors alone may go lower (`floor=`).
WRITE = Kdf(3, 65536, 1)
FLOOR = Kdf(2, 19456, 1)
CEILING = Kdf(10, 262144, 4)


class BackupError(ValueError):
    """Why a file does not open; `kind` is one of KINDS, each with its own message."""

    def __init__(self, kind: str):
        super().__init__(KINDS[kind])
        self.kind = kind


KINDS = {
    "not_backup": "this file is not a Hearth backup",
    "newer": "this backup was made by a newer version of Hearth; update Hearth, then restore it",
    "truncated": "this backup is incomplete (the file was cut short); nothing was restored",
    "damaged": "this backup is damaged or was changed since it was saved; nothing was restored",
    "passphrase": "that passphrase does not open this backup; nothing was restored",
}


@dataclass(frozen=True)
class Header:
    version: int
    kdf: Kdf
    compression: int
    salt: bytes
    nonce: bytes
    length: int   # of the sealed payload, its 16-byte tag included
    check: bytes
    raw: bytes


def derive(passphrase: str, salt: bytes, kdf: Kdf) -> tuple[bytes, bytes]:
    """(payload key, key-check value) from the passphrase, NFC-normalised and UTF-8."""
    from argon2.low_level import Type, hash_secret_raw   # the client extra; the relay never needs it
    secret = unicodedata.normalize("NFC", passphrase).encode()
    master = hash_secret_raw(secret, salt, time_cost=kdf.iterations, memory_cost=kdf.memory_kib,
                             parallelism=kdf.parallelism, hash_len=32, type=Type.ID)
    return hkdf(master, b"", b"hearth/backup/v1/key", 32), hkdf(master, b"", b"hearth/backup/v1/check", 16)


def _header(kdf: Kdf, compression: int, salt: bytes, nonce: bytes, length: int, check: bytes) -> bytes:
    head = HEADER.pack(MAGIC, VERSION, KDF_ARGON2ID, kdf.iterations, kdf.memory_kib, kdf.parallelism,
                       compression, salt, nonce, length, check, b"\0" * 8)
    return head[:DIGEST_AT] + sha256(head[:DIGEST_AT])[:8]


def seal_backup(passphrase: str, plaintext: bytes, compression: int = GZIP, kdf: Kdf = WRITE,
                salt: bytes | None = None, nonce: bytes | None = None) -> bytes:
    """The whole file for an (already compressed, if `compression` says so) plaintext."""
    salt, nonce = salt or os.urandom(16), nonce or os.urandom(12)
    key, check = derive(passphrase, salt, kdf)
    head = _header(kdf, compression, salt, nonce, len(plaintext) + TAG_BYTES, check)
    return head + seal(key, nonce, plaintext, head)


def read_header(data: bytes, floor: Kdf = FLOOR) -> Header:
    """The header, every check that needs no passphrase done, in the order the doc gives."""
    if len(data) < len(MAGIC):
        raise BackupError("truncated" if data and MAGIC.startswith(data) else "not_backup")
    if data[:8] != MAGIC:
        raise BackupError("not_backup")
    if len(data) < 9:
        raise BackupError("truncated")
    if data[8] > VERSION:
        raise BackupError("newer")   # its header may be laid out otherwise: nothing more is read
    if len(data) < HEADER_BYTES:
        raise BackupError("truncated")
    raw = data[:HEADER_BYTES]
    _m, version, kdf_id, t, m, p, compression, salt, nonce, length, check, digest = HEADER.unpack(raw)
    if version != VERSION or not hmac.compare_digest(digest, sha256(raw[:DIGEST_AT])[:8]):
        raise BackupError("damaged")
    kdf = Kdf(t, m, p)
    if kdf_id != KDF_ARGON2ID or compression not in (NO_COMPRESSION, GZIP) or length < TAG_BYTES or \
            not all(lo <= v <= hi for lo, v, hi in zip(
                (floor.iterations, floor.memory_kib, floor.parallelism), (t, m, p),
                (CEILING.iterations, CEILING.memory_kib, CEILING.parallelism))) or m < 8 * p:
        raise BackupError("damaged")
    if len(data) < HEADER_BYTES + length:
        raise BackupError("truncated")
    if len(data) > HEADER_BYTES + length:
        raise BackupError("damaged")
    return Header(version, kdf, compression, salt, nonce, length, check, raw)


def open_backup(passphrase: str, data: bytes, floor: Kdf = FLOOR) -> tuple[Header, bytes]:
    """(header, plaintext as sealed, still compressed if it was); BackupError says why not."""
    header = read_header(data, floor)
    key, check = derive(passphrase, header.salt, header.kdf)
    if not hmac.compare_digest(check, header.check):
        raise BackupError("passphrase")
    try:
        return header, open_sealed(key, header.nonce, data[HEADER_BYTES:], header.raw)
    except CryptoError:
        raise BackupError("damaged") from None


# --- the payload --------------------------------------------------------------------------

def encode_payload(payload: dict, compression: int = GZIP) -> bytes:
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    # mtime 0: the same payload makes the same bytes, whenever it is saved.
    return gzip.compress(text, compresslevel=6, mtime=0) if compression == GZIP else text


LISTS = ("records", "checkins", "reminders", "preferences", "noticed")


def decode_payload(plaintext: bytes, compression: int) -> dict:
    """The payload, its outline checked (each item is checked as it is restored)."""
    try:
        text = gzip.decompress(plaintext) if compression == GZIP else plaintext
        payload = json.loads(text)
    except (OSError, EOFError, zlib.error, ValueError, RecursionError):
        raise BackupError("damaged") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("hearth_backup"), int):
        raise BackupError("damaged")
    if payload["hearth_backup"] > PAYLOAD_VERSION:
        raise BackupError("newer")
    for name in LISTS:
        if not isinstance(payload.setdefault(name, []), list):
            raise BackupError("damaged")
    for name in ("place", "partner"):
        place = payload.setdefault(name, {})
        if not isinstance(place, dict) or not isinstance(place.setdefault("earlier", []), list):
            raise BackupError("damaged")
    return payload

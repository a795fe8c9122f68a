"""Envelopes: keys, layout, padding and chaining (section 5 of docs/protocol.md)."""

import os
import struct
from dataclasses import dataclass

from . import SUITE_P256, VERSION
from .encoding import canon, u32
from .primitives import CryptoError, hkdf, open_sealed, seal, sha256

HEADER_BYTES = 46
NONCE_BYTES = 12
TAG_BYTES = 16
MIN_BUCKET = 256
MAX_BUCKET = 32768
MAX_BODY = MAX_BUCKET - 4
ZERO_HASH = bytes(32)
_HEADER = struct.Struct(">BBIQ32s")


@dataclass(frozen=True)
class Header:
    version: int
    suite: int
    epoch: int
    seq: int
    prev: bytes


def sender_key(root: bytes, pair_id: str, epoch: int, device: str) -> bytes:
    info = canon("hearth/v1/sender-key", pair_id.encode(), u32(epoch), device.encode())
    return hkdf(root, b"", info, 32)


def bucket_size(body_len: int) -> int:
    if body_len > MAX_BODY:
        raise ValueError(f"a record body is limited to {MAX_BODY} bytes")
    size = MIN_BUCKET
    while size < body_len + 4:
        size *= 2
    return size


def pad(body: bytes) -> bytes:
    return (u32(len(body)) + body).ljust(bucket_size(len(body)), b"\0")


def unpad(padded: bytes) -> bytes:
    if len(padded) < 4:
        raise CryptoError("padding is malformed")
    (n,) = struct.unpack_from(">I", padded)
    if 4 + n > len(padded) or any(padded[4 + n:]):
        raise CryptoError("padding is malformed")
    return padded[4:4 + n]


def parse_header(envelope: bytes) -> Header:
    if len(envelope) < HEADER_BYTES + NONCE_BYTES + TAG_BYTES:
        raise CryptoError("the envelope is too short")
    return Header(*_HEADER.unpack_from(envelope))


def associated_data(pair_id: str, sender: str, header: bytes) -> bytes:
    return canon("hearth/v1/envelope", pair_id.encode(), sender.encode(), header)


def seal_envelope(key: bytes, pair_id: str, sender: str, epoch: int, seq: int, prev: bytes,
                  body: bytes, nonce: bytes | None = None) -> bytes:
    header = _HEADER.pack(VERSION, SUITE_P256, epoch, seq, prev)
    nonce = nonce or os.urandom(NONCE_BYTES)
    return header + nonce + seal(key, nonce, pad(body), associated_data(pair_id, sender, header))


def open_envelope(key: bytes, pair_id: str, sender: str, envelope: bytes) -> bytes:
    """Return the body, or raise CryptoError if anything was altered or misplaced."""
    header = parse_header(envelope)
    if header.version != VERSION or header.suite != SUITE_P256:
        raise CryptoError("unsupported envelope version or suite")
    nonce = envelope[HEADER_BYTES:HEADER_BYTES + NONCE_BYTES]
    padded = open_sealed(key, nonce, envelope[HEADER_BYTES + NONCE_BYTES:],
                         associated_data(pair_id, sender, envelope[:HEADER_BYTES]))
    return unpad(padded)


def envelope_hash(envelope: bytes) -> bytes:
    return sha256(canon("hearth/v1/envelope-hash", envelope))

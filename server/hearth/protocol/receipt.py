"""Receipts: a device's own word on what it has from its partner (docs/protocol.md §5.6).

The relay's `sent` and `ready.last_seq` are claims; only a receipt sealed by the partner's
device lets a sender forget an envelope, and only a receipt can ask for one again.
"""

import json
import os
import struct

from . import SUITE_P256, VERSION
from .encoding import canon, unb64u
from .envelope import NONCE_BYTES, TAG_BYTES, ZERO_HASH, pad, unpad
from .primitives import CryptoError, open_sealed, seal

HEADER_BYTES = 6
MAX_RECEIPT = 2048
MAX_RANGES = 32
_HEADER = struct.Struct(">BBI")
_INT_FIELDS = ("n", "received", "head", "kept_from")
FIELDS = ("n", "received", "received_hash", "missing", "head", "kept_from")  # the wire order


def associated_data(pair_id: str, writer: str, header: bytes) -> bytes:
    return canon("hearth/v1/receipt", pair_id.encode(), writer.encode(), header)


def seal_receipt(key: bytes, pair_id: str, writer: str, epoch: int, fields: dict,
                 nonce: bytes | None = None) -> bytes:
    check_fields(fields)
    header = _HEADER.pack(VERSION, SUITE_P256, epoch)
    nonce = nonce or os.urandom(NONCE_BYTES)
    body = json.dumps({k: fields[k] for k in FIELDS}, separators=(",", ":")).encode()
    return header + nonce + seal(key, nonce, pad(body), associated_data(pair_id, writer, header))


def open_receipt(key: bytes, pair_id: str, writer: str, epoch: int, blob: bytes) -> dict:
    """The receipt's fields, or CryptoError if it is not the writer's, for this pair and epoch."""
    if not HEADER_BYTES + NONCE_BYTES + TAG_BYTES <= len(blob) <= MAX_RECEIPT:
        raise CryptoError("the receipt has the wrong length")
    version, suite, at_epoch = _HEADER.unpack_from(blob)
    if version != VERSION or suite != SUITE_P256 or at_epoch != epoch:
        raise CryptoError("the receipt is for another version, suite or epoch")
    nonce = blob[HEADER_BYTES:HEADER_BYTES + NONCE_BYTES]
    padded = open_sealed(key, nonce, blob[HEADER_BYTES + NONCE_BYTES:],
                         associated_data(pair_id, writer, blob[:HEADER_BYTES]))
    try:
        fields = json.loads(unpad(padded))
        check_fields(fields)
    except (ValueError, TypeError) as exc:
        raise CryptoError(f"the receipt's contents are malformed: {exc}") from None
    return fields


def check_fields(fields: dict) -> None:
    """Raise ValueError unless `fields` is exactly a well-formed receipt."""
    if not isinstance(fields, dict) or set(fields) != {*_INT_FIELDS, "received_hash", "missing"}:
        raise ValueError("a receipt has exactly the fields n, received, received_hash, missing, head, kept_from")
    for name in _INT_FIELDS:
        value = fields[name]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
            raise ValueError(f"'{name}' must be a whole number")
    if fields["n"] < 1:
        raise ValueError("'n' starts at 1")
    if len(unb64u(fields["received_hash"])) != len(ZERO_HASH):
        raise ValueError("'received_hash' must be 32 bytes")
    ranges = fields["missing"]
    if not isinstance(ranges, list) or len(ranges) > MAX_RANGES:
        raise ValueError(f"'missing' is a list of at most {MAX_RANGES} ranges")
    low = fields["received"]
    for item in ranges:
        if (not isinstance(item, list) or len(item) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in item)
                or not low < item[0] <= item[1] < 2**63):
            raise ValueError("'missing' ranges are [first, last], in order, above 'received'")
        low = item[1]


def missing_ranges(next_seq: int, held, up_to: int) -> list[list[int]]:
    """The seqs from next_seq to up_to that are not held, as at most MAX_RANGES runs."""
    runs, start = [], next_seq
    for seq in sorted(s for s in set(held) if next_seq <= s <= up_to):
        if seq > start:
            runs.append([start, seq - 1])
        start = seq + 1
    if start <= up_to:
        runs.append([start, up_to])
    return runs[:MAX_RANGES]

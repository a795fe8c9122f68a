"""Byte encodings from section 1 of docs/protocol.md."""

import base64
import binascii
import re
import struct

_B64U = re.compile(r"^[A-Za-z0-9_-]*$")


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: str) -> bytes:
    """Strict base64url without padding; raises ValueError on anything else."""
    if not isinstance(text, str) or not _B64U.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url without padding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:  # pragma: no cover - the regex catches these
        raise ValueError("not base64url without padding") from exc


def u8(n: int) -> bytes:
    return struct.pack(">B", n)


def u32(n: int) -> bytes:
    return struct.pack(">I", n)


def u64(n: int) -> bytes:
    return struct.pack(">Q", n)


def lp(data: bytes) -> bytes:
    return u32(len(data)) + data


def canon(label: str, *fields: bytes) -> bytes:
    """Length-prefixed concatenation: no two field lists share an encoding."""
    return lp(label.encode()) + b"".join(lp(f) for f in fields)


def uncanon(data: bytes, label: str, count: int) -> list[bytes]:
    """Split bytes made by canon(label, ...) back into exactly `count` fields."""
    fields, pos = [], 0
    while pos < len(data):
        if pos + 4 > len(data):
            raise ValueError("truncated length prefix")
        (n,) = struct.unpack_from(">I", data, pos)
        pos += 4
        if pos + n > len(data):
            raise ValueError("truncated field")
        fields.append(data[pos:pos + n])
        pos += n
    if not fields or fields[0] != label.encode() or len(fields) != count + 1:
        raise ValueError("unexpected structure")
    return fields[1:]

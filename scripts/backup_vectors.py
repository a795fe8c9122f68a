"""Write docs/backup-vectors.json: fixed inputs to the backup format and the exact bytes
they make, plus files that must fail, each with the reason it must fail for.

Run it only when the format changes on purpose (docs/backup.md): both implementations are
tested against the file as written (tests/test_backup_vectors.py, tests/js/backup/).
"""

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))

from hearth.protocol import backup as b  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "backup-vectors.json"
SMALL = b.Kdf(1, 64, 1)          # vectors only: fast enough to run on every test
FLOOR = b.Kdf(1, 8, 1)           # what the vectors' reader accepts instead of b.FLOOR
SALT = bytes(range(16))
NONCE = bytes(range(100, 112))
ME, PARTNER, OLD = "dGhpcyBwaG9uZSBpZC4uLg", "cGFydG5lcidzIHBob25lIg", "b2xkZXIgcGhvbmUgaWQuLg"

PAYLOAD = {
    "hearth_backup": 1, "made_at": 1764460800000, "made_by": "vectors",
    "place": {"device": ME, "earlier": [OLD]}, "partner": {"device": PARTNER, "earlier": []},
    "hlc": [1764460799000, 2],
    "records": [
        {"type": "journal", "id": "q3Vf8kT2mLx0bN7wZpR4cA", "author": ME,
         "fields": {"text": "A slow walk, hands held. Café after.", "tags": ["tried"], "shared": True},
         "clocks": {"text": f"1764460790000.0000.{ME}", "tags": f"1764460790000.0000.{ME}",
                    "shared": f"1764460790000.0000.{ME}"}},
        {"type": "couple", "id": "couple", "author": PARTNER, "fields": {"checkin_day": "friday"},
         "clocks": {"checkin_day": f"1764460795000.0001.{PARTNER}"}},
    ],
    "checkins": [{"week": "2026-W48", "author": ME, "key": "A" * 43, "answers": {"needs": "time"}, "released": False}],
    "reminders": [{"key": "lookback:q3Vf8kT2mLx0bN7wZpR4cA", "day": "2026-12-01"}],
    "preferences": [{"name": "hearth.gratitude.energy", "value": "low"}],
    "noticed": [{"type": "journal", "id": "q3Vf8kT2mLx0bN7wZpR4cA", "unseen": True}],
}


def kdf_json(k: b.Kdf) -> dict:
    return {"iterations": k.iterations, "memory_kib": k.memory_kib, "parallelism": k.parallelism}


def file_case(name, passphrase, plaintext, compression, kdf=SMALL, salt=SALT, nonce=NONCE, payload=None):
    data = b.seal_backup(passphrase, plaintext, compression, kdf, salt, nonce)
    key, check = b.derive(passphrase, salt, kdf)
    return {"name": name, "passphrase": passphrase, "kdf": kdf_json(kdf), "salt": salt.hex(), "nonce": nonce.hex(),
            "compression": compression, "key": key.hex(), "check": check.hex(), "plaintext": plaintext.hex(),
            "payload": payload, "file": data.hex()}


def with_digest(head: bytearray) -> bytes:
    head[b.DIGEST_AT:b.HEADER_BYTES] = b.sha256(bytes(head[:b.DIGEST_AT]))[:8]
    return bytes(head)


def main():
    text = json.dumps(PAYLOAD, separators=(",", ":"), ensure_ascii=False).encode()
    good = [
        file_case("gzip payload", "correct horse battery staple", gzip.compress(text, 6, mtime=0), b.GZIP,
                  payload=PAYLOAD),
        file_case("plain payload, passphrase normalised to NFC", "cafe\u0301 au lait", text, b.NO_COMPRESSION,
                  payload=PAYLOAD),
        file_case("the parameters every backup is written with", "correct horse battery staple", text,
                  b.NO_COMPRESSION, kdf=b.WRITE, payload=PAYLOAD),
    ]
    base = bytes.fromhex(good[0]["file"])
    pw = good[0]["passphrase"]
    newer = bytearray(base)
    newer[8] = 2
    flipped = bytearray(base)
    flipped[-20] ^= 1
    salted = bytearray(base[:b.HEADER_BYTES])
    salted[20] ^= 1
    bad = [
        {"name": "empty file", "file": "", "error": "not_backup"},
        {"name": "a PNG image", "file": "89504e470d0a1a0a0000000d49484452", "error": "not_backup"},
        {"name": "cut inside the magic", "file": base[:5].hex(), "error": "truncated"},
        {"name": "format version 2", "file": bytes(newer).hex(), "error": "newer"},
        {"name": "cut inside the header", "file": base[:40].hex(), "error": "truncated"},
        {"name": "cut inside the payload", "file": base[:-1].hex(), "error": "truncated"},
        {"name": "a byte after the payload", "file": (base + b"\0").hex(), "error": "damaged"},
        {"name": "header byte changed (digest fails)", "file": (base[:30] + bytes([base[30] ^ 1]) + base[31:]).hex(),
         "error": "damaged"},
        {"name": "ciphertext byte changed", "file": bytes(flipped).hex(), "error": "damaged"},
        {"name": "salt changed and digest redone: a different key, so told as the passphrase",
         "file": (with_digest(salted) + base[b.HEADER_BYTES:]).hex(), "error": "passphrase"},
        {"name": "wrong passphrase", "file": base.hex(), "passphrase": "correct horse battery stable",
         "error": "passphrase"},
        {"name": "memory below the reader's floor (read with the real floor)", "file": base.hex(),
         "error": "damaged", "real_floor": True},
        {"name": "sealed payload is not gzip",
         "file": b.seal_backup(pw, b"not gzip", b.GZIP, SMALL, SALT, NONCE).hex(), "error": "damaged"},
        {"name": "payload whose records are null",
         "file": b.seal_backup(pw, b'{"hearth_backup":1,"records":null}', b.NO_COMPRESSION, SMALL, SALT, NONCE).hex(),
         "error": "damaged"},
        {"name": "payload that is not an object",
         "file": b.seal_backup(pw, b'[1,2,3]', b.NO_COMPRESSION, SMALL, SALT, NONCE).hex(), "error": "damaged"},
        {"name": "payload from a newer version",
         "file": b.seal_backup(pw, b'{"hearth_backup":2}', b.NO_COMPRESSION, SMALL, SALT, NONCE).hex(),
         "error": "newer"},
    ]
    for case in bad:
        case.setdefault("passphrase", pw)
    out = {"about": "docs/backup.md: test vectors for the encrypted backup file. Hex for bytes.",
           "floor_for_vectors": kdf_json(FLOOR), "files": good, "bad": bad}
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

"""hearth-client's backup format passes docs/backup-vectors.json (the app's: tests/js/backup/)."""

import json
from pathlib import Path

import pytest

from hearth.protocol import backup as b

VECTORS = json.loads((Path(__file__).resolve().parent.parent / "docs" / "backup-vectors.json").read_text())
FLOOR = b.Kdf(**VECTORS["floor_for_vectors"])


def kdf(case):
    return b.Kdf(**case["kdf"])


@pytest.mark.parametrize("case", VECTORS["files"], ids=lambda c: c["name"])
def test_sealing_makes_the_exact_bytes(case):
    key, check = b.derive(case["passphrase"], bytes.fromhex(case["salt"]), kdf(case))
    assert (key.hex(), check.hex()) == (case["key"], case["check"])
    data = b.seal_backup(case["passphrase"], bytes.fromhex(case["plaintext"]), case["compression"], kdf(case),
                         bytes.fromhex(case["salt"]), bytes.fromhex(case["nonce"]))
    assert data.hex() == case["file"]


@pytest.mark.parametrize("case", VECTORS["files"], ids=lambda c: c["name"])
def test_opening_gives_the_payload(case):
    header, plaintext = b.open_backup(case["passphrase"], bytes.fromhex(case["file"]), FLOOR)
    assert plaintext.hex() == case["plaintext"]
    assert b.decode_payload(plaintext, header.compression) == case["payload"]


def test_gzip_payload_is_the_vectors_bytes():
    """Python's gzip (mtime 0, level 6) makes the vector's plaintext; other writers may differ,
    so readers compare payloads, never compressed bytes."""
    case = VECTORS["files"][0]
    assert b.encode_payload(case["payload"]).hex() == case["plaintext"]


@pytest.mark.parametrize("case", VECTORS["bad"], ids=lambda c: c["name"])
def test_bad_files_fail_for_their_own_reason(case):
    with pytest.raises(b.BackupError) as err:
        header, plaintext = b.open_backup(case["passphrase"], bytes.fromhex(case["file"]),
                                          b.FLOOR if case.get("real_floor") else FLOOR)
        b.decode_payload(plaintext, header.compression)
    assert err.value.kind == case["error"]


def test_written_parameters_are_within_what_readers_accept():
    for field in ("iterations", "memory_kib", "parallelism"):
        assert getattr(b.FLOOR, field) <= getattr(b.WRITE, field) <= getattr(b.CEILING, field)

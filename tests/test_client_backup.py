"""`hearth-client backup`, `restore` and `erase` (docs/backup.md), against a real relay.

A restored state is a new device: no keys until it pairs, and it joins its partner through
`replace-partner` (§11.3), after which what the backup held merges with the history by id.
"""

import json
import os
import pty
import subprocess
import sys

import pytest

from client_helpers import Client, pair, replace_partner
from hearth.client import backup
from hearth.protocol import backup as fmt

PASSPHRASE = "a quiet river at dusk"
TYPES = ("journal", "boundary", "period", "gratitude", "energy", "couple")


@pytest.fixture
def phrase(monkeypatch):
    monkeypatch.setenv("HEARTH_BACKUP_PASSPHRASE", PASSPHRASE)


def fill(alex: Client, sam: Client) -> dict:
    ids = {}
    for who, client in (("alex", alex), ("sam", sam)):
        device = client.device()
        for i in range(5):
            device.put("journal", json.dumps({"text": f"{who}'s entry {i}", "shared": True}))
        ids[f"{who}_boundary"] = device.put("boundary", json.dumps(
            {"kind": "touch", "label": f"{who}: a hand on my back", "level": "ask_first"}))
        ids[f"{who}_draft"] = device.put("journal", json.dumps({"text": f"{who}'s private draft"}))
        device.put("energy", json.dumps({"date": "2026-11-01", "time_of_day": "evening", "energy": 5}))   # private
    alex.device().put("couple", json.dumps({"checkin_day": "thursday"}))
    for client in (alex, sam, alex):
        client.sync()
    return ids


def everything(client: Client) -> dict:
    return {t: {r["id"]: r for r in client.list(t)} for t in TYPES}


def test_round_trip_keeps_every_record_and_makes_a_new_device(relay, tmp_path, phrase):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    ids = fill(alex, sam)
    file = tmp_path / "sam.hearth"
    saved = sam.run("backup", str(file))
    assert "saved:" in saved.stderr and file.stat().st_mode & 0o777 == 0o600
    assert file.read_bytes()[:8] == b"HEARTHBK" and b"private draft" not in file.read_bytes()

    new = Client(tmp_path / "sam-restored")
    done = new.run("restore", str(file))
    assert "restored:" in done.stderr and "replace-partner" in done.stderr
    assert everything(new) == everything(sam)   # mine and theirs, drafts and private notes too
    state = new.device().state
    assert not state.has_keys() and state.get("device") is None and state.get("root") is None
    assert state.get("own_seq") is None and state.outbox_size() == 0
    assert ids["sam_draft"] in everything(new)["journal"]

    # Restored twice onto nothing: refused, the first is untouched.
    again = new.run("restore", str(file), check=False)
    assert again.returncode == 1 and "already holds something" in again.stderr


def test_restored_client_joins_its_partner_without_duplicates(relay, tmp_path, phrase):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    ids = fill(alex, sam)
    file = tmp_path / "sam.hearth"
    sam.run("backup", str(file))
    before = everything(sam)
    alex.put("journal", {"text": "written after sam's backup", "shared": True})
    alex.sync()

    restored = Client(tmp_path / "sam-restored")
    restored.run("restore", str(file))
    replace_partner(alex, restored)
    restored.sync()
    after = everything(restored)
    journal = restored.list("journal")
    assert len(journal) == len({r["id"] for r in journal}) == len(before["journal"]) + 1
    assert any(r["text"] == "written after sam's backup" and not r["mine"] for r in journal)
    assert after["journal"][ids["sam_draft"]]["mine"]   # the draft came back from the backup alone
    for rtype in ("boundary", "energy", "couple"):
        assert after[rtype] == before[rtype], rtype
    # The lost phone's records are this one's own again: it changes them, and alex takes it.
    restored.put("boundary", {"id": ids["sam_boundary"], "label": "sam: gently", "level": "welcome"})
    restored.sync()
    alex.sync()
    theirs = {r["id"]: r for r in alex.list("boundary")}[ids["sam_boundary"]]
    assert (theirs["label"], theirs["mine"]) == ("sam: gently", False)
    assert restored.device().state.get("own_seq") >= 1 and restored.device_id != sam.device_id


@pytest.mark.parametrize("damage, words", [
    (lambda data: data[:-3], "incomplete"),
    (lambda data: data[:200] + bytes([data[200] ^ 1]) + data[201:], "damaged"),
    (lambda data: b"PK\x03\x04" + data[4:], "not a Hearth backup"),
    (lambda data: data[:8] + b"\x02" + data[9:], "newer version"),
])
def test_every_bad_file_has_its_own_message_and_leaves_nothing(tmp_path, phrase, damage, words):
    alex = Client(tmp_path / "alex")
    alex.device().state.set("device", None)
    file = tmp_path / "alex.hearth"
    alex.run("backup", str(file))
    bad = tmp_path / "bad.hearth"
    bad.write_bytes(damage(file.read_bytes()))
    target = tmp_path / "restored"
    done = Client(target).run("restore", str(bad), check=False)
    assert done.returncode == 1 and words in done.stderr, done.stderr
    assert not target.exists()


def test_wrong_passphrase_says_so_and_leaves_no_state_directory(tmp_path, monkeypatch, phrase):
    alex = Client(tmp_path / "alex")
    alex.device().state.set("hlc", [1, 0])
    file = tmp_path / "alex.hearth"
    alex.run("backup", str(file))
    monkeypatch.setenv("HEARTH_BACKUP_PASSPHRASE", "a quiet river at dawn")
    target = tmp_path / "restored"
    done = Client(target, process=True).run("restore", str(file), check=False)
    assert done.returncode == 1 and "passphrase" in done.stderr
    assert not target.exists()
    missing = Client(target).run("restore", str(tmp_path / "nothing.hearth"), check=False)
    assert missing.returncode == 1 and "cannot read the backup" in missing.stderr and not target.exists()


def test_backup_and_erase_of_a_directory_that_holds_no_device_are_refused(tmp_path, phrase):
    for command in (["backup", str(tmp_path / "x.hearth")], ["erase"]):
        done = Client(tmp_path / "nobody").run(*command, check=False)
        assert done.returncode == 1 and "holds no Hearth device" in done.stderr
        assert not (tmp_path / "nobody").exists() and not (tmp_path / "x.hearth").exists()


def test_no_passphrase_and_no_terminal_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("HEARTH_BACKUP_PASSPHRASE", raising=False)
    Client(tmp_path / "alex").device().state.set("hlc", [1, 0])
    done = Client(tmp_path / "alex").run("backup", str(tmp_path / "x.hearth"), check=False)
    assert done.returncode == 1 and "HEARTH_BACKUP_PASSPHRASE" in done.stderr
    assert not (tmp_path / "x.hearth").exists()


def test_a_backup_holds_no_keys_or_chain(relay, tmp_path, phrase):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    fill(alex, sam)
    file = tmp_path / "alex.hearth"
    alex.run("backup", str(file))
    header, plaintext = fmt.open_backup(PASSPHRASE, file.read_bytes())
    assert header.kdf == fmt.WRITE
    body = fmt.decode_payload(plaintext, header.compression)
    text = json.dumps(body)
    state = alex.device().state
    for secret in (state.get("root"), (tmp_path / "alex" / "signing.pem").read_text().splitlines()[1]):
        assert secret not in text
    assert not {"own_seq", "root", "epoch", "pair", "outbox"} & set(body)
    assert body["place"]["device"] == alex.device_id and body["partner"]["device"] == sam.device_id


def test_erase_unpairs_first_then_removes_keys_and_records(relay, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    fill(alex, sam)
    done = alex.run("erase")
    assert "erased:" in done.stderr and "warning" not in done.stderr
    assert not (tmp_path / "alex").exists()
    told = sam.run("sync", check=False)
    assert told.returncode == 1 and "unpaired" in told.stderr


def test_erase_says_when_the_relay_could_not_be_told(relay, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    alex.device().state.set("relay", "http://127.0.0.1:9")   # nothing listens there
    done = alex.run("erase")
    assert "could not reach the relay" in done.stderr and "erased:" in done.stderr
    assert not (tmp_path / "alex" / "client.db").exists() and not (tmp_path / "alex" / "signing.pem").exists()


def test_a_restore_that_fails_part_way_leaves_an_empty_directory_empty(tmp_path, phrase, monkeypatch):
    alex = Client(tmp_path / "alex")
    alex.device().state.set("hlc", [1, 0])
    file = tmp_path / "alex.hearth"
    alex.run("backup", str(file))
    target = tmp_path / "empty"
    target.mkdir()

    def broken(device, recs):
        raise OSError("disk full")
    monkeypatch.setattr("hearth.client.backup.history.merge", broken)
    with pytest.raises(OSError):
        backup.restore(str(target), backup.opened(file.read_bytes(), PASSPHRASE))
    assert target.is_dir() and not any(target.iterdir())


def on_a_terminal(args: list[str], typed: list[str], env: dict) -> subprocess.CompletedProcess:
    """hearth-client with a terminal for standard input, and these lines typed into it."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "hearth.client.cli", *args], stdin=slave, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        said = ""
        for line in typed:
            # Typed once asked: getpass flushes what was typed ahead as it turns echo off.
            while not said.endswith("passphrase: ") and not said.endswith("passphrase again: "):
                char = proc.stderr.read(1)
                assert char, said
                said += char
            said = ""
            os.write(master, line.encode() + b"\n")
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def test_without_the_variable_the_passphrase_is_asked_on_a_terminal(tmp_path):
    Client(tmp_path / "alex").device().state.set("hlc", [1, 0])
    env = {k: v for k, v in os.environ.items() if k != "HEARTH_BACKUP_PASSPHRASE"}
    file = tmp_path / "alex.hearth"
    differ = on_a_terminal(["--state", str(tmp_path / "alex"), "backup", str(file)], [PASSPHRASE, "something else"], env)
    assert differ.returncode == 1 and "differ" in differ.stderr and not file.exists()
    done = on_a_terminal(["--state", str(tmp_path / "alex"), "backup", str(file)], [PASSPHRASE, PASSPHRASE], env)
    assert done.returncode == 0 and "saved:" in done.stderr, done.stderr
    wrong = on_a_terminal(["--state", str(tmp_path / "new"), "restore", str(file)], ["not it"], env)
    assert wrong.returncode == 1 and "passphrase" in wrong.stderr and not (tmp_path / "new").exists()
    right = on_a_terminal(["--state", str(tmp_path / "new"), "restore", str(file)], [PASSPHRASE], env)
    assert right.returncode == 0 and "restored:" in right.stderr, right.stderr


def test_a_restored_client_can_pair_afresh_instead(relay, tmp_path, phrase):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    fill(alex, sam)
    file = tmp_path / "sam.hearth"
    sam.run("backup", str(file))
    restored, someone = Client(tmp_path / "sam-restored"), Client(tmp_path / "someone")
    restored.run("restore", str(file))
    before = everything(restored)
    pair(relay.url, restored, someone)
    restored.put("journal", {"text": "a new start", "shared": True})
    restored.sync()
    someone.sync()
    assert [r["text"] for r in someone.list("journal")] == ["a new start"]
    after = everything(restored)
    after["journal"] = {i: r for i, r in after["journal"].items() if r["text"] != "a new start"}
    assert after == before

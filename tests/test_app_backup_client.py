"""Backups between the app and hearth-client (docs/backup.md), both ways: one file format,
so a backup hearth-client saved restores in the app, and one the app saved restores in
hearth-client, every record whole (fields, clocks and author) on the other side."""

import base64
import json

from playwright.sync_api import expect

from app_helpers import open_app
from client_helpers import Client, pair
from test_app_backup import HELD, PASSPHRASE, SEED, held, try_restore


def client_records(client: Client) -> list[str]:
    """The same canonical form as HELD's, from the client's own state."""
    state = client.device().state
    return sorted(json.dumps([t, i, a, f, c], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                  for t, i, a, f, c in state.every_record())


def test_a_client_backup_restores_in_the_app(relay, browser_context, tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTH_BACKUP_PASSPHRASE", PASSPHRASE)
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    for who, client in (("alex", alex), ("sam", sam)):
        device = client.device()
        for i in range(10):
            device.put("journal", json.dumps({"text": f"{who} journal {i} — café", "shared": i % 2 == 0}))
            device.put("boundary", json.dumps({"kind": "touch", "label": f"{who} boundary {i}", "level": "ask_first"}))
        device.put("energy", json.dumps({"date": "2026-11-01", "time_of_day": "morning", "energy": 4, "sleep_hours": 7.5}))
    alex.put("couple", {"checkin_day": "thursday"})
    for client in (alex, sam, alex):
        client.sync()
    file = tmp_path / "sam.hearth"
    sam.run("backup", str(file))

    phone = open_app(browser_context(), relay.url, "pair")
    try_restore(phone, file)
    expect(phone.get_by_role("heading", name="Everything is back")).to_be_visible(timeout=60_000)
    shown = held(phone)
    assert shown["records"] == client_records(sam)
    assert len(shown["mine"]) == sum(r["mine"] for t in ("journal", "boundary", "energy") for r in sam.list(t))
    assert not phone.errors


MAKE = """async (passphrase) => {
  const [{ makeBackup }, { b64u }] = await Promise.all([import('/js/device/backup.js'), import('/js/core/encoding.js')]);
  return b64u((await makeBackup(passphrase)).data);
}"""


def test_an_app_backup_restores_in_the_client(relay, browser_context, tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTH_BACKUP_PASSPHRASE", PASSPHRASE)
    phone = open_app(browser_context(), relay.url)
    phone.evaluate(SEED, ["app", 60])
    before = phone.evaluate(HELD)
    data = phone.evaluate(MAKE, PASSPHRASE)
    file = tmp_path / "app.hearth"
    file.write_bytes(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))

    restored = Client(tmp_path / "restored")
    done = restored.run("restore", str(file))
    assert "restored:" in done.stderr and "did not fit" not in done.stderr
    assert client_records(restored) == before["records"]
    mine = sorted(r["id"] for t in ("journal", "boundary", "period", "experiment", "energy", "appointment",
                                    "gratitude", "reassessment", "couple") for r in restored.list(t) if r["mine"])
    assert mine == before["mine"]
    assert not phone.errors

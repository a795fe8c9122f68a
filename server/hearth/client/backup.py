"""Backing a device up, restoring it as a new one, and erasing it (docs/backup.md).

The format is hearth.protocol.backup's; here is what goes in (every record whole, the
clock, check-in answers and keys, whose records are whose) and what a restore makes of it:
a state directory with no device yet, which joins its partner through `replace-partner`'s
flow (protocol §11.3) or pairs afresh, and never the old device's keys or chain.
"""

import os
import shutil
import time
from pathlib import Path

from hearth.protocol import backup as fmt
from hearth.protocol.schema import is_record_id

from . import history
from .connection import ClientError
from .device import Device
from .state import State

MADE_BY = "hearth-client"


def payload(state: State) -> dict:
    """Everything of this device a backup holds, and nothing of its keys or chain."""
    peer = state.get("peer") or {}
    checkins = [{"week": week, "author": local.get("author", state.get("device")),
                 **{k: local[k] for k in ("key", "answers", "released")}}
                for week, local in sorted(state.get("checkins", {}).items())]
    return {
        "hearth_backup": fmt.PAYLOAD_VERSION, "made_at": int(time.time() * 1000), "made_by": MADE_BY,
        "place": {"device": state.get("device"), "earlier": state.get("lineage", [])},
        "partner": {"device": peer.get("device"), "earlier": state.get("peer_lineage", [])},
        "hlc": state.get("hlc", [0, 0]),
        "records": [{"type": t, "id": i, "author": a, "fields": f, "clocks": c}
                    for t, i, a, f, c in state.every_record()],
        "checkins": checkins, "reminders": [], "preferences": [], "noticed": [],
    }


def save(state: State, path: str, passphrase: str) -> int:
    """Write the backup to `path` (only its owner may read it); returns how many records."""
    body = payload(state)
    data = fmt.seal_backup(passphrase, fmt.encode_payload(body))
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, target)   # never half a backup under the name asked for
    return len(body["records"])


def read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ClientError(f"cannot read the backup {path}: {exc.strerror}") from None


def check_empty(directory: str) -> None:
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ClientError(f"{directory} already holds something; restore into a new --state directory")


def opened(data: bytes, passphrase: str) -> dict:
    """The payload, or BackupError (its kind says why) before anything is written."""
    header, plaintext = fmt.open_backup(passphrase, data)
    return fmt.decode_payload(plaintext, header.compression)


def _ids(place) -> list:
    ids = [*place.get("earlier", []), place.get("device")]
    out = []
    for x in ids:
        if is_record_id(x) and x not in out:
            out.append(x)
    return out


def restore(directory: str, body: dict) -> dict:
    """Make `directory` a new device holding what `body` held; nothing is left behind if
    this fails part way. Returns {"records", "skipped"}."""
    check_empty(directory)
    created = not Path(directory).exists()
    try:
        state = State(directory)
        device = Device(state)
        with state.transaction():
            # The old place's records are this device's own, its partner's theirs (§11.1);
            # a replacement's signed notice (§11.3) later adds the lost phone again, harmlessly.
            state.set("lineage", _ids(body["place"]))
            state.set("peer_lineage", [x for x in _ids(body["partner"]) if x not in _ids(body["place"])])
            hlc = body.get("hlc")
            if isinstance(hlc, list) and len(hlc) == 2 and all(type(n) is int and n >= 0 for n in hlc):
                state.set("hlc", hlc)
            state.set("checkins", {c["week"]: {k: c[k] for k in ("author", "key", "answers", "released")}
                                   for c in body["checkins"] if _checkin(c)})
            made = body.get("made_at")
            state.set("restored", {"from": ([*_ids({"device": body["place"].get("device")})] or [None])[0],
                                   "made_at": made if type(made) is int else None, "at": int(time.time())})
            before = state.get("skipped_ops", 0)
            history.merge(device, [r for r in body["records"] if isinstance(r, dict)])
            skipped = state.get("skipped_ops", 0) - before
            state.set("skipped_ops", before)
        count = state.db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        state.db.close()
        return {"records": count, "skipped": skipped + sum(not isinstance(r, dict) for r in body["records"])}
    except BaseException:
        if created:
            shutil.rmtree(directory, ignore_errors=True)
        else:   # it was empty: leave it so
            for path in Path(directory).iterdir():
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        raise


def _checkin(c) -> bool:
    return isinstance(c, dict) and isinstance(c.get("week"), str) and isinstance(c.get("key"), str) and \
        isinstance(c.get("answers"), dict) and isinstance(c.get("released"), bool) and isinstance(c.get("author"), str)


def erase(device) -> str | None:
    """End the pairing if there is one (as `unpair`), then delete the keys and database.
    Returns a note for the person when the relay could not be told, else None."""
    st = device.state
    note = None
    if st.get("root") and not st.get("ended") and not st.get("retired"):
        try:
            device.unpair()
        except ClientError as exc:
            note = f"could not reach the relay to end the pairing ({exc}); your partner's device will not know"
    st.db.close()
    for name in ("signing.pem", "agreement.pem", "client.db", "client.db-wal", "client.db-shm", "client.db-journal"):
        (st.dir / name).unlink(missing_ok=True)
    try:
        st.dir.rmdir()   # only if nothing else was kept there
    except OSError:
        pass
    return note

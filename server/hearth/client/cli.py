"""`hearth-client`: a non-interactive Hearth device for scripts, tests and other clients."""

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from hearth.protocol.backup import BackupError
from hearth.protocol.primitives import CryptoError

from . import backup, records, succession
from .connection import ClientError
from .device import Device
from .state import State, StateError


def show_code(code: str) -> None:
    print(f"safety code: {code}", flush=True)
    print("Compare these numbers with the ones on your partner's screen.", file=sys.stderr, flush=True)


def ask_code() -> str | None:
    """One line from standard input: the numbers on the partner's screen (None at its end)."""
    print("Type the six numbers shown on your partner's screen, then press Enter:", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    return line or None


def print_report(report: dict, device: Device) -> None:
    """What a sync did, in a line or two on standard error."""
    print(f"synced: sent {report['sent']}, received {report['received']}", file=sys.stderr)
    if report["rejected"]:
        print(f"warning: {report['rejected']} update(s) from your partner arrived damaged or out of place "
              "and were not applied", file=sys.stderr)
    if report["skipped"]:
        print(f"warning: {report['skipped']} update(s) from your partner did not fit this version's "
              "records and were skipped; the rest were applied", file=sys.stderr)
    if report["replayed"]:
        print(f"note: ignored {report['replayed']} repeated update(s) already applied", file=sys.stderr)
    if report["missing"]:
        print(f"warning: {report['missing']} update(s) from your partner are missing: the relay dropped "
              "or withheld them. This device has asked your partner's device to send them again; they "
              "arrive once both have synced.", file=sys.stderr)
    if report["lost"]:
        print(f"warning: {report['lost']} update(s) from your partner could not be recovered: "
              "their device no longer had them to send again", file=sys.stderr)
    if report["history"]:
        part, parts = report["history"]
        print(f"history: received part {part} of {parts}" + (
            "; everything your partner's phone shares with you is here" if part == parts else ""), file=sys.stderr)
    if report.get("moved"):
        print(f"your partner moved to a new phone: everything goes on as before. When you are together, check "
              f"that it shows the safety code {report['moved']}.", file=sys.stderr)
    sent = succession.history_sent(device.state)
    if sent:
        done, parts = sent
        print(f"history: your partner's new phone has {done} of {parts} part(s) so far" if done < parts else
              f"history: your partner's new phone has all of it ({parts} part(s))", file=sys.stderr)


def passphrase(twice: bool) -> str:
    """HEARTH_BACKUP_PASSPHRASE, or asked on the terminal (twice when choosing one)."""
    given = os.environ.get("HEARTH_BACKUP_PASSPHRASE")
    if given is not None:
        if not given:
            raise ClientError("HEARTH_BACKUP_PASSPHRASE is empty; a backup needs a passphrase")
        return given
    if not sys.stdin.isatty():
        raise ClientError("no passphrase: set HEARTH_BACKUP_PASSPHRASE, or run this on a terminal to be asked")
    first = getpass.getpass("Backup passphrase: ")
    if twice and getpass.getpass("The same passphrase again: ") != first:
        raise ClientError("the two passphrases differ; nothing was saved")
    if not first:
        raise ClientError("a backup needs a passphrase")
    return first


def run_backup(args) -> None:
    """backup, restore and erase: each opens its state directory only when it must."""
    if args.command == "restore":
        backup.check_empty(args.state)
        data = backup.read(args.file)
        body = backup.opened(data, passphrase(twice=False))
        done = backup.restore(args.state, body)
        skipped = f"; {done['skipped']} item(s) did not fit this version and were left out" if done["skipped"] else ""
        print(f"restored: {done['records']} record(s) into {args.state}, a new device with no keys yet{skipped}. "
              "If your partner's phone is still paired, they run 'replace-partner' and this one 'join's with its "
              "link; otherwise pair afresh with 'invite' or 'join'.", file=sys.stderr)
        return
    if not (Path(args.state) / "client.db").exists():
        raise ClientError(f"{args.state} holds no Hearth device; nothing to {args.command}")
    device = Device(State(args.state))
    if args.command == "backup":
        count = backup.save(device.state, args.file, passphrase(twice=True))
        print(f"saved: {count} record(s) to {args.file}, encrypted under your passphrase. Without the passphrase "
              "nobody can open it, and nobody can recover it for you.", file=sys.stderr)
    else:
        note = backup.erase(device)
        if note:
            print(f"warning: {note}", file=sys.stderr)
        print(f"erased: this device's keys and records are gone from {args.state}", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hearth-client", description="A command-line Hearth device.")
    parser.add_argument("--state", required=True, help="this device's state directory")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("invite", help="print a pairing link, wait for the partner, print the safety code, "
                                      "then read the partner's six numbers from standard input and confirm")
    p.add_argument("relay_url")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for the partner (600)")
    p = sub.add_parser("join", help="pair using the partner's link, print the safety code, "
                                    "and wait for the partner to confirm")
    p.add_argument("link")
    p.add_argument("--timeout", type=float, default=120, help="seconds to wait for the partner's answer")
    p = sub.add_parser("example", help="print a valid example record of TYPE")
    p.add_argument("type")
    p = sub.add_parser("put", help="store and queue a record; prints its id")
    p.add_argument("type")
    p.add_argument("json")
    p = sub.add_parser("replace-partner", help="your partner lost their phone: print a link for their new one, "
                                               "wait for it, print the safety code, read their six numbers from "
                                               "standard input, then hand the new phone everything you share")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for the new phone (600)")
    p = sub.add_parser("move", help="moving to a new phone: print a link for it, wait for it, print the safety "
                                    "code, read its six numbers from standard input, send it everything (private "
                                    "records too), and retire this one once it has all of it")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for the new phone (600)")
    sub.add_parser("sync", help="send what is waiting and receive what is pending")
    sub.add_parser("unpair", help="end the pairing for both devices; this device keeps its records")
    p = sub.add_parser("list", help="print the records of TYPE, one JSON object per line")
    p.add_argument("type")
    p = sub.add_parser("backup", help="save everything on this device to FILE, encrypted under a passphrase "
                                      "(HEARTH_BACKUP_PASSPHRASE, or asked)")
    p.add_argument("file")
    p = sub.add_parser("restore", help="make --state (new or empty) a new device holding a backup's records")
    p.add_argument("file")
    sub.add_parser("erase", help="end the pairing if there is one, then delete this device's keys and records")
    args = parser.parse_args(argv)

    try:
        if args.command == "example":
            print(json.dumps(records.record_type(args.type).example))
            return 0
        if args.command in ("backup", "restore", "erase"):
            run_backup(args)
            return 0
        device = Device(State(args.state))
        if args.command == "invite":
            device.invite(args.relay_url, args.timeout, lambda link: print(link, flush=True), show_code, ask_code)
            print("paired: the numbers match, and your devices are now paired", file=sys.stderr)
        elif args.command == "join":
            device.join(args.link, args.timeout, show_code)
            print("paired: your partner confirmed the numbers match", file=sys.stderr)
            if device.state.get("awaiting_succession"):
                print("This phone takes the place of your earlier one. Your partner's phone is sending everything "
                      "the two of you share; run 'sync' to receive it.", file=sys.stderr)
            if device.state.get("moving_in"):
                print("Receiving everything from your old phone…", file=sys.stderr, flush=True)
                if not device.finish_move(args.timeout):
                    raise ClientError("your old phone has not finished the move yet; keep both phones on and run "
                                      "'sync' here to finish")
                print(f"moved: this phone has everything from your old one and has taken its place. Your partner's "
                      f"phone will show the safety code {device.state.get('safety_code')} for this one; compare "
                      "them when you are together.", file=sys.stderr)
        elif args.command == "replace-partner":
            device.replace_partner(args.timeout, lambda link: print(link, flush=True), show_code, ask_code)
            print("paired: the numbers match, and your partner's new phone has taken the old one's place. "
                  "The old phone can no longer read or send anything.", file=sys.stderr)
            try:
                report = device.sync()
            except ClientError as exc:
                raise ClientError(f"{exc}. The new phone is paired; run 'sync' to send it the rest of what you "
                                  "share") from None
            print_report(report, device)
        elif args.command == "move":
            code = device.move(args.timeout, lambda link: print(link, flush=True), show_code, ask_code)
            print("moved: your new phone has everything and has taken this one's place; this phone no longer "
                  f"syncs. Your partner's phone will show the safety code {code} for the new one. You can erase "
                  "this state directory.", file=sys.stderr)
        elif args.command == "unpair":
            device.unpair()
            print("unpaired: the pairing has ended on both devices; your records stay on this device",
                  file=sys.stderr)
        elif args.command == "put":
            rid = device.put(args.type, args.json)
            print(rid)
            if not device.is_shared(args.type, rid):
                print(f'kept as a private draft on this device; put {{"id": "{rid}", "shared": true}} '
                      "to share it", file=sys.stderr)
        elif args.command == "list":
            for rec in device.list(args.type):
                print(json.dumps(rec, ensure_ascii=False))
        elif args.command == "sync":
            device.settle_pending()   # a pairing an earlier run left half-way
            print_report(device.sync(), device)
    except (ClientError, StateError, records.RecordError, CryptoError, BackupError) as exc:
        print(f"hearth-client: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

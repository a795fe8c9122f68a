#!/usr/bin/env python3
"""Does a failed login take longer when the device id exists? It must not: the time would
tell a prober which ids are registered (docs/protocol.md section 3).

Registers one device on a real relay, then alternates failed logins, each on a fresh
connection: the real id with a wrong signature, and an id nobody has. Times each from
sending `login` to receiving `login_failed`. The last line of stdout is one JSON object.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from websockets.sync.client import connect

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import DeviceKeys

sys.path.insert(0, str(Path(__file__).resolve().parent))
from relay import start_hearth  # noqa: E402 - the bench's own helper


def failed_login_ms(url: str, device: str, signer: DeviceKeys) -> float:
    with connect(url, compression=None) as ws:
        challenge = unb64u(json.loads(ws.recv(timeout=10))["challenge"])
        # A well-formed signature by the wrong key, so the relay does a whole verification.
        frame = json.dumps({"type": "login", "device": device, "sig": b64u(signer.sign_login(challenge))})
        t0 = time.perf_counter()
        ws.send(frame)
        answer = json.loads(ws.recv(timeout=10))
        elapsed = (time.perf_counter() - t0) * 1000
    if answer.get("code") != "login_failed":
        raise SystemExit(f"expected login_failed, got {answer}")
    return elapsed


def main(args) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = start_hearth(data_dir)
        try:
            url = f"ws://127.0.0.1:{port}/ws"
            known = DeviceKeys.generate()
            with connect(url, compression=None) as ws:
                challenge = unb64u(json.loads(ws.recv(timeout=10))["challenge"])
                ws.send(json.dumps({"type": "register", **known.public_frame(),
                                    "sig": b64u(known.sign_register(challenge))}))
                assert json.loads(ws.recv(timeout=10))["type"] == "registered"
            impostor = DeviceKeys.generate()
            times = {"known": [], "unknown": []}
            for i in range(args.warmup + args.rounds):
                # Alternate, so drift in the machine's load touches both alike.
                pair = [("known", known.device_id), ("unknown", b64u(os.urandom(16)))]
                for kind, device in pair if i % 2 else pair[::-1]:
                    ms = failed_login_ms(url, device, impostor)
                    if i >= args.warmup:
                        times[kind].append(ms)
        finally:
            proc.terminate()
            proc.wait(10)
    known_ms, unknown_ms = statistics.median(times["known"]), statistics.median(times["unknown"])
    print(f"failed login, median of {args.rounds}: known id {known_ms:.3f} ms, unknown id {unknown_ms:.3f} ms")
    return {"rounds": args.rounds, "known_median_ms": round(known_ms, 3),
            "unknown_median_ms": round(unknown_ms, 3), "ratio": round(known_ms / unknown_ms, 3)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500, help="timed logins of each kind")
    parser.add_argument("--warmup", type=int, default=50, help="untimed logins of each kind first")
    print(json.dumps(main(parser.parse_args())), flush=True)

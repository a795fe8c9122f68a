#!/usr/bin/env python3
"""Throw malformed frames at a real Hearth relay and check that it stays whole.

Starts `hearth serve` (gunicorn master and one gevent worker), warms it up, takes the
worker's resident memory, sends --frames malformed frames over --connections logged-in
sockets (deep nesting, lone surrogates, wrong types, oversized, unknown types, binary
frames, bad base64), takes the memory again, and reads the relay's log for tracebacks.
Every frame must get exactly one error frame, and every socket must still answer a ping.
The last line of stdout is one JSON object.
"""

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from relay import Device, free_port, wait_listening  # noqa: E402 - the bench's own helpers

SURROGATE_ID = "\ud800" + "A" * 21


def malformed() -> list:
    """One of each kind of bad frame a logged-in device might send; each earns one error."""
    frames = [
        "[" * 5000 + "]" * 5000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        '{"type": "ping", "x": ' + "[" * 5000 + "]" * 5000 + "}",
        "not json", "[1, 2]", "null", "1" * 5000,
        b"\x00\x01binary",
        json.dumps({"type": "ping", "pad": "x" * 70_000}),
        {"no": "type"}, {"type": 5}, {"type": None},
        {"type": "teleport"}, {"type": "batch", "a": 1}, {"type": "__init__"}, {"type": "\ud800"},
        {"type": "login", "device": SURROGATE_ID, "sig": "A" * 86},
        {"type": "login", "device": 123, "sig": "A" * 86},
        {"type": "login", "device": "A" * 22, "sig": "@@@@"},
        {"type": "invite", "invite": SURROGATE_ID},
        {"type": "invite", "invite": ["A" * 22]},
        {"type": "invite", "invite": "A" * 21 + "!"},
        {"type": "accept", "invite": SURROGATE_ID, "box": "AAAA"},
        {"type": "accept", "invite": "A" * 22, "box": "not base64"},
        {"type": "send", "seq": "1", "body": "AAAA"},
        {"type": "send", "seq": 1, "body": "AA=="},
        {"type": "send", "seq": 1, "body": "\ud800"},
        {"type": "send", "seq": 1, "body": "AAAAAAAA"},
        {"type": "ack", "cursor": "soon"}, {"type": "ack", "cursor": 1e999},
        {"type": "ack", "cursor": 10 ** 30}, {"type": "ack", "cursor": True},
    ]
    # json.dumps escapes lone surrogates as \ud800, which is how an attacker gets them through.
    return [f if isinstance(f, (str, bytes)) else json.dumps(f) for f in frames]


def start(data_dir: str, log_path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "HEARTH_LOG_LEVEL": "info"}
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "hearth.relay.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--data", data_dir],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_listening(port, proc)
    return proc, port


def worker(master: subprocess.Popen) -> psutil.Process:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        children = psutil.Process(master.pid).children()
        if children:
            return children[0]
        time.sleep(0.05)
    raise SystemExit("gunicorn started no worker")


async def barrage(device: Device, frames: list, timeout: float) -> int:
    """Send every frame, count the error frames back, then ping; returns the errors."""
    async def read() -> int:
        errors = 0
        while errors < len(frames):
            frame = json.loads(await device.ws.recv())
            if frame["type"] != "error":
                raise SystemExit(f"expected an error frame, got {frame['type']}")
            errors += 1
        return errors

    reader = asyncio.create_task(read())
    for frame in frames:
        await device.ws.send(frame)
    errors = await asyncio.wait_for(reader, timeout)
    await device.send({"type": "ping"})
    if (await asyncio.wait_for(device.expect("pong"), timeout))["type"] != "pong":
        raise SystemExit("no pong")
    return errors


async def round_of(url: str, connections: int, count: int, timeout: float) -> int:
    kinds = malformed()
    devices = []
    for _ in range(connections):
        device = await Device.connect(url)
        await device.register()
        devices.append(device)
    shares = [[kinds[(i * connections + c) % len(kinds)] for i in range(count // connections)]
              for c in range(connections)]
    shares[0] += [kinds[i % len(kinds)] for i in range(count - sum(map(len, shares)))]
    errors = sum(await asyncio.gather(*(barrage(d, s, timeout) for d, s in zip(devices, shares))))
    await asyncio.gather(*(d.ws.close() for d in devices))
    return errors


async def main(args) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        log_path = Path(data_dir) / "relay.log"
        master, port = start(data_dir, log_path)
        try:
            url = f"ws://127.0.0.1:{port}/ws"
            proc = worker(master)
            # A warm-up of the same size: imports, caches, the allocator's arenas and
            # SQLite's page cache settle before the first measurement.
            await round_of(url, args.connections, args.frames, args.timeout)
            gc.collect()
            await asyncio.sleep(1)
            before = proc.memory_info().rss
            t0 = time.perf_counter()
            errors = await round_of(url, args.connections, args.frames, args.timeout)
            elapsed = time.perf_counter() - t0
            await asyncio.sleep(1)
            after = proc.memory_info().rss
        finally:
            master.terminate()
            master.wait(10)
        log = log_path.read_text(errors="replace")
    growth = (after - before) / before * 100
    print(f"{args.frames} malformed frames over {args.connections} sockets in {elapsed:.1f} s, "
          f"{errors} error frames; worker RSS {before // 1024} -> {after // 1024} KB ({growth:+.2f}%)")
    return {"frames": args.frames, "connections": args.connections, "seconds": round(elapsed, 2),
            "rss_before_kb": before // 1024, "rss_after_kb": after // 1024,
            "rss_growth_pct": round(growth, 2), "tracebacks": log.count("Traceback"),
            "error_frames": errors}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10_000, help="malformed frames to send")
    parser.add_argument("--connections", type=int, default=8, help="sockets to send them over")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for the answers")
    result = asyncio.run(main(parser.parse_args()))
    print(json.dumps(result), flush=True)

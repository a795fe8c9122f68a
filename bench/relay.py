#!/usr/bin/env python3
"""Benchmark the Hearth relay against a bare flask-sock relay on the same machine.

Both servers run on gunicorn with one gevent worker. Hearth does everything it does for
real users: signed login, durable storage, cursors and acks. The baseline only forwards.
The protocol's floor (baseline_relay.py's /protocol) answers Hearth's own frames with no
checks and no storage, to the same client: it splits Hearth's cost against the baseline
into what the protocol's frames cost and what Hearth's relay adds.

Measures the round trip A -> relay -> B -> relay -> A (p50, p99), sustained envelopes per
second from A to B, and resident memory per idle authenticated socket over many sockets.
Then PostgreSQL (one relay process, and pairs spread over one and two), a quiet pair's p99
beside a busy pair, and one send's cost with 1,000 and 50,000 envelopes waiting
(relay_scenarios.py). Every figure is the median of three sittings, each measuring every
server in turn. The last line of stdout is one JSON object; earlier lines are notes.
"""

import argparse
import asyncio
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import relay_scenarios as scenarios
import websockets

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import ZERO_HASH, envelope_hash, seal_envelope
from hearth.protocol.identity import DeviceKeys

BENCH_DIR = Path(__file__).resolve().parent
BODY = json.dumps({"ops": [{"type": "journal", "id": "A" * 22, "hlc": "0" * 40,
                            "fields": {"text": "x" * 60}}]}).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit("server did not start listening")


# One compressed copy of the app for every relay the bench starts: making it takes seconds.
APP_CACHE = tempfile.mkdtemp(prefix="hearth-bench-app-")


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until /readyz says ok: gunicorn listens before its worker can answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"relay exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if json.load(answer).get("status") == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("relay did not become ready")


def start_hearth(data_dir: str, **extra_env: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "HEARTH_APP_CACHE": APP_CACHE, **extra_env,
           # 2,000 logins and sockets from one address in seconds is the bench, not an attack.
           "HEARTH_LOGIN_RATE_PER_MINUTE": "1000000",
           "HEARTH_INVITE_RATE_PER_HOUR": "1000000",
           "HEARTH_MAX_CONNECTIONS_PER_ADDRESS": "1000000",
           "HEARTH_LOG_LEVEL": "warning"}
    proc = subprocess.Popen([sys.executable, "-m", "hearth.relay.cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--data", data_dir],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, proc)
    return proc, port


def start_baseline() -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1",
                             "--log-level", "warning", "-b", f"127.0.0.1:{port}",
                             "--chdir", str(BENCH_DIR), "baseline_relay:app"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, proc)
    return proc, port


def worker_rss(master: subprocess.Popen) -> int:
    procs = psutil.Process(master.pid).children(recursive=True) or [psutil.Process(master.pid)]
    return sum(p.memory_info().rss for p in procs)


class Device:
    """One device's socket, speaking docs/protocol.md."""

    def __init__(self, ws, challenge: bytes):
        self.ws, self.challenge = ws, challenge
        self.keys = DeviceKeys.generate()
        self.seq, self.prev = 0, ZERO_HASH

    @classmethod
    async def connect(cls, url: str) -> "Device":
        ws = await websockets.connect(url, compression=None, max_size=None, ping_interval=None)
        frame = json.loads(await ws.recv())
        return cls(ws, unb64u(frame["challenge"]))

    async def send(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame))

    async def expect(self, kind: str) -> dict:
        while True:
            frame = json.loads(await self.ws.recv())
            if frame["type"] == kind:
                return frame
            if frame["type"] == "error":
                raise SystemExit(f"relay error while waiting for {kind}: {frame}")

    async def register(self) -> dict:
        await self.send({"type": "register", **self.keys.public_frame(),
                         "sig": b64u(self.keys.sign_register(self.challenge))})
        return await self.expect("registered")

    def envelope_frame(self, key: bytes, pair: str, epoch: int) -> dict:
        self.seq += 1
        env = seal_envelope(key, pair, self.keys.device_id, epoch, self.seq, self.prev, BODY)
        self.prev = envelope_hash(env)
        return {"type": "send", "seq": self.seq, "body": b64u(env)}


async def paired_devices(url: str) -> tuple[Device, Device, str, int]:
    a = await Device.connect(url)
    reg = await a.register()
    invite = b64u(os.urandom(16))
    await a.send({"type": "invite", "invite": invite})
    await a.expect("invite_ok")
    b = await Device.connect(url)
    # The relay never opens eph or box, so any bytes of the right shape do here.
    await b.send({"type": "join", "invite": invite, **b.keys.public_frame(),
                  "sig": b64u(b.keys.sign_register(b.challenge)),
                  "eph": b64u(DeviceKeys.generate().dh_pub), "box": b64u(os.urandom(80))})
    await b.expect("joined")
    await a.expect("pair_request")
    await a.send({"type": "accept", "invite": invite, "box": b64u(os.urandom(80))})
    await b.expect("pair_accepted")
    # The inviter confirms once the codes match (§4.5): only then is the joiner in the pair.
    await a.send({"type": "confirm", "invite": invite})
    await a.expect("confirm_ok")
    await b.expect("pair_confirmed")
    return a, b, reg["pair"], reg["epoch"]


async def floor_devices(url: str) -> tuple[Device, Device, str, int]:
    """Two devices in one room of the baseline's /protocol: no login, no pairing."""
    room = b64u(os.urandom(9))
    a, b = Device(await websockets.connect(url, compression=None, max_size=None, ping_interval=None), b""), \
        Device(await websockets.connect(url, compression=None, max_size=None, ping_interval=None), b"")
    await a.ws.send(room)
    await b.ws.send(room)
    await asyncio.sleep(0.2)  # both joins must be processed before the first forward
    return a, b, "p" * 22, 1


async def hearth_rtt_and_throughput(url: str, rounds: int, count: int) -> tuple[list[float], float]:
    return await rtt_and_throughput(*await paired_devices(url), rounds, count)


async def floor_rtt_and_throughput(url: str, rounds: int, count: int) -> tuple[list[float], float]:
    """The same client, frames and sealing as hearth_rtt_and_throughput's, against the protocol's floor."""
    return await rtt_and_throughput(*await floor_devices(url), rounds, count)


async def rtt_and_throughput(a: Device, b: Device, pair: str, epoch: int, rounds: int,
                             count: int) -> tuple[list[float], float]:
    key = os.urandom(32)
    rtts = await scenarios.round_trips(sys.modules[__name__], a, b, pair, epoch, key, rounds)
    frames = [a.envelope_frame(key, pair, epoch) for _ in range(count)]

    async def drain_sender():
        acked = 0
        while acked < count:
            frame = json.loads(await a.ws.recv())
            acked += frame["type"] == "sent"

    async def receive_all():
        for i in range(1, count + 1):
            got = await b.expect("deliver")
            if i % 100 == 0 or i == count:
                await b.send({"type": "ack", "cursor": got["cursor"]})

    t0 = time.perf_counter()
    drain = asyncio.create_task(drain_sender())
    for frame in frames:
        await a.send(frame)
    await receive_all()
    elapsed = time.perf_counter() - t0
    await drain
    await a.ws.close()
    await b.ws.close()
    return rtts, count / elapsed


async def baseline_rtt_and_throughput(url: str, rounds: int, count: int) -> tuple[list[float], float]:
    message = json.dumps({"type": "send", "seq": 1,
                          "body": b64u(seal_envelope(os.urandom(32), "p" * 22, "d" * 22, 1, 1,
                                                     ZERO_HASH, BODY))})
    a = await websockets.connect(url, compression=None, max_size=None, ping_interval=None)
    b = await websockets.connect(url, compression=None, max_size=None, ping_interval=None)
    await a.send("room")
    await b.send("room")
    await asyncio.sleep(0.2)  # both joins must be processed before the first forward
    rtts = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await a.send(message)
        await b.recv()
        await b.send(message)
        await a.recv()
        rtts.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()

    async def send_all():
        for _ in range(count):
            await a.send(message)

    sender = asyncio.create_task(send_all())
    for _ in range(count):
        await b.recv()
    elapsed = time.perf_counter() - t0
    await sender
    await a.close()
    await b.close()
    return rtts, count / elapsed


async def idle_sockets(url: str, master: subprocess.Popen, sockets: int) -> float:
    before = worker_rss(master)
    devices: list[Device] = []
    for start in range(0, sockets, 100):
        batch = await asyncio.gather(*(Device.connect(url) for _ in range(min(100, sockets - start))))
        await asyncio.gather(*(d.register() for d in batch))
        devices.extend(batch)
    await asyncio.sleep(1)  # let the worker settle after the burst of registrations
    after = worker_rss(master)
    await asyncio.gather(*(d.ws.close() for d in devices))
    return (after - before) / 1024 / sockets


def disk_sync_ms(directory: str, commits: int = 200) -> float:
    """Median cost of one durable SQLite commit here: the floor under every stored envelope."""
    db = sqlite3.connect(os.path.join(directory, "sync-probe.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=wal")
    db.execute("PRAGMA synchronous=full")
    db.execute("CREATE TABLE t (body BLOB)")
    times = []
    for _ in range(commits):
        t0 = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?)", (os.urandom(512),))
        db.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1000)
    db.close()
    return statistics.median(times)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def one_sitting(args, urls: dict, hearth: subprocess.Popen) -> dict:
    """Every figure once, each server measured right after the others."""
    base_rtts, base_tput = await baseline_rtt_and_throughput(urls["baseline"], args.rounds, args.envelopes)
    rtts, tput = await hearth_rtt_and_throughput(urls["hearth"], args.rounds, args.envelopes)
    normal_rtts, normal_tput = await hearth_rtt_and_throughput(urls["normal"], args.rounds, args.envelopes)
    floor_rtts, floor_tput = await floor_rtt_and_throughput(urls["floor"], args.rounds, args.envelopes)
    p50, base_p50, normal_p50 = statistics.median(rtts), statistics.median(base_rtts), statistics.median(normal_rtts)
    floor_p50 = statistics.median(floor_rtts)
    figures = {
        "rtt_p50_ms": p50, "rtt_p99_ms": percentile(rtts, .99), "baseline_rtt_p50_ms": base_p50,
        "rtt_ratio": p50 / base_p50, "throughput_per_s": tput, "baseline_throughput_per_s": base_tput,
        "throughput_ratio": tput / base_tput, "sync_normal_rtt_p50_ms": normal_p50,
        "sync_normal_rtt_ratio": normal_p50 / base_p50, "sync_normal_throughput_per_s": normal_tput,
        "sync_normal_throughput_ratio": normal_tput / base_tput,
        # The protocol's floor (baseline_relay.py's /protocol): Hearth's frames, with no checks
        # and no storage. floor_*_ratio is what the protocol itself costs against the bare relay;
        # *_vs_floor is what Hearth's relay adds to it.
        "floor_rtt_p50_ms": floor_p50, "floor_rtt_ratio": floor_p50 / base_p50, "rtt_vs_floor": p50 / floor_p50,
        "floor_throughput_per_s": floor_tput, "floor_throughput_ratio": floor_tput / base_tput,
        "throughput_vs_floor": tput / floor_tput,
    }
    alone, beside = await scenarios.unrelated_p99(sys.modules[__name__], urls["hearth"], args.rounds)
    figures.update(unrelated_p99_alone_ms=alone, unrelated_p99_beside_ms=beside, unrelated_p99_ratio=beside / alone)
    alone, beside = await scenarios.unrelated_p99(sys.modules[__name__], urls["floor"], args.rounds, floor_devices)
    figures.update(floor_unrelated_p99_alone_ms=alone, floor_unrelated_p99_beside_ms=beside,
                   floor_unrelated_p99_ratio=beside / alone)
    small, large = await scenarios.backlog_sends(sys.modules[__name__], urls["backlog"], 1000, args.backlog, 200)
    figures.update(backlog_send_1k_ms=small, backlog_send_large_ms=large, backlog_send_ratio=large / small)
    if "pg1" in urls:
        pg_rtts, pg_tput = await hearth_rtt_and_throughput(urls["pg1"], args.rounds, args.envelopes)
        one, one_busy = await scenarios.spread_throughput(sys.modules[__name__], [urls["pg1"]], args.pairs,
                                                          args.per_pair)
        two, _ = await scenarios.spread_throughput(sys.modules[__name__], [urls["pg1"], urls["pg2"]], args.pairs,
                                                   args.per_pair)
        figures.update(pg_rtt_p50_ms=statistics.median(pg_rtts), pg_rtt_ratio=statistics.median(pg_rtts) / base_p50,
                       pg_throughput_per_s=pg_tput, pg_throughput_1p=one, pg_throughput_2p=two,
                       process_scaling=two / one, pg_1p_machine_busy=one_busy,
                       # The most a second process could add on this machine: what one left idle.
                       process_scaling_ceiling=1 / one_busy)
    return figures


async def main(args) -> dict:
    pg = scenarios.start_postgres() if not args.no_postgres else None
    procs = []
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as normal_dir, \
            tempfile.TemporaryDirectory() as backlog_dir, tempfile.TemporaryDirectory() as pg_dir:
        try:
            hearth, hearth_port = start_hearth(data_dir)
            # The same relay with sqlite_sync=normal: durable against a crash, not a power cut.
            normal, normal_port = start_hearth(normal_dir, HEARTH_SQLITE_SYNC="normal")
            backlog, backlog_port = start_hearth(backlog_dir, HEARTH_QUOTA_ENVELOPES=str(args.backlog + 1000))
            baseline, baseline_port = start_baseline()
            procs += [hearth, normal, backlog, baseline]
            urls = {name: f"ws://127.0.0.1:{port}/ws" for name, port in
                    (("hearth", hearth_port), ("normal", normal_port), ("backlog", backlog_port),
                     ("baseline", baseline_port))}
            urls["floor"] = f"ws://127.0.0.1:{baseline_port}/protocol"
            if pg is not None:
                url = scenarios.database_url(pg, "bench")
                scenarios.upgrade(url)
                for name in ("pg1", "pg2"):
                    os.makedirs(f"{pg_dir}/{name}")
                    proc, port = start_hearth(f"{pg_dir}/{name}", DATABASE_URL=url, HEARTH_DATABASE_POOL="20")
                    procs.append(proc)
                    urls[name] = f"ws://127.0.0.1:{port}/ws"
            # Warm every server once so the first measured round trip pays no imports.
            await baseline_rtt_and_throughput(urls["baseline"], 20, 100)
            await floor_rtt_and_throughput(urls["floor"], 20, 100)
            for name in ("hearth", "normal", "pg1", "pg2"):
                if name in urls:
                    await hearth_rtt_and_throughput(urls[name], 20, 100)
            sittings = []
            for sitting in range(args.sittings):
                sittings.append(await one_sitting(args, urls, hearth))
                print(f"sitting {sitting + 1}: " + ", ".join(f"{k} {v:.3g}" for k, v in sittings[-1].items()))
            idle_kb = await idle_sockets(urls["hearth"], hearth, args.sockets)
            sync_ms = disk_sync_ms(data_dir)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(10)
            if pg is not None:
                pg.stop()
    result = {key: round(statistics.median(s[key] for s in sittings), 3) for key in sittings[0]}
    print(f"medians of {args.sittings} sittings")
    print(f"hearth   rtt p50 {result['rtt_p50_ms']:.2f} ms  p99 {result['rtt_p99_ms']:.2f} ms  "
          f"{result['throughput_per_s']:.0f} envelopes/s")
    print(f"  (sqlite_sync=normal: rtt p50 {result['sync_normal_rtt_p50_ms']:.2f} ms  "
          f"{result['sync_normal_throughput_per_s']:.0f} envelopes/s)")
    print(f"baseline rtt p50 {result['baseline_rtt_p50_ms']:.2f} ms  {result['baseline_throughput_per_s']:.0f} messages/s")
    print(f"protocol floor rtt p50 {result['floor_rtt_p50_ms']:.2f} ms  {result['floor_throughput_per_s']:.0f} envelopes/s"
          f"  (Hearth {result['rtt_vs_floor']:.2f}x its round trip, {result['throughput_vs_floor']:.2f}x its throughput)")
    print(f"one durable SQLite commit on this disk: {sync_ms:.3f} ms (a round trip stores twice)")
    print(f"idle authenticated sockets: {args.sockets}, {idle_kb:.1f} KB each")
    return {**result, "idle_kb_per_socket": round(idle_kb, 2), "idle_sockets": args.sockets,
            "disk_sync_ms": round(sync_ms, 3), "sittings": args.sittings, "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="round trips to time")
    parser.add_argument("--envelopes", type=int, default=3000, help="envelopes for throughput")
    parser.add_argument("--sockets", type=int, default=2000, help="idle authenticated sockets")
    parser.add_argument("--sittings", type=int, default=3, help="times every figure is measured; medians reported")
    parser.add_argument("--backlog", type=int, default=50000, help="envelopes waiting for the large backlog send")
    parser.add_argument("--pairs", type=int, default=16, help="pairs sending at once for the PostgreSQL throughput")
    parser.add_argument("--per-pair", type=int, default=1000, help="envelopes each of them sends")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL figures")
    result = asyncio.run(main(parser.parse_args()))
    print(json.dumps(result), flush=True)

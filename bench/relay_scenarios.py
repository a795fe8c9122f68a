"""The relay bench's newer measurements (bench/relay.py runs them): PostgreSQL with one and
two relay processes, a quiet pair beside a busy one, and a send with a long queue waiting.

Each returns figures; none asserts anything about time.
"""

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from postgres_helpers import PostgresServer, missing  # noqa: E402


def start_postgres() -> PostgresServer | None:
    """A durable PostgreSQL of the bench's own (fsync on, as in production), or None, with
    the reason printed, where none can run."""
    why = missing()
    if why:
        print(f"no PostgreSQL figures: {why}")
        return None
    return PostgresServer(durable=True).start()


def database_url(server: PostgresServer, name: str) -> str:
    server.create_database(name)
    return f"postgresql://postgres@127.0.0.1:{server.port}/{name}"


def upgrade(url: str) -> None:
    """Make the schema once, so processes started together do not race to."""
    subprocess.run([sys.executable, "-m", "hearth.relay.cli", "db", "upgrade"], check=True,
                   env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL)


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy so far (every core, every process)."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0)


async def spread_throughput(bench, urls: list[str], pairs: int, per_pair: int) -> tuple[float, float]:
    """(envelopes per second through `pairs` pairs flat out at once, pair i on process i % n;
    the share of the machine's cores busy meanwhile, relays, PostgreSQL and clients alike).
    With one process already keeping most of a small machine busy, a second can add at
    most what is left: 1 / that share bounds process_scaling."""
    made = [await bench.paired_devices(urls[i % len(urls)]) for i in range(pairs)]
    key = os.urandom(32)

    async def one(a, b, pair, epoch):
        frames = [a.envelope_frame(key, pair, epoch) for _ in range(per_pair)]

        async def drain():
            sent = 0
            while sent < per_pair:
                sent += json.loads(await a.ws.recv())["type"] == "sent"

        async def receive():
            for i in range(1, per_pair + 1):
                got = await b.expect("deliver")
                if i % 100 == 0 or i == per_pair:
                    await b.send({"type": "ack", "cursor": got["cursor"]})

        drained = asyncio.create_task(drain())
        for frame in frames:
            await a.send(frame)
        await receive()
        await drained

    t0, busy0 = time.perf_counter(), busy_seconds()
    await asyncio.gather(*(one(*devices) for devices in made))
    elapsed, busy = time.perf_counter() - t0, busy_seconds() - busy0
    for a, b, _, _ in made:
        await a.ws.close()
        await b.ws.close()
    return pairs * per_pair / elapsed, busy / (elapsed * psutil.cpu_count())


async def round_trips(bench, a, b, pair, epoch, key, rounds: int) -> list[float]:
    rtts = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await a.send(a.envelope_frame(key, pair, epoch))
        got = await b.expect("deliver")
        await b.send({"type": "ack", "cursor": got["cursor"]})
        await b.send(b.envelope_frame(key, pair, epoch))
        back = await a.expect("deliver")
        rtts.append((time.perf_counter() - t0) * 1000)
        await a.send({"type": "ack", "cursor": back["cursor"]})
    return rtts


async def unrelated_p99(bench, url: str, rounds: int, devices=None) -> tuple[float, float]:
    """(p99 round trip of a quiet pair alone, the same while another pair sends flat out).
    `devices(url)` makes a pair's two devices: bench.paired_devices unless told otherwise."""
    devices = devices or bench.paired_devices
    quiet = await devices(url)
    busy_a, busy_b, busy_pair, busy_epoch = await devices(url)
    key = os.urandom(32)
    alone = await round_trips(bench, *quiet, key, rounds)
    stop, flooded = asyncio.Event(), asyncio.Event()

    async def flood():
        in_flight = 0
        while not stop.is_set():
            for _ in range(50):
                await busy_a.send(busy_a.envelope_frame(key, busy_pair, busy_epoch))
            in_flight += 50
            while in_flight > 100:   # keep the relay busy, not the client's own buffers
                in_flight -= json.loads(await busy_a.ws.recv())["type"] == "sent"
        flooded.set()

    async def drain():
        # Until the flood has ended, not merely been told to: a relay that writes `sent` only
        # after `deliver` (the protocol's floor) would wait on the busy receiver for ever.
        while not flooded.is_set():
            try:
                frame = json.loads(await asyncio.wait_for(busy_b.ws.recv(), 1))
            except asyncio.TimeoutError:
                continue
            if frame["type"] == "deliver" and frame["cursor"] % 100 == 0:
                await busy_b.send({"type": "ack", "cursor": frame["cursor"]})

    tasks = [asyncio.create_task(flood()), asyncio.create_task(drain())]
    await asyncio.sleep(0.5)   # the flood under way before the quiet pair is timed
    beside = await round_trips(bench, *quiet, key, rounds)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for device in (*quiet[:2], busy_a, busy_b):
        await device.ws.close()
    return bench.percentile(alone, .99), bench.percentile(beside, .99)


async def backlog_sends(bench, url: str, small: int, large: int, samples: int) -> tuple[float, float]:
    """p50 of one send (send to `sent`) with `small`, then `large`, envelopes waiting for an
    offline partner."""
    a, b, pair, epoch = await bench.paired_devices(url)
    await b.ws.close()   # offline: everything waits
    key = os.urandom(32)

    async def fill(count: int) -> None:
        for start in range(0, count, 500):
            batch = min(500, count - start)
            for _ in range(batch):
                await a.send(a.envelope_frame(key, pair, epoch))
            for _ in range(batch):
                await a.expect("sent")

    async def timed() -> float:
        times = []
        for _ in range(samples):
            t0 = time.perf_counter()
            await a.send(a.envelope_frame(key, pair, epoch))
            await a.expect("sent")
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    await fill(small)
    at_small = await timed()
    await fill(large - small - samples)
    at_large = await timed()
    await a.ws.close()
    return at_small, at_large

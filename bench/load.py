#!/usr/bin/env python3
"""Load, faults and soak: many pairs of phones against one or two relay processes, for a
bounded time, while phones go offline and online at random, a relay process is SIGKILLed
and started again, and (on PostgreSQL) the database server restarts.

Each phone is a client in this process that speaks docs/protocol.md and keeps its side of
§5.5 and §6: it keeps what it sent until the relay said `sent`, sends again what the relay's
`ready` shows it lacks, and applies what it receives in order, once, by `seq`. At the end
every phone comes online until each has applied everything its partner sent. The last line
of stdout is one JSON object: sent, delivered, lost (must be 0), duplicated_applied (must be
0), misdelivered (must be 0), kills_survived, pg_restarts, rss_growth_pct (relay memory
once every phone has left, against the start, when none had connected yet; a killed process
counts as its successor),
and refusals: sends refused while the database was away, after which the phone leaves and
sends again from its next login, as a real one does.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import websockets

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import relay as bench  # noqa: E402
import relay_scenarios as scenarios  # noqa: E402

from hearth.protocol.encoding import b64u, unb64u  # noqa: E402
from hearth.protocol.envelope import envelope_hash, open_envelope, parse_header, seal_envelope  # noqa: E402

KEY = bytes(32)   # the pairs' shared key: the relay never sees it either way


class RelayProc:
    """One `hearth serve`, killed and started again on the same port."""

    def __init__(self, data: str, env: dict):
        self.data, self.env, self.port = data, env, bench.free_port()
        self.proc = None

    def start(self) -> "RelayProc":
        env = {**os.environ, "HEARTH_APP_CACHE": bench.APP_CACHE, "HEARTH_LOGIN_RATE_PER_MINUTE": "1000000",
               "HEARTH_INVITE_RATE_PER_HOUR": "1000000", "HEARTH_MAX_CONNECTIONS_PER_ADDRESS": "1000000",
               "HEARTH_LOG_LEVEL": "warning", **self.env}
        self.proc = subprocess.Popen([sys.executable, "-m", "hearth.relay.cli", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port), "--data", self.data], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        bench.wait_ready(self.port, self.proc)
        return self

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def rss(self) -> int:
        procs = psutil.Process(self.proc.pid).children(recursive=True) or [psutil.Process(self.proc.pid)]
        return sum(p.memory_info().rss for p in procs)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"


class Phone:
    def __init__(self, device, pair: str, epoch: int, urls: list[str]):
        self.keys, self.pair, self.epoch, self.urls = device.keys, pair, epoch, urls
        self.seq, self.prev = device.seq, device.prev
        self.outbox: dict[int, str] = {}       # seq -> frame, until the relay says `sent`
        self.partner = None
        self.next_seq, self.hold, self.applied = 1, {}, set()
        self.delivered = self.repeats = self.misdelivered = self.duplicated_applied = 0
        self.online = False
        self.interval = 1.0   # seconds between new envelopes, on average, while sending
        self.next_send = 0.0
        self.refusals = 0
        self.interval = 1.0   # seconds between new envelopes, on average, while sending
        self.next_send = 0.0
        self.refusals = 0

    def new_envelope(self) -> None:
        self.seq += 1
        env = seal_envelope(KEY, self.pair, self.keys.device_id, self.epoch, self.seq, self.prev, b'{"ops":[]}')
        self.prev = envelope_hash(env)
        self.outbox[self.seq] = json.dumps({"type": "send", "seq": self.seq, "body": b64u(env)})

    def take(self, body: bytes) -> None:
        """§5.5, as far as order and replay go."""
        self.delivered += 1
        try:
            open_envelope(KEY, self.pair, self.partner.keys.device_id, body)
        except Exception:  # noqa: BLE001 - not from the partner: nothing is applied
            self.misdelivered += 1
            return
        seq = parse_header(body).seq
        if seq < self.next_seq:
            self.repeats += 1
            return
        self.hold.setdefault(seq, body)
        while self.next_seq in self.hold:
            del self.hold[self.next_seq]
            self.duplicated_applied += self.next_seq in self.applied
            self.applied.add(self.next_seq)
            self.next_seq += 1

    async def session(self, ws, online: float, sending, settle: asyncio.Event) -> None:
        """One connection: log in, then `online` seconds from `ready` (until `settle` once
        the run has stopped), sending while `sending()`."""
        challenge = unb64u(json.loads(await ws.recv())["challenge"])
        await ws.send(json.dumps({"type": "login", "device": self.keys.device_id, "batch": 50,
                                  "sig": b64u(self.keys.sign_login(challenge))}))
        pushed, until = False, float("inf")
        while time.monotonic() < until and not settle.is_set():
            if sending() and time.monotonic() >= self.next_send:
                self.next_send = time.monotonic() + random.expovariate(1 / self.interval)
                self.new_envelope()
                if pushed:
                    await ws.send(self.outbox[self.seq])
            try:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 0.2))
            except asyncio.TimeoutError:
                continue
            kind = frame["type"]
            if kind == "ready":   # what the relay lacks goes again, in order
                for seq in [s for s in self.outbox if s <= frame["last_seq"]]:
                    del self.outbox[seq]
                for seq in sorted(self.outbox):
                    await ws.send(self.outbox[seq])
                pushed = True
                until = time.monotonic() + online   # a slow login does not eat the time online
            elif kind == "sent":
                self.outbox.pop(frame["seq"], None)
            elif kind in ("deliver", "deliveries"):
                items = frame["envelopes"] if kind == "deliveries" else [frame]
                for item in items:
                    self.take(unb64u(item["body"]))
                await ws.send(json.dumps({"type": "ack", "cursor": items[-1]["cursor"]}))
            elif kind == "error":   # the database was away: as a real phone, leave and come back,
                self.refusals += 1  # sending again from what the next ready says
                return

    async def live(self, stop: asyncio.Event, settle: asyncio.Event) -> None:
        """Online and offline at random until `stop`; then online until `settle`."""
        while not settle.is_set():
            online = float("inf") if stop.is_set() else random.uniform(1, 6)   # draining: stay
            try:
                async with websockets.connect(random.choice(self.urls), compression=None, max_size=None,
                                              ping_interval=None, open_timeout=10) as ws:
                    self.online = True
                    await self.session(ws, online, lambda: not stop.is_set(), settle)
            except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException):
                pass   # the relay was killed, or is starting: try again shortly
            finally:
                self.online = False
            if not stop.is_set() and random.random() < 0.5:
                await asyncio.sleep(random.uniform(0.5, 3))   # offline a while
            elif not settle.is_set():
                await asyncio.sleep(0.2)


async def make_pairs(urls: list[str], count: int) -> list[Phone]:
    phones = []
    for i in range(count):
        url = urls[i % len(urls)]
        a, b, pair, epoch = await bench.paired_devices(url)
        await a.ws.close()
        await b.ws.close()
        pa, pb = Phone(a, pair, epoch, urls), Phone(b, pair, epoch, urls)
        pa.partner, pb.partner = pb, pa
        phones += [pa, pb]
    return phones


async def faults(args, relays: list[RelayProc], pg, stop: asyncio.Event, tally: dict) -> None:
    """Kill a relay process `args.kills` times, and restart PostgreSQL once, spread over the run."""
    events = [("kill", i) for i in range(args.kills)] + ([("pg", 0)] if pg is not None and args.pg_restart else [])
    gap = args.seconds / (len(events) + 1)
    for kind, i in events:
        await asyncio.sleep(gap)   # every fault happens, if need be while the run drains
        if kind == "kill":
            victim = relays[i % len(relays)]
            victim.kill()
            await asyncio.to_thread(victim.start)
            tally["kills"] += 1
        else:
            await asyncio.to_thread(pg.restart)
            tally["pg_restarts"] += 1


async def run(args, relays: list[RelayProc], pg) -> dict:
    urls = [relay.url for relay in relays]
    phones = await make_pairs(urls, args.pairs)
    rss_start = sum(relay.rss() for relay in relays)
    stop, settle, tally = asyncio.Event(), asyncio.Event(), {"kills": 0, "pg_restarts": 0}
    for phone in phones:
        phone.interval = args.interval
    tasks = [asyncio.create_task(phone.live(stop, settle)) for phone in phones]
    fault_task = asyncio.create_task(faults(args, relays, pg, stop, tally))
    await asyncio.sleep(args.seconds)
    stop.set()
    await fault_task
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline and any(p.partner.next_seq <= p.seq for p in phones):
        await asyncio.sleep(0.5)
    settle.set()
    failures = [r for r in await asyncio.gather(*tasks, return_exceptions=True) if isinstance(r, BaseException)]
    await asyncio.sleep(2)   # every phone gone, as at the start: what the relay still holds is growth
    rss_end = sum(relay.rss() for relay in relays)
    for failure in failures[:3]:
        print(f"a phone failed: {failure!r}")
    sent = sum(p.seq for p in phones)
    applied = sum(len(p.applied) for p in phones)
    # Not yet applied when the drain ended: still with its sender (no `sent` yet: it goes again
    # at the next login), or lost (the relay said `sent`, and it never arrived).
    unsent = sum(1 for p in phones for seq in p.outbox if seq >= p.partner.next_seq)
    return {
        "sent": sent, "delivered": sum(p.delivered for p in phones), "applied": applied,
        "lost": sent - applied - unsent, "still_with_sender": unsent,
        "repeats_ignored": sum(p.repeats for p in phones),
        "duplicated_applied": sum(p.duplicated_applied for p in phones),
        "misdelivered": sum(p.misdelivered for p in phones),
        "refusals": sum(p.refusals for p in phones), "phone_failures": len(failures),
        "kills_survived": tally["kills"], "pg_restarts": tally["pg_restarts"],
        "rss_growth_pct": round(100 * (rss_end - rss_start) / rss_start, 1),
        "pairs": args.pairs, "processes": len(relays), "engine": args.engine, "seconds": args.seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=120, help="time phones send and go on and offline")
    parser.add_argument("--drain", type=float, default=120, help="at most this long for everything to arrive")
    parser.add_argument("--interval", type=float, default=2.0, help="mean seconds between one phone's envelopes")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--processes", type=int, default=2, help="relay processes (more than one: PostgreSQL)")
    parser.add_argument("--kills", type=int, default=2, help="relay processes SIGKILLed during the run")
    parser.add_argument("--no-pg-restart", dest="pg_restart", action="store_false")
    args = parser.parse_args()
    pg = scenarios.start_postgres() if args.engine == "postgresql" else None
    if args.engine == "postgresql" and pg is None:
        raise SystemExit("no PostgreSQL here")
    relays = []
    with tempfile.TemporaryDirectory() as data:
        try:
            env = {}
            if pg is not None:
                env = {"DATABASE_URL": scenarios.database_url(pg, "load"), "HEARTH_DATABASE_POOL": "20"}
                scenarios.upgrade(env["DATABASE_URL"])
            for n in range(args.processes if pg is not None else 1):
                os.makedirs(f"{data}/{n}")
                relays.append(RelayProc(f"{data}/{n}", env).start())
            result = asyncio.run(run(args, relays, pg))
        finally:
            for relay in relays:
                if relay.proc.poll() is None:
                    relay.kill()
            if pg is not None:
                pg.stop()
    print(f"{result['sent']} sent, {result['applied']} applied once, {result['lost']} lost, "
          f"{result['still_with_sender']} not yet stored (still with their sender), "
          f"{result['repeats_ignored']} repeats ignored; {result['kills_survived']} relay kills, "
          f"{result['pg_restarts']} database restarts; relay memory {result['rss_growth_pct']:+.1f}%")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

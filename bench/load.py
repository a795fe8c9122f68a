#!/usr/bin/env python3
"""Load, faults and soak: many pairs of phones against one or two relay processes, for a
bounded time, while phones go offline and online at random, a relay process is SIGKILLed
and started again, and (on PostgreSQL) the database server restarts.

Each phone is a client in this process that speaks docs/protocol.md and keeps its side of
§5.5 and §6: it keeps what it sent until the relay said `sent`, sends again what the relay's
`ready` shows it lacks, and applies what it receives in order, once, by `seq`. At the end
every phone comes online until each has applied everything its partner sent. The last line
of stdout is one JSON object: sent, delivered, lost (must be 0), duplicated_applied (must be
0), misdelivered (must be 0), kills_survived, pg_restarts, rss_growth_pct, and refusals:
sends refused while the database was away, after which the phone leaves and sends again
from its next login, as a real one does. lost_heads_queued and lost_heads_gone say where
the first envelope each stream lacks is (see lost_heads()); relay_warnings counts what the
relay processes logged at warning and above.

rss_growth_pct compares the relay processes' resident memory in two like states: every
phone logged in at once, nothing owed to any. The start is taken after a warm-up:
--warmup seconds of every phone online and sending, then phones coming and going as they
will through the run, until the relays' memory stops rising (at most --settle seconds;
warmup_s says how long it all took), and before any fault. So it holds what a relay
serving this load holds: sockets, sessions and greenlets for the connections in flux, a
filled database pool, imported code, the allocator's arenas. Against a start with no
connection open, that working set alone read as 174% growth; against one after 5 s with
every phone still online, as 25% (174.6 MB, then a plateau near 220 MB that each
restarted process climbed back to and held for the last minute of comings and goings).
rss_curve_mb, the memory every 2 s from the warm-up on, tells a plateau from a leak. The
end is taken once the drain is over and every phone is logged in again. What is more at the end is what the run's traffic and
faults left behind. A killed process counts as its successor, which was warmed by the rest
of the run. rss_start_mb and rss_end_mb are the two sums.
"""

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import relay as bench  # noqa: E402
import relay_scenarios as scenarios  # noqa: E402
from load_phones import all_logged_in, make_pairs  # noqa: E402
from load_report import log_warnings, lost_heads, print_unsent, queued_envelopes  # noqa: E402


class RelayProc:
    """One `hearth serve`, killed and started again on the same port."""

    def __init__(self, data: str, env: dict):
        self.data, self.env, self.port = data, env, bench.free_port()
        self.proc = None
        self.log = Path(data) / "relay.log"   # every life's warnings, kept for the report

    def start(self) -> "RelayProc":
        env = {**os.environ, "HEARTH_APP_CACHE": bench.APP_CACHE, "HEARTH_LOGIN_RATE_PER_MINUTE": "1000000",
               "HEARTH_INVITE_RATE_PER_HOUR": "1000000", "HEARTH_MAX_CONNECTIONS_PER_ADDRESS": "1000000",
               "HEARTH_LOG_LEVEL": "warning", **self.env}
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "hearth.relay.cli", "serve", "--host", "127.0.0.1",
                                          "--port", str(self.port), "--data", self.data], env=env,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
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


def relays_rss(relays: list[RelayProc]) -> int:
    """The relay processes' summed resident memory; one being started again counts as
    nothing until it is back."""
    total = 0
    for relay in relays:
        with contextlib.suppress(psutil.Error):
            total += relay.rss()
    return total


async def sample_rss(relays: list[RelayProc], curve: list, every: float = 2.0) -> None:
    """relays_rss() every `every` seconds, in MB, onto `curve` as (seconds, MB)."""
    start = time.monotonic()
    while True:
        curve.append((round(time.monotonic() - start), round(relays_rss(relays) / 2**20, 1)))
        await asyncio.sleep(every)


async def settled(curve: list, most: float, every: float = 2.0) -> None:
    """Until the memory `curve` has stopped rising under the load (its last five samples
    within 2% of each other), or for at most `most` seconds."""
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        last = [mb for _, mb in curve[-5:]]
        if len(last) == 5 and max(last) <= 1.02 * min(last):
            return
        await asyncio.sleep(every)


async def run(args, relays: list[RelayProc], pg) -> dict:
    urls = [relay.url for relay in relays]
    phones = await make_pairs(urls, args.pairs)
    stop, settle, warmed = asyncio.Event(), asyncio.Event(), asyncio.Event()
    tally = {"kills": 0, "pg_restarts": 0}
    for phone in phones:
        phone.interval = args.interval
    tasks = [asyncio.create_task(phone.live(stop, settle, warmed)) for phone in phones]
    await all_logged_in(phones, 120)
    await asyncio.sleep(args.warmup)   # every phone online and sending
    curve = []
    sampler = asyncio.create_task(sample_rss(relays, curve))
    warmed.set()   # phones come and go from now on, as through the run
    began = time.monotonic()
    await settled(curve, args.settle)
    rss_start = relays_rss(relays)
    settled_s = round(args.warmup + time.monotonic() - began)
    fault_task = asyncio.create_task(faults(args, relays, pg, stop, tally))
    await asyncio.sleep(args.seconds)
    stop.set()
    await fault_task
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline and any(p.partner.next_seq <= p.seq for p in phones):
        await asyncio.sleep(0.5)
    await all_logged_in(phones, 30)   # as at the start: every phone online
    await asyncio.sleep(2)            # its acks taken
    rss_end = relays_rss(relays)
    sampler.cancel()
    settle.set()
    failures = [r for r in await asyncio.gather(*tasks, return_exceptions=True) if isinstance(r, BaseException)]
    for failure in failures[:3]:
        print(f"a phone failed: {failure!r}")
    sent = sum(p.seq for p in phones)
    applied = sum(len(p.applied) for p in phones)
    # Not yet applied when the drain ended: still with its sender (no `sent` yet: it goes again
    # at the next login), or lost (the relay said `sent`, and it never arrived).
    unsent = sum(1 for p in phones for seq in p.outbox if seq >= p.partner.next_seq)
    heads = lost_heads(phones, queued_envelopes(args.engine, args.database), args.trace)
    if args.trace:
        print_unsent(phones)
    return {
        "sent": sent, "delivered": sum(p.delivered for p in phones), "applied": applied,
        "lost": sent - applied - unsent, "still_with_sender": unsent,
        "lost_heads_queued": heads["queued"], "lost_heads_gone": heads["gone"],
        "repeats_ignored": sum(p.repeats for p in phones),
        "duplicated_applied": sum(p.duplicated_applied for p in phones),
        "misdelivered": sum(p.misdelivered for p in phones),
        "refusals": sum(p.refusals for p in phones), "phone_failures": len(failures),
        "kills_survived": tally["kills"], "pg_restarts": tally["pg_restarts"],
        "rss_growth_pct": round(100 * (rss_end - rss_start) / rss_start, 1),
        "rss_start_mb": round(rss_start / 2**20, 1), "rss_end_mb": round(rss_end / 2**20, 1),
        "rss_peak_mb": max(mb for _, mb in curve), "rss_curve_mb": curve, "warmup_s": settled_s,
        "pairs": args.pairs, "processes": len(relays), "engine": args.engine, "seconds": args.seconds,
        "relay_warnings": log_warnings(relays),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=120, help="time phones send and go on and offline")
    parser.add_argument("--drain", type=float, default=120, help="at most this long for everything to arrive")
    parser.add_argument("--interval", type=float, default=2.0, help="mean seconds between one phone's envelopes")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--processes", type=int, default=2, help="relay processes (more than one: PostgreSQL)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds every phone is online before the run")
    parser.add_argument("--settle", type=float, default=90,
                        help="then at most this long for the relays' memory to stop rising (0: not at all)")
    parser.add_argument("--kills", type=int, default=2, help="relay processes SIGKILLed during the run")
    parser.add_argument("--no-pg-restart", dest="pg_restart", action="store_false")
    parser.add_argument("--trace", action="store_true", help="print the last frames of each phone that lacks one")
    parser.add_argument("--keep", help="keep the relays' data and logs in this new directory")
    args = parser.parse_args()
    pg = scenarios.start_postgres() if args.engine == "postgresql" else None
    if args.engine == "postgresql" and pg is None:
        raise SystemExit("no PostgreSQL here")
    relays = []
    if args.keep:
        os.makedirs(args.keep)
    with (contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory()) as data:
        try:
            env = {}
            if pg is not None:
                env = {"DATABASE_URL": scenarios.database_url(pg, "load"), "HEARTH_DATABASE_POOL": "20"}
                scenarios.upgrade(env["DATABASE_URL"])
            args.database = env.get("DATABASE_URL") or f"{data}/0/hearth.db"
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

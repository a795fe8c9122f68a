"""The phones of bench/load.py: clients in one process that speak docs/protocol.md and keep
their side of §5.5 and §6, each going offline and online at random."""

import asyncio
import collections
import json
import random
import time

import websockets

import relay as bench

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import envelope_hash, open_envelope, parse_header, seal_envelope

KEY = bytes(32)   # the pairs' shared key: the relay never sees it either way
MIN_BACKOFF, MAX_BACKOFF = 1, 16   # seconds; the app (pwa/js/sync/engine.js) starts at 1 and stops at 60


class Phone:
    def __init__(self, device, pair: str, epoch: int, urls: list[str]):
        self.keys, self.pair, self.epoch, self.urls = device.keys, pair, epoch, urls
        self.seq, self.prev = device.seq, device.prev
        self.outbox: dict[int, str] = {}       # seq -> frame, until the relay says `sent`
        self.partner = None
        self.next_seq, self.hold, self.applied = 1, {}, set()
        self.delivered = self.repeats = self.misdelivered = self.duplicated_applied = 0
        self.online = False
        self.ready = False    # logged in: `ready` came on the connection open now
        self.trace = collections.deque(maxlen=80)   # (time, what) of this phone's last frames, for --trace
        self.first_gap = None   # for --trace: the trace as the relay first said a seq was skipped
        self.interval = 1.0   # seconds between new envelopes, on average, while sending
        self.next_send = 0.0
        self.refusals = 0
        self.retry_after = None   # seconds the relay asked this phone to wait before coming back
        self.backoff = MIN_BACKOFF   # after a connection that failed, doubling to MAX_BACKOFF

    def new_envelope(self) -> None:
        self.seq += 1
        env = seal_envelope(KEY, self.pair, self.keys.device_id, self.epoch, self.seq, self.prev, b'{"ops":[]}')
        self.prev = envelope_hash(env)
        self.outbox[self.seq] = json.dumps({"type": "send", "seq": self.seq, "body": b64u(env)})

    def outbox_span(self) -> str:
        """For --trace: the lowest and highest seq the phone still holds."""
        return f"{min(self.outbox, default=None)}..{max(self.outbox, default=None)}"

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

    async def session(self, ws, online: float, sending, settle: asyncio.Event, warm=None) -> None:
        """One connection: log in, then `online` seconds from `ready` (until `settle` once
        the run has stopped), sending while `sending()`. Given `warm`, an event, it stays
        until the warm-up ends, then `online` seconds more."""
        challenge = unb64u(json.loads(await ws.recv())["challenge"])
        await ws.send(json.dumps({"type": "login", "device": self.keys.device_id, "batch": 50,
                                  "sig": b64u(self.keys.sign_login(challenge))}))
        pushed, until = False, float("inf")
        while time.monotonic() < until and not settle.is_set():
            if warm is not None and warm.is_set() and pushed:
                until, warm = time.monotonic() + online, None
            if sending() and time.monotonic() >= self.next_send:
                self.next_send = time.monotonic() + random.expovariate(1 / self.interval)
                self.new_envelope()
                if pushed:
                    await ws.send(self.outbox[self.seq])
                    self.trace.append((time.monotonic(), f"send {self.seq}"))
            try:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 0.2))
            except asyncio.TimeoutError:
                continue
            kind = frame["type"]
            if kind in ("deliver", "deliveries"):
                items = frame["envelopes"] if kind == "deliveries" else [frame]
                self.trace.append((time.monotonic(), f"got {items[0]['cursor']}..{items[-1]['cursor']}"))
            elif kind == "ready":
                self.trace.append((time.monotonic(), f"ready last_seq {frame['last_seq']}, outbox {self.outbox_span()}"))
            else:
                self.trace.append((time.monotonic(), json.dumps(frame)[:80 if kind != "error" else 200]))
            if frame.get("code") == "seq_gap" and self.first_gap is None:
                self.first_gap = list(self.trace)
            if kind == "ready":   # what the relay lacks goes again, in order
                for seq in [s for s in self.outbox if s <= frame["last_seq"]]:
                    del self.outbox[seq]
                for seq in sorted(self.outbox):
                    await ws.send(self.outbox[seq])
                if self.outbox:
                    self.trace.append((time.monotonic(), f"sent again {self.outbox_span()}"))
                pushed, self.ready = True, True
                if warm is None:
                    until = time.monotonic() + online   # a slow login does not eat the time online
            elif kind == "sent":
                self.outbox.pop(frame["seq"], None)
            elif kind in ("deliver", "deliveries"):
                items = frame["envelopes"] if kind == "deliveries" else [frame]
                for item in items:
                    self.take(unb64u(item["body"]))
                await ws.send(json.dumps({"type": "ack", "cursor": items[-1]["cursor"]}))
            elif kind == "error":   # the database was away, or the relay busy: as a real phone,
                self.refusals += 1  # leave and come back (after retry_after, if it says), sending
                self.retry_after = frame.get("retry_after")   # again from what the next ready says
                return

    async def live(self, stop: asyncio.Event, settle: asyncio.Event, warmed: asyncio.Event) -> None:
        """Online until `warmed`; then online and offline at random until `stop`; then online
        until `settle`."""
        while not settle.is_set():
            online = float("inf") if stop.is_set() else random.uniform(1, 6)   # draining: stay
            try:
                async with websockets.connect(random.choice(self.urls), compression=None, max_size=None,
                                              ping_interval=None, open_timeout=10) as ws:
                    self.online = True
                    self.trace.append((time.monotonic(), f"connected {ws.remote_address[1]}"))
                    await self.session(ws, online, lambda: not stop.is_set(), settle,
                                       None if warmed.is_set() else warmed)
            except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as exc:
                self.trace.append((time.monotonic(), f"left: {type(exc).__name__}"))   # the relay was killed,
                # or is starting: try again, as the app does, after a wait that doubles and is
                # drawn at random, so a relay's phones do not all come back in the same instant
                if not self.ready:
                    await asyncio.sleep(self.backoff * random.uniform(0.5, 1.5))
                    self.backoff = min(self.backoff * 2, MAX_BACKOFF)
            else:
                self.backoff = MIN_BACKOFF
            finally:
                self.online = self.ready = False
            if self.retry_after:   # the relay said when: then, give or take a fifth
                await asyncio.sleep(self.retry_after * random.uniform(0.8, 1.2))
                self.retry_after = None
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


async def all_logged_in(phones: list[Phone], at_most: float) -> None:
    deadline = time.monotonic() + at_most
    while time.monotonic() < deadline and not all(phone.ready for phone in phones):
        await asyncio.sleep(0.2)

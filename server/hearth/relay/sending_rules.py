"""The rules of sending (protocol §5, §6): an envelope's and a receipt's header, the pair's
quota, what a send is (stored, a repeat, refused), rate limits, and how deliveries are cut
into frames. No I/O (domain.py gathers the relay's rules)."""


import math
from dataclasses import dataclass, field

from hearth.protocol import SUITES
from hearth.protocol.envelope import HEADER_BYTES, NONCE_BYTES, TAG_BYTES, parse_header
from hearth.protocol.primitives import CryptoError
from hearth.protocol.receipt import HEADER_BYTES as RECEIPT_HEADER
from hearth.protocol.receipt import MAX_RECEIPT

from .refusals import RelayError


def envelope_epoch(body: bytes) -> int | None:
    """The epoch in an envelope's header (0: a move stream, §11.4); None if it has none."""
    try:
        return parse_header(body).epoch
    except CryptoError:
        return None


# --- envelopes -----------------------------------------------------------------------------

def check_receipt(body: bytes, epoch: int) -> None:
    """A receipt is opaque too; its header must still be for this pair's version and epoch."""
    if not RECEIPT_HEADER + NONCE_BYTES + TAG_BYTES <= len(body) <= MAX_RECEIPT:
        raise RelayError("bad_envelope", "The receipt is too short or too long.")
    if body[0] != 1 or body[1] not in SUITES or int.from_bytes(body[2:6], "big") != epoch:
        raise RelayError("bad_envelope", "The receipt's version, suite or epoch is not this pair's.")


def check_envelope(body: bytes, seq: int, epoch: int, max_bytes: int) -> None:
    """The relay cannot read an envelope, but it can hold it to its own header."""
    if len(body) < HEADER_BYTES + NONCE_BYTES + TAG_BYTES or len(body) > max_bytes:
        raise RelayError("bad_envelope", "The envelope is too short or too long.")
    header = parse_header(body)
    if header.version != 1 or header.suite not in SUITES:
        raise RelayError("bad_envelope", "The envelope's version or suite is not supported.")
    if header.seq != seq:
        raise RelayError("bad_envelope", "The envelope's sequence number differs from the frame's.")
    if header.epoch != epoch:
        raise RelayError("bad_envelope", "The envelope is for another key epoch.")


@dataclass(frozen=True)
class Quota:
    envelopes: int
    bytes: int


def decide_send(last_seq: int, seq: int, size: int, totals: list, quota: Quota, resend: bool = False) -> str:
    """"store" the next envelope, call a repeat a "dup", or refuse a gap or a full queue.

    A resend answers the partner's receipt asking for it again (§5.6): it is stored even
    though its seq is old, because only the partner's device can say it never arrived.
    """
    if seq <= last_seq and not resend:
        return "dup"
    if seq > last_seq + 1:
        raise RelayError("seq_gap", expected=last_seq + 1)
    if totals[0] + 1 > quota.envelopes or totals[1] + size > quota.bytes:
        raise RelayError("quota_exceeded")
    return "store"


# --- rate limits ---------------------------------------------------------------------------

def take_token(tokens: float, last: float, now: float, rate: int, per: float) -> tuple[float, int]:
    """A token bucket that held `tokens` at `last`, refilled at `rate` per `per` seconds up to
    `rate`, asked for one at `now`: (the tokens left, 0) or (the tokens, whole seconds to wait).
    A clock that went back refills nothing."""
    tokens = min(float(rate), tokens + max(0.0, now - last) * rate / per)
    if tokens < 1:
        return tokens, max(1, math.ceil((1 - tokens) * per / rate))
    return tokens - 1, 0


@dataclass
class RateLimiter:
    """A token bucket per key: `rate` events per `per` seconds, bursts up to `rate`; in this
    process's memory (the relay's own on SQLite, which runs in one process)."""

    rate: int
    per: float
    buckets: dict = field(default_factory=dict)

    def hit(self, key: str, now: float) -> int:
        """Take one token; return 0, or the whole seconds to wait if none is left."""
        tokens, last = self.buckets.get(key, (float(self.rate), now))
        tokens, retry = take_token(tokens, last, now, self.rate, self.per)
        self.buckets[key] = (tokens, now)
        if len(self.buckets) > 100_000:  # forget idle keys rather than grow without bound
            self.buckets = {k: v for k, v in self.buckets.items() if v[1] > now - self.per}
        return retry


def coarse_hour(now: float) -> int:
    """The relay keeps only hour-granular times."""
    return int(now) // 3600


def delivery_chunks(rows: list, most: int, max_bytes: int):
    """Split (cursor, body) rows, in order, into runs of at most `most` envelopes and about
    `max_bytes` of bodies; a single larger envelope still goes, alone."""
    chunk, size = [], 0
    for row in rows:
        if chunk and (len(chunk) == most or size + len(row[1]) > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += len(row[1])
    if chunk:
        yield chunk

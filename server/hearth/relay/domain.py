"""The relay's rules, with no I/O: what to accept, refuse or limit, and the words for it.

The websocket layer gathers facts (rows, counts, the time) and asks these functions.
"""

import math
import re
from dataclasses import dataclass, field

from hearth.protocol import SUITES
from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import HEADER_BYTES, NONCE_BYTES, TAG_BYTES, parse_header
from hearth.protocol.receipt import HEADER_BYTES as RECEIPT_HEADER
from hearth.protocol.receipt import MAX_RECEIPT
from hearth.protocol.primitives import PUBLIC_KEY_BYTES, SIGNATURE_BYTES, CryptoError, load_public

ID_CHARS = 22            # b64u of 16 bytes: device, pair and invite ids
MAX_PAIRING_BLOB = 4096  # eph keys and pairing boxes are small; refuse anything bigger
PEER_DEVICES = 2
ID_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")  # base64url: nothing else may reach storage or logs

MESSAGES = {
    "bad_json": "That frame is not a JSON object.",
    "bad_frame": "That frame is missing a field or has one of the wrong kind.",
    "unknown_type": "The relay does not know that kind of frame.",
    "too_large": "That frame is too large for this relay.",
    "not_logged_in": "Log in first.",
    "challenge_used": "This connection has already used its login challenge; reconnect for a new one.",
    "login_failed": "Login failed.",
    "bad_signature": "The signature does not verify.",
    "unknown_suite": "This relay does not support that cryptographic suite.",
    "device_exists": "A device with these keys is already registered.",
    "invite_unknown": "This pairing code is not known here. Check that both phones use the same relay.",
    "invite_expired": "This pairing code has expired. Ask your partner to show a new one.",
    "invite_used": "This pairing code has already been used. Ask your partner to show a new one.",
    "invite_exists": "An invite with that id already exists.",
    "pair_full": "This pair already has two devices.",
    "not_your_invite": "That invite belongs to another device.",
    "not_joined": "Nobody has joined with that invite yet.",
    "not_accepted": "Check the joining device and accept it before confirming.",
    "invite_cancelled": "This pairing was stopped on one of the phones. Ask your partner to show a new code.",
    "already_paired": "This pairing is already confirmed.",
    "bad_key": "That public key is not a valid P-256 point.",
    "no_peer": "There is no partner device to send to yet.",
    "seq_gap": "That envelope skips a sequence number; send the missing ones first.",
    "bad_envelope": "The envelope is malformed or does not match its frame.",
    "quota_exceeded": "Too much is waiting for your partner's device; it needs to sync before more can be sent.",
    "rate_limited": "Too many attempts; wait a little and try again.",
    "internal": "The relay could not do that; nothing was changed.",
    "login_timeout": "This connection did not log in in time; reconnect for a new challenge.",
    "not_paired": "This device has no partner to unpair from.",
    "unpaired": "This pairing has ended; the relay no longer carries anything for it.",
    "replaced": "A new phone has taken this device's place; the relay no longer carries anything for it.",
    "moved": "This device moved to a new phone; the relay no longer carries anything for it.",
    "not_moving": "This device has no confirmed move to a new phone under way.",
}

# How far a device's clock may be from the relay's in a signed, timed notice (unpair).
CLOCK_SLACK_SECONDS = 86400

# Refusals of the websocket upgrade itself: an HTTP status and a JSON body, no socket.
UPGRADE_REFUSALS = {
    "forbidden_origin": (403, "This relay does not accept connections from that web page."),
    "bad_request": (400, "This address is for websockets."),
    "too_many_connections": (429, "Too many connections from your address; close some and try again."),
}

# Every answer over plain HTTP that is not a success: a status, and a JSON body shaped like
# a websocket error frame without `in`. http_error's status is whichever HTTP gave.
HTTP_ERRORS = {
    **UPGRADE_REFUSALS,
    "not_found": (404, "There is nothing at this address."),
    "method_not_allowed": (405, "This address does not take that method."),
    "database_unavailable": (503, "The relay cannot reach its database."),
    "schema_mismatch": (503, "The database's schema is not this relay's: run 'hearth db upgrade'."),
    "http_error": (None, "The relay could not answer that request."),
}


class RelayError(Exception):
    """A refusal that becomes one error frame; it never carries frame contents."""

    def __init__(self, code: str, message: str | None = None, **extra):
        super().__init__(code)
        self.code = code
        self.message = message or MESSAGES[code]
        self.extra = extra

    def frame(self, in_type: str | None) -> dict:
        return {"type": "error", "code": self.code, "message": self.message, "in": in_type, **self.extra}


# --- frame fields --------------------------------------------------------------------------

def text_field(frame: dict, name: str, length: int | None = ID_CHARS) -> str:
    """An id: base64url characters only, so a lone surrogate or a control character is
    refused here, by name, rather than failing deep in the database driver."""
    value = frame.get(name)
    if (not isinstance(value, str) or (length is not None and len(value) != length)
            or not ID_ALPHABET.fullmatch(value)):
        want = f"{length} characters" if length else "characters"
        raise RelayError("bad_frame", f"Field '{name}' must be {want} of base64url (A-Z, a-z, 0-9, - and _).")
    return value


def int_field(frame: dict, name: str, minimum: int = 0, maximum: int = 2**63 - 1) -> int:
    value = frame.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        raise RelayError("bad_frame", f"Field '{name}' must be a whole number from {minimum}.")
    return value


def bytes_field(frame: dict, name: str, size: int | None = None, max_size: int | None = None) -> bytes:
    try:
        value = unb64u(frame.get(name))
    except ValueError:
        raise RelayError("bad_frame", f"Field '{name}' must be base64url without padding.") from None
    if (size is not None and len(value) != size) or (max_size is not None and len(value) > max_size):
        raise RelayError("bad_frame", f"Field '{name}' has the wrong length.")
    return value


def public_key_field(frame: dict, name: str) -> bytes:
    """A 65-byte uncompressed point that is really on P-256: an off-curve or all-zero
    key must never be stored or passed on, whatever the signature next to it says."""
    raw = bytes_field(frame, name, PUBLIC_KEY_BYTES)
    try:
        load_public(raw)
    except CryptoError:
        raise RelayError("bad_key", f"Field '{name}' is not a valid P-256 public key.") from None
    return raw


def suite_field(frame: dict) -> int:
    suite = int_field(frame, "suite", 0, 255)
    if suite not in SUITES:
        raise RelayError("unknown_suite")
    return suite


# --- pairing -------------------------------------------------------------------------------

def peer_frame(peer) -> dict | None:
    """A device row as frames name a partner: id, suite and public keys."""
    if peer is None:
        return None
    return {"device": peer.id, "suite": peer.suite, "sig_pub": b64u(bytes(peer.sig_pub)),
            "dh_pub": b64u(bytes(peer.dh_pub))}


def retired_error(row) -> "RelayError":
    """What a retired device hears (§11.3, 11.4): who put it out of the pair, and who took its place."""
    return RelayError(row.reason, by=row.by, device=row.successor)


def read_keys(frame: dict) -> tuple[int, bytes, bytes, bytes]:
    """A register or join frame's suite, public keys and signature, each checked."""
    suite = suite_field(frame)
    sig_pub = public_key_field(frame, "sig_pub")
    dh_pub = public_key_field(frame, "dh_pub")
    sig = bytes_field(frame, "sig", SIGNATURE_BYTES)
    return suite, sig_pub, dh_pub, sig


def invite_state(invite, joiner_admitted: bool, now: int) -> str:
    """Where an invite stands: open, pending (joined, not answered), accepted, confirmed,
    cancelled or expired. A pending joiner lives only in the invite row (its keys in
    join_frame); confirming creates its device, cancelling forgets its keys."""
    if invite.used_at is None:
        return "expired" if invite.expires_at < now else "open"
    if joiner_admitted:
        return "confirmed"
    if invite.joiner is None or invite.join_frame is None:
        return "cancelled"
    if invite.expires_at < now:
        return "expired"
    return "pending" if invite.accept_box is None else "accepted"


def check_join(invite, devices_in_pair: int, device_exists: bool, now: int) -> None:
    """Refuse a join through this invite, most specific reason first. A replacement or a
    move joins a full pair, and takes a place in it only later (§11.3, 11.4)."""
    if invite is None:
        raise RelayError("invite_unknown")
    if invite.used_at is not None:
        raise RelayError("invite_used")
    if invite.expires_at < now:
        raise RelayError("invite_expired")
    if device_exists:
        raise RelayError("device_exists")
    if devices_in_pair >= PEER_DEVICES and invite.kind is None:
        raise RelayError("pair_full")


INVITE_KINDS = ("replace", "move")


def invite_kind(frame: dict) -> str | None:
    """None for a first pairing, else which of INVITE_KINDS the frame's flag asks for."""
    kinds = [kind for kind in INVITE_KINDS if kind in frame]
    for kind in kinds:
        if not isinstance(frame[kind], bool):
            raise RelayError("bad_frame", f"Field '{kind}' must be true or false.")
    kinds = [kind for kind in kinds if frame[kind]]
    if len(kinds) > 1:
        raise RelayError("bad_frame", "An invite replaces a partner's phone or moves this one, not both.")
    return kinds[0] if kinds else None


def check_can_invite(devices_in_pair: int, kind: str | None = None) -> None:
    """A first pairing needs room in the pair; replacing or moving needs a partner."""
    if kind is None and devices_in_pair >= PEER_DEVICES:
        raise RelayError("pair_full")
    if kind is not None and devices_in_pair < PEER_DEVICES:
        raise RelayError("not_paired", "There is no partner's phone to replace or move from yet.")


_STATE_REFUSALS = {"open": "not_joined", "expired": "invite_expired", "cancelled": "invite_cancelled",
                   "confirmed": "already_paired", "pending": "not_accepted"}


def check_owner(invite, device_id: str, pair_id: str) -> None:
    if invite is None or invite.pair_id != pair_id:
        raise RelayError("invite_unknown")
    if invite.creator != device_id:
        raise RelayError("not_your_invite")


def check_accept(invite, device_id: str, pair_id: str, state: str) -> None:
    """The inviter may answer a pending joiner, and answer again (a lost accept_ok)."""
    check_owner(invite, device_id, pair_id)
    if state not in ("pending", "accepted"):
        raise RelayError(_STATE_REFUSALS[state])


def check_confirm(invite, device_id: str, pair_id: str, state: str, devices_in_pair: int,
                  joiner_elsewhere: bool) -> None:
    """Confirming admits the joiner; a second confirm of the same pairing is harmless."""
    check_owner(invite, device_id, pair_id)
    if state == "confirmed":
        return
    if state != "accepted":
        raise RelayError(_STATE_REFUSALS[state])
    if joiner_elsewhere:
        raise RelayError("device_exists")
    if devices_in_pair >= PEER_DEVICES and invite.kind is None:
        raise RelayError("pair_full")
    if devices_in_pair < PEER_DEVICES and invite.kind is not None:
        raise RelayError("not_paired", "There is no partner's phone to replace or move from any more.")


def check_cancel(state: str, kind: str | None = None) -> None:
    """Anything short of a confirmed pairing can be called off, more than once; a move,
    until the old device retires (§11.4)."""
    if state is None:
        raise RelayError("invite_unknown")
    if state == "confirmed" and kind != "move":
        raise RelayError("already_paired")


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

@dataclass
class RateLimiter:
    """A token bucket per key: `rate` events per `per` seconds, bursts up to `rate`."""

    rate: int
    per: float
    buckets: dict = field(default_factory=dict)

    def hit(self, key: str, now: float) -> int:
        """Take one token; return 0, or the whole seconds to wait if none is left."""
        tokens, last = self.buckets.get(key, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - last) * self.rate / self.per)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) * self.per / self.rate))
        self.buckets[key] = (tokens - 1, now)
        if len(self.buckets) > 100_000:  # forget idle keys rather than grow without bound
            self.buckets = {k: v for k, v in self.buckets.items() if v[1] > now - self.per}
        return 0


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

"""What a frame must hold, and the words of a refusal: the relay's error codes, their
messages, and the readers of a frame's fields, each refusing by name what it cannot take.
No I/O (domain.py gathers the relay's rules)."""


import re

from hearth.protocol import SUITES
from hearth.protocol.encoding import unb64u
from hearth.protocol.primitives import PUBLIC_KEY_BYTES, CryptoError, load_public

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

"""The shape of each frame hearth-client reads from the relay, checked as it is read.

The relay is untrusted (docs/protocol.md): a frame that is not what section 3 or 6 says
ends the session with one plain line, before anything acts on it, rather than a traceback
halfway through. What was applied and acknowledged before it stays applied.
"""

import json

from hearth.protocol.encoding import unb64u

MAX_INT = 2 ** 63


class MalformedFrame(Exception):
    """The relay sent something the protocol does not allow; Session.recv says so in one line."""

    def __init__(self, kind: str | None):
        super().__init__(f"the relay sent a malformed '{kind}' frame" if kind else "the relay sent a malformed frame")
        self.kind = kind


def _whole(value, low: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value < MAX_INT


def _b64u(value, size: int | None = None) -> bool:
    try:
        data = unb64u(value)
    except ValueError:
        return False
    return size is None or len(data) == size


def _delivery(item) -> bool:
    return isinstance(item, dict) and _whole(item.get("cursor")) and isinstance(item.get("body"), str)


# Fields each frame type must carry, each with its check; types not listed are not read
# for anything but their type.
SHAPES = {
    "challenge": {"challenge": lambda v: _b64u(v, 32)},
    "ready": {"last_seq": _whole},
    "sent": {"seq": lambda v: _whole(v, 1), "cursor": lambda v: v is None or _whole(v)},
    "deliver": {"cursor": _whole, "body": lambda v: isinstance(v, str)},
    "deliveries": {"envelopes": lambda v: isinstance(v, list) and all(_delivery(e) for e in v)},
    "acked": {"cursor": _whole},
    "receipt": {"body": lambda v: isinstance(v, str)},
}


def checked(raw) -> dict:
    """The frame in `raw` (one websocket message), or MalformedFrame."""
    if not isinstance(raw, str):
        raise MalformedFrame(None)   # every frame is a text message (§3)
    try:
        frame = json.loads(raw)
    except ValueError:
        raise MalformedFrame(None) from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise MalformedFrame(None)
    kind = frame["type"]
    for field, ok in SHAPES.get(kind, {}).items():
        if not ok(frame.get(field)):
            raise MalformedFrame(kind)   # one of the types above: safe to name
    return frame

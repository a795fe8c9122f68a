"""Ending a pairing (protocol §11.2): the signed notice, and what a device says after.

The relay's word that a pairing ended counts only with a signature over this pair, this
epoch and a time, by the partner's key (or this device's own, for an older copy of it).
Either way the relay will carry nothing more, so the device stops syncing; what it says
depends on whether the notice holds. Its records stay readable on the device.
"""

import time
from datetime import datetime, timezone

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import unpair_message
from hearth.protocol.primitives import sign, verify

from .connection import ClientError


def signed_notice(state) -> dict:
    """The `unpair` frame this device sends to end its pairing now."""
    at = int(time.time())
    sig = sign(state.keys().sig, unpair_message(state.get("pair"), state.get("epoch"), state.get("device"), at))
    return {"type": "unpair", "at": at, "sig": b64u(sig)}


def notice_holds(state, notice: dict) -> bool:
    """Did the partner (or this device) really sign this end of this pairing?"""
    by, at, sig = notice.get("by"), notice.get("at"), notice.get("sig")
    keys = {state.get("device"): state.keys().sig_pub}
    peer = state.get("peer") or {}
    if peer.get("device"):
        keys[peer["device"]] = unb64u(peer["sig_pub"])
    if by not in keys or not isinstance(at, int) or isinstance(at, bool) or not isinstance(sig, str):
        return False
    try:
        return verify(keys[by], unb64u(sig), unpair_message(state.get("pair"), state.get("epoch"), by, at))
    except ValueError:
        return False


def record_end(state, notice: dict) -> None:
    """Keep how the pairing ended; sync refuses from now on with the same words."""
    holds = notice_holds(state, notice)
    with state.transaction():
        state.set("ended", {"by": notice.get("by") if holds else None,
                            "at": notice.get("at") if holds else int(time.time()), "signed": holds})


def ended_error(state) -> ClientError:
    ended = state.get("ended")
    day = datetime.fromtimestamp(ended["at"], timezone.utc).strftime("%Y-%m-%d")
    if not ended["signed"]:
        return ClientError("the relay says this pairing has ended (unpaired), but your partner's device did not "
                           "sign that; the relay no longer carries anything for it. Your records are still here.")
    who = "you" if ended["by"] == state.get("device") else "your partner"
    return ClientError(f"this pairing has ended (unpaired): {who} ended it on {day}. "
                       "Your records are still here; pair again with 'invite' or 'join'.")

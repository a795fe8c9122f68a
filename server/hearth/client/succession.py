"""A device taking another's place in the pair (protocol §11.1, §11.3).

Records belong to a person's place, not to one phone's key: a phone's lineage (the devices
it succeeded) decides which records are its own, and its partner's phone learns that
lineage only from a succession notice it has verified, never from the relay's word.

When a partner's phone is lost, the phone that remains (R) pairs the new one (N) in its
place. R then starts the new epoch afresh, and its first envelopes to N are the signed
notice and the history (history.py).
"""

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import ZERO_HASH
from hearth.protocol.identity import MOVED, REPLACED, succession_message
from hearth.protocol.pairing import checked_peer, moved_root, moved_safety_code, root_key
from hearth.protocol.primitives import CryptoError, sign, verify
from hearth.protocol.schema import is_record_id

from . import history
from .connection import ClientError

MAX_LINEAGE = 1000   # a notice naming more predecessors than this is not one a phone wrote

# A new epoch is a new chain both ways: my seq restarts at 1 under a new sender key (so no
# key and nonce is ever used twice), and nothing of the old peer's chain carries over (§11.3).
FRESH_CHAIN = {"own_seq": 0, "own_prev": ZERO_HASH.hex(), "own_head": 0, "peer_next_seq": 1,
               "peer_last_hash": ZERO_HASH.hex(), "gaps": [], "lost": [], "peer_unchained": None,
               "peer_receipt_n": 0, "peer_head": 0, "peer_kept_from": 1}


def retired_error(code: str, frame: dict) -> ClientError:
    """The relay's word that this phone's place has passed to another. It is not signed for
    this phone, so say whose word it is; either way the relay carries nothing more for it."""
    if code == "moved":
        return ClientError("this phone has moved: everything on it went to your new phone, which has taken its "
                           "place in the pairing, so this one no longer syncs. Its records are still here to read; "
                           "you can erase this state directory once the new phone has everything.")
    return ClientError("the relay says this phone was replaced: your partner paired a new phone in its place, so "
                       "this one no longer syncs and nothing written here reaches them. Its records are still here "
                       "to read.")


def take_peer(st, newcomer: dict, epoch: int, root: bytes, peer_lineage: list, code: str) -> None:
    """In the caller's transaction: `newcomer` is the partner's place from `epoch`, under
    `root`, and this phone's own chain starts again (§11.3, 11.4)."""
    st.drop_held()
    for name, value in FRESH_CHAIN.items():
        st.set(name, value)
    st.set("epoch", epoch)
    st.set("root", root.hex())
    st.set("peer", newcomer)
    st.set("peer_lineage", peer_lineage)
    st.set("safety_code", code)


def take_in(device, keys, newcomer: dict, th2: bytes, code: str, epoch: int) -> None:
    """R's side, once the relay has confirmed `newcomer` in my partner's lost phone's place:
    the new root, a fresh chain, the new peer and what it succeeds, and in my outbox the
    signed notice then the history. What I kept for the lost phone is dropped: the history
    holds all of it, and the lost phone could not read it under the new key anyway."""
    st = device.state
    pair, old = st.get("pair"), st.get("peer")["device"]
    sig_pub, dh_pub = unb64u(newcomer["sig_pub"]), unb64u(newcomer["dh_pub"])
    root = root_key(keys.dh, dh_pub, th2, pair, epoch)
    sig = sign(keys.sig, succession_message(pair, epoch, REPLACED, old, newcomer["device"], sig_pub, dh_pub))
    theirs = st.get("peer_lineage", [])
    notice = {"succession": {"old": old, "reason": REPLACED, "sig": b64u(sig), "lineage": theirs,
                             "peer_lineage": st.get("lineage", [])}}
    parts, too_large = history.outgoing(device)
    with st.transaction():
        st.drop_outbox()
        take_peer(st, newcomer, epoch, root, [*theirs, old], code)
        st.set("pending_invite", None)
        st.queue(history.encode(notice))
        for body in parts:
            st.queue(body)
        # Counted from seq 2, after the notice: sync tells my person how much has arrived.
        st.set("history_out", {"first": 2, "parts": len(parts), "too_large": too_large})
    device.forget_keys()


def take_notice(device, notice) -> bool:
    """N's side: my partner's signed word that I take `old`'s place. Only if it verifies
    with my partner's key, over this pair, this epoch and my own id and keys, do the lost
    phone and its predecessors become my lineage. Returns whether it did."""
    st = device.state
    if not isinstance(notice, dict):
        return False
    old, reason, sig, lineage = notice.get("old"), notice.get("reason"), notice.get("sig"), notice.get("lineage")
    if type(reason) is not int or reason != REPLACED or not is_record_id(old) or not isinstance(sig, str):
        return False
    if not isinstance(lineage, list) or len(lineage) > MAX_LINEAGE or not all(is_record_id(x) for x in lineage):
        return False
    me, peer, keys = st.get("device"), st.get("peer"), st.keys()
    if old in (me, peer["device"]):
        return False
    try:
        sig = unb64u(sig)
    except ValueError:
        return False
    message = succession_message(st.get("pair"), st.get("epoch"), REPLACED, old, me, keys.sig_pub, keys.dh_pub)
    if not verify(unb64u(peer["sig_pub"]), sig, message):
        return False
    theirs = notice.get("peer_lineage", [])   # older senders leave it out (history infers it)
    if not isinstance(theirs, list) or len(theirs) > MAX_LINEAGE or not all(is_record_id(x) for x in theirs):
        return False
    mine = st.get("lineage", [])
    st.set("lineage", mine + [x for x in [*lineage, old] if x not in mine and x != me])
    known = st.get("peer_lineage", [])
    st.set("peer_lineage", known + [x for x in theirs if x not in known and x != me])
    st.set("succeeded", {"old": old, "by": peer["device"], "epoch": st.get("epoch")})
    st.set("awaiting_succession", None)
    return True


def partner_moved(device, frame: dict) -> str | None:
    """P's side of a move (§11.4): my partner's old phone signed its place over to a new one.
    Verified with the old phone's key, over this pair, the next epoch and the new phone's id
    and keys, it becomes my peer under a root the old phone cannot compute; what the old
    phone had not confirmed is sealed again for the new one. Returns the safety code to
    compare, or None for a notice already applied. A notice that does not hold stops here:
    the relay has moved the pair on, so this phone could not sync anyway."""
    st = device.state
    peer, epoch = st.get("peer"), st.get("epoch")
    heard = {peer["device"], st.get("device"), *st.get("peer_lineage", []), *st.get("lineage", [])}
    if frame.get("device") in heard or frame.get("old") in heard - {peer["device"]}:
        return None   # heard before (the relay repeats it after every login for a while), or my own
    sig = b""
    try:
        newcomer = checked_peer(frame)
        sig = unb64u(frame.get("sig"))
    except (CryptoError, TypeError, ValueError):
        newcomer = None
    new_epoch = frame.get("epoch")
    notice = None
    if newcomer and frame.get("reason") == MOVED and frame.get("old") == peer["device"] and \
            type(new_epoch) is int and new_epoch == epoch + 1 and newcomer["device"] != st.get("device"):
        notice = succession_message(st.get("pair"), new_epoch, MOVED, peer["device"], newcomer["device"],
                                    unb64u(newcomer["sig_pub"]), unb64u(newcomer["dh_pub"]))
    if notice is None or not verify(unb64u(peer["sig_pub"]), sig, notice):
        raise ClientError("the relay says your partner moved to a new phone, but their phone did not sign that, so "
                          "this phone did not take it in; it cannot sync until that is sorted out. Your records are "
                          "still here.")
    keys = st.keys()
    root = moved_root(keys.dh, unb64u(newcomer["dh_pub"]), notice, st.get("pair"), new_epoch)
    code = moved_safety_code(notice)
    with st.transaction():
        st.unseal_all()   # what the old phone had not confirmed: sealed again for the new one
        take_peer(st, newcomer, new_epoch, root, [*st.get("peer_lineage", []), peer["device"]], code)
    device.forget_keys()
    return code


def history_sent(state) -> tuple[int, int] | None:
    """(parts my partner's new phone has confirmed, parts) while a history is on its way;
    None once it has all of it (and from then on)."""
    out = state.get("history_out")
    if not out:
        return None
    first, parts = out["first"], out["parts"]
    kept = state.kept_from()
    if kept is None:
        kept = state.get("own_seq", 0) + 1 if not state.unsealed() else first
    done = max(0, min(kept - first, parts))
    if done >= parts:
        state.set("history_out", None)
    return done, parts

"""Moving to a new phone (protocol §11.4): the old phone (O) hands everything it holds,
private records included, to the new one (N), then retires in N's favour.

The move stream is envelopes of epoch 0 under a key only O and N can make (move_key, from
this pairing's own exchange), with a chain of their own; N confirms them with receipts under
the same key. Only when N's receipt covers every part does O sign the succession notice
and retire: until then nothing has changed for the partner (P), and the move can be called
off. P's side, hearing the notice, is succession.partner_moved.
"""

import time

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import ZERO_HASH, envelope_hash, open_envelope, parse_header, seal_envelope
from hearth.protocol.identity import MOVED, succession_message
from hearth.protocol.pairing import move_key, moved_root, moved_safety_code
from hearth.protocol.primitives import CryptoError, sign
from hearth.protocol.receipt import missing_ranges, open_receipt, seal_receipt

from . import history, records, succession
from .connection import ClientError, RelayRefused, RelayTimeout, Session

# What of this device's own state the new one carries on with, besides its records.
CARRIED = ("lineage", "peer_lineage", "succeeded", "history_in", "hlc")
RECONNECTS = 5   # lost connections in a row before a move gives up for now


def stream(device) -> list[bytes]:
    """The move stream's bodies: every record, whole, drafts included; this device's check-in
    answers and keys, so its weeks still open and release; what it sent its partner that
    their receipts have not confirmed (`unsent`), for the new phone to send again; and, in
    the first part, the partner's keys, the lineages and the clock."""
    st = device.state
    items = [("records", history.whole(*row)) for row in st.every_record()]
    for week, local in sorted(st.get("checkins", {}).items()):
        items.append(("checkins", history.encode({"week": week, "author": local.get("author", st.get("device")),
                                                  **{k: local[k] for k in ("key", "answers", "released")}})))
    items += [("unsent", body) for body in st.outbox_bodies()]
    state = {"peer": st.get("peer"), **{name: st.get(name) for name in CARRIED if st.get(name) is not None}}
    parts, too_large = history.pack("move", items, state)
    if too_large:
        raise ClientError(f"{too_large} record(s) on this phone are too large to move; nothing was moved")
    return parts


class Moving:
    """The moving half of Device (device.py)."""

    # --- the old phone ---------------------------------------------------------------------

    def move(self, timeout: float, on_link, on_code, ask_code) -> str:
        """Pair my new phone, send it everything, and retire once it has all of it (§11.4).
        Returns the safety code the partner's phone will show for the new one."""
        st = self.state
        self.settle_pending()
        self._keys_for_sync()   # paired, not ended
        keys, origin = st.keys(), st.get("relay")
        if st.get("moving_out"):
            # A move an earlier run left half-way starts again: the new phone it was sending
            # to is let go, with what reached it, and only the old phone's word is kept.
            self._call_off_again(origin, keys, st.get("moving_out")["invite"])
            st.set("moving_out", None)
        # What my partner sent is taken in first and what I wrote pushed, so the stream
        # carries the latest and leaves as little as possible for the new phone to resend.
        self.sync()
        session = Session(origin)
        try:
            self._login(session, keys)
        except BaseException:
            session.close()
            raise
        newcomer, th2, _code, _epoch = self._offer(session, origin, keys, timeout, on_link, on_code, ask_code,
                                                   move=True)
        invite = st.get("pending_invite")["invite"]
        with st.transaction():
            st.set("pending_invite", None)
            st.set("moving_out", {"invite": invite, "device": newcomer["device"]})
        key = move_key(keys.dh, unb64u(newcomer["dh_pub"]), th2, st.get("pair"))
        envelopes, prev = [], ZERO_HASH
        for seq, body in enumerate(stream(self), 1):
            envelopes.append(seal_envelope(key, st.get("pair"), st.get("device"), 0, seq, prev, body))
            prev = envelope_hash(envelopes[-1])
        try:
            self._hand_over(keys, newcomer, key, envelopes, timeout)
        except ClientError:
            if not st.get("retired"):
                # Nothing has changed for my partner: let the new phone go, so the relay
                # holds neither it nor the stream.
                self._call_off_again(origin, keys, invite)
                st.set("moving_out", None)
            raise
        epoch = st.get("epoch") + 1
        return moved_safety_code(succession_message(st.get("pair"), epoch, MOVED, st.get("device"),
                                                    newcomer["device"], unb64u(newcomer["sig_pub"]),
                                                    unb64u(newcomer["dh_pub"])))

    def _hand_over(self, keys, newcomer: dict, key: bytes, envelopes: list, timeout: float) -> None:
        """Send the stream until the new phone's receipt covers all of it, then retire."""
        st = self.state
        pair, n = st.get("pair"), len(envelopes)
        last_n, lost, sent_once = 0, 0, False
        deadline = time.monotonic() + timeout
        while True:
            session = None
            try:
                session = Session(st.get("relay"))
                self._login(session, keys)
                lost = 0
                for seq, env in enumerate(envelopes, 1):
                    # Again after a lost connection: the relay keeps what it has, and the new
                    # phone takes a repeat for what it is.
                    again = {"resend": True} if sent_once else {}
                    session.send({"type": "send", "seq": seq, "body": b64u(env), **again})
                sent_once = True
                while True:
                    frame = session.recv(max(1.0, deadline - time.monotonic()))
                    if frame["type"] == "error":
                        raise RelayRefused(frame)
                    if frame["type"] != "receipt":
                        continue   # my partner's deliveries and receipt wait for after the move
                    try:
                        fields = open_receipt(key, pair, newcomer["device"], 0, unb64u(frame["body"]))
                    except (CryptoError, ValueError):
                        continue   # my partner's receipt, or one the relay garbled
                    if fields["n"] <= last_n:
                        continue
                    last_n = fields["n"]
                    if fields["received"] == n and unb64u(fields["received_hash"]) == envelope_hash(envelopes[-1]):
                        return self._retire(session, keys, newcomer)
                    for a, b in fields["missing"]:
                        for seq in range(max(a, 1), min(b, n) + 1):
                            env = envelopes[seq - 1]
                            session.send({"type": "send", "seq": seq, "body": b64u(env), "resend": True})
            except RelayTimeout:
                raise ClientError("your new phone did not confirm it has everything in time; nothing has changed "
                                  "for your partner. Run 'move' again to start over.") from None
            except RelayRefused:
                raise
            except ClientError:
                lost += 1
                if lost > RECONNECTS or time.monotonic() > deadline:
                    raise ClientError("the connection to the relay kept failing during the move; nothing has changed "
                                      "for your partner. Run 'move' again to start over.") from None
                time.sleep(min(2 ** lost / 4, 2))
            finally:
                if session is not None:
                    session.close()

    def _retire(self, session: Session, keys, newcomer: dict) -> None:
        st = self.state
        epoch = st.get("epoch") + 1
        notice = succession_message(st.get("pair"), epoch, MOVED, st.get("device"), newcomer["device"],
                                    unb64u(newcomer["sig_pub"]), unb64u(newcomer["dh_pub"]))
        session.send({"type": "retire", "succession": b64u(sign(keys.sig, notice))})
        done = session.expect("retire_ok")
        if done.get("device") != newcomer["device"]:
            raise ClientError("the relay put a different phone in this one's place")
        with st.transaction():
            st.set("retired", {"reason": "moved", "device": newcomer["device"], "at": int(time.time())})
            st.set("moving_out", None)

    # --- the new phone ---------------------------------------------------------------------

    def finish_move(self, timeout: float) -> bool:
        """Receive the move stream and confirm it, until the old phone retires and this one
        is a device of the pair (True), or `timeout` passes first (False)."""
        st = self.state
        keys = st.keys()
        deadline = time.monotonic() + timeout
        lost = 0
        while True:
            session = ready = None
            try:
                session = Session(st.get("relay"))
                ready = session.login(keys, batch=self.DELIVERY_BATCH)
                lost = 0
                if ready.get("move"):
                    self._receive_move(session, deadline)
            except RelayTimeout:
                return False
            except RelayRefused as exc:
                if exc.code != "login_failed":
                    raise
                raise ClientError("the move to this phone was called off, or ran out of time, before it "
                                  "finished; the old phone still has everything. Start again with a new "
                                  "--state.") from None
            except ClientError:
                # The relay closes a mover's connection when the old phone retires: log in again.
                lost += 1
                if lost > RECONNECTS or time.monotonic() > deadline:
                    return False
                time.sleep(min(2 ** lost / 8, 2))
            finally:
                if session is not None:
                    session.close()
            if ready is not None and not ready.get("move"):
                self._moved_in(ready)
                return True

    def _receive_move(self, session: Session, deadline: float) -> None:
        """Take what the old phone sent, acknowledging and confirming it, until the relay ends
        the connection (the old phone retired) or time runs out."""
        held = {}
        receipt_due = caught_up = False
        while True:
            frame = session.recv(max(0.5, deadline - time.monotonic()))
            kind = frame["type"]
            if kind in ("deliver", "deliveries"):
                items = frame["envelopes"] if kind == "deliveries" else [frame]
                for item in items:
                    self._take_move(item["body"], held)
                if items:
                    session.send({"type": "ack", "cursor": items[-1]["cursor"]})
                    receipt_due = True
            elif kind == "caught_up":
                receipt_due = caught_up = True
            elif kind == "error":
                raise RelayRefused(frame)
            if receipt_due:
                session.send({"type": "receipt", "body": b64u(self._move_receipt(held, caught_up))})
                receipt_due = False

    def _take_move(self, body: str, held: dict) -> None:
        """One envelope of the move stream: applied in order, link by link, exactly once;
        an early one waits in `held` (this connection only: the old phone sends again what
        my receipt says is missing)."""
        st = self.state
        m = st.get("moving_in")
        try:
            env = unb64u(body)
            header = parse_header(env)
        except (ValueError, CryptoError):
            return
        if header.epoch != 0 or header.seq < m["next_seq"]:
            return
        held[header.seq] = env
        while (env := held.pop(m["next_seq"], None)) is not None:
            header = parse_header(env)
            try:
                if header.prev.hex() != m["last_hash"]:
                    raise CryptoError("the move stream's chain is broken")
                body = records.read_body(open_envelope(bytes.fromhex(m["key"]), st.get("pair"), m["from"]["device"], env))
                place = history.part_of(body, "move")
                if place is None or not isinstance(body.get("state"), dict):
                    raise ValueError("not a part of a move")
            except (CryptoError, ValueError):
                st.set("rejected", st.get("rejected", 0) + 1)
                continue   # not the old phone's: it is sent again, intact, once missing
            with st.transaction():
                self._take_part(body)
                m = st.get("moving_in")   # the part's state may have added to it
                m.update(next_seq=m["next_seq"] + 1, last_hash=envelope_hash(env).hex(), parts=place[1])
                st.set("moving_in", m)

    def _take_part(self, body: dict) -> None:
        """One part: the old phone's state first (its lineage makes its records mine), then
        its records, whole, its check-ins and what it had not yet seen confirmed."""
        st, got = self.state, body["state"]
        m = st.get("moving_in")
        if "peer" in got:
            m["partner"] = got["peer"]
            for name in CARRIED:
                if name in got:
                    st.set(name, got[name])
            old = m["from"]["device"]
            st.set("lineage", [*[x for x in st.get("lineage", []) if x != old], old])
            st.set("moving_in", m)
        history.merge(self, body["records"])
        mine = st.get("checkins", {})
        for item in got.get("checkins", []):
            mine[item["week"]] = {k: item[k] for k in ("author", "key", "answers", "released")}
        st.set("checkins", mine)
        for op_body in got.get("unsent", []):
            st.queue(history.encode(op_body))

    def _move_receipt(self, held: dict, caught_up: bool) -> bytes:
        """Gaps below what arrived are missing; once the relay has delivered all it holds for
        me, so is every part still to come."""
        st = self.state
        m = st.get("moving_in")
        top = max([*held, *([m["parts"]] if caught_up and m.get("parts") else [])], default=0)
        with st.transaction():
            n = max(st.get("receipt_n", 0) + 1, int(time.time() * 1000))
            st.set("receipt_n", n)
        fields = {"n": n, "received": m["next_seq"] - 1, "received_hash": b64u(bytes.fromhex(m["last_hash"])),
                  "missing": missing_ranges(m["next_seq"], list(held), top),
                  "head": 0, "kept_from": 1}
        return seal_receipt(bytes.fromhex(m["key"]), st.get("pair"), st.get("device"), 0, fields)

    def _moved_in(self, ready: dict) -> None:
        """The old phone retired and the relay has put this phone in its place: from now on
        my peer is my partner, under a root the old phone cannot compute (§11.4)."""
        st = self.state
        m, keys = st.get("moving_in"), st.keys()
        partner = m.get("partner")
        if not partner or not m.get("parts") or m["next_seq"] - 1 < m["parts"]:
            raise ClientError("the relay says the move finished, but this phone has not received all of it; "
                              "keep the old phone and start again with a new --state")
        epoch = ready.get("epoch")
        if (ready.get("peer") or {}).get("device") != partner["device"] or epoch != st.get("epoch") + 1:
            raise ClientError("the relay put this phone in a pair it was not moved into; nothing was sent")
        notice = succession_message(st.get("pair"), epoch, MOVED, m["from"]["device"], st.get("device"),
                                    keys.sig_pub, keys.dh_pub)
        root = moved_root(keys.dh, unb64u(partner["dh_pub"]), notice, st.get("pair"), epoch)
        with st.transaction():
            for name, value in succession.FRESH_CHAIN.items():
                st.set(name, value)
            st.set("epoch", epoch)
            st.set("root", root.hex())
            st.set("peer", partner)
            st.set("safety_code", moved_safety_code(notice))
            st.set("moving_in", None)
        self.forget_keys()

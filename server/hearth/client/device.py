"""What a device does: put records, seal them, and sync with the relay (pairing: pairing.py)."""

import json
import time

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import (ZERO_HASH, envelope_hash, open_envelope, parse_header,
                                      seal_envelope, sender_key)
from hearth.protocol.primitives import CryptoError
from hearth.protocol.receipt import missing_ranges, open_receipt, seal_receipt

from . import checkins, experiments, history, paced, records, succession, unpair
from .connection import ClientError, RelayRefused, Session
from .move import Moving
from .pairing import Pairing
from .state import State, StateError


DELIVERY_BATCH = 200   # envelopes the relay may put in one "deliveries" frame (§6)
MAX_KEPT = 10_000      # envelopes kept for resending until my partner's receipt (§5.6)
MOVE_WAIT = 10         # seconds a new phone's sync waits for its old phone to finish a move


def _without(ranges: list, seq: int) -> list:
    """`ranges` with one seq taken out."""
    out = []
    for a, b in ranges:
        if a <= seq <= b:
            out += [r for r in ([a, seq - 1], [seq + 1, b]) if r[0] <= r[1]]
        else:
            out.append([a, b])
    return out


class Device(Pairing, Moving):
    DELIVERY_BATCH = DELIVERY_BATCH

    def __init__(self, state: State):
        self.state = state
        self._peer_keys = None   # the partner's sender key, once paired (_pair_info)

    def forget_keys(self) -> None:
        """The pair's root or peer changed (§11.3): derive the keys afresh when next needed."""
        self._peer_keys = None

    # --- records ---------------------------------------------------------------------------

    def mine(self) -> set:
        """Whose records are my own: this device's, and those of the devices it succeeded
        (its lineage, learnt only from notices it verified, §11.1)."""
        return {self.state.get("device"), *self.state.get("lineage", [])}

    def place_of(self, sender: str) -> set:
        """Whose records `sender` changes as their author: its own, and for my partner's
        device, those of the devices it succeeded."""
        peer = (self.state.get("peer") or {}).get("device")
        return {sender, *(self.state.get("peer_lineage", []) if sender == peer else [])}

    def clock(self) -> records.Clock:
        ms, counter = self.state.get("hlc", [0, 0])
        return records.Clock(self.state.get("device"), ms, counter)

    def put(self, rtype: str, raw_json: str) -> str:
        st = self.state
        kind = records.record_type(rtype)
        if not st.get("device"):
            raise ClientError("this state directory has no device yet; run 'invite' or 'join' first")
        try:
            fields = json.loads(raw_json)
        except ValueError as exc:
            raise records.RecordError(f"the record is not valid JSON ({exc.msg} at character {exc.pos})") from None
        if not isinstance(fields, dict):
            raise records.RecordError("a record must be a JSON object of fields")
        if rtype == "checkin":
            rid, fields = checkins.prepare(self, fields)
            existing = st.record(rtype, rid)
        elif not kind.owned:
            if fields.get("id") not in (None, records.COUPLE_ID):
                raise records.RecordError(f"the {rtype} record's id is always {records.COUPLE_ID}")
            rid = records.COUPLE_ID
            existing = st.record(rtype, rid)
        else:
            # One pace record of my own, changed in place (§8.14), as a check-in's week is.
            rid = fields.get("id") or (paced.own_record(self) if rtype == "pace" else None) or records.new_id()
            existing = st.record(rtype, rid)
            if existing and existing[0] not in self.mine():
                self._ask_for_caution(rtype, rid, fields, existing)
                return rid
            if fields.get("id") and not existing:
                raise records.RecordError(f"there is no {rtype} record with id {rid}")
            theirs = sorted(set(fields) & records.PARTNER_FIELDS.get(rtype, frozenset()))
            if theirs:
                end = "ended" if rtype == "agreement" else "stopped"
                raise records.RecordError(f"'{theirs[0]}' is your partner's to give, not yours; "
                                          f"to stop, set 'status' to '{end}'")
        clean = kind.validate(fields, existing[1] if existing else None)
        with st.transaction():
            self._write(rtype, rid, clean, existing)
            self._release_checkins()
        return rid

    def _ask_for_caution(self, rtype: str, rid: str, fields: dict, existing) -> None:
        """My partner's record: I may only ask for more care with a safety field, or give my
        own answer in the fields that are mine (an experiment's `answer`, §8.3)."""
        safety = records.SAFETY_FIELDS.get(rtype, {})
        asked = {k: v for k, v in fields.items() if k != "id"}
        mine = records.PARTNER_FIELDS.get(rtype, frozenset())
        if asked and set(asked) <= mine:
            if "answered_on" in mine and "answer" in asked and "answered_on" not in asked:
                asked["answered_on"] = records.today()   # an experiment's days count from the yes (§8.3)
            clean = records.record_type(rtype).validate(asked, existing[1])
            with self.state.transaction():
                self._write(rtype, rid, clean, existing)
            return
        if not asked or set(asked) - set(safety):
            raise records.RecordError("that record belongs to your partner; only its author can change it "
                                      "(you can ask for more care with its level)")
        clean = records.record_type(rtype).validate(asked, existing[1])
        for name, value in clean.items():
            if not records.more_cautious(rtype, name, value, existing[1].get(name)):
                raise records.RecordError(f"you can only make your partner's '{name}' more careful, not less")
        with self.state.transaction():
            self._write(rtype, rid, clean, existing)

    def _write(self, rtype: str, rid: str, clean: dict, existing) -> None:
        """Merge my own change into the record and queue it if shared; inside a transaction."""
        st, kind = self.state, records.record_type(rtype)
        clock = self.clock()
        hlc = clock.tick()
        author, current, clocks = existing or (st.get("device"), {}, {})
        mine = author in self.mine()
        was_shared = bool(existing) and kind.shared_when(current)
        # The clocks of the safety values I am replacing: I have seen them (§8.9).
        base = {k: clocks[k] for k in records.SAFETY_FIELDS.get(rtype, {}) if k in clean and k in clocks}
        records.merge_safely(rtype, current, clocks, clean, hlc, base, mine or not kind.owned)
        st.save_record(rtype, rid, author, current, clocks)
        st.set("hlc", [clock.last_ms, clock.counter])
        if kind.shared_when(current):
            # A draft shared for the first time sends everything the partner has not seen.
            op = {"type": rtype, "id": rid, "hlc": hlc, "fields": clean if was_shared else current}
            if base:
                op["base"] = base
        elif was_shared:
            # Taken back (§8.11): the partner's phone forgets everything but this.
            op = {"type": rtype, "id": rid, "hlc": hlc, "fields": {"shared": False}}
        else:
            return
        st.queue(json.dumps({"ops": [op]}, separators=(",", ":")).encode())

    def _release_checkins(self) -> None:
        for rid, update in checkins.releases(self):
            self._write("checkin", rid, update, self.state.record("checkin", rid))

    def is_shared(self, rtype: str, rid: str) -> bool:
        existing = self.state.record(rtype, rid)
        return bool(existing) and records.record_type(rtype).shared_when(existing[1])

    def list(self, rtype: str):
        kind = records.record_type(rtype)
        mine = self.mine()
        for author, rid, fields in self.state.records(rtype):
            # A record taken back is shown only to its own place, and only while it is whole:
            # what a phone holds of one its partner took back is the flag alone (§8.11).
            hidden = records.taken_back(kind, fields) and (author not in mine or records.forgotten(fields))
            if not fields.get("deleted") and not hidden:
                rec = {"type": rtype, "id": rid, "author": author, "mine": author in mine, **fields}
                if rtype == "checkin":
                    rec = checkins.readable(self, rec)
                elif rtype == "experiment":
                    rec = experiments.readable(rec)
                elif rtype == "agreement":
                    rec = experiments.readable_agreement(rec)
                elif rtype == "pace":
                    rec = paced.readable(self, rec)
                yield rec

    # --- sync ------------------------------------------------------------------------------

    def _keys_for_sync(self):
        st = self.state
        if st.get("ended"):
            raise unpair.ended_error(st)
        if st.get("retired"):
            raise succession.retired_error(st.get("retired")["reason"], st.get("retired"))
        if not st.get("root"):
            raise ClientError("this device is not paired yet; run 'invite' or 'join' first")
        root = bytes.fromhex(st.get("root"))
        pair, epoch, me, peer = st.get("pair"), st.get("epoch"), st.get("device"), st.get("peer")["device"]
        return pair, epoch, me, peer, sender_key(root, pair, epoch, me), sender_key(root, pair, epoch, peer)

    def seal_outbox(self, pair, epoch, me, my_key) -> list:
        """Seal what is queued; returns the new (seq, envelope) pairs."""
        st = self.state
        fresh = []
        with st.transaction():
            seq, prev = st.get("own_seq", 0), bytes.fromhex(st.get("own_prev", ZERO_HASH.hex()))
            for n, body in st.unsealed():
                seq += 1
                env = seal_envelope(my_key, pair, me, epoch, seq, prev, body)
                prev = envelope_hash(env)
                st.seal(n, seq, env)
                fresh.append((seq, env))
            st.set("own_seq", seq)
            st.set("own_prev", prev.hex())
            st.let_go_beyond(MAX_KEPT)
        return fresh

    def sync(self, timeout: float = 60, report: dict | None = None) -> dict:
        """One session with the relay: push, receive, exchange receipts (§5.5, §5.6). If my
        partner moved to a new phone meanwhile, a second session under the new keys."""
        st = self.state
        if st.get("moving_in") and not self.finish_move(MOVE_WAIT):
            raise ClientError("your old phone has not finished moving everything to this one yet; keep both "
                              "phones on, run 'move' on the old one if it stopped, and 'sync' here again")
        pair, epoch, me, peer, my_key, peer_key = self._keys_for_sync()
        self.seal_outbox(pair, epoch, me, my_key)
        report = report or {"sent": 0, "received": 0, "rejected": 0, "replayed": 0, "missing": 0, "lost": 0,
                            "skipped": 0, "history": None, "moved": None}
        skipped_before = st.get("skipped_ops", 0)
        again = False
        session = Session(st.get("relay"), timeout)
        waiting: set[int] = set()   # seqs pushed in this session that the relay has not answered
        pushed: dict[int, bytes] = {}
        claimed = 0                 # ready.last_seq: what the relay says it has from me

        def push(envelopes, resend=False):
            for seq, env in envelopes:
                if pushed.get(seq) == env:
                    continue  # already on its way in this session
                pushed[seq] = env
                frame = {"type": "send", "seq": seq, "body": b64u(env)}
                if resend or seq <= claimed:
                    # Asked for again, or sealed again after a fork (§5.6): the relay stores it
                    # even where it says it has that seq. Above its last_seq the flag changes nothing.
                    frame["resend"] = True
                session.send(frame)
                waiting.add(seq)

        try:
            ready = self._login(session, st.keys(), DELIVERY_BATCH)
            # The relay's last_seq is only a claim: it decides what to push now, never what
            # to forget. Only my partner's receipt lets an envelope go (§5.6). And the relay
            # is held to it: my receipt names what it claims to hold as my head, so my partner
            # asks again for whatever of it never arrived, rather than never hearing of it.
            claimed = ready["last_seq"]
            with st.transaction():
                st.set("own_head", max(st.get("own_head", 0), min(claimed, st.get("own_seq", 0))))
            caught_up = False
            receipt_due, receipt_out = True, None   # receipt_out: the ack cursor it went after
            ack_to = acked_to = 0   # the cursor I last acknowledged; the highest the relay confirmed
            while True:
                if caught_up and not waiting:
                    fresh = self.seal_outbox(pair, epoch, me, my_key)
                    if fresh:  # receiving made something due (a check-in key) or a fork resealed
                        push(fresh)
                        continue
                    if receipt_out is None and receipt_due:
                        self._settle_gaps(report)
                        session.send({"type": "receipt", "body": b64u(self._receipt(pair, epoch, me, my_key))})
                        receipt_due, receipt_out = False, ack_to
                    elif receipt_out is None and acked_to >= ack_to:
                        break
                frame = session.recv()
                kind = frame["type"]
                if kind == "sent":
                    # Only an answer to what this session pushed counts: a stale or repeated
                    # `sent` from the relay says nothing about this session's envelopes.
                    if frame["seq"] in waiting:
                        waiting.discard(frame["seq"])
                        if frame["seq"] <= st.get("own_seq", 0):
                            st.set("own_head", max(st.get("own_head", 0), frame["seq"]))
                        report["sent"] += not frame.get("dup")
                elif kind in ("deliver", "deliveries"):
                    envelopes = frame["envelopes"] if kind == "deliveries" else [frame]
                    if not envelopes:
                        continue
                    for item in envelopes:
                        self.receive(item, pair, epoch, peer, peer_key, report)
                    ack_to = envelopes[-1]["cursor"]
                    session.send({"type": "ack", "cursor": ack_to})
                    receipt_due = True   # my receipt must say what I have now
                elif kind == "acked":
                    acked_to = max(acked_to, frame["cursor"])
                elif kind == "caught_up" and not caught_up:
                    caught_up = True
                    # Pushed only now, after the partner's receipt (sent straight after ready)
                    # was read: if it shows this state is an older copy, what I kept is sealed
                    # again after what my partner has, and no forked envelope goes out first.
                    push([(seq, env) for seq, env in st.sealed() if seq > claimed])
                elif kind == "receipt":
                    push(self.read_receipt(frame["body"], pair, epoch, peer, peer_key), resend=True)
                elif kind == "receipt_ok" and receipt_out is not None:
                    # The relay answers a connection's frames in order, so this also answers
                    # the acks sent before that receipt, even if their `acked` never came.
                    acked_to, receipt_out = max(acked_to, receipt_out), None
                elif kind == "unpaired":
                    self._ended(frame)
                elif kind == "succession":
                    # Straight after ready, before anything sealed under the keys it changes.
                    report["moved"] = succession.partner_moved(self, frame) or report["moved"]
                    if st.get("epoch") != epoch:
                        again = True
                        break
                elif kind == "error":
                    if frame.get("code") == "unpaired":
                        self._ended(frame)
                    if frame.get("code") in ("replaced", "moved"):
                        raise succession.retired_error(frame["code"], frame)
                    raise RelayRefused(frame)
        finally:
            session.close()
        report["skipped"] += st.get("skipped_ops", 0) - skipped_before   # updates that did not fit
        return self.sync(timeout, report) if again else report

    # --- ending the pairing (§11.2) ---------------------------------------------------------

    def unpair(self, timeout: float = 30) -> int:
        """End the pairing for both devices; returns the time it ended (unix seconds)."""
        st = self.state
        self._keys_for_sync()   # paired, and not ended already
        session = Session(st.get("relay"), timeout)
        try:
            self._login(session, st.keys())
            frame = unpair.signed_notice(st)
            session.send(frame)
            session.expect("unpair_ok")
        finally:
            session.close()
        unpair.record_end(st, {"by": st.get("device"), "at": frame["at"], "sig": frame["sig"]})
        return frame["at"]

    def _not_ended(self) -> None:
        if self.state.get("ended"):
            raise ClientError("this device's pairing has ended (unpaired), and its state keeps that pairing's "
                              "records; to pair again, use a new --state")

    def _ended(self, notice: dict):
        """The relay says the pairing ended: keep what the notice proves, and stop here."""
        unpair.record_end(self.state, notice)
        raise unpair.ended_error(self.state)

    # --- receipts (§5.6, §5.7) -------------------------------------------------------------

    def _receipt(self, pair, epoch, me, my_key) -> bytes:
        st = self.state
        with st.transaction():
            # Past the clock as well as the last one, so a restored older copy of this device
            # still writes receipts its partner takes as new (§5.6).
            n = max(st.get("receipt_n", 0) + 1, int(time.time() * 1000))
            st.set("receipt_n", n)
            own_seq = st.get("own_seq", 0)
            fields = {"n": n, "received": st.get("peer_next_seq", 1) - 1,
                      "received_hash": b64u(bytes.fromhex(st.get("peer_last_hash", ZERO_HASH.hex()))),
                      "missing": st.get("gaps", []), "head": min(st.get("own_head", 0), own_seq),
                      "kept_from": st.kept_from() or own_seq + 1}
        return seal_receipt(my_key, pair, me, epoch, fields)

    def read_receipt(self, body, pair, epoch, peer, peer_key) -> list:
        """Take in my partner's receipt; returns the kept envelopes it asks for again."""
        st = self.state
        try:
            fields = open_receipt(peer_key, pair, peer, epoch, unb64u(body))
        except (CryptoError, ValueError, TypeError):
            return []  # the relay can drop or garble a receipt, never forge one: ignore it
        with st.transaction():
            if fields["n"] <= st.get("peer_receipt_n", 0):
                return []  # an old receipt again
            st.set("peer_receipt_n", fields["n"])
            st.set("peer_head", max(st.get("peer_head", 0), fields["head"]))
            st.set("peer_kept_from", max(st.get("peer_kept_from", 1), fields["kept_from"]))
            received, their_hash = fields["received"], unb64u(fields["received_hash"])
            own_seq = st.get("own_seq", 0)
            mine = st.kept(received)
            if received == own_seq:
                ours = bytes.fromhex(st.get("own_prev", ZERO_HASH.hex()))
            else:
                ours = envelope_hash(mine) if mine else None
            if received > own_seq or (ours is not None and ours != their_hash and received > 0):
                # My partner has seen more of me than this state holds (an older copy was
                # restored): continue my chain right after what they have and seal what I keep
                # again from there. From `received`, not from my own last seq: my partner takes
                # only `received + 1` linked to `received`, anything higher leaves a gap.
                st.unseal_all()
                st.set("own_seq", received)
                st.set("own_prev", their_hash.hex())
                st.set("own_head", received)
                return []
            st.confirmed(received)
            return [(seq, env) for seq, env in st.sealed() if any(a <= seq <= b for a, b in fields["missing"])]

    def _settle_gaps(self, report) -> None:
        """After a catch-up: give up what my partner can no longer resend, then name what is
        still missing below their head (§5.6 step 4, §5.7)."""
        st = self.state
        with st.transaction():
            next_seq = st.get("peer_next_seq", 1)
            kept_from = st.get("peer_kept_from", 1)
            if kept_from > next_seq:
                held = st.held_seqs()
                lost = missing_ranges(next_seq, held, kept_from - 1)
                st.set("lost", st.get("lost", []) + lost)
                report["lost"] += sum(b - a + 1 for a, b in lost)
                for seq in [s for s in held if s < kept_from]:
                    self._apply_unchained(st.take_held(seq), report)
                st.set("peer_next_seq", kept_from)
                st.set("peer_unchained", kept_from)
                self._drain_held(report)
            held = st.held_seqs()
            top = max([st.get("peer_head", 0), *held])
            gaps = missing_ranges(st.get("peer_next_seq", 1), held, top)
            st.set("gaps", gaps)
            report["missing"] = sum(b - a + 1 for a, b in gaps)

    # --- receiving (§5.5) ------------------------------------------------------------------

    def _pair_info(self):
        """(pair, epoch, peer, peer_key), derived once: _drain_held runs after every envelope."""
        if self._peer_keys is None:
            pair, epoch, _me, peer, _my_key, peer_key = self._keys_for_sync()
            self._peer_keys = (pair, epoch, peer, peer_key)
        return self._peer_keys

    def receive(self, frame: dict, pair, epoch, peer, peer_key, report) -> None:
        """Take one delivered envelope: apply it in order, hold it if early, ignore a repeat."""
        st = self.state
        try:
            env = unb64u(frame["body"])
            header = parse_header(env)
        except (ValueError, KeyError, CryptoError):
            header = None
        with st.transaction():
            if header is None or header.epoch != epoch:
                return self._reject(report)
            # Authenticate before judging the sequence number, so a forged or reflected
            # envelope is reported as damaged rather than passed off as a harmless repeat.
            try:
                body = records.read_body(open_envelope(peer_key, pair, peer, env))
            except (CryptoError, ValueError):
                return self._reject(report)
            next_seq = st.get("peer_next_seq", 1)
            if header.seq < next_seq:
                lost = st.get("lost", [])
                if not any(a <= header.seq <= b for a, b in lost):
                    report["replayed"] += 1
                    return None
                # Given up for lost (§5.7) but here after all: apply it out of order.
                st.set("lost", _without(lost, header.seq))
                self._take(body, peer, report)
                report["received"] += 1
                return None
            if header.seq > next_seq:
                st.hold(header.seq, env)   # early: kept until the ones before it arrive
                return None
            if not self._chained(header):
                return self._reject(report)
            self._advance(env, body, header, peer, report)
            self._drain_held(report)
        return None

    def _chained(self, header) -> bool:
        st = self.state
        if st.get("peer_unchained") == header.seq:
            return True  # the first envelope after a range given up for lost (§5.7)
        return header.prev.hex() == st.get("peer_last_hash", ZERO_HASH.hex())

    def _advance(self, env, body, header, peer, report) -> None:
        st = self.state
        self._take(body, peer, report)
        self._release_checkins()
        st.set("peer_next_seq", header.seq + 1)
        st.set("peer_last_hash", envelope_hash(env).hex())
        st.set("last_heard", int(time.time()))
        report["received"] += 1

    def _drain_held(self, report) -> None:
        """Apply held envelopes that are now next in line, checking each link (§5.5 step 6)."""
        st = self.state
        pair, epoch, peer, peer_key = self._pair_info()
        while (env := st.take_held(st.get("peer_next_seq", 1))) is not None:
            header = parse_header(env)
            try:
                body = records.read_body(open_envelope(peer_key, pair, peer, env))
            except (CryptoError, ValueError):
                self._reject(report)
                continue
            if not self._chained(header):
                self._reject(report)
                continue
            self._advance(env, body, header, peer, report)

    def _apply_unchained(self, env, report) -> None:
        pair, _epoch, peer, peer_key = self._pair_info()
        try:
            body = records.read_body(open_envelope(peer_key, pair, peer, env))
        except (CryptoError, ValueError):
            return
        self._take(body, peer, report)

    def _take(self, body, peer: str, report) -> None:
        """Apply one authenticated body from my partner: operations (§5.4), or, after a
        replacement, the succession notice and then the history (§11.3)."""
        if isinstance(body, dict) and "succession" in body:
            if not succession.take_notice(self, body["succession"]):
                self._reject(report)
        elif isinstance(body, dict) and "history" in body:
            # Only the successor of a lost phone takes a history, and only once it has the
            # partner's signed word that it is one: before that it is refused, never merged.
            if not self.state.get("succeeded") or not history.take_part(self, body, report):
                self._reject(report)
        else:
            self.apply(body, peer)

    def _reject(self, report) -> None:
        report["rejected"] += 1
        self.state.set("rejected", self.state.get("rejected", 0) + 1)

    def apply(self, body: dict, sender: str) -> None:
        st = self.state
        clock = self.clock()
        place = self.place_of(sender)   # an owned record is its author's place's to change (§11.1)
        for op in records.ops_in(body):
            try:
                records.check_op(op)   # its shape and each field, before anything reads it
                kind = records.record_type(op["type"])
                rid, hlc = op["id"], op["hlc"]
                existing = st.record(op["type"], rid)
                if not kind.owned and rid != records.COUPLE_ID:
                    continue
                by_owner = not existing or existing[0] in place or not kind.owned
                if not by_owner and (op["type"] not in records.SAFETY_FIELDS or not existing):
                    continue  # only the author may change an owned record
                clean = kind.validate(op["fields"], existing[1] if existing else None)
                base = op.get("base") or {}
                if not isinstance(base, dict):
                    continue
            except (records.RecordError, KeyError, TypeError):
                st.set("skipped_ops", st.get("skipped_ops", 0) + 1)   # counted for sync's report
                continue  # a newer app's record type or a malformed op: skip it, keep the rest
            author, current, clocks = existing or (sender, {}, {})
            records.merge_safely(op["type"], current, clocks, clean, hlc, base, by_owner)
            if records.taken_back(kind, current):
                current, clocks = records.forget_taken_back(current, clocks)
            st.save_record(op["type"], rid, author, current, clocks)
            clock.observe(hlc)
        st.set("hlc", [clock.last_ms, clock.counter])


__all__ = ["Device", "ClientError", "StateError"]

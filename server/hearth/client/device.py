"""What a device does: pair, put records, seal them, and sync with the relay."""

import json

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import (ZERO_HASH, envelope_hash, open_envelope, parse_header,
                                      seal_envelope, sender_key)
from hearth.protocol.identity import DeviceKeys
from hearth.protocol.pairing import (invite_id, make_accept_box, make_join_box, new_secret,
                                     open_accept_box, open_join_box, pair_keys, pairing_link,
                                     parse_pairing_link, peer_device_id, root_key, safety_code,
                                     transcript1, transcript2)
from hearth.protocol.primitives import CryptoError, new_private_key, public_raw

from . import checkins, records
from .connection import ClientError, RelayRefused, Session, origin_of
from .state import State, StateError


DELIVERY_BATCH = 200   # envelopes the relay may put in one "deliveries" frame (§6)


class Device:
    def __init__(self, state: State):
        self.state = state

    # --- pairing ---------------------------------------------------------------------------

    def invite(self, relay_url: str, timeout: float, on_link) -> str:
        st = self.state
        if st.get("root"):
            raise ClientError("this device is already paired")
        origin = origin_of(relay_url)
        if st.get("relay") and st.get("relay") != origin:
            raise ClientError(f"this device belongs to the relay at {st.get('relay')}")
        keys = st.keys() if st.has_keys() else DeviceKeys.generate()
        session = Session(origin)
        try:
            if st.get("device"):
                ready = session.login(keys)
                if ready.get("peer"):
                    raise ClientError("this device's pair already has a partner device")
            else:
                reg = session.register(keys)
                st.save_keys(keys)
                with st.transaction():
                    st.set("relay", origin)
                    st.set("device", reg["device"])
                    st.set("pair", reg["pair"])
                    st.set("epoch", reg["epoch"])
            secret, eph = new_secret(), new_private_key()
            invite = invite_id(secret)
            session.send({"type": "invite", "invite": invite})
            session.expect("invite_ok")
            on_link(pairing_link(origin, secret, public_raw(eph)))
            request = session.expect("pair_request", timeout=timeout)
            sig_pub, dh_pub = unb64u(request["sig_pub"]), unb64u(request["dh_pub"])
            eph_b = unb64u(request["eph"])
            if peer_device_id(request) != request["device"]:
                raise ClientError("the joining device's id does not match its keys")
            th1 = transcript1(invite, public_raw(eph), eph_b)
            k_join, k_accept = pair_keys(eph, eph_b, secret, th1)
            try:
                open_join_box(unb64u(request["box"]), th1, k_join, sig_pub, dh_pub)
            except CryptoError as exc:
                raise ClientError(f"the joining device failed verification ({exc}); not pairing") from None
            th2 = transcript2(th1, keys.sig_pub, keys.dh_pub, sig_pub, dh_pub)
            pair = st.get("pair")
            session.send({"type": "accept", "invite": invite,
                          "box": b64u(make_accept_box(keys, th1, th2, pair, k_accept))})
            session.expect("accept_ok")
            peer = {k: request[k] for k in ("device", "suite", "sig_pub", "dh_pub")}
            self._paired(keys, peer, th2, secret, dh_pub)
            return safety_code(th2, secret)
        except TimeoutError:
            raise ClientError("nobody joined before the invite timed out") from None
        finally:
            session.close()

    def join(self, link: str, timeout: float) -> str:
        st = self.state
        if st.get("device"):
            raise ClientError("this state directory already holds a device; use a new --state to join")
        try:
            origin, secret, eph_a = parse_pairing_link(link)
        except ValueError as exc:
            raise ClientError(str(exc)) from None
        keys, eph = DeviceKeys.generate(), new_private_key()
        invite = invite_id(secret)
        th1 = transcript1(invite, eph_a, public_raw(eph))
        k_join, k_accept = pair_keys(eph, eph_a, secret, th1)
        session = Session(origin)
        try:
            session.send({"type": "join", "invite": invite, **keys.public_frame(),
                          "sig": b64u(keys.sign_register(session.challenge)),
                          "eph": b64u(public_raw(eph)), "box": b64u(make_join_box(keys, th1, k_join))})
            joined = session.expect("joined")
            st.save_keys(keys)
            with st.transaction():
                st.set("relay", origin)
                st.set("device", joined["device"])
                st.set("pair", joined["pair"])
                st.set("epoch", joined["epoch"])
            peer = joined["peer"]
            accepted = session.expect("pair_accepted", timeout=timeout)
            if peer_device_id(peer) != peer["device"]:
                raise ClientError("the inviting device's id does not match its keys")
            try:
                th2 = open_accept_box(unb64u(accepted["box"]), th1, k_accept, keys, joined["pair"],
                                      unb64u(peer["sig_pub"]), unb64u(peer["dh_pub"]))
            except CryptoError as exc:
                raise ClientError(f"the inviting device failed verification ({exc}); not pairing") from None
            self._paired(keys, peer, th2, secret, unb64u(peer["dh_pub"]))
            return safety_code(th2, secret)
        finally:
            session.close()

    def _paired(self, keys, peer: dict, th2: bytes, secret: bytes, peer_dh: bytes) -> None:
        st = self.state
        root = root_key(keys.dh, peer_dh, th2, st.get("pair"), st.get("epoch"))
        with st.transaction():
            st.set("peer", peer)
            st.set("root", root.hex())
            st.set("safety_code", safety_code(th2, secret))

    # --- records ---------------------------------------------------------------------------

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
            rid = fields.get("id") or records.new_id()
            existing = st.record(rtype, rid)
            if existing and existing[0] != st.get("device"):
                self._ask_for_caution(rtype, rid, fields, existing)
                return rid
            if fields.get("id") and not existing:
                raise records.RecordError(f"there is no {rtype} record with id {rid}")
        clean = kind.validate(fields, existing[1] if existing else None)
        with st.transaction():
            self._write(rtype, rid, clean, existing)
            self._release_checkins()
        return rid

    def _ask_for_caution(self, rtype: str, rid: str, fields: dict, existing) -> None:
        """My partner's boundary: I may only ask for more care with a safety field."""
        safety = records.SAFETY_FIELDS.get(rtype, {})
        asked = {k: v for k, v in fields.items() if k != "id"}
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
        was_shared = bool(existing) and kind.shared_when(current)
        # The clocks of the safety values I am replacing: I have seen them (§8.9).
        base = {k: clocks[k] for k in records.SAFETY_FIELDS.get(rtype, {}) if k in clean and k in clocks}
        records.merge_safely(rtype, current, clocks, clean, hlc, base, author == st.get("device") or not kind.owned)
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
        me = self.state.get("device")
        for author, rid, fields in self.state.records(rtype):
            if not fields.get("deleted") and not (author != me and records.taken_back(kind, fields)):
                rec = {"type": rtype, "id": rid, "author": author, "mine": author == me, **fields}
                yield checkins.readable(self, rec) if rtype == "checkin" else rec

    # --- sync ------------------------------------------------------------------------------

    def _keys_for_sync(self):
        st = self.state
        if not st.get("root"):
            raise ClientError("this device is not paired yet; run 'invite' or 'join' first")
        root = bytes.fromhex(st.get("root"))
        pair, epoch, me, peer = st.get("pair"), st.get("epoch"), st.get("device"), st.get("peer")["device"]
        return pair, epoch, me, peer, sender_key(root, pair, epoch, me), sender_key(root, pair, epoch, peer)

    def seal_outbox(self, pair, epoch, me, my_key) -> None:
        st = self.state
        with st.transaction():
            seq, prev = st.get("own_seq", 0), bytes.fromhex(st.get("own_prev", ZERO_HASH.hex()))
            for n, body in st.unsealed():
                seq += 1
                env = seal_envelope(my_key, pair, me, epoch, seq, prev, body)
                prev = envelope_hash(env)
                st.seal(n, seq, env)
            st.set("own_seq", seq)
            st.set("own_prev", prev.hex())

    def sync(self, timeout: float = 60) -> dict:
        st = self.state
        pair, epoch, me, peer, my_key, peer_key = self._keys_for_sync()
        self.seal_outbox(pair, epoch, me, my_key)
        report = {"sent": 0, "received": 0, "rejected": 0, "replayed": 0, "missing": 0}
        session = Session(st.get("relay"), timeout)
        try:
            ready = session.login(st.keys(), batch=DELIVERY_BATCH)
            st.sent(ready["last_seq"])  # the relay already holds these; a lost receipt is no loss
            waiting = {seq for seq, _ in st.sealed()}
            for seq, env in st.sealed():
                session.send({"type": "send", "seq": seq, "body": b64u(env)})
            caught_up, unacked = False, 0
            while waiting or not caught_up or unacked or st.unsealed():
                if caught_up and not waiting and not unacked:
                    # Receiving queued something (a check-in key now due): send it too.
                    self.seal_outbox(pair, epoch, me, my_key)
                    for seq, env in st.sealed():
                        waiting.add(seq)
                        session.send({"type": "send", "seq": seq, "body": b64u(env)})
                    continue
                frame = session.recv()
                kind = frame.get("type")
                if kind == "sent":
                    st.sent(frame["seq"])
                    waiting.discard(frame["seq"])
                    report["sent"] += not frame.get("dup")
                elif kind in ("deliver", "deliveries"):
                    envelopes = frame["envelopes"] if kind == "deliveries" else [frame]
                    if not envelopes:
                        continue
                    for item in envelopes:
                        self.receive(item, pair, epoch, peer, peer_key, report)
                    session.send({"type": "ack", "cursor": envelopes[-1]["cursor"]})
                    unacked += 1
                elif kind == "acked":
                    unacked -= 1
                elif kind == "caught_up":
                    caught_up = True
                elif kind == "error":
                    raise RelayRefused(frame)
        finally:
            session.close()
        return report

    def receive(self, frame: dict, pair, epoch, peer, peer_key, report) -> None:
        """Apply one envelope in order, exactly once (protocol §5.5), before it is acked."""
        st = self.state
        try:
            env = unb64u(frame["body"])
            header = parse_header(env)
        except (ValueError, KeyError):
            header = None
        with st.transaction():
            next_seq = st.get("peer_next_seq", 1)
            if header is None or header.epoch != epoch:
                return self._reject(report)
            # Authenticate before judging the sequence number, so a forged or reflected
            # envelope is reported as damaged rather than passed off as a harmless repeat.
            try:
                body = json.loads(open_envelope(peer_key, pair, peer, env))
            except (CryptoError, ValueError):
                return self._reject(report)
            if header.seq < next_seq:
                report["replayed"] += 1
                return None
            if header.seq > next_seq:
                gaps = st.get("gaps", [])
                gaps.append([next_seq, header.seq - 1])
                st.set("gaps", gaps)
                report["missing"] += header.seq - next_seq
            elif header.prev.hex() != st.get("peer_last_hash", ZERO_HASH.hex()):
                return self._reject(report)
            self.apply(body, peer)
            self._release_checkins()
            st.set("peer_next_seq", header.seq + 1)
            st.set("peer_last_hash", envelope_hash(env).hex())
            report["received"] += 1
        return None

    def _reject(self, report) -> None:
        report["rejected"] += 1
        self.state.set("rejected", self.state.get("rejected", 0) + 1)

    def apply(self, body: dict, sender: str) -> None:
        st = self.state
        clock = self.clock()
        for op in body.get("ops", []) if isinstance(body, dict) else []:
            try:
                kind = records.record_type(op["type"])
                rid, hlc = op["id"], op["hlc"]
                existing = st.record(op["type"], rid)
                if not kind.owned and rid != records.COUPLE_ID:
                    continue
                by_owner = not existing or existing[0] == sender or not kind.owned
                if not by_owner and (op["type"] not in records.SAFETY_FIELDS or not existing):
                    continue  # only the author may change an owned record
                clean = kind.validate(op["fields"], existing[1] if existing else None)
                base = op.get("base") or {}
                if not isinstance(base, dict):
                    continue
            except (records.RecordError, KeyError, TypeError):
                continue  # a newer app's record type or a malformed op: skip it, keep the rest
            author, current, clocks = existing or (sender, {}, {})
            records.merge_safely(op["type"], current, clocks, clean, hlc, base, by_owner)
            if records.taken_back(kind, current):
                current, clocks = records.forget_taken_back(current, clocks)
            st.save_record(op["type"], rid, author, current, clocks)
            clock.observe(hlc)
        st.set("hlc", [clock.last_ms, clock.counter])


__all__ = ["Device", "ClientError", "StateError"]

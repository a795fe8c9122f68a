"""Pairing two phones (protocol §4), and pairing a partner's new phone in place of a lost
one (§11.3), which is the same exchange from a pair that is already full.

The joiner stays pending until the inviter's person has compared the safety code and
confirmed. Until then nothing is shared and no root key is kept; each side keeps only what
it needs to retry ("pending_invite", "pending_join") and forgets it as soon as the pairing
is confirmed, cancelled, refused or expired.
"""

import time

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import DeviceKeys
from hearth.protocol.pairing import (checked_peer, invite_id, make_accept_box, make_join_box, move_key, new_secret,
                                     open_accept_box, open_join_box, pair_keys, pairing_link,
                                     parse_pairing_link, root_key, safety_code, transcript1, transcript2)
from hearth.protocol.primitives import CryptoError, new_private_key, public_raw

from . import succession
from .connection import ClientError, RelayRefused, RelayTimeout, Session, origin_of

STOPPED = ("your partner's device stopped the pairing, or it ran out of time. If the numbers were different, "
           "someone else may have used the code. Nothing has been shared. Ask for a new code to try again.")


class _OutcomeUnknown(Exception):
    """A confirm was sent and the relay cannot be asked how it ended."""


class Pairing:
    """The pairing half of Device (device.py); self.state is the device's State."""

    def invite(self, relay_url: str, timeout: float, on_link, on_code, ask_code) -> str:
        """Show a link, check whoever answers it, show the safety code, then ask for the
        numbers on the partner's screen (`ask_code()` returns a line, or None) and confirm
        only if they are the same. Returns the code."""
        st = self.state
        self._not_ended()
        self.settle_pending()
        if st.get("root"):
            raise ClientError("this device is already paired")
        if st.get("pending_join"):
            raise ClientError("this device is waiting for its partner to confirm a pairing; run 'join' again "
                              "to wait for it, or use a new --state")
        origin = origin_of(relay_url)
        if st.get("relay") and st.get("relay") != origin:
            raise ClientError(f"this device belongs to the relay at {st.get('relay')}")
        keys = st.keys() if st.has_keys() else DeviceKeys.generate()
        session = self._signed_in(origin, keys)
        peer, th2, code, _epoch = self._offer(session, origin, keys, timeout, on_link, on_code, ask_code)
        self._paired(keys, peer, th2, code)
        return code

    def replace_partner(self, timeout: float, on_link, on_code, ask_code) -> str:
        """Pair my partner's new phone in the place of their lost one (§11.3): the same link,
        check and safety code as `invite`, from this pair as it is. Once confirmed, the new
        phone is my peer under a new epoch, and my outbox holds the succession notice and
        the history for it. Returns the code."""
        st = self.state
        self.settle_pending()
        self._keys_for_sync()   # paired, not ended
        # Whatever the lost phone sent before it went is taken in first: the relay deletes
        # what is queued from it once the new phone is confirmed.
        self.sync()
        keys, origin = st.keys(), st.get("relay")
        old = st.get("peer")["device"]
        session = Session(origin)
        try:
            ready = self._login(session, keys)
            if (ready.get("peer") or {}).get("device") != old:
                raise ClientError("the relay does not hold your partner's phone in this pair any more; run 'sync' "
                                  "to hear what happened")
        except BaseException:
            session.close()
            raise
        peer, th2, code, epoch = self._offer(session, origin, keys, timeout, on_link, on_code, ask_code,
                                             replaces=old)
        succession.take_in(self, keys, peer, th2, code, epoch)
        return code

    def _offer(self, session: Session, origin: str, keys: DeviceKeys, timeout: float, on_link, on_code, ask_code,
               replaces: str | None = None, move: bool = False) -> tuple[dict, bytes, str, int]:
        """The inviter's half of §4 on a logged-in session, closed when it returns: (the
        confirmed peer, th2, the code, the epoch the pair has now). With `replaces`, the
        invite is for the new phone in that device's place (§11.3); with `move`, for my own
        new phone, which the relay then holds as my mover (§11.4)."""
        st = self.state
        command = "replace-partner" if replaces else "move" if move else "invite"
        again = f"Run '{command}' again for a new code."
        kind = {"replace": True} if replaces else {"move": True} if move else {}
        invite = None
        try:
            secret, eph = new_secret(), new_private_key()
            invite = invite_id(secret)
            session.send({"type": "invite", "invite": invite, **kind})
            session.expect("invite_ok")
            on_link(pairing_link(origin, secret, public_raw(eph)))
            try:
                request = session.expect("pair_request", timeout=timeout)
            except RelayTimeout:
                raise ClientError("nobody joined before the invite timed out; nothing was shared") from None
            if request.get("replaces") != replaces or bool(request.get("move")) != move:
                raise ClientError("the relay offered a device for a place this invite was not for, so nothing "
                                  f"was shared. {again}")
            try:
                peer = checked_peer(request)
                th1 = transcript1(invite, public_raw(eph), unb64u(request["eph"]))
                k_join, k_accept = pair_keys(eph, unb64u(request["eph"]), secret, th1)
                sig_pub, dh_pub = unb64u(peer["sig_pub"]), unb64u(peer["dh_pub"])
                open_join_box(unb64u(request["box"]), th1, k_join, sig_pub, dh_pub)
            except (CryptoError, KeyError, TypeError, ValueError) as exc:
                raise ClientError(f"the device that answered could not prove it scanned this code ({exc}), "
                                  f"so nothing was shared. {again}") from None
            th2 = transcript2(th1, keys.sig_pub, keys.dh_pub, sig_pub, dh_pub)
            session.send({"type": "accept", "invite": invite,
                          "box": b64u(make_accept_box(keys, th1, th2, st.get("pair"), k_accept))})
            session.expect("accept_ok")
            code = safety_code(th2, secret)
            epoch = st.get("epoch") + 1 if replaces else st.get("epoch")
            st.set("pending_invite", {"invite": invite, "peer": peer, "th2": th2.hex(), "code": code,
                                      "replaces": replaces, "move": move, "epoch": epoch})
            on_code(code)
            typed = ask_code()
            if typed is None or "".join(typed.split()) != code.replace(" ", ""):
                raise ClientError("the numbers are different, so this pairing was stopped. Someone else may have "
                                  f"used this code. Nothing has been shared. {again}"
                                  if typed is not None else
                                  "no numbers were typed, so this pairing was stopped and nothing was shared")
            try:
                confirmed = self._confirm(session, origin, keys, invite, move)
            except _OutcomeUnknown:
                invite = None   # keep pending_invite: the next run asks the relay how it ended
                raise ClientError("the connection was lost while confirming; run 'sync' when the relay can be "
                                  "reached to finish pairing") from None
            if confirmed["peer"] != peer:
                raise ClientError("the relay confirmed a different device, so this device did not pair")
            if replaces and confirmed.get("epoch") not in (None, epoch):
                raise ClientError(f"the relay moved this pair to epoch {confirmed['epoch']!r}, not {epoch}, so "
                                  "the two phones could not read each other; nothing was shared")
            invite = None   # confirmed: nothing to call off
            return peer, th2, code, epoch
        finally:
            if invite is not None:
                self._call_off(session, invite)
                st.set("pending_invite", None)
            session.close()

    def _login(self, session: Session, keys: DeviceKeys, batch: int = 1) -> dict:
        """Log a paired device in: `ready`, or the relay's word that the pairing ended or
        that this phone was replaced or moved, in plain words."""
        try:
            return session.login(keys, batch=batch)
        except RelayRefused as exc:
            if exc.code == "unpaired":
                self._ended(exc.frame)
            if exc.code in ("replaced", "moved"):
                raise succession.retired_error(exc.code, exc.frame) from None
            raise

    def _signed_in(self, origin: str, keys: DeviceKeys) -> Session:
        """A logged-in session for an unpaired inviter. A device the relay has forgotten (it
        never paired) registers afresh, with a new pair id, without troubling anyone."""
        st = self.state
        session = Session(origin)
        try:
            if st.get("device"):
                try:
                    ready = session.login(keys)
                except RelayRefused as exc:
                    if exc.code != "login_failed":
                        raise
                    session.close()
                    session = Session(origin)
                else:
                    if ready.get("peer"):
                        raise ClientError("this device's pair already has a partner device")
                    return session
            reg = session.register(keys)
            st.save_keys(keys)
            with st.transaction():
                st.set("relay", origin)
                st.set("device", reg["device"])
                st.set("pair", reg["pair"])
                st.set("epoch", reg["epoch"])
            return session
        except BaseException:
            session.close()
            raise

    def _confirm(self, session: Session, origin: str, keys: DeviceKeys, invite: str, move: bool = False) -> dict:
        """Send confirm; returns {"peer": the device the relay admitted, "epoch": the pair's
        epoch if the relay said}. If the answer is lost with the connection, the next
        login's `ready` says instead (§4.6); of a move it says nothing, so a move whose
        answer was lost is called off."""
        try:
            session.send({"type": "confirm", "invite": invite})
            answer = session.expect("confirm_ok")
            if bool(answer.get("move")) != move:
                raise ClientError("the relay confirmed something other than what this phone asked for")
            return {"peer": checked_peer(answer["peer"]), "epoch": answer.get("epoch")}
        except CryptoError as exc:
            raise ClientError(f"the relay's answer names a device that is not valid ({exc})") from None
        except RelayRefused:
            raise
        except ClientError:
            if move:
                self._call_off_again(origin, keys, invite)
                raise ClientError("the connection was lost while confirming the move, so it was called off; "
                                  "nothing has changed. Run 'move' again for a new code.") from None
            try:
                again = Session(origin)
                try:
                    ready = again.login(keys)
                finally:
                    again.close()
            except RelayRefused:
                raise
            except ClientError:
                raise _OutcomeUnknown() from None
            if not ready.get("peer") or ready["peer"].get("device") == (self.state.get("peer") or {}).get("device"):
                raise ClientError("the connection was lost before the pairing was confirmed; nothing was "
                                  "shared. Ask for a new code to try again.") from None
            try:
                return {"peer": checked_peer(ready["peer"]), "epoch": ready.get("epoch")}
            except CryptoError as exc:
                raise ClientError(f"the relay's answer names a device that is not valid ({exc})") from None

    def _call_off_again(self, origin: str, keys: DeviceKeys, invite: str) -> None:
        """Call off my invite from a new connection (best effort: an invite also expires)."""
        try:
            session = Session(origin)
        except ClientError:
            return
        try:
            session.login(keys)
            self._call_off(session, invite)
        except ClientError:
            pass
        finally:
            session.close()

    @staticmethod
    def _call_off(session: Session, invite: str) -> None:
        """Tell the relay to drop this pairing; best effort, as it forgets it anyway when the
        invite expires."""
        try:
            session.send({"type": "cancel", "invite": invite})
            session.expect("cancel_ok", timeout=5)
        except ClientError:
            pass

    def join(self, link: str, timeout: float, on_code) -> str:
        """Join with a partner's link; show the safety code once the partner's device has
        proved itself, then wait for the partner to confirm. Returns the code."""
        st = self.state
        try:
            origin, secret, eph_a = parse_pairing_link(link)
        except ValueError as exc:
            raise ClientError(str(exc)) from None
        invite = invite_id(secret)
        self._not_ended()
        self.settle_pending()
        if st.get("root"):
            raise ClientError("this device is already paired")
        if st.get("pending_join"):
            if st.get("pending_join")["invite"] == invite:
                return self._wait_for_confirmation(timeout)
            self._forget_pending_join()   # a new code: the old one is given up
        if st.get("device"):
            raise ClientError("this state directory already holds a device; use a new --state to join")
        keys, eph = DeviceKeys.generate(), new_private_key()
        th1 = transcript1(invite, eph_a, public_raw(eph))
        k_join, k_accept = pair_keys(eph, eph_a, secret, th1)
        session = Session(origin)
        joined = None
        try:
            session.send({"type": "join", "invite": invite, **keys.public_frame(),
                          "sig": b64u(keys.sign_register(session.challenge)),
                          "eph": b64u(public_raw(eph)), "box": b64u(make_join_box(keys, th1, k_join))})
            joined = session.expect("joined")
            try:
                peer = checked_peer(joined["peer"] or {})
            except CryptoError as exc:
                raise ClientError(f"the inviting device's keys are not valid ({exc}); nothing was shared") from None
            try:
                accepted = session.expect("pair_accepted", "pair_cancelled", timeout=timeout)
            except RelayTimeout:
                raise ClientError("your partner's device did not answer in time; nothing was shared. "
                                  "Ask for a new code to try again.") from None
            if accepted["type"] == "pair_cancelled":
                joined = None
                raise ClientError(STOPPED)
            try:
                th2 = open_accept_box(unb64u(accepted["box"]), th1, k_accept, keys, joined["pair"],
                                      unb64u(peer["sig_pub"]), unb64u(peer["dh_pub"]))
            except (CryptoError, KeyError, TypeError, ValueError) as exc:
                raise ClientError(f"your partner's device could not prove it showed this code ({exc}), so "
                                  "nothing was shared. Ask for a new code to try again.") from None
            code = safety_code(th2, secret)
            # Kept before anyone can confirm, so a crash from here on can still finish.
            # `replaces` is only the relay's word: what makes this phone the lost one's
            # successor is the partner's signed notice, once paired (§11.3).
            st.save_keys(keys)
            st.set("pending_join", {"relay": origin, "invite": invite, "device": joined["device"],
                                    "pair": joined["pair"], "epoch": joined["epoch"], "peer": peer,
                                    "th2": th2.hex(), "code": code, "replaces": joined.get("replaces"),
                                    "move": joined.get("move") is True})
            joined = None
            on_code(code)
        finally:
            if joined is not None:
                self._call_off(session, invite)
            session.close()
        return self._wait_for_confirmation(timeout)

    def _wait_for_confirmation(self, timeout: float) -> str:
        """Wait, reconnecting as a pending joiner if need be, until the partner confirms
        (then keep the pairing) or cancels (then forget everything about it)."""
        st = self.state
        pending = st.get("pending_join")
        keys = st.keys()
        lost = 0
        while True:
            outcome = None
            session = None
            try:
                session = Session(pending["relay"])
                answer = session.login_any(keys)
                if answer["type"] == "ready":
                    # A mover's login says `ready` too, naming the old phone, its inviter (§11.4).
                    outcome = "confirmed" if (answer.get("peer") or {}).get("device") == pending["peer"]["device"] \
                        and bool(answer.get("move")) == pending.get("move", False) else "cancelled"
                else:
                    answer = session.expect("pair_confirmed", "pair_cancelled", timeout=timeout)
                    outcome = "confirmed" if answer["type"] == "pair_confirmed" else "cancelled"
            except RelayRefused as exc:
                if exc.code != "login_failed":
                    raise
                outcome = "cancelled"   # cancelled or expired: the relay has forgotten this joiner
            except RelayTimeout:
                if session is not None:
                    self._call_off(session, pending["invite"])
                self._forget_pending_join()
                raise ClientError("your partner did not confirm in time, so this pairing was stopped and "
                                  "nothing was shared. Ask for a new code to try again.") from None
            except ClientError:
                lost += 1
                if lost > 3:
                    raise ClientError("cannot reach the relay to finish pairing; run 'join' again with the same "
                                      "--state to keep waiting") from None
                time.sleep(min(2 ** lost, 10))
                continue
            finally:
                if session is not None:
                    session.close()
            if outcome == "confirmed":
                self._promote_join(keys, pending, answer.get("epoch"))
                return pending["code"]
            self._forget_pending_join()
            raise ClientError(STOPPED)

    def settle_pending(self) -> None:
        """Finish or forget a pairing an earlier run left half-way (§4.6): the relay's `ready`
        says whether it was confirmed. Only an unreachable relay leaves it as it is."""
        st = self.state
        for name in ("pending_invite", "pending_join"):
            pending = st.get(name)
            if not pending:
                continue
            relay = st.get("relay") if name == "pending_invite" else pending["relay"]
            try:
                session = Session(relay)
            except ClientError:
                return
            try:
                answer = session.login_any(st.keys())
            except RelayRefused as exc:
                if exc.code != "login_failed":
                    return
                answer = {}   # cancelled, expired or never admitted: the relay forgot it
            except ClientError:
                return
            finally:
                session.close()
            confirmed = answer.get("type") == "ready" and (answer.get("peer") or {}).get("device") == \
                pending["peer"]["device"]
            if name == "pending_invite":
                if pending.get("move"):
                    # Whether my new phone was confirmed as my mover, a login does not say:
                    # call it off, and the move starts again from the beginning.
                    self._call_off_again(relay, st.keys(), pending["invite"])
                elif confirmed and pending.get("replaces"):
                    succession.take_in(self, st.keys(), pending["peer"], bytes.fromhex(pending["th2"]),
                                       pending["code"], pending["epoch"])
                elif confirmed:
                    self._paired(st.keys(), pending["peer"], bytes.fromhex(pending["th2"]), pending["code"])
                st.set("pending_invite", None)
            elif confirmed:
                self._promote_join(st.keys(), pending, answer.get("epoch"))
            elif answer.get("type") != "joined":
                self._forget_pending_join()

    def _promote_join(self, keys: DeviceKeys, pending: dict, epoch: int | None = None) -> None:
        """Confirmed: this device is in the pair. The confirmation's epoch, where the relay
        gave one, is the one the pair has now (a replacement raises it, §11.3)."""
        st = self.state
        with st.transaction():
            for name in ("relay", "device", "pair", "epoch"):
                st.set(name, pending[name])
            if isinstance(epoch, int) and not isinstance(epoch, bool) and epoch > 0:
                st.set("epoch", epoch)
            if pending.get("replaces"):
                st.set("awaiting_succession", pending["replaces"])
            if pending.get("move"):
                # Not paired yet: my old phone's stream comes first, under a key of our own,
                # and my partner becomes my peer only once the old phone retires (§11.4).
                old = pending["peer"]
                key = move_key(keys.dh, unb64u(old["dh_pub"]), bytes.fromhex(pending["th2"]), pending["pair"])
                st.set("moving_in", {"from": old, "key": key.hex(), "next_seq": 1, "last_hash": bytes(32).hex(),
                                     "parts": None, "code": pending["code"]})
                st.set("pending_join", None)
                return
        self._paired(keys, pending["peer"], bytes.fromhex(pending["th2"]), pending["code"])

    def _forget_pending_join(self) -> None:
        """The joiner's keys were never admitted anywhere: drop them with the rest."""
        st = self.state
        st.set("pending_join", None)
        if not st.get("device"):
            for name in ("signing.pem", "agreement.pem"):
                (st.dir / name).unlink(missing_ok=True)

    def _paired(self, keys, peer: dict, th2: bytes, code: str) -> None:
        st = self.state
        root = root_key(keys.dh, unb64u(peer["dh_pub"]), th2, st.get("pair"), st.get("epoch"))
        with st.transaction():
            st.set("peer", peer)
            st.set("root", root.hex())
            st.set("safety_code", code)
            st.set("pending_invite", None)
            st.set("pending_join", None)

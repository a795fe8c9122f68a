"""Ending a pair (protocol §11.2), and purging what has expired: envelopes nobody
acknowledged, old invites, pairs ended and devices retired long ago, devices that never paired.

Mixed into service.Relay, whose sessions, hub and store it uses.
"""

import logging

from hearth.protocol.identity import unpair_message
from hearth.protocol.primitives import SIGNATURE_BYTES, verify

from . import domain, store
from .domain import RelayError
from .sessions import Session

log = logging.getLogger("hearth.relay")
PURGE_EVERY = 600
# The relay keeps a used invite a while so a joiner who was offline still gets pair_accepted.
USED_INVITE_SECONDS = 7 * 86400


class Ending:
    def unpair(self, session: Session, frame: dict) -> None:
        self.require_login(session)
        at = domain.int_field(frame, "at", 0, 2**63 - 1)
        sig = domain.bytes_field(frame, "sig", SIGNATURE_BYTES)
        if abs(at - self.now()) > domain.CLOCK_SLACK_SECONDS:
            raise RelayError("bad_frame", "Field 'at' must be within a day of the relay's clock.")
        peer = self.current_peer(session)
        if peer is None:
            raise RelayError("not_paired")
        with store.reading():
            key = store.login_key(session.device)
        if not verify(key, sig, unpair_message(session.pair, session.epoch, session.device, at)):
            raise RelayError("bad_signature")
        def end_pair() -> dict:
            store.lock_pair(session.pair)   # both ending it at once: the first one's notice stands
            ended = store.pair_ended(session.pair)
            if ended is None:   # a repeat, lost answer and all, is answered as the first was
                store.end_pair(session.pair, session.device, at, sig, domain.coarse_hour(self.now()))
                ended = store.pair_ended(session.pair)
            return ended

        ended = self.write(end_pair, key=session.pair)
        log.info("a pair ended")
        session.link.send({"type": "unpair_ok", "at": ended["at"]})
        self.publish("unpaired", peer, pair=session.pair)
        self.end(session)

    def maybe_purge(self) -> None:
        """Purge at a login, at most every PURGE_EVERY seconds per process, and never in two
        processes at once."""
        now = self.clock.time()
        if now - self.last_purge < PURGE_EVERY:
            return
        self.last_purge = now
        envelopes, invites, unpaired = self.purge(keep=self.hub.devices())
        if envelopes or invites or unpaired:
            log.info("purged %d expired envelopes, %d old invites and %d devices that never paired",
                     envelopes, invites, unpaired)

    def purge(self, keep: set = frozenset()) -> tuple[int, int, int]:
        """Delete expired envelopes and old invites, and devices that never paired (with
        their pairs) but those in `keep`, connected to this process now. Returns how many of
        each went; all nought if another relay process is purging."""
        with store.only_one("purge") as mine:
            return self.purge_now(keep) if mine else (0, 0, 0)

    def purge_now(self, keep: set) -> tuple[int, int, int]:
        # Its own transactions, outside the group commit: it runs at most every PURGE_EVERY
        # seconds per process, and may delete many rows a group should not wait behind.
        now = self.now()
        with store.transaction():
            store.forget_buckets(self.clock.time() - max(limit.per for limit in self.limits.values()))
            envelopes, invites = store.purge(now, self.settings.envelope_ttl_days * 86400, USED_INVITE_SECONDS)
            store.delete_ended(now, self.settings.envelope_ttl_days * 86400)
            store.delete_retired(now, self.settings.envelope_ttl_days * 86400)
        # Registering is free, so devices that never pair must not pile up forever.
        hours = self.settings.unpaired_ttl_hours
        with store.reading():
            found = [row for row in store.never_paired(now, hours) if row[0] not in keep]
        unpaired = 0
        for start in range(0, len(found), 500):
            batch = [device for device, _ in found[start:start + 500]]
            with store.transaction():
                unpaired += store.delete_never_paired(found[start:start + 500], now, hours)
                gone = set(batch) - store.devices_among(batch)
            # Connected to another process, it was not kept as one connected here is: its
            # connections close, and its next login is told it is unknown (it registers again).
            self.publish_all("log_in_again", gone)
        return envelopes, invites, unpaired

"""The relay's rules on their own: no sockets, no database, an explicit clock."""

from types import SimpleNamespace

import pytest

from hearth.protocol.envelope import ZERO_HASH, seal_envelope
from hearth.relay import domain
from hearth.relay.domain import Quota, RateLimiter, RelayError


def invite(used_at=None, expires_at=100, pair_id="P" * 22, creator="A" * 22, joiner=None, kind=None):
    return SimpleNamespace(used_at=used_at, expires_at=expires_at, pair_id=pair_id, creator=creator, joiner=joiner,
                           kind=kind)


def code(fn, *args):
    with pytest.raises(RelayError) as info:
        fn(*args)
    return info.value.code


def test_join_refusals_most_specific_first():
    assert code(domain.check_join, None, 1, False, 50) == "invite_unknown"
    assert code(domain.check_join, invite(used_at=10, expires_at=0), 2, False, 50) == "invite_used"
    assert code(domain.check_join, invite(expires_at=49), 1, False, 50) == "invite_expired"
    assert code(domain.check_join, invite(), 1, True, 50) == "device_exists"
    assert code(domain.check_join, invite(), 2, False, 50) == "pair_full"
    domain.check_join(invite(expires_at=50), 1, False, 50)  # valid up to its last second


def test_accept_only_by_the_inviter_after_a_join():
    assert code(domain.check_accept, None, "A" * 22, "P" * 22, None) == "invite_unknown"
    assert code(domain.check_accept, invite(), "A" * 22, "Q" * 22, "pending") == "invite_unknown"
    assert code(domain.check_accept, invite(), "B" * 22, "P" * 22, "pending") == "not_your_invite"
    assert code(domain.check_accept, invite(), "A" * 22, "P" * 22, "open") == "not_joined"
    assert code(domain.check_accept, invite(), "A" * 22, "P" * 22, "cancelled") == "invite_cancelled"
    assert code(domain.check_accept, invite(), "A" * 22, "P" * 22, "confirmed") == "already_paired"
    domain.check_accept(invite(joiner="B" * 22), "A" * 22, "P" * 22, "pending")
    domain.check_accept(invite(joiner="B" * 22), "A" * 22, "P" * 22, "accepted")   # a lost accept_ok


def test_send_decisions():
    q = Quota(envelopes=2, bytes=1000)
    assert domain.decide_send(4, 5, 10, [0, 0], q) == "store"
    assert domain.decide_send(4, 4, 10, [0, 0], q) == "dup"
    assert domain.decide_send(4, 1, 10, [0, 0], q) == "dup"
    with pytest.raises(RelayError) as info:
        domain.decide_send(4, 6, 10, [0, 0], q)
    assert info.value.code == "seq_gap" and info.value.extra == {"expected": 5}
    assert code(domain.decide_send, 4, 5, 10, [2, 0], q) == "quota_exceeded"
    assert code(domain.decide_send, 4, 5, 10, [0, 995], q) == "quota_exceeded"


def test_envelope_header_must_match_the_frame():
    env = seal_envelope(bytes(32), "P" * 22, "A" * 22, 1, 7, ZERO_HASH, b"{}")
    domain.check_envelope(env, 7, 1, 65536)
    assert code(domain.check_envelope, env, 8, 1, 65536) == "bad_envelope"
    assert code(domain.check_envelope, env, 7, 2, 65536) == "bad_envelope"
    assert code(domain.check_envelope, env[:40], 7, 1, 65536) == "bad_envelope"
    assert code(domain.check_envelope, b"\x02" + env[1:], 7, 1, 65536) == "bad_envelope"


def test_frame_fields_name_what_is_wrong():
    with pytest.raises(RelayError) as info:
        domain.text_field({"device": "short"}, "device")
    assert "'device'" in info.value.message
    assert code(domain.int_field, {"seq": True}, "seq") == "bad_frame"
    assert code(domain.int_field, {"seq": -1}, "seq") == "bad_frame"
    assert code(domain.bytes_field, {"b": "AA=="}, "b") == "bad_frame"
    assert code(domain.bytes_field, {"b": "AAAA"}, "b", 4) == "bad_frame"
    assert code(domain.suite_field, {"suite": 9}) == "unknown_suite"


def test_rate_limiter_bursts_then_refills():
    limiter = RateLimiter(rate=3, per=60)
    assert [limiter.hit("ip", 0) for _ in range(3)] == [0, 0, 0]
    wait = limiter.hit("ip", 0)
    assert wait == 20
    assert limiter.hit("other", 0) == 0  # one address's attempts never limit another's
    assert limiter.hit("ip", 20.5) == 0


def test_error_frames_carry_code_message_and_source():
    frame = RelayError("rate_limited", retry_after=3).frame("login")
    assert frame == {"type": "error", "code": "rate_limited", "message": domain.MESSAGES["rate_limited"],
                     "in": "login", "retry_after": 3}

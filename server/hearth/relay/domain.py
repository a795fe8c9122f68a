"""The relay's rules, with no I/O: what to accept, refuse or limit, and the words for it.

The use cases gather facts (rows, counts, the time) and ask these functions, as domain.NAME:
the errors and a frame's fields in refusals.py, pairing's rules in pairing_rules.py, and
sending's (envelopes, quota, rate limits, delivery frames) in sending_rules.py.
"""

# ruff: noqa: F401 - each name is here to be called as domain.NAME
from hearth.protocol.receipt import MAX_RECEIPT

from .refusals import (ID_CHARS, MAX_PAIRING_BLOB, PEER_DEVICES, ID_ALPHABET, MESSAGES, CLOCK_SLACK_SECONDS,
                       UPGRADE_REFUSALS, HTTP_ERRORS, RelayError, text_field, int_field, bytes_field,
                       public_key_field, suite_field)
from .pairing_rules import (peer_frame, retired_error, read_keys, invite_state, check_join, INVITE_KINDS,
                            invite_kind, check_can_invite, check_owner, check_accept, check_confirm,
                            check_cancel)
from .sending_rules import (envelope_epoch, check_receipt, check_envelope, Quota, decide_send, take_token,
                            RateLimiter, coarse_hour, delivery_chunks)

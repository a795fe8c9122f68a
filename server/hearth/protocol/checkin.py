"""Sealed check-ins (docs/protocol.md §10): answers that open only once both have answered.

Each partner's answers for a week are encrypted under a fresh key of their own. The sealed
answers travel at once, with a commitment to the key; the key itself is sent only after
the author's device holds the partner's sealed answers for the same week. Neither device
can read the other's answers before both exist.
"""

import datetime
import json
import os
import re

from .encoding import b64u, canon, unb64u
from .primitives import CryptoError, open_sealed, seal, sha256
from .schema import is_blank

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
QUESTIONS = ("needs", "felt_good", "try_next", "i_statement", "anything_else")
MAX_ANSWER = 2000


def checkin_id(author: str, week: str) -> str:
    """One record per author and week: editing the week's answers updates the same record."""
    return b64u(sha256(canon("hearth/v1/checkin-id", author.encode(), week.encode()))[:16])


def commitment(key: bytes) -> str:
    return b64u(sha256(canon("hearth/v1/checkin-key", key)))


def _ad(pair: str, author: str, week: str) -> bytes:
    return canon("hearth/v1/checkin", pair.encode(), author.encode(), week.encode())


def seal_answers(answers: dict, pair: str, author: str, week: str, key: bytes | None = None,
                 nonce: bytes | None = None) -> tuple[bytes, dict]:
    """(key, wire fields). `key` and `nonce` are passed only by the test vectors."""
    key = key or os.urandom(32)
    nonce = nonce or os.urandom(12)
    plaintext = json.dumps(answers, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    sealed = nonce + seal(key, nonce, plaintext, _ad(pair, author, week))
    return key, {"week": week, "sealed": b64u(sealed), "commitment": commitment(key)}


def open_answers(fields: dict, pair: str, author: str) -> dict:
    """The answers of a released check-in; CryptoError if the key or box is not right."""
    try:
        key = unb64u(fields["key"])
        sealed = unb64u(fields["sealed"])
    except (KeyError, TypeError, ValueError):
        raise CryptoError("the check-in is not released or is malformed") from None
    if len(key) != 32 or commitment(key) != fields.get("commitment"):
        raise CryptoError("the released key does not match its commitment")
    if len(sealed) < 12 + 16:
        raise CryptoError("the sealed answers are too short")
    answers = json.loads(open_sealed(key, sealed[:12], sealed[12:], _ad(pair, author, fields["week"])))
    check_answers(answers)
    return answers


def check_answers(answers) -> dict:
    """Answers are an object of known questions to text; the message says what is wrong."""
    if not isinstance(answers, dict) or not answers:
        raise ValueError("'answers' must be an object with at least one answer")
    for name, text in answers.items():
        if name not in QUESTIONS:
            raise ValueError(f"unknown check-in question '{name}'; known: {', '.join(QUESTIONS)}")
        if not isinstance(text, str) or is_blank(text) or len(text) > MAX_ANSWER:
            raise ValueError(f"the answer to '{name}' must be 1 to {MAX_ANSWER} characters")
    return answers


def check_week(week) -> str:
    match = WEEK.match(week) if isinstance(week, str) else None
    try:
        datetime.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except (AttributeError, ValueError):
        raise ValueError("'week' must be an ISO week like 2026-W48") from None
    return week


def current_week(today: datetime.date | None = None) -> str:
    year, week, _ = (today or datetime.date.today()).isocalendar()
    return f"{year}-W{week:02d}"

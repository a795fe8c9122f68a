"""What an experiment is, from its fields (docs/protocol.md §8.3): a proposal until the
partner answers, running only once they say yes, stopped by either of them. The same table
as the app's pwa/js/core/experiments.js `consent()`; tests/test_records_agree.py holds both to it."""


def consent(fields: dict) -> str:
    """"finished", "stopped", "not_now", "change", "agreed" or "asked", the most careful first:
    a stop or a "not now" wins over a yes whatever order they arrived in."""
    answer = fields.get("answer")
    if fields.get("status") == "finished":
        return "finished"
    if fields.get("status") == "stopped" or answer == "stop":
        return "stopped"
    if answer in ("not_now", "change"):
        return answer
    return "agreed" if answer == "yes" else "asked"


def begins_on(fields: dict) -> str | None:
    """The first counted day of an agreed experiment (the later of its start and the yes), else None."""
    if consent(fields) != "agreed":
        return None
    return max(fields["starts_on"], fields.get("answered_on") or fields["starts_on"])


def readable(rec: dict) -> dict:
    """A listed experiment with each partner's answer beside it: proposing is the author's yes."""
    author = "stop" if rec.get("status") == "stopped" else "yes"
    return {**rec, "answers": {"author": author, "partner": rec.get("answer")},
            "consent": consent(rec), "begins_on": begins_on(rec)}


def agreement_state(fields: dict) -> str:
    """A no-pressure agreement (§8.13): "ended", "not_now", "in_effect" or "asked", the most
    careful first, as the app's core/experiments.js agreementState."""
    if fields.get("status") == "ended" or fields.get("answer") == "end":
        return "ended"
    if fields.get("answer") == "not_now":
        return "not_now"
    return "in_effect" if fields.get("answer") == "yes" else "asked"


def readable_agreement(rec: dict) -> dict:
    author = "end" if rec.get("status") == "ended" else "yes"
    return {**rec, "answers": {"author": author, "partner": rec.get("answer")}, "consent": agreement_state(rec)}

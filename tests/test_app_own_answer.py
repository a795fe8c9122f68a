"""An experiment's or an agreement's `answer` is the partner's to give (protocol §8.3, §8.13):
the app refuses its author's attempt to write one, with hearth-client's words, and changes
nothing; a forged one arriving from the author is ignored (docs/merge-vectors.json holds both
clients to that). Two paired phones against a real relay."""

import pytest
from playwright.sync_api import expect

from app_helpers import days_ago, expect_status, go, propose

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000

# The author's own answer, through the one way a change is made (device/records.js put):
# returns the refusal's words, and the record's answer as stored after it.
OWN_ANSWER = """async ([type, fields]) => {
  const records = await import('/js/device/records.js');
  const { RecordError } = await import('/js/core/records.js');
  const mine = (await records.list(type)).find((r) => r.mine);
  let refused = null;
  try { await records.put(type, fields, mine.id); } catch (err) { refused = `${err instanceof RecordError ? "RecordError" : err.name}: ${err.message}`; }
  const stored = await records.record(type, mine.id);
  return { refused, answer: stored.fields.answer ?? null, clocks: Object.keys(stored.clocks).sort() };
}"""


def test_the_author_cannot_answer_their_own_experiment_or_agreement(browser_couple):
    alex, sam = browser_couple()
    propose(alex, "A slow hand massage, hands only", days_ago(0))
    said = alex.evaluate(OWN_ANSWER, ["experiment", {"answer": "yes"}])
    assert said["refused"] == ("RecordError: 'answer' is your partner's to give, not yours; "
                               "to stop, set 'status' to 'stopped'")
    assert said["answer"] is None and "answer" not in said["clocks"]

    go(alex, "experiments")
    alex.locator(".agreement").get_by_role("button", name="Suggest it").click()
    expect(alex.locator(".agreement")).to_have_attribute("data-state", "asked")
    said = alex.evaluate(OWN_ANSWER, ["agreement", {"answer": "yes", "answered_on": days_ago(0)}])
    assert said["refused"] == ("RecordError: 'answer' is your partner's to give, not yours; "
                               "to stop, set 'status' to 'ended'")
    assert said["answer"] is None and "answer" not in said["clocks"]
    expect_status(alex, "Synced")

    # Sam is still asked for both: nothing of Alex's attempt travelled or took effect.
    go(sam, "experiments")
    expect(sam.locator(".exp-proposal").get_by_role("button", name="Yes, let's try")).to_be_visible(timeout=SYNC_WAIT)
    expect(sam.locator(".agreement")).to_have_attribute("data-state", "asked", timeout=SYNC_WAIT)
    expect(alex.locator(".agreement")).to_have_attribute("data-state", "asked")
    assert alex.errors == [] and sam.errors == []

"""The couple's own contacts (protocol §8.10 `contact_*`): hearth-client and the app agree.

Either partner writes them, each contact merges on its own, the later change of the same
contact wins on both phones, and a contact too long is refused and changes nothing.
"""

import json

from playwright.sync_api import expect

from app_helpers import all_sent, go
from client_helpers import Client, pair_with_app


def contacts_on(client: Client) -> dict:
    found = client.list("couple")
    return {k: v for k, v in (found[0] if found else {}).items() if k.startswith("contact_")}


def test_each_contact_merges_on_its_own_and_a_crossing_edit_keeps_the_later(couple):
    alex, sam = couple
    alex.put("couple", {"contact_care_team": "Ward 7: 0161 000 0000"})
    sam.put("couple", {"contact_helpline": "Macmillan 0808 808 00 00"})   # a different contact: both stand
    for c in (alex, sam, alex):
        c.sync()
    assert contacts_on(alex) == contacts_on(sam) == {
        "contact_care_team": "Ward 7: 0161 000 0000", "contact_helpline": "Macmillan 0808 808 00 00"}

    alex.put("couple", {"contact_therapist": "Dr Lee"})
    sam.put("couple", {"contact_therapist": "Dr Lee, Tuesdays"})   # the same one, later, unseen
    for c in (alex, sam, alex):
        c.sync()
    assert contacts_on(alex)["contact_therapist"] == contacts_on(sam)["contact_therapist"] == "Dr Lee, Tuesdays"

    sam.put("couple", {"contact_helpline": None})   # cleared
    sam.sync()
    alex.sync()
    assert "contact_helpline" not in {k for k, v in contacts_on(alex).items() if v}


def test_a_contact_too_long_is_refused_and_changes_nothing(couple):
    alex, _ = couple
    alex.put("couple", {"contact_care_team": "Ward 7"})
    done = alex.run("put", "couple", json.dumps({"contact_care_team": "x" * 501}), check=False)
    assert done.returncode != 0 and "contact_care_team" in done.stderr, done.stderr
    assert contacts_on(alex)["contact_care_team"] == "Ward 7"


def test_the_app_and_hearth_client_share_the_contacts(relay, browser_context, tmp_path):
    client = Client(tmp_path / "client")
    page = pair_with_app(relay.url, client, browser_context())
    client.put("couple", {"contact_care_team": "Ward 7 nurses, any time"})
    client.sync()
    go(page, "help")
    expect(page.locator(".help-contacts-list")).to_contain_text("Ward 7 nurses, any time")
    expect(page.locator(".help-contacts-list")).to_contain_text("written by your partner")

    page.get_by_role("button", name="Write our contacts").click()
    page.get_by_label("A helpline", exact=True).fill("Macmillan 0808 808 00 00")
    page.get_by_role("button", name="Save our contacts").click()
    expect(page.locator(".help-contacts-list")).to_contain_text("Macmillan")
    all_sent(page)   # "Synced" may be from before the save
    client.sync()
    # The app wrote only what changed: the client's care-team words are untouched.
    assert contacts_on(client) == {"contact_care_team": "Ward 7 nurses, any time",
                                   "contact_helpline": "Macmillan 0808 808 00 00"}
    assert page.errors == []

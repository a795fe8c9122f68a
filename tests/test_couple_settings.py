"""The couple's shared settings (protocol §8.10): one record both phones may change.

The check-in day is the couple's choice, not one phone's: either partner picks it, the
other phone shows it, and when both change it while apart the later change wins on both.
"""

import json

from playwright.sync_api import expect

from app_helpers import all_sent, go
from client_helpers import Client, pair_with_app

COUPLE_ID = "couple-settings-record"


def day_on(client: Client) -> str | None:
    found = client.list("couple")
    return found[0]["checkin_day"] if found else None


def test_either_partner_sets_the_checkin_day_and_the_other_sees_it(couple):
    alex, sam = couple
    example = json.loads(alex.run("example", "couple").stdout)
    assert alex.put("couple", example) == COUPLE_ID
    alex.sync()
    assert "received 1" in sam.sync().stderr
    assert day_on(sam) == example["checkin_day"]
    # Not Alex's record to guard: Sam may change it too, and Alex follows.
    assert sam.put("couple", {"checkin_day": "thursday"}) == COUPLE_ID
    sam.sync()
    alex.sync()
    assert day_on(alex) == day_on(sam) == "thursday"


def test_crossing_changes_settle_on_the_later_one_on_both_phones(couple):
    alex, sam = couple
    alex.put("couple", {"checkin_day": "monday"})
    sam.put("couple", {"checkin_day": "friday"})   # later, without having seen Monday
    alex.sync()
    sam.sync()
    alex.sync()
    assert day_on(alex) == day_on(sam) == "friday"


def test_a_bad_setting_is_refused_and_changes_nothing(couple):
    alex, _ = couple
    alex.put("couple", {"checkin_day": "sunday"})
    for fields, message in [({"checkin_day": "someday"}, "'checkin_day' must be one of: monday"),
                            ({"checkin_day": 3}, "'checkin_day' must be one of"),
                            ({"colour": "blue"}, "unknown field 'colour' for couple"),
                            ({"id": "x" * 22, "checkin_day": "monday"}, f"always {COUPLE_ID}")]:
        done = alex.run("put", "couple", json.dumps(fields), check=False)
        assert done.returncode != 0 and message in done.stderr, done.stderr
    assert day_on(alex) == "sunday"


def test_in_the_app_the_day_one_partner_picks_shows_on_both_phones(browser_couple):
    alex, sam = browser_couple()
    go(alex, "checkin")
    alex.get_by_label("The day we check in").select_option("friday")
    expect(alex.locator(".checkin-day-saved")).to_have_text("Saved. Your check-in day is Friday.")
    go(sam, "checkin")
    picker = sam.get_by_label("The day we check in")
    expect(picker).to_have_value("friday")
    expect(sam.locator(".checkin-day-by")).to_have_text("Your partner chose Friday.")
    go(sam, "home")
    expect(sam.locator(".home-today .today-checkin .today-day")).to_contain_text("Friday")
    # Sam changes it; Alex's open check-in screen follows without a reload.
    go(alex, "checkin")
    go(sam, "checkin")
    sam.get_by_label("The day we check in").select_option("tuesday")
    expect(alex.get_by_label("The day we check in")).to_have_value("tuesday")
    expect(alex.locator(".checkin-day-by")).to_have_text("Your partner chose Tuesday.")


def test_the_app_and_hearth_client_share_the_day_and_a_taken_back_note(relay, browser_context, tmp_path):
    client = Client(tmp_path / "client")
    page = pair_with_app(relay.url, client, browser_context())
    client.put("couple", {"checkin_day": "wednesday"})
    note = client.put("energy", {"date": json.loads(client.run("example", "energy").stdout)["date"],
                                 "time_of_day": "morning", "energy": 3, "note": "Slow start today.", "shared": True})
    client.sync()
    go(page, "checkin")
    expect(page.get_by_label("The day we check in")).to_have_value("wednesday")
    expect(page.locator(".checkin-day-by")).to_have_text("Your partner chose Wednesday.")
    go(page, "energy")
    expect(page.locator(".energy-entry-partner", has_text="Slow start today.")).to_be_visible()

    client.put("energy", {"id": note, "shared": False})
    client.sync()
    expect(page.locator(".energy-entry", has_text="Slow start today.")).to_have_count(0)

    go(page, "checkin")
    page.get_by_label("The day we check in").select_option("saturday")
    expect(page.locator(".checkin-day-saved")).to_have_text("Saved. Your check-in day is Saturday.")
    all_sent(page)   # "Synced" may be from before the save
    client.sync()
    assert day_on(client) == "saturday"
    assert page.errors == []

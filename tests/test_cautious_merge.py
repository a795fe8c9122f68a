"""Safety fields merge cautiously (protocol §8.9): when the two phones' changes cross, or
the partner asks for more care, the more careful level wins until the owner decides."""

import json
import time

import pytest

from client_helpers import Client
from hearth.client.records import merge_safely


def level(client: Client, rid: str) -> str:
    return next(r["level"] for r in client.list("boundary") if r["id"] == rid)


def share_boundary(alex: Client, sam: Client, start: str) -> str:
    rid = alex.put("boundary", {"kind": "touch", "label": "a hand on my hip", "level": start})
    alex.sync()
    sam.sync()
    return rid


@pytest.mark.parametrize("owner_first", [True, False], ids=["owner-widens-first", "partner-narrows-first"])
def test_crossing_changes_settle_on_the_careful_level_on_both_phones(couple, owner_first):
    alex, sam = couple
    rid = share_boundary(alex, sam, "ask_first")
    changes = [lambda: alex.put("boundary", {"id": rid, "level": "welcome"}),
               lambda: sam.put("boundary", {"id": rid, "level": "not_now"})]
    for change in changes if owner_first else changes[::-1]:
        change()   # made offline: neither phone has seen the other's change
    for client in (alex, sam, alex, sam):
        client.sync()
    assert level(alex, rid) == level(sam, rid) == "not_now"


def test_the_owner_decides_after_seeing_the_careful_value(couple):
    alex, sam = couple
    rid = share_boundary(alex, sam, "welcome")
    sam.put("boundary", {"id": rid, "level": "ask_first"})   # the partner asks for more care
    sam.sync()
    alex.sync()
    assert level(alex, rid) == "ask_first"
    alex.put("boundary", {"id": rid, "level": "welcome"})    # having seen it, the owner decides
    alex.sync()
    sam.sync()
    assert level(alex, rid) == level(sam, rid) == "welcome"


def test_the_partner_can_never_loosen_or_rewrite_it_even_with_a_forged_operation(couple, relay):
    alex, sam = couple
    rid = share_boundary(alex, sam, "not_now")
    device = sam.device()
    with device.state.transaction():   # what a modified app could send
        body = {"ops": [{"type": "boundary", "id": rid, "hlc": "9" * 13 + ".0000.x",
                         "fields": {"level": "welcome", "label": "anything"}, "base": {"level": "9" * 13}}]}
        device.state.queue(json.dumps(body).encode())
    sam.sync()
    alex.sync()
    (rec,) = alex.list("boundary")
    assert (rec["level"], rec["label"]) == ("not_now", "a hand on my hip")


def test_merge_rules_on_their_own():
    fields, clocks = {"level": "ask_first", "label": "x"}, {"level": "t2", "label": "t2"}
    assert not merge_safely("boundary", fields, clocks, {"level": "welcome"}, "t3", {"level": "t1"}, True)
    assert merge_safely("boundary", fields, clocks, {"level": "welcome"}, "t3", {"level": "t2"}, True)
    assert fields["level"] == "welcome"
    assert merge_safely("boundary", fields, clocks, {"level": "off_limits"}, "t1", {}, False)
    assert (fields["level"], clocks["level"]) == ("off_limits", "t3")   # the clock never goes back
    assert not merge_safely("boundary", fields, clocks, {"label": "y"}, "t9", {}, False)


# ---------- in the app ----------

def test_in_the_app_a_partner_asks_for_more_care_and_the_owner_decides(relay, browser_context):
    from playwright.sync_api import expect

    from app_helpers import add_boundary, expect_status, go, open_app, pair_by_link

    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    add_boundary(alex, "Add a kind of touch", "a hand on my hip", "welcome")
    expect_status(alex, "Synced")

    go(sam, "boundaries?whose=partner")
    item = sam.locator(".boundary-item", has_text="a hand on my hip")
    item.get_by_text("I'd like us to be more careful here").click()
    item.get_by_label('A more careful level for "a hand on my hip"').select_option("ask_first")
    item.get_by_role("button", name="Ask for this").click()
    expect(item.locator(".boundary-level")).to_contain_text("Ask me first")

    go(alex, "boundaries")
    mine = alex.locator(".boundary-item", has_text="a hand on my hip")
    expect(mine).to_contain_text("Your partner asked for more care here")
    expect(alex.get_by_label('How "a hand on my hip" feels now')).to_have_value("ask_first")
    mine.get_by_text("How this has changed").click()
    expect(mine.locator(".boundary-history")).to_contain_text("Your partner: welcome → ask me first")

    alex.get_by_label('How "a hand on my hip" feels now').select_option("welcome")   # the owner decides
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-item", has_text="a hand on my hip").locator(".boundary-level")).to_contain_text("Welcome")
    assert alex.errors == [] and sam.errors == []


def test_in_the_app_crossing_changes_settle_on_the_careful_level(relay, browser_context):
    from playwright.sync_api import expect

    from app_helpers import expect_status, go, go_offline, open_app, pair_by_link

    alex_ctx, sam_ctx = browser_context(), browser_context()
    alex, sam = open_app(alex_ctx, relay.url), open_app(sam_ctx, relay.url)
    pair_by_link(alex, sam, relay.url)
    alex.evaluate("""() => import('/js/device/records.js').then((m) => m.put('boundary',
        {kind: 'body_area', label: 'around the scar', level: 'ask_first'}))""")
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-item", has_text="around the scar")).to_be_visible()

    go_offline(alex, sam)
    go(alex, "boundaries")
    alex.get_by_label('How "around the scar" feels now').select_option("welcome")
    item = sam.locator(".boundary-item", has_text="around the scar")
    item.get_by_text("I'd like us to be more careful here").click()
    item.get_by_label('A more careful level for "around the scar"').select_option("not_now")
    item.get_by_role("button", name="Ask for this").click()
    alex_ctx.set_offline(False)
    sam_ctx.set_offline(False)
    expect_status(alex, "Synced")
    expect_status(sam, "Synced")
    go(alex, "boundaries")
    expect(alex.get_by_label('How "around the scar" feels now')).to_have_value("not_now")
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-item", has_text="around the scar").locator(".boundary-level")).to_contain_text("Not right now")


def test_a_treatment_period_shows_what_applies_now_on_both_phones(relay, browser_context):
    from playwright.sync_api import expect

    from app_helpers import expect_status, go, open_app, pair_by_link

    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    go(alex, "boundaries")
    alex.get_by_text("Mark a treatment period").click()
    alex.get_by_label("What is it called?").fill("chemo week")
    three_days_ago = alex.evaluate("() => new Date(Date.now() - 3 * 86400000).toLocaleDateString('en-CA')")
    alex.get_by_label("From").fill(three_days_ago)
    alex.locator(".periods").get_by_role("button", name="Add").click()
    expect(alex.locator(".periods")).to_contain_text("Now: chemo week.")
    alex.get_by_text("Add a kind of touch").click()
    alex.locator("#add-touch-label").fill("long hugs")
    alex.locator("#add-touch-level").select_option("welcome")
    alex.locator("#add-touch-during").select_option(label="Only during chemo week")
    alex.locator("details.boundary-add-fold[open]").get_by_role("button", name="Add").click()
    expect(alex.locator(".boundary-item", has_text="long hugs")).to_contain_text("During chemo week: applies now")
    expect_status(alex, "Synced")

    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".periods")).to_contain_text("Now: chemo week.")
    expect(sam.locator(".boundary-item", has_text="long hugs")).to_contain_text("During chemo week: applies now")

    alex.locator(".periods").get_by_role("button", name="It's over").click()
    expect(alex.locator(".periods")).to_contain_text("No particular period right now.")
    expect(alex.locator(".boundary-item", has_text="long hugs")).to_contain_text("Only during chemo week, which isn't now")
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-item", has_text="long hugs")).to_contain_text("which isn't now")
    assert alex.errors == [] and sam.errors == []


def test_a_partners_clock_is_followed_but_never_more_than_a_day_ahead():
    from hearth.client.records import MAX_SKEW_MS, Clock

    ahead = int(time.time() * 1000) + 60_000               # a partner's phone a minute fast
    clock = Clock("DEV")
    clock.observe(f"{ahead:013d}.0003.OTHER")
    assert clock.tick() == f"{ahead:013d}.0001.DEV"

    far = Clock("DEV")
    before = int(time.time() * 1000)
    far.observe("9999999999999.0000.OTHER")                 # a modified app's year 2286
    ms = int(far.tick().split(".")[0])
    assert before + MAX_SKEW_MS <= ms <= int(time.time() * 1000) + MAX_SKEW_MS


def test_news_from_the_partner_waits_while_a_request_for_more_care_is_open(relay, browser_context):
    from playwright.sync_api import expect

    from app_helpers import add_boundary, go, open_app, pair_by_link

    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    add_boundary(alex, "Add a kind of touch", "a hand on my hip", "welcome")
    go(sam, "boundaries?whose=partner")
    item = sam.locator(".boundary-item", has_text="a hand on my hip")
    item.get_by_text("I'd like us to be more careful here").click()
    item.get_by_label('A more careful level for "a hand on my hip"').select_option("not_now")
    # Alex's map changes meanwhile: Sam's screen says so, and leaves the open request as it is.
    add_boundary(alex, "Add a topic", "plans for next year", "ask_first")
    expect(sam.locator(".waiting-update")).to_be_visible()
    expect(item.get_by_label('A more careful level for "a hand on my hip"')).to_have_value("not_now")
    item.get_by_role("button", name="Ask for this").click()
    expect(sam.locator(".boundary-item", has_text="plans for next year")).to_be_visible()
    expect(sam.locator(".boundary-item", has_text="a hand on my hip").locator(".boundary-level")).to_contain_text(
        "Not right now")
    assert alex.errors == [] and sam.errors == []

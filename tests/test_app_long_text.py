"""Long text (issue #14, "Readable by everyone"), in a real browser.

A long entry folds, with a button to read all of it; a field says how much room is left
as the person nears its limit; and a paste longer than fits says so, instead of being cut
short in silence.
"""

from playwright.sync_api import expect

from app_helpers import go, open_app, write_journal

LONG = " ".join(f"Sentence {i} of a long evening, written slowly." for i in range(110))   # ~5,000 characters


def test_a_long_entry_folds_and_opens_to_all_of_it(relay, browser_context):
    page = open_app(browser_context(viewport={"width": 360, "height": 780}), relay.url)
    assert 4900 < len(LONG) < 5600
    write_journal(page, LONG, share=False)
    text = page.locator(".entry-text", has_text="Sentence 0 of")
    folded = text.bounding_box()["height"]
    assert folded < 780 / 2, f"a long entry fills {folded}px"
    toggle = page.get_by_role("button", name="Show all of it")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(page.get_by_role("button", name="Show less")).to_have_attribute("aria-expanded", "true")
    assert text.bounding_box()["height"] > 3 * folded
    write_journal(page, "A short one.", share=False)
    expect(page.locator(".entry", has_text="A short one.").get_by_role("button", name="Show all of it")).to_have_count(0)


def test_a_field_says_how_much_room_is_left_and_a_long_paste_says_it_was_cut(relay, browser_context):
    context = browser_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=relay.url)
    page = open_app(context, relay.url)
    go(page, "journal")
    page.get_by_role("button", name="Write an entry").click()
    box = page.get_by_label("What did you try, and how did it feel?")
    box.fill("x" * 9000)
    box.press("End")
    box.type("y")
    limit = page.locator("#" + box.get_attribute("id") + "-limit")
    expect(limit).to_have_text("999 of 10,000 characters left.")
    assert limit.get_attribute("id") in box.get_attribute("aria-describedby")

    box.fill("")
    expect(limit).to_have_text("")
    page.evaluate("(text) => navigator.clipboard.writeText(text)", "z" * 12000)
    box.focus()
    page.keyboard.press("Control+V")
    expect(limit).to_contain_text("What you pasted was longer than fits here, so only its first part went in.")
    expect(limit).to_contain_text("That's the most that fits here: 10,000 characters.")
    assert len(box.input_value()) == 10000
    assert page.errors == []

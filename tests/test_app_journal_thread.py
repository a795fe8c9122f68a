"""Replies are a conversation both can continue (issue #14), in two real browsers paired
through a real relay: the author of an entry can answer their partner's reply, and every
action sits with what it acts on, not under someone else's words."""

from playwright.sync_api import expect

from app_helpers import go, reply, write_journal


def test_both_can_go_on_replying_and_each_action_is_with_its_own_words(browser_couple):
    alex, sam = browser_couple()
    write_journal(alex, "We lay close for ten minutes before sleep.")
    reply(sam, "We lay close", "It felt like us again.")
    reply(alex, "We lay close", "Shall we try it on Sunday too?")   # the author answers the reply
    reply(sam, "We lay close", "Yes, Sunday.")

    go(alex, "journal")
    entry = alex.locator("article.entry", has_text="We lay close")
    replies = entry.locator(".reply")
    expect(replies).to_have_count(3)
    expect(replies.nth(0)).to_contain_text("Your partner")
    expect(replies.nth(1)).to_contain_text("You")
    expect(replies.nth(2)).to_contain_text("Yes, Sunday.")
    # The entry's own Edit and Delete come before the conversation, in a group named for it.
    own = entry.get_by_role("group", name="What you can do with this entry")
    expect(own.get_by_role("button", name="Edit")).to_be_visible()
    assert own.evaluate("(g) => !!(g.compareDocumentPosition(g.closest('article').querySelector('.replies')) & Node.DOCUMENT_POSITION_FOLLOWING)")
    # My reply carries its own actions; my partner's carries none of mine.
    expect(replies.nth(1).get_by_role("button", name="Edit")).to_be_visible()
    expect(replies.nth(0).get_by_role("button")).to_have_count(0)

    replies.nth(1).get_by_role("button", name="Edit").click()
    replies.nth(1).get_by_label("Your reply").fill("Shall we try it on Saturday too?")
    replies.nth(1).get_by_role("button", name="Save changes").click()
    go(sam, "journal")
    expect(sam.locator(".reply", has_text="Saturday")).to_be_visible()
    assert alex.errors == [] and sam.errors == []

"""Right-to-left and mixed text (issue #14, "Readable by everyone"), in a real browser.

Every piece of text a person writes is laid out in its own direction: a Hebrew or Arabic
entry runs right to left with its full stop at its left end, an English sentence with a
Hebrew word in it stays left to right, and what is typed is typed in its own direction.
"""


from app_helpers import add_boundary, go, open_app, write_journal

HEBREW = "ערב שקט, יד ביד."
ARABIC = "كانت أمسية هادئة، يدا بيد."
MIXED = "We said שלום to the quiet evening."

# Where the text's first and last letters sit on the screen, and its box's edges.
LAYOUT = """(e) => {
  const text = e.firstChild;
  const box = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
  const own = e.getBoundingClientRect();
  return { first: box(0).left, last: box(text.length - 1).left, left: own.left, right: own.right,
           lineRight: Math.max(...[...Array(text.length).keys()].map((i) => box(i).right)) };
}"""


def expect_direction(locator, rtl: bool) -> None:
    at = locator.evaluate(LAYOUT)
    if rtl:
        assert at["first"] > at["last"], f"{locator}: laid out left to right: {at}"
        assert at["right"] - at["lineRight"] < 2, f"{locator}: not against the right edge: {at}"
    else:
        assert at["first"] < at["last"], f"{locator}: laid out right to left: {at}"


def test_each_persons_words_run_in_their_own_direction(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    go(page, "journal")
    page.get_by_role("button", name="Write an entry").click()
    box = page.get_by_label("What did you try, and how did it feel?")
    assert box.get_attribute("dir") == "auto"
    page.get_by_role("button", name="Cancel").or_(page.get_by_role("button", name="Not now")).first.click()
    for text in (HEBREW, ARABIC, MIXED):
        write_journal(page, text, share=False)
    expect_direction(page.locator(".entry-text", has_text="ערב שקט"), rtl=True)
    expect_direction(page.locator(".entry-text", has_text="أمسية"), rtl=True)
    expect_direction(page.locator(".entry-text", has_text="We said"), rtl=False)

    add_boundary(page, "Add a kind of touch", "יד על הכתף")
    label = page.locator(".boundary-item", has_text="יד על הכתף").get_by_text("יד על הכתף", exact=True)
    expect_direction(label, rtl=True)
    assert page.errors == []


def test_on_a_right_to_left_phone_english_lines_and_badges_keep_their_order(relay, browser_context):
    """Arabic is not finished, so its phone shows some lines in English: the status line's
    sentence keeps its full stop at its end, and an entry's "Private draft" badge stands
    apart from the date before it."""
    page = open_app(browser_context(locale="ar"), relay.url)
    go(page, "journal")
    status = page.locator("#sync-status .sync-text")
    assert status.text_content().startswith("Not paired yet")
    stop, before = status.evaluate("""(e) => {
      const text = e.firstChild, at = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect().left; };
      return [at(text.length - 1), at(text.length - 2)];
    }""")
    assert stop > before, "the full stop went to the line's left end"

    write_journal(page, "A short walk, and tea after.", share=False)
    meta = page.locator(".entry-meta").first
    date, badge = meta.locator("time").bounding_box(), meta.locator(".badge").bounding_box()
    assert badge["x"] - (date["x"] + date["width"]) >= 4, (date, badge)

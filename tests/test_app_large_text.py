"""Large text on a small phone (issue #14, "Readable by everyone"), in a real browser.

At 200% text on a 360 px phone the tab bar stays one row, no word is broken mid-word,
nothing floats over what a person reads, keyboard focus never lands behind the fixed
bars, and every link a finger might tap is at least 44 x 44 px.
"""

import pytest
from playwright.sync_api import expect

from app_helpers import go, open_app, write_journal

ROUTES = ["home", "journal", "boundaries", "pair", "energy", "gratitude", "appointments", "experiments",
          "checkin", "progress", "reminders"]

# Every word of every heading, label and tab, laid out on one line (a word broken across
# lines has more than one box). Words are runs without spaces, hyphens or slashes: a line
# may end after "thank-", as print has always done, but never inside "symptoms".
BROKEN_WORDS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.getElementById('app'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const host = node.parentElement;
    if (!host.closest('h1, h2, h3, legend, label, .tab, .button, button, summary') || !host.checkVisibility()) continue;
    for (const m of node.textContent.matchAll(/[^\\s\\/-]+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) found.push(m[0]);
    }
  }
  return found;
}"""

# What sits over the page while it scrolls: fixed or sticky things other than the dock at
# the foot, which the page keeps clear of (scroll padding), and nothing hanging out of it.
FLOATING_OVER_TEXT = """() => {
  const bars = [document.querySelector('.app-header'), document.querySelector('.dock')];
  const floating = [...document.querySelectorAll('#app *')].filter((e) => e.checkVisibility() &&
    ['fixed', 'sticky'].includes(getComputedStyle(e).position) && !bars.some((b) => b.contains(e)));
  const outside = [...document.querySelectorAll('.dock > *')].filter((e) => {
    const dock = document.querySelector('.dock').getBoundingClientRect();
    const r = e.getBoundingClientRect();
    return e.checkVisibility() && (r.top < dock.top - 1 || r.bottom > dock.bottom + 1);
  });
  return [...floating, ...outside].map((e) => e.id || e.className);
}"""

SMALL_LINKS = """() => [...document.querySelectorAll('#app a')]
  .filter((e) => e.checkVisibility())
  .map((e) => [e.textContent.trim(), e.getBoundingClientRect()])
  .filter(([, r]) => r.width < 44 || r.height < 44)
  .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


DOCK_HEIGHT_KNOWN = """() => getComputedStyle(document.documentElement).getPropertyValue('--dock-height')
  === `${Math.ceil(document.querySelector('.dock').getBoundingClientRect().height)}px`"""


def at_text_size(page, size: str) -> None:
    page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", size)


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_the_tab_bar_stays_one_row_and_no_word_breaks(relay, browser_context, text_size):
    page = open_app(browser_context(viewport={"width": 360, "height": 780}), relay.url)
    write_journal(page, "A heading's worth of symptoms, and a few more words to wrap.")
    for route in ROUTES:
        go(page, route)
        at_text_size(page, text_size)
        rows = page.evaluate("() => new Set([...document.querySelectorAll('.tab')].map((t) => Math.round(t.getBoundingClientRect().top))).size")
        assert rows == 1, f"{route} at {text_size}: the tab bar has {rows} rows"
        bar = page.evaluate("() => document.querySelector('.dock').getBoundingClientRect().height")
        assert bar <= 0.15 * 780, f"{route} at {text_size}: the tab bar is {bar}px tall"
        assert page.evaluate(BROKEN_WORDS) == [], f"{route} at {text_size}: words broken mid-word"
        assert page.evaluate(FLOATING_OVER_TEXT) == [], f"{route} at {text_size}: floats over the page"
        assert page.evaluate(SMALL_LINKS) == [], f"{route} at {text_size}: links under 44 x 44 px"
        # Every tab still says what it is, to a screen reader and to the eye.
        for name in ("Home", "Journal", "Boundaries", "Settings"):
            expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert page.errors == []


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_keyboard_focus_is_never_hidden_behind_the_bars(relay, browser_context, text_size):
    page = open_app(browser_context(viewport={"width": 360, "height": 780}), relay.url)
    write_journal(page, "Something to make Home a little longer.")
    go(page, "home")
    at_text_size(page, text_size)
    # The page keeps focus clear of the dock by its height, which a ResizeObserver passes on
    # at the next frame: tab only once it has (a busy machine has tabbed before it did).
    page.wait_for_function(DOCK_HEIGHT_KNOWN)
    hidden = []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => {
          const e = document.activeElement;
          if (!e || e === document.body || e.closest('.app-header, .dock, .skip-link')) return null;
          const r = e.getBoundingClientRect();
          const top = Math.max(0, document.querySelector('.app-header').getBoundingClientRect().bottom);
          const bottom = document.querySelector('.dock').getBoundingClientRect().top;
          return r.top >= top - 1 && r.bottom <= bottom + 1 ? null : `${e.textContent.trim().slice(0, 30)} ${r.top}-${r.bottom} (${top}-${bottom})`;
        }""")
        if where:
            hidden.append(where)
    assert hidden == [], f"focus behind the bars at {text_size}: {hidden}"

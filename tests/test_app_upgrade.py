"""A phone that ran an earlier version of the app keeps everything when the new one opens.

The database is built as version 2 of pwa/js/data/db.js left it, straight through IndexedDB
on the app's own origin, before the app itself is loaded.
"""

from playwright.sync_api import expect

from app_helpers import go, open_app

ME = "me-device-id-0000000000"
PARTNER = "partner-device-id-00000"
BOUNDARY = "b" * 22
JOURNAL = "j" * 22

# Version 2 kept what the phone noticed (unseen, changedFrom, history) on the synced record.
OLD_DATABASE = """async ([me, partner, boundary, journal]) => {
  const request = indexedDB.open('hearth', 2);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore('meta');
    db.createObjectStore('keys');
    const records = db.createObjectStore('records', { keyPath: ['type', 'id'] });
    records.createIndex('byType', ['type', 'n']);
    db.createObjectStore('outbox', { keyPath: 'n', autoIncrement: true });
    db.createObjectStore('kept', { keyPath: 'n' });
    db.createObjectStore('held');
  };
  const db = await new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = reject; });
  const tx = db.transaction(['meta', 'records'], 'readwrite');
  const at = Date.now() - 3600_000;
  tx.objectStore('meta').put({ device: me }, 'identity');
  tx.objectStore('meta').put(2, 'record_n');
  tx.objectStore('records').put({
    type: 'boundary', id: boundary, author: partner, n: 1, at, updatedAt: at,
    fields: { kind: 'touch', label: 'a hand on my back', level: 'ask_first' },
    clocks: { kind: '1', label: '1', level: '2' },
    unseen: true, changedFrom: { kind: 'touch', label: 'a hand on my back', level: 'welcome' },
    history: [{ at, by: partner, field: 'level', from: 'welcome', to: 'ask_first' }],
  });
  tx.objectStore('records').put({
    type: 'journal', id: journal, author: partner, n: 2, at, updatedAt: at,
    fields: { text: 'A slow walk after dinner.', tags: [], shared: true }, clocks: { text: '1', shared: '1' }, unseen: true,
  });
  await new Promise((resolve) => { tx.oncomplete = resolve; });
  db.close();
}"""

STORED = """() => new Promise((resolve) => {
  const request = indexedDB.open('hearth');
  request.onsuccess = () => {
    const db = request.result;
    const tx = db.transaction(['records', 'noticed']);
    const out = { version: db.version };
    tx.objectStore('records').getAll().onsuccess = (e) => { out.records = e.target.result; };
    tx.objectStore('noticed').getAll().onsuccess = (e) => { out.noticed = e.target.result; };
    tx.oncomplete = () => { db.close(); resolve(out); };
  };
})"""


def test_what_an_older_version_noticed_moves_off_the_records_and_still_shows(relay, browser_context):
    context = browser_context()
    page = context.new_page()
    page.goto(relay.url + "/healthz")   # the app's origin, without the app
    page.evaluate(OLD_DATABASE, [ME, PARTNER, BOUNDARY, JOURNAL])

    page = open_app(context, relay.url, "home")
    go(page, "boundaries?whose=partner")
    item = page.locator(".boundary-item", has_text="a hand on my back")
    expect(item).to_have_class("boundary-item is-new")
    expect(item.locator(".boundary-level")).to_have_text("Ask me first, was welcome")
    expect(page.get_by_text("Your partner has updated their map.")).to_be_visible()
    item.locator(".boundary-history summary").click()
    expect(item.locator(".boundary-history li")).to_have_count(1)
    expect(item.locator(".boundary-history li")).to_contain_text("Your partner: welcome → ask me first")

    stored = page.evaluate(STORED)
    assert stored["version"] == 3
    for record in stored["records"]:
        assert not {"unseen", "changedFrom", "history"} & set(record), record
    boundary, journal = sorted(stored["noticed"], key=lambda n: len(n["history"]), reverse=True)
    assert boundary["unseen"] == [BOUNDARY] and boundary["changedFrom"][BOUNDARY]["level"] == "welcome"
    assert [h["to"] for h in boundary["history"][BOUNDARY]] == ["ask_first"]
    assert journal == {"unseen": [JOURNAL], "changedFrom": {}, "history": {}}

    # Still new to this phone until it is looked at, then not.
    go(page, "journal")
    expect(page.locator(".entry-text", has_text="A slow walk after dinner.")).to_be_visible()
    go(page, "boundaries?whose=partner")
    page.get_by_role("button", name="I've seen it").click()
    expect(page.locator(".boundary-item.is-new")).to_have_count(0)
    assert [n["unseen"] for n in page.evaluate(STORED)["noticed"]] == [[], []]
    assert page.errors == []

"""Replacing a lost phone (protocol §11.3) between the app and hearth-client, both ways, on a
real relay: the one that remains hands the new one the shared history and the signed
notice, the new one owns what the lost phone wrote, and its edit reaches the other as the
owner's."""

import subprocess

from playwright.sync_api import expect

from app_helpers import confirm_pairing, finish_joining, go, open_app, pair_by_link
from client_helpers import Client, client_joins_the_app, pair, read_code
from test_app_replace import SHOWN, eventually, welcome_new_phone

SEED = """async (who) => {
  const { put } = await import('/js/device/records.js');
  for (let i = 0; i < 30; i += 1) await put('boundary', { kind: 'touch', label: `${who} boundary ${i}`, level: 'ask_first' });
  await put('journal', { text: `${who} journal`, shared: true });
}"""

HANDED_OVER = """() => import('/js/data/db.js').then(async (db) => (await db.getMeta('history_out', null)) !== null
    && (await db.outboxCount()) === 0)"""


def test_the_client_remains_and_the_app_is_the_new_phone(relay, browser_context, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    for i in range(20):
        sam.put("boundary", {"kind": "touch", "label": f"sam boundary {i}", "level": "ask_first"})
        alex.put("journal", {"text": f"alex journal {i}", "shared": True})
    sam.sync()
    alex.sync()
    assert len([r for r in alex.list("boundary") if not r["mine"]]) == 20

    replacing = alex.popen("replace-partner", "--timeout", "60", stdin=subprocess.PIPE)
    try:
        link = replacing.stdout.readline().strip()
        jo = open_app(browser_context(), relay.url)
        jo.goto(link)
        code = confirm_pairing(jo)
        expect(jo.locator(".taking-place")).to_be_visible()
        assert read_code(replacing) == code
        _, err = replacing.communicate(code + "\n", timeout=60)
    finally:
        if replacing.poll() is None:
            replacing.kill()
    assert replacing.returncode == 0, err
    finish_joining(jo)
    go(jo, "pair")
    expect(jo.locator(".hand-over")).to_contain_text("All of your shared history is here.", timeout=20_000)
    now = jo.evaluate(SHOWN)
    assert (now["mine"], now["theirs"]) == (20, 20), now

    go(jo, "boundaries")
    jo.get_by_label('How "sam boundary 3" feels now').select_option("welcome")
    # Kept in the same transaction as its outbox entry, which leaves once the relay has it.
    eventually(jo, """() => Promise.all([import('/js/device/records.js'), import('/js/data/db.js')])
        .then(async ([r, db]) => (await r.list('boundary')).some((b) => b.label === 'sam boundary 3' && b.level === 'welcome')
          && (await db.outboxCount()) === 0)""")
    alex.sync()
    assert [r["level"] for r in alex.list("boundary") if r["label"] == "sam boundary 3"] == ["welcome"]
    assert jo.errors == []


def test_the_app_remains_and_the_client_is_the_new_phone(relay, browser_context, tmp_path):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    alex.evaluate(SEED, "alex")
    sam.evaluate(SEED, "sam")
    eventually(alex, f"() => ({SHOWN})().then((s) => s.theirs === 31)")
    sam.close()

    link = welcome_new_phone(alex, [])
    jo = Client(tmp_path / "jo")
    client_joins_the_app(alex, jo, link)
    eventually(alex, HANDED_OVER)
    jo.sync()
    assert len([r for r in jo.list("boundary") if r["mine"]]) == 30
    assert len([r for r in jo.list("boundary") if not r["mine"]]) == 30
    expect(alex.locator(".hand-over")).to_contain_text("Your partner's new phone has all of your shared history.",
                                                       timeout=20_000)

    target = next(r for r in jo.list("boundary") if r["label"] == "sam boundary 2")
    jo.run("put", "boundary", '{"id": "%s", "label": "changed on the new phone"}' % target["id"])
    jo.sync()
    go(alex, "boundaries?whose=partner")
    expect(alex.locator(".boundary-label", has_text="changed on the new phone")).to_be_visible()
    assert alex.errors == []

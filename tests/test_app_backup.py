"""Encrypted backups in the app (docs/backup.md), in a real browser against a real relay.

A phone with 500 records of every type saves a backup through Settings; a fresh browser
profile refuses a wrong passphrase and damaged, cut-short and foreign files, each with its
own words and nothing changed, then restores it and holds every record exactly as it was.
The restored phone joins its partner through "My partner has a new phone" (§11.3) and the
history merges by id, with nothing doubled and the old place its own again.
"""

import json
import re

from playwright.sync_api import expect

from app_helpers import (confirm_pairing, eventually, finish_joining, go, open_app, pair_by_link, safety_code,
                         serious_axe_violations, wider_than_a_phone)
from test_app_replace import welcome_new_phone

PASSPHRASE = "kettle singing on the windowsill"

# 500 records over every type a person writes, through the app's own record API, some
# shared and some kept private; the couple's setting, a check-in and a preference too.
SEED = """async ([who, n]) => {
  const [{ put }, { today }, { answer }] = await Promise.all([import('/js/device/records.js'),
    import('/js/core/dates.js'), import('/js/device/checkins.js')]);
  const d = today();
  const exp = await put('experiment', { title: `${who} first experiment`, starts_on: d, days: 7, status: 'active' });
  const period = await put('period', { label: `${who} chemo week`, starts_on: d });
  const makers = [
    (i) => put('journal', { text: `${who} journal ${i}`, shared: (i >> 3) % 2 === 0 }),
    (i) => put('boundary', { kind: 'touch', label: `${who} boundary ${i}`, level: 'ask_first', during: i % 3 ? null : period }),
    (i) => put('period', { label: `${who} period ${i}`, starts_on: d }),
    (i) => put('experiment', { title: `${who} experiment ${i}`, starts_on: d, days: 5 }),
    (i) => put('energy', { date: d, time_of_day: 'evening', energy: i % 11, shared: (i >> 3) % 2 === 0 }),
    (i) => put('appointment', { title: `${who} visit ${i}`, questions: [{ text: 'How long?' }], shared: (i >> 3) % 2 === 0 }),
    (i) => put('gratitude', { text: `${who} thanks ${i}`, date: d, shared: (i >> 3) % 2 === 0 }),
    (i) => put('reassessment', { experiment: exp, felt: `${who} felt ${i}`, comfort: 5, decision: 'keep' }),
  ];
  for (let i = 0; i < n; i += 1) await makers[i % makers.length](i);
  const gone = await put('journal', { text: `${who} wrote this, then deleted it`, shared: true });
  await put('journal', { deleted: true }, gone);
  await put('couple', { checkin_day: 'friday' });
  if (n > 100) await answer({ answers: { needs: `${who} would like a slow morning` } });
  localStorage.setItem('hearth.gratitude.energy', 'low');
}"""

# Every record this phone holds, whole (tombstones too), in a canonical form; and the views'
# own answer of whose each is.
HELD = """async () => {
  const [{ stored, list }, rec, db] = await Promise.all([import('/js/device/records.js'),
    import('/js/core/records.js'), import('/js/data/db.js')]);
  const canon = (x) => Array.isArray(x) ? x.map(canon) : x && typeof x === 'object'
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, canon(x[k])])) : x;
  const types = Object.keys(rec.TYPES);
  const all = (await Promise.all(types.map(stored))).flat();
  const shown = (await Promise.all(types.map(list))).flat();
  const me = await db.getMeta('identity');
  return { records: all.map((r) => JSON.stringify(canon([r.type, r.id, r.author, r.fields, r.clocks]))).sort(),
           mine: shown.filter((r) => r.mine).map((r) => r.id).sort(), shown: shown.length,
           earlier: shown.filter((r) => r.earlier).length, device: me?.device || null,
           checkins: Object.keys({ ...(await db.getMeta('checkins', {})), ...(await db.getMeta('former_checkins', {})) }),
           energy: localStorage.getItem('hearth.gratitude.energy') };
}"""


def held(page) -> dict:
    return page.evaluate(HELD)


def fits(page, where: str) -> list[str]:
    return serious_axe_violations(page, where) + wider_than_a_phone(page, where)


def save_backup(page, path, problems: list | None = None) -> None:
    """Settings → Save a backup: the passphrase twice, a hint, progress, then the file."""
    go(page, "pair")
    page.get_by_role("button", name="Save a backup").click()
    page.get_by_label("Choose a passphrase").fill("rose")
    expect(page.locator("#backup-strength")).to_contain_text("easy to guess")
    page.get_by_label("Choose a passphrase").fill(PASSPHRASE)
    expect(page.locator("#backup-strength")).to_contain_text("Strong")
    page.get_by_label("The same passphrase again").fill(PASSPHRASE + "!")
    page.get_by_role("button", name="Make the backup").click()
    expect(page.get_by_role("alert")).to_contain_text("aren't the same")
    page.get_by_label("The same passphrase again").fill(PASSPHRASE)
    page.get_by_role("button", name="Make the backup").click()
    expect(page.locator(".backup-form [role=status]")).to_contain_text("Your backup is ready", timeout=60_000)
    if problems is not None:
        problems += fits(page, "a backup, ready to save")
    with page.expect_download() as download:
        page.get_by_role("button", name="Save the file").click()
    assert re.fullmatch(r"hearth-backup-\d{4}-\d{2}-\d{2}\.hearth", download.value.suggested_filename)
    download.value.save_as(path)
    expect(page.locator("#backup-last")).to_have_text("Last backup: today")


def try_restore(page, path, passphrase: str = PASSPHRASE) -> None:
    form = page.locator(".backup-form")
    if not form.count():
        page.get_by_role("button", name="Restore from a backup").click()
    page.locator("#restore-file").set_input_files(str(path))
    page.get_by_label("The backup's passphrase").fill(passphrase)
    page.get_by_role("button", name="Restore", exact=True).click()


def refused(page, path, words: str, passphrase: str = PASSPHRASE) -> None:
    try_restore(page, path, passphrase)
    expect(page.locator(".backup-form [role=alert]")).to_contain_text(words, timeout=30_000)
    expect(page.locator(".backup-form [role=alert]")).to_contain_text("othing on this phone has changed")
    assert held(page)["records"] == []


HOLDS_JOURNAL = ("(text) => import('/js/device/records.js').then((r) => r.list('journal'))"
                 ".then((l) => l.some((e) => e.text === text))")


def seeded_couple(browser_couple, alex_records: int, sam_records: int):
    """Two paired phones, each seeded with records of every type, Alex's on Sam's phone."""
    alex, sam = browser_couple()
    alex.evaluate(SEED, ["alex", alex_records])
    sam.evaluate(SEED, ["sam", sam_records])
    eventually(sam, HOLDS_JOURNAL, "alex journal 0")
    return alex, sam


def test_a_backup_of_every_type_comes_back_whole_and_bad_files_change_nothing(browser_couple, browser_context,
                                                                            relay, tmp_path):
    alex, sam = seeded_couple(browser_couple, 24, 500)
    before = held(sam)
    assert len(before["records"]) > 500 and before["checkins"] and before["energy"] == "low"
    file = tmp_path / "sam.hearth"
    problems = []
    save_backup(sam, file, problems)
    data = file.read_bytes()
    assert data[:8] == b"HEARTHBK" and b"sam journal" not in data
    # The reminder is off until asked for, and then it is one quiet line here, nowhere else.
    remind = sam.get_by_label("Remind me here, gently, when it's been a while")
    expect(remind).not_to_be_checked()
    sam.evaluate("() => import('/js/data/db.js').then((db) => db.setMeta('backup_last', Date.now() - 35 * 86400000))")
    remind.check()
    eventually(sam, "() => import('/js/data/db.js').then((db) => db.getMeta('backup_reminder'))")
    go(sam, "home")
    expect(sam.locator("#view")).not_to_contain_text(re.compile("backup", re.I))
    go(sam, "pair")
    expect(sam.locator("#backup-last")).to_have_text("Last backup: 5 weeks ago")
    expect(sam.locator(".backup-nudge")).to_contain_text("It's been a while.")

    phone = open_app(browser_context(), relay.url, "pair")
    expect(phone.get_by_role("heading", name="Restore from a backup")).to_be_visible()
    bad = tmp_path / "bad.hearth"
    refused(phone, file, "passphrase doesn't open", passphrase="kettle singing on the windowsil")
    bad.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    refused(phone, bad, "damaged")
    bad.write_bytes(data[: len(data) // 2])
    refused(phone, bad, "incomplete")
    bad.write_bytes(b"Dear diary, not a backup at all.")
    refused(phone, bad, "isn't a Hearth backup")
    bad.write_bytes(data[:8] + b"\x02" + data[9:])
    refused(phone, bad, "newer version of Hearth")
    problems += fits(phone, "restoring, refused")

    try_restore(phone, file)
    expect(phone.get_by_role("heading", name="Everything is back")).to_be_visible(timeout=60_000)
    expect(phone.locator(".backup-restored")).to_contain_text("My partner has a new phone")
    problems += fits(phone, "restored")
    assert not problems, problems
    after = held(phone)
    assert after["records"] == before["records"]
    assert after["mine"] == before["mine"] and after["shown"] == before["shown"]
    assert after["device"] != before["device"] and after["energy"] == "low" and after["checkins"] == before["checkins"]
    # A new device: no pairing, no keys of the old phone's, nothing waiting to be sent.
    kept = phone.evaluate("""() => import('/js/data/db.js').then(async (db) => ({ send: Boolean(await db.getKey('send')),
        outbox: await db.outboxCount(), seq: await db.getMeta('own_seq', null) }))""")
    assert kept == {"send": False, "outbox": 0, "seq": None}
    assert not phone.errors and not sam.errors


def test_a_restored_phone_joins_its_partner_as_the_new_phone_without_duplicates(browser_couple, browser_context,
                                                                               relay, tmp_path):
    alex, sam = seeded_couple(browser_couple, 16, 16)
    eventually(alex, HOLDS_JOURNAL, "sam journal 0")
    file = tmp_path / "sam.hearth"
    save_backup(sam, file)
    before = held(sam)
    sam.context.close()   # lost, after the backup
    alex.evaluate("() => import('/js/device/records.js').then((r) => r.put('journal', { text: 'after the backup', shared: true }))")

    phone = open_app(browser_context(), relay.url, "pair")
    try_restore(phone, file)
    expect(phone.get_by_role("heading", name="Everything is back")).to_be_visible(timeout=60_000)
    assert held(phone)["earlier"] > 0   # an ended pairing's, until the partner's phone says otherwise

    link = welcome_new_phone(alex, [])
    phone.goto(link)
    code = confirm_pairing(phone)
    assert safety_code(alex) == code
    alex.get_by_role("button", name="They match").click()
    finish_joining(phone)
    expect(alex.locator(".hand-over")).to_contain_text("Your partner's new phone has all of your shared history.",
                                                       timeout=30_000)
    eventually(phone, f"() => ({HELD})().then((h) => h.records.length === {len(before['records']) + 1})")
    after = held(phone)
    ids = [json.loads(r)[1] for r in after["records"]]
    assert len(ids) == len(set(ids))
    assert set(before["mine"]) <= set(after["mine"]) and after["earlier"] == 0
    assert any("after the backup" in r for r in after["records"])
    # The old place is this phone's own again: a private draft from the backup is still here,
    # and an edit to a restored boundary reaches the partner as the owner's.
    assert any('"sam journal 8"' in r for r in after["records"])
    phone.evaluate("""() => import('/js/device/records.js').then(async (r) => {
      const b = (await r.list('boundary')).find((x) => x.label === 'sam boundary 1');
      await r.put('boundary', { level: 'welcome' }, b.id); })""")
    eventually(alex, """() => import('/js/device/records.js').then((r) => r.list('boundary'))
        .then((l) => l.some((b) => b.label === 'sam boundary 1' && b.level === 'welcome' && !b.mine))""")
    assert not phone.errors


def test_a_restored_phone_can_pair_afresh_and_sends_nothing_of_before(browser_couple, browser_context, relay, tmp_path):
    alex, sam = browser_couple()
    sam.evaluate(SEED, ["sam", 16])
    file = tmp_path / "sam.hearth"
    save_backup(sam, file)
    phone = open_app(browser_context(), relay.url, "pair")
    try_restore(phone, file)
    expect(phone.get_by_role("heading", name="Everything is back")).to_be_visible(timeout=60_000)
    before = held(phone)
    someone = open_app(browser_context(), relay.url)
    pair_by_link(phone, someone, relay.url)
    phone.evaluate("() => import('/js/device/records.js').then(async (r) => {"
                   "  const b = (await r.list('boundary')).find((x) => x.label === 'sam boundary 1');"
                   "  await r.put('boundary', { level: 'welcome' }, b.id);"
                   "  await r.put('journal', { text: 'a new start', shared: true }); })")
    eventually(someone, "() => import('/js/device/records.js').then((r) => r.list('journal'))"
                        ".then((l) => l.some((e) => e.text === 'a new start'))")
    theirs = held(someone)
    assert len(theirs["records"]) == 1 and "a new start" in theirs["records"][0]
    # Still all its own, as before, and one more.
    after = held(phone)
    assert set(before["mine"]) < set(after["mine"]) and len(after["mine"]) == len(before["mine"]) + 1

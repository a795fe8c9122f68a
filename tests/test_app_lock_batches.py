"""The app lock and writing many records at once (issue #12's catch-up with the lock on):
with the lock on, data/db.js's putMany seals a whole batch with WebCrypto before writing it,
keeping its transaction open meanwhile. What it writes is sealed on disk, reads back as it
was, leaves the transaction usable, and a batch that cannot be sealed writes nothing.

Waiting is Playwright's own (expect) or app_helpers.eventually; nothing sleeps and hopes."""

from playwright.sync_api import expect

from app_helpers import eventually, go, open_app
from client_helpers import Client, pair_with_app
from conftest import CHROMIUM, CHROMIUM_ARGS
from test_app_lock import canary, expect_locked, found_in_profile, lock_now, turn_on_lock, unlock

CAUGHT_UP = """(n) => import('/js/data/db.js').then((db) => db.getMeta('peer_next_seq', 1)).then((s) => s >= n)"""

# Records put through putMany in one transaction, then one more put in the same transaction
# (which fails if the transaction had closed while the batch was sealed); then each record as
# stored (raw, unopened) and as read.
PUT_A_BATCH = """async ([count, word]) => {
  const db = await import('/js/data/db.js');
  const { getAllAsStored } = await import('/js/data/sealed-stores.js');
  const { unwrap } = await import('/vendor/idb/index.js');
  const records = Array.from({ length: count }, (_, i) => ({ type: 'journal', id: `batch-${i}`, author: 'someone',
    fields: { text: `${word} ${i}`, shared: true, bytes: new Uint8Array([i % 256, 1, 2]) }, clocks: {}, n: 900000 + i, at: 1 }));
  await db.write(['records', 'meta'], async (tx) => {
    await db.putMany(tx.objectStore('records'), records);
    await tx.objectStore('meta').put(count, 'batch_written');
  });
  const index = unwrap((await db.database()).transaction('records').objectStore('records').index('byType'));
  const stored = await new Promise((resolve, reject) => {
    const request = getAllAsStored(index, IDBKeyRange.bound(['journal', 900000], ['journal', Infinity]));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const read = await db.recordsOfType('journal');
  const back = read.filter((r) => r.id.startsWith('batch-'));
  return {
    stored: stored.length,
    sealed: stored.filter((v) => v.$sealed instanceof Uint8Array && !('fields' in v) && v.n >= 900000).length,
    clearWord: stored.filter((v) => JSON.stringify(v).includes(word)).length,
    same: back.length === count && back.every((r, i) => r.fields.text === `${word} ${i}` && r.n === 900000 + i
      && r.fields.bytes instanceof Uint8Array && r.fields.bytes[0] === i % 256),
    marker: await db.getMeta('batch_written'),
  };
}"""

# A batch whose sealing cannot finish (the lock locks meanwhile): the write fails, with the
# lock's own error, and nothing of the transaction stays, not even what it wrote before.
LOCKED_MID_BATCH = """async () => {
  const db = await import('/js/data/db.js');
  const vault = await import('/js/data/vault.js');
  const key = vault.dataKeyCopy();
  const records = Array.from({ length: 200 }, (_, i) => ({ type: 'journal', id: `half-${i}`, author: 'someone',
    fields: { text: 'never kept', shared: true }, clocks: {}, n: 800000 + i, at: 1 }));
  let error = null;
  try {
    await db.write(['records', 'meta'], async (tx) => {
      await tx.objectStore('meta').put('written first', 'before_the_batch');
      const writing = db.putMany(tx.objectStore('records'), records);
      vault.forget();
      await writing;
    });
  } catch (err) {
    error = err.name;
  }
  await vault.use({ lockOn: true, dataKey: key });
  return { error, record: (await db.record('journal', 'half-0')) ?? null,
           before: (await db.getMeta('before_the_batch')) ?? null };
}"""


def test_with_the_lock_on_a_batch_is_sealed_before_it_is_written_and_reads_back_as_it_was(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    turn_on_lock(page)
    word = canary()
    got = page.evaluate(PUT_A_BATCH, [3000, word])
    assert got == {"stored": 3000, "sealed": 3000, "clearWord": 0, "same": True, "marker": 3000}
    lock_now(page)
    unlock(page)
    go(page, "journal")
    expect(page.locator(".entry-text", has_text=f"{word} 2999")).to_be_visible()
    assert page.errors == []


def test_a_batch_that_cannot_be_sealed_writes_nothing(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    turn_on_lock(page)
    assert page.evaluate(LOCKED_MID_BATCH) == {"error": "LockedError", "record": None, "before": None}
    assert page.errors == []


def test_a_partners_many_entries_caught_up_while_locked_are_nowhere_in_the_profile(relay, chromium, tmp_path):
    """The catch-up's batches go through putMany: the canary search of test_app_lock.py, for them."""
    profile = tmp_path / "profile"
    client = Client(tmp_path / "client")
    context = chromium.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 360, "height": 740})
    secret = canary()
    try:
        page = pair_with_app(relay.url, client, context)
        turn_on_lock(page)
        lock_now(page)
        for i in range(150):
            client.put("journal", {"text": f"Between us {i}: {secret}", "shared": True})
        client.sync()
        expect_locked(page)
        unlock(page)
        eventually(page, CAUGHT_UP, 151)
        go(page, "journal")
        expect(page.locator(".entry-text", has_text=f"Between us 149: {secret}")).to_be_visible()
        assert page.errors == []
    finally:
        context.close()
    assert found_in_profile(profile, secret) == []


# Asked before unlocking, a read of what the lock seals fails at once with the lock's own
# error; a read of what stays clear (the lock's settings) still answers. Before, the read's
# promise never settled: the error was thrown inside IndexedDB's success handler.
KEEP_SOMETHING = """async () => {
  const device = await import('/js/device/records.js');
  const db = await import('/js/data/db.js');
  await db.setMeta('probe', 'kept while unlocked');
  return device.put('journal', { text: 'kept while unlocked', shared: false });
}"""

READ_WHILE_LOCKED = """async (id) => {
  const db = await import('/js/data/db.js');
  const outcome = (promise) => Promise.race([
    promise.then(() => 'answered', (err) => err.name),
    new Promise((resolve) => setTimeout(resolve, 10000, 'never settled')),
  ]);
  return {
    records: await outcome(db.recordsOfType('journal')),
    one: await outcome(db.record('journal', id)),
    meta: await outcome(db.getMeta('probe')),
    lock: await outcome(db.getMeta('lock')),
  };
}"""


def test_a_read_of_sealed_values_before_unlocking_fails_at_once_with_the_locks_error(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    turn_on_lock(page)
    kept = page.evaluate(KEEP_SOMETHING)
    lock_now(page)
    got = page.evaluate(READ_WHILE_LOCKED, kept)
    assert got == {"records": "LockedError", "one": "LockedError", "meta": "LockedError", "lock": "answered"}

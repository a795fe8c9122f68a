// Run inside the page (the body of an async function; arguments[0] is docs/merge-vectors.json):
// each vector through the app's own applyOps (pwa/js/device/records.js, whose rules are
// core/records.js), on this engine's real IndexedDB: no stand-in store, the app's own
// database and transactions. The page must be a fresh, unpaired phone; its records and
// notes are cleared before each vector and after the last. Returns, per vector, what the
// phone holds afterwards and how many operations it counted as not fitting.
const { vectors } = arguments[0];
const db = await import("/js/data/db.js");
const { APPLY_STORES, applyOps } = await import("/js/device/records.js");

const clear = (tx) => Promise.all(APPLY_STORES.map((name) => tx.objectStore(name).clear()));
const results = [];
for (const vector of vectors) {
  await db.write(APPLY_STORES, async (tx) => {
    await clear(tx);
    for (const r of vector.start) await tx.objectStore("records").put({ ...structuredClone(r), n: 0 });
  });
  const counter = { n: 0 };
  // One transaction per envelope, as the inbox applies them.
  for (const item of vector.receive) {
    await db.write(APPLY_STORES, (tx) => applyOps(tx, [structuredClone(item.body)], item.from, [0, 0], counter));
  }
  const held = (await (await db.database()).getAll("records"))
    .map(({ type, id, author, fields, clocks }) => ({ type, id, author, fields, clocks }));
  results.push({ name: vector.name, records: held, skipped: counter.skipped || 0 });
}
await db.write(APPLY_STORES, clear);
return results;

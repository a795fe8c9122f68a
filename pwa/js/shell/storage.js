// Ask once, quietly, for persistent storage so the browser does not evict the couple's
// history under storage pressure. No prompt of ours, no message; failures are ignored.

const ASKED_KEY = "hearth.storage.persistAsked";

export async function requestPersistentStorage() {
  try {
    if (!navigator.storage || !navigator.storage.persist) return false;
    if (await navigator.storage.persisted()) return true;
    if (localStorage.getItem(ASKED_KEY)) return false;
    localStorage.setItem(ASKED_KEY, new Date().toISOString());
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}

/** true, false, or null when the browser cannot say. */
export async function isStoragePersistent() {
  try {
    if (!navigator.storage || !navigator.storage.persisted) return null;
    return await navigator.storage.persisted();
  } catch {
    return null;
  }
}

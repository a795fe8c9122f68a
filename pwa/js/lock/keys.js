// The app lock's keys (docs/app-lock.md): the data key is random; what is on disk is that
// key wrapped (AES-GCM) under a key made from the passcode by Argon2id and, if the person
// chose it, under a key made by HKDF from what the phone's own screen lock yields through
// WebAuthn's PRF extension.
import { b64u, unb64u } from "../core/encoding.js";
import { argon2id } from "../core/kdf.js";
import { t } from "../i18n/index.js";

// Argon2id's cost for a passcode: 19 MiB and two passes (OWASP's first choice), so every
// guess costs memory as well as time; stored with the lock so it can change later.
export const KDF = { iterations: 2, memoryKiB: 19456, parallelism: 1 };
const PRF_INFO = new TextEncoder().encode("Hearth app lock: screen lock key");

const random = (n) => crypto.getRandomValues(new Uint8Array(n));

export class WrongPasscode extends Error {
  constructor() {
    super("That passcode isn't the one that locks Hearth.");
    this.name = "WrongPasscode";
  }
}

/** Six digits or more, or a passphrase of eight characters or more; else what is missing. */
export function passcodeProblem(passcode) {
  if (typeof passcode !== "string" || !passcode.length) return t("lock.passcode_missing");
  if (/^\d+$/.test(passcode)) return passcode.length >= 6 ? null : t("lock.passcode_few_digits");
  return passcode.length >= 8 ? null : t("lock.passcode_short");
}

async function aesKey(bytes) {
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function wrap(kek, dataKey) {
  const iv = random(12);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, kek, dataKey));
  return { iv: b64u(iv), sealed: b64u(sealed) };
}

async function unwrap(kek, wrapped) {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64u(wrapped.iv) }, kek, unb64u(wrapped.sealed)));
  } catch {
    throw new WrongPasscode();
  }
}

async function passcodeKey(passcode, kdf) {
  const bytes = await argon2id({ password: passcode, salt: unb64u(kdf.salt), iterations: kdf.iterations,
    memoryKiB: kdf.memoryKiB, parallelism: kdf.parallelism, hashLength: 32 });
  return aesKey(bytes);
}

// Argon2id's WebAssembly compiles on first use: at the least cost, while the lock screen waits.
export function warmUp() {
  return argon2id({ password: "warm", salt: new Uint8Array(8), iterations: 1, memoryKiB: 8, hashLength: 4 }).catch(() => {});
}

/** A new data key and the lock's settings holding it wrapped under `passcode`. */
export async function newLock(passcode) {
  const dataKey = random(32);
  const kdf = { ...KDF, salt: b64u(random(16)) };
  const wrapped = await wrap(await passcodeKey(passcode, kdf), dataKey);
  return { dataKey, lock: { v: 1, kdf, passcode: wrapped, prf: null } };
}

/** The data key, if `passcode` is the lock's; WrongPasscode if not. */
export async function openWithPasscode(lock, passcode) {
  return unwrap(await passcodeKey(passcode, lock.kdf), lock.passcode);
}

// ---------- the phone's own screen lock (WebAuthn PRF) ----------

/** Does this browser say it can offer PRF? (It may still fail when tried: we try.) */
export async function screenLockMaybe() {
  if (!globalThis.PublicKeyCredential || !navigator.credentials?.create) return false;
  try {
    const caps = await PublicKeyCredential.getClientCapabilities?.();
    if (caps && caps["extension:prf"] === false) return false;
    return (await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable?.()) !== false;
  } catch {
    return true;
  }
}

async function prfKey(credentialId, salt) {
  const found = await navigator.credentials.get({ publicKey: {
    challenge: random(32), allowCredentials: [{ type: "public-key", id: credentialId }],
    userVerification: "required", timeout: 120000, extensions: { prf: { eval: { first: salt } } } } });
  const first = found?.getClientExtensionResults?.().prf?.results?.first;
  if (!first) throw new Error(t("lock.screen_lock_no_key"));
  const material = await crypto.subtle.importKey("raw", first, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt, info: PRF_INFO }, material,
    { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

/** Enrol the phone's screen lock: returns the lock's prf part holding `dataKey` wrapped. */
export async function enrolScreenLock(dataKey) {
  const made = await navigator.credentials.create({ publicKey: {
    rp: { name: "Hearth" }, user: { id: random(16), name: "Hearth app lock", displayName: "Hearth app lock" },
    challenge: random(32), pubKeyCredParams: [{ type: "public-key", alg: -7 }, { type: "public-key", alg: -257 }],
    authenticatorSelection: { userVerification: "required", residentKey: "discouraged" },
    timeout: 120000, extensions: { prf: {} } } });
  if (!made?.getClientExtensionResults?.().prf?.enabled) {
    throw new Error(t("lock.screen_lock_cannot"));
  }
  const credential = new Uint8Array(made.rawId);
  const salt = random(32);
  const wrapped = await wrap(await prfKey(credential, salt), dataKey);
  return { credential: b64u(credential), salt: b64u(salt), ...wrapped };
}

/** The data key through the phone's screen lock. */
export async function openWithScreenLock(lock) {
  const { credential, salt } = lock.prf;
  const kek = await prfKey(unb64u(credential), unb64u(salt));
  return unwrap(kek, lock.prf);
}

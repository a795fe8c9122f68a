// The Hearth protocol's cryptography (docs/protocol.md sections 2-5) on WebCrypto alone.
//
// Each export mirrors a function of the Python reference in server/hearth/protocol/
// (primitives.py, identity.py, pairing.py) under its camelCase name, and must agree with
// it byte for byte; docs/test-vectors.json is the referee. Envelopes (envelope.py) are
// in envelope.js.
//
// Pure ES module: it touches only globalThis.crypto, so it runs unchanged in browsers
// (which expose crypto.subtle only in secure contexts: https:// or localhost) and in
// Node 20. Bytes are Uint8Array throughout; functions that reach WebCrypto are async.

import {
  assertBytes,
  b64u,
  bytesEqual,
  canon,
  concat,
  readU32,
  u32,
  u64,
  u8,
  unb64u,
  uncanon,
  utf8,
} from "./encoding.js";
import { generatePair, held } from "./key-material.js";

export const VERSION = 1;
export const SUITE_P256 = 1;
export const PUBLIC_KEY_BYTES = 65;
export const SIGNATURE_BYTES = 64;
export const SECRET_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

const ECDSA = { name: "ECDSA", namedCurve: "P-256" };
const ECDH = { name: "ECDH", namedCurve: "P-256" };
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" };

/** Something failed to verify or decrypt; the message never holds secrets. */
export class CryptoError extends Error {
  constructor(message) {
    super(message);
    this.name = "CryptoError";
  }
}

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("WebCrypto is unavailable: Hearth needs https:// (or localhost)");
  return s;
}

export function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

export function checkLength(bytes, n, what) {
  assertBytes(bytes, what);
  if (bytes.length !== n) throw new RangeError(`${what} must be ${n} bytes`);
  return bytes;
}

// ---------------------------------------------------------------------------------------
// Primitives (primitives.py)

export async function sha256(data) {
  return new Uint8Array(await subtle().digest("SHA-256", assertBytes(data, "sha256 input")));
}

/**
 * HKDF-SHA-256. `ikm` is bytes or a non-extractable HKDF CryptoKey (how the app keeps
 * `root`). An empty salt is the empty string, as in the doc; HMAC pads it to the same
 * all-zero key RFC 5869 uses by default, so the two readings agree.
 */
export async function hkdf(ikm, salt, info, length) {
  const key = ikm instanceof Uint8Array ? await importHkdfKey(ikm) : ikm;
  const params = { name: "HKDF", hash: "SHA-256", salt: assertBytes(salt, "salt"), info: assertBytes(info, "info") };
  return new Uint8Array(await subtle().deriveBits(params, key, length * 8));
}

// WebCrypto refuses extractable HKDF keys, so this is also how a secret stops being bytes.
function importHkdfKey(bytes) {
  return subtle().importKey("raw", bytes, "HKDF", false, ["deriveBits"]);
}

/** A 65-byte uncompressed point as a CryptoKey; CryptoError if it is not on P-256. */
export async function loadPublic(raw, algorithm = ECDSA) {
  if (!(raw instanceof Uint8Array) || raw.length !== PUBLIC_KEY_BYTES || raw[0] !== 4) {
    throw new CryptoError("a public key must be a 65-byte uncompressed P-256 point");
  }
  const usages = algorithm.name === "ECDSA" ? ["verify"] : [];
  try {
    return await subtle().importKey("raw", raw, algorithm, true, usages);
  } catch {
    throw new CryptoError("the public key is not a point on P-256");
  }
}

export async function publicRaw(publicKey) {
  return new Uint8Array(await subtle().exportKey("raw", publicKey));
}

/**
 * Import a fixed P-256 scalar (the test vectors' `*_d`) as a non-extractable private key.
 * JWK needs the public point too; WebCrypto implementations check that it matches `d`.
 */
export async function importPrivateScalar(d, publicKey, purpose) {
  checkLength(d, 32, "private scalar");
  checkLength(publicKey, PUBLIC_KEY_BYTES, "public key");
  const jwk = {
    kty: "EC",
    crv: "P-256",
    d: b64u(d),
    x: b64u(publicKey.subarray(1, 33)),
    y: b64u(publicKey.subarray(33, 65)),
    ext: false,
  };
  const [algorithm, usages] = purpose === "ecdh" ? [ECDH, ["deriveBits"]] : [ECDSA, ["sign"]];
  return held("jwk", jwk, algorithm, usages);
}

/** ECDSA P-256/SHA-256 as raw r||s, which is WebCrypto's native encoding. */
export async function sign(privateKey, message) {
  return new Uint8Array(await subtle().sign(ECDSA_SHA256, privateKey, assertBytes(message, "message")));
}

/** Check a raw r||s signature; false (never a throw) for any malformed input. */
export async function verify(publicKey, signature, message) {
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return false;
  if (!(message instanceof Uint8Array)) return false;
  let key;
  try {
    key = await loadPublic(publicKey, ECDSA);
  } catch {
    return false;
  }
  try {
    return await subtle().verify(ECDSA_SHA256, key, signature, message);
  } catch {
    return false;
  }
}

/** P-256 ECDH: the 32-byte x-coordinate of the shared point. */
export async function ecdh(privateKey, peerPublic) {
  const peer = await loadPublic(peerPublic, ECDH);
  return new Uint8Array(await subtle().deriveBits({ name: "ECDH", public: peer }, privateKey, 256));
}

/**
 * A raw 32-byte AES-256-GCM key as a non-extractable CryptoKey (e.g. a sender key), its
 * bytes remembered (key-material.js) so the keys store can keep it sealed.
 */
export function importAeadKey(bytes) {
  checkLength(bytes, 32, "AES-256-GCM key");
  subtle();   // where WebCrypto is missing, say why
  return held("raw", bytes.slice(), { name: "AES-GCM" }, ["encrypt", "decrypt"]);
}

function aeadKey(key) {
  return key instanceof Uint8Array ? importAeadKey(key) : key;
}

/** AES-256-GCM: ciphertext || 16-byte tag. `key` is 32 bytes or an AES-GCM CryptoKey. */
export async function seal(key, nonce, plaintext, ad) {
  checkLength(nonce, NONCE_BYTES, "nonce");
  const params = { name: "AES-GCM", iv: nonce, additionalData: assertBytes(ad, "associated data"), tagLength: 128 };
  return new Uint8Array(await subtle().encrypt(params, await aeadKey(key), assertBytes(plaintext, "plaintext")));
}

export async function openSealed(key, nonce, ciphertext, ad) {
  checkLength(nonce, NONCE_BYTES, "nonce");
  const params = { name: "AES-GCM", iv: nonce, additionalData: assertBytes(ad, "associated data"), tagLength: 128 };
  const cryptoKey = await aeadKey(key);
  try {
    return new Uint8Array(await subtle().decrypt(params, cryptoKey, assertBytes(ciphertext, "ciphertext")));
  } catch {
    throw new CryptoError("authentication failed");
  }
}

// ---------------------------------------------------------------------------------------
// Device identity, login, registration, unpairing and succession (identity.py; sections 2, 3, 11.1, 11.2)

export async function deviceId(sigPub, dhPub, suite = SUITE_P256) {
  const digest = await sha256(canon("hearth/v1/device-id", u8(suite), sigPub, dhPub));
  return b64u(digest.subarray(0, 16));
}

export function loginMessage(challenge, device) {
  return canon("hearth/v1/login", challenge, utf8(device));
}

export function registerMessage(challenge, suite, sigPub, dhPub) {
  return canon("hearth/v1/register", challenge, u8(suite), sigPub, dhPub);
}

/** What a device signs to end its pairing (§11.2); `at` is unix seconds. */
export function unpairMessage(pairId, epoch, device, at) {
  return canon("hearth/v1/unpair", utf8(pairId), u32(epoch), utf8(device), u64(at));
}

// A succession notice's reason (§11.1): who signs it differs, so the bytes say which.
export const REPLACED = 1;   // signed by the partner that remains (§11.3)
export const MOVED = 2;      // signed by the old device itself (§11.4)

/** What names a device's successor (§11.1), in the pair's new epoch, with the new keys. */
export function successionMessage(pairId, newEpoch, reason, oldId, newId, newSigPub, newDhPub) {
  return canon("hearth/v1/succession", utf8(pairId), u32(newEpoch), u8(reason), utf8(oldId), utf8(newId),
    checkLength(newSigPub, PUBLIC_KEY_BYTES, "sig_pub"), checkLength(newDhPub, PUBLIC_KEY_BYTES, "dh_pub"));
}

/**
 * A device's two private keys with their public halves and id. The private keys are
 * non-extractable CryptoKeys whose JWKs key-material.js remembers, so the object
 * can be stored in IndexedDB (as bytes, sealed while the app lock is on) and rebuilt with
 * `DeviceKeys.fromKeys`. Build it through the static factories: the id needs a hash,
 * which WebCrypto only offers asynchronously.
 */
export class DeviceKeys {
  constructor(sig, dh, sigPub, dhPub, id, suite = SUITE_P256) {
    this.sig = sig;
    this.dh = dh;
    this.sigPub = sigPub;
    this.dhPub = dhPub;
    this.deviceId = id;
    this.suite = suite;
  }

  static async generate() {
    subtle();   // where WebCrypto is missing, say why
    const sig = await generatePair(ECDSA, ["sign", "verify"]);
    const dh = await generatePair(ECDH, ["deriveBits"]);
    return DeviceKeys.fromKeys(sig.privateKey, dh.privateKey, await publicRaw(sig.publicKey), await publicRaw(dh.publicKey));
  }

  static async fromKeys(sig, dh, sigPub, dhPub, suite = SUITE_P256) {
    checkLength(sigPub, PUBLIC_KEY_BYTES, "sig_pub");
    checkLength(dhPub, PUBLIC_KEY_BYTES, "dh_pub");
    return new DeviceKeys(sig, dh, sigPub, dhPub, await deviceId(sigPub, dhPub, suite), suite);
  }

  /** Fixed scalars, for the test vectors and tools; the app always generates its keys. */
  static async fromScalars(sigD, sigPub, dhD, dhPub, suite = SUITE_P256) {
    const sig = await importPrivateScalar(sigD, sigPub, "ecdsa");
    const dh = await importPrivateScalar(dhD, dhPub, "ecdh");
    return DeviceKeys.fromKeys(sig, dh, sigPub, dhPub, suite);
  }

  publicFrame() {
    return { suite: this.suite, sig_pub: b64u(this.sigPub), dh_pub: b64u(this.dhPub) };
  }

  signRegister(challenge) {
    return sign(this.sig, registerMessage(challenge, this.suite, this.sigPub, this.dhPub));
  }

  signLogin(challenge) {
    return sign(this.sig, loginMessage(challenge, this.deviceId));
  }
}

// ---------------------------------------------------------------------------------------
// Pairing (pairing.py; section 4). The link itself is in pairing-link.js.

export function newSecret() {
  return randomBytes(SECRET_BYTES);
}

/** An ephemeral ECDH key pair for one pairing: { privateKey, pub } with pub raw bytes. */
export async function newEphemeralKey() {
  subtle();   // where WebCrypto is missing, say why
  const pair = await generatePair(ECDH, ["deriveBits"]);
  return { privateKey: pair.privateKey, pub: await publicRaw(pair.publicKey) };
}

export async function inviteId(secret) {
  checkLength(secret, SECRET_BYTES, "pairing secret");
  return b64u((await sha256(canon("hearth/v1/invite-id", secret))).subarray(0, 16));
}

export function transcript1(invite, ephA, ephB) {
  return sha256(canon("hearth/v1/pair-transcript", u8(SUITE_P256), utf8(invite), ephA, ephB));
}

export function transcript2(th1, aSig, aDh, bSig, bDh) {
  return sha256(canon("hearth/v1/pair-final", th1, aSig, aDh, bSig, bDh));
}

/** [kJoin, kAccept] from the two ephemeral keys, salted with the QR secret. */
export async function pairKeys(ephPrivate, peerEphPub, secret, th1) {
  const k = await hkdf(await ecdh(ephPrivate, peerEphPub), secret, canon("hearth/v1/pair-keys", th1), 64);
  return [k.slice(0, 32), k.slice(32, 64)];
}

function joinProofMessage(th1, sigPub, dhPub) {
  return canon("hearth/v1/pair-join", th1, sigPub, dhPub);
}

function acceptProofMessage(th2, pairId) {
  return canon("hearth/v1/pair-accept", th2, utf8(pairId));
}

/** B's box for A. `nonce` and `proof` are passed only by the test vectors. */
export async function makeJoinBox(keys, th1, kJoin, nonce = null, proof = null) {
  nonce ??= randomBytes(NONCE_BYTES);
  proof ??= await sign(keys.sig, joinProofMessage(th1, keys.sigPub, keys.dhPub));
  const inner = canon("hearth/v1/pair-join-box", u8(keys.suite), keys.sigPub, keys.dhPub, proof);
  return concat(nonce, await seal(kJoin, nonce, inner, th1));
}

/** Throw CryptoError unless the box came from a holder of S with exactly these keys. */
export async function openJoinBox(box, th1, kJoin, sigPub, dhPub) {
  const inner = await openBox(box, kJoin, th1);
  const [suite, bSig, bDh, proof] = boxFields(inner, "hearth/v1/pair-join-box", 4);
  if (!bytesEqual(suite, u8(SUITE_P256)) || !bytesEqual(bSig, sigPub) || !bytesEqual(bDh, dhPub)) {
    throw new CryptoError("the joining device's keys do not match what the relay reported");
  }
  if (!(await verify(bSig, proof, joinProofMessage(th1, bSig, bDh)))) {
    throw new CryptoError("the joining device's proof does not verify");
  }
}

/** A's box for B. `nonce` and `proof` are passed only by the test vectors. */
export async function makeAcceptBox(keys, th1, th2, pairId, kAccept, nonce = null, proof = null) {
  nonce ??= randomBytes(NONCE_BYTES);
  proof ??= await sign(keys.sig, acceptProofMessage(th2, pairId));
  const inner = canon("hearth/v1/pair-accept-box", u8(keys.suite), keys.sigPub, keys.dhPub, utf8(pairId), proof);
  return concat(nonce, await seal(kAccept, nonce, inner, th1));
}

/**
 * Check A's box against the keys the relay reported and B's own pair id; return th2.
 * `joiner` is B's DeviceKeys (only its public halves are used).
 */
export async function openAcceptBox(box, th1, kAccept, joiner, pairId, sigPub, dhPub) {
  const inner = await openBox(box, kAccept, th1);
  const [suite, aSig, aDh, boxedPair, proof] = boxFields(inner, "hearth/v1/pair-accept-box", 5);
  if (!bytesEqual(suite, u8(SUITE_P256)) || !bytesEqual(aSig, sigPub) || !bytesEqual(aDh, dhPub)) {
    throw new CryptoError("the inviting device's keys do not match what the relay reported");
  }
  if (!bytesEqual(boxedPair, utf8(pairId))) {
    throw new CryptoError("the invite belongs to a different pair");
  }
  const th2 = await transcript2(th1, aSig, aDh, joiner.sigPub, joiner.dhPub);
  if (!(await verify(aSig, proof, acceptProofMessage(th2, pairId)))) {
    throw new CryptoError("the inviting device's proof does not verify");
  }
  return th2;
}

// Six digits from a secret, as "123 456": the pairing's code, and a moved phone's (§11.4).
async function sixDigits(ikm, salt) {
  const n = readU32(await hkdf(ikm, salt, utf8("hearth/v1/safety-code"), 4)) % 1_000_000;
  const digits = String(n).padStart(6, "0");
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** The six digits both screens show, as "123 456". */
export function safetyCode(th2, secret) {
  return sixDigits(th2, secret);
}

/** The pair's root secret as bytes; the app keeps it via importRootKey and drops these. */
export async function rootKey(myDh, peerDhPub, th2, pairId, epoch) {
  const info = canon("hearth/v1/root", utf8(pairId), u32(epoch));
  return hkdf(await ecdh(myDh, peerDhPub), th2, info, 32);
}

/** The key of a move stream from an old phone to its successor (§11.4). */
export async function moveKey(myDh, peerDhPub, th2, pairId) {
  return hkdf(await ecdh(myDh, peerDhPub), th2, canon("hearth/v1/move-key", utf8(pairId)), 32);
}

/**
 * The root a partner and a moved device share from `epoch`, the new one (§11.4): a fresh
 * agreement between the two, salted by the notice, that the old device cannot compute.
 */
export async function movedRoot(myDh, peerDhPub, succession, pairId, epoch) {
  const info = canon("hearth/v1/root", utf8(pairId), u32(epoch));
  return hkdf(await ecdh(myDh, peerDhPub), await sha256(assertBytes(succession, "succession")), info, 32);
}

/** The code a partner compares with a moved phone's once they are together (§11.4). */
export async function movedSafetyCode(succession) {
  return sixDigits(await sha256(assertBytes(succession, "succession")), new Uint8Array(0));
}

/** `root` as a non-extractable HKDF key, accepted by senderKey in place of the bytes. */
export function importRootKey(root) {
  checkLength(root, 32, "root key");
  return importHkdfKey(root);
}

/** The id of a `peer` object from a `ready` or `joined` frame, recomputed from its keys. */
export function peerDeviceId(peer) {
  return deviceId(unb64u(peer.sig_pub), unb64u(peer.dh_pub), peer.suite);
}

async function openBox(box, key, th1) {
  assertBytes(box, "pairing box");
  if (box.length < NONCE_BYTES + TAG_BYTES) throw new CryptoError("the pairing box is too short");
  return openSealed(key, box.subarray(0, NONCE_BYTES), box.subarray(NONCE_BYTES), th1);
}

function boxFields(inner, label, count) {
  try {
    return uncanon(inner, label, count);
  } catch {
    throw new CryptoError("the pairing box is malformed");
  }
}

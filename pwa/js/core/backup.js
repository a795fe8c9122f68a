// The encrypted backup file (docs/backup.md), the pure part: its 76-byte header, the keys
// Argon2id and HKDF make from the passphrase, one AES-256-GCM over the payload with the
// header as associated data, and the payload's gzip and outline. Byte for byte the same as
// server/hearth/protocol/backup.py; both pass docs/backup-vectors.json. No DOM, no
// IndexedDB: node tests it.
import * as c from "./crypto.js";
import { concat, fromUtf8, readU32, u32, utf8 } from "./encoding.js";
import { argon2id } from "./kdf.js";
import { t, useWords } from "../i18n/index.js";

await useWords("settings");

export const MAGIC = utf8("HEARTHBK");
export const VERSION = 1;
export const KDF_ARGON2ID = 1;
export const NO_COMPRESSION = 0;
export const GZIP = 1;
export const HEADER_BYTES = 76;
const DIGEST_AT = 68;
const TAG_BYTES = 16;
export const PAYLOAD_VERSION = 1;

// Written with; the least and the most a reader accepts (docs/backup.md, "Key derivation").
// Only the test vectors read with a lower floor.
export const WRITE = Object.freeze({ iterations: 3, memoryKiB: 65536, parallelism: 1 });
export const FLOOR = Object.freeze({ iterations: 2, memoryKiB: 19456, parallelism: 1 });
export const CEILING = Object.freeze({ iterations: 10, memoryKiB: 262144, parallelism: 4 });

/** Why a file does not open: `kind` is one of not_backup, newer, truncated, damaged, passphrase. */
export class BackupError extends Error {
  constructor(kind) {
    super(MESSAGES[kind]);
    this.kind = kind;
  }
}

// What the phone says for each; every one also says nothing changed.
export const MESSAGES = {
  not_backup: t("settings.backup_error_not_backup"),
  newer: t("settings.backup_error_newer"),
  truncated: t("settings.backup_error_truncated"),
  damaged: t("settings.backup_error_damaged"),
  not_empty: t("settings.backup_error_not_empty"),
  passphrase: t("settings.backup_error_passphrase"),
};

const startsWith = (data, prefix) => prefix.every((b, i) => data[i] === b);
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const within = (kdf, lo, hi) => ["iterations", "memoryKiB", "parallelism"].every((k) => lo[k] <= kdf[k] && kdf[k] <= hi[k])
  && kdf.memoryKiB >= 8 * kdf.parallelism;

/** { key: AES-GCM CryptoKey, check: 16 bytes } from the passphrase, NFC-normalised. */
export async function deriveKeys(passphrase, salt, kdf) {
  const master = await argon2id({ password: utf8(passphrase.normalize("NFC")), salt, iterations: kdf.iterations,
    memoryKiB: kdf.memoryKiB, parallelism: kdf.parallelism, hashLength: 32 });
  const [raw, check] = await Promise.all([c.hkdf(master, new Uint8Array(0), utf8("hearth/backup/v1/key"), 32),
    c.hkdf(master, new Uint8Array(0), utf8("hearth/backup/v1/check"), 16)]);
  master.fill(0);
  const key = await c.importAeadKey(raw);
  raw.fill(0);
  return { key, check };
}

async function header(kdf, compression, salt, nonce, length, check) {
  const head = concat(MAGIC, Uint8Array.of(VERSION, KDF_ARGON2ID), u32(kdf.iterations), u32(kdf.memoryKiB),
    Uint8Array.of(kdf.parallelism, compression), salt, nonce, u32(length), check);
  return concat(head, (await c.sha256(head)).subarray(0, 8));
}

/** The whole file for `plaintext` (already gzipped if `compression` says so). */
export async function sealBackup(passphrase, plaintext, { compression = GZIP, kdf = WRITE, salt = null, nonce = null } = {}) {
  const s = salt || c.randomBytes(16);
  const n = nonce || c.randomBytes(12);
  const { key, check } = await deriveKeys(passphrase, s, kdf);
  const head = await header(kdf, compression, s, n, plaintext.length + TAG_BYTES, check);
  return concat(head, await c.seal(key, n, plaintext, head));
}

/** The header, every check that needs no passphrase done, in docs/backup.md's order. */
export async function readHeader(data, floor = FLOOR) {
  if (data.length < MAGIC.length) throw new BackupError(data.length && startsWith(MAGIC, data) ? "truncated" : "not_backup");
  if (!startsWith(data, MAGIC)) throw new BackupError("not_backup");
  if (data.length < 9) throw new BackupError("truncated");
  if (data[8] > VERSION) throw new BackupError("newer");   // a newer header may be laid out otherwise
  if (data.length < HEADER_BYTES) throw new BackupError("truncated");
  const raw = data.slice(0, HEADER_BYTES);
  const digest = (await c.sha256(raw.subarray(0, DIGEST_AT))).subarray(0, 8);
  if (raw[8] !== VERSION || !equal(digest, raw.subarray(DIGEST_AT))) throw new BackupError("damaged");
  const kdf = { iterations: readU32(raw, 10), memoryKiB: readU32(raw, 14), parallelism: raw[18] };
  const compression = raw[19];
  const length = readU32(raw, 48);
  if (raw[9] !== KDF_ARGON2ID || ![NO_COMPRESSION, GZIP].includes(compression) || length < TAG_BYTES
      || !within(kdf, floor, CEILING)) throw new BackupError("damaged");
  if (data.length < HEADER_BYTES + length) throw new BackupError("truncated");
  if (data.length > HEADER_BYTES + length) throw new BackupError("damaged");
  return { version: raw[8], kdf, compression, salt: raw.slice(20, 36), nonce: raw.slice(36, 48), length,
    check: raw.slice(52, 68), raw };
}

/** { header, plaintext } (still compressed if it was), or a BackupError saying why not. */
export async function openBackup(passphrase, data, floor = FLOOR) {
  const head = await readHeader(data, floor);
  const { key, check } = await deriveKeys(passphrase, head.salt, head.kdf);
  if (!equal(check, head.check)) throw new BackupError("passphrase");
  try {
    return { header: head, plaintext: await c.openSealed(key, head.nonce, data.subarray(HEADER_BYTES), head.raw) };
  } catch {
    throw new BackupError("damaged");
  }
}

// ---------- the payload ----------

async function through(stream, bytes) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The payload as sealed: JSON, gzipped by the platform's CompressionStream where it has one. */
export async function encodePayload(payload) {
  const text = utf8(JSON.stringify(payload));
  if (typeof CompressionStream !== "function") return { plaintext: text, compression: NO_COMPRESSION };
  return { plaintext: await through(new CompressionStream("gzip"), text), compression: GZIP };
}

export const LISTS = ["records", "checkins", "reminders", "preferences", "noticed"];
const isObject = (x) => Boolean(x) && typeof x === "object" && !Array.isArray(x);

/** The payload, its outline checked (each item is checked as it is restored). */
export async function decodePayload(plaintext, compression) {
  let payload;
  try {
    const text = compression === GZIP ? await through(new DecompressionStream("gzip"), plaintext) : plaintext;
    payload = JSON.parse(fromUtf8(text));
  } catch {
    throw new BackupError("damaged");
  }
  if (!isObject(payload) || !Number.isInteger(payload.hearth_backup)) throw new BackupError("damaged");
  if (payload.hearth_backup > PAYLOAD_VERSION) throw new BackupError("newer");
  // Left out is empty; present, each must be what it says (null is not a list).
  const orEmpty = (x, name, empty) => { if (x[name] === undefined) x[name] = empty; return x[name]; };
  for (const name of LISTS) if (!Array.isArray(orEmpty(payload, name, []))) throw new BackupError("damaged");
  for (const name of ["place", "partner"]) {
    const place = orEmpty(payload, name, {});
    if (!isObject(place) || !Array.isArray(orEmpty(place, "earlier", []))) throw new BackupError("damaged");
  }
  return payload;
}

/**
 * A gentle word on a passphrase as it is typed: { level: 0-3, text }. A rough count of the
 * guesses it would take, never a rule: the person decides.
 */
export function strengthHint(passphrase) {
  const p = passphrase || "";
  const words = p.trim().split(/\s+/).filter(Boolean).length;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/].filter((r) => r.test(p)).length;
  // Words as from a list of some 7,776 (12.9 bits each); otherwise by length and kinds of character.
  const bits = words >= 3 ? words * 12.9 : p.length * (kinds >= 3 ? 5 : kinds === 2 ? 4.5 : 4);
  if (!p) return { level: 0, text: "" };
  if (bits < 40) return { level: 1, text: t("settings.backup_strength_weak") };
  if (bits < 60) return { level: 2, text: t("settings.backup_strength_fair") };
  return { level: 3, text: t("settings.backup_strength_strong") };
}

/** "Last backup: 5 weeks ago", in days, weeks or months; `ms` null: none yet. */
export function lastBackupLine(ms, now = Date.now()) {
  if (!ms) return t("settings.backup_last_none");
  const days = Math.max(0, Math.floor((now - ms) / 86_400_000));
  return days === 0 ? t("settings.backup_last_today") : days === 1 ? t("settings.backup_last_yesterday")
    : days < 14 ? t("settings.backup_last_days", { count: days })
      : days < 60 ? t("settings.backup_last_weeks", { count: Math.floor(days / 7) }) : t("settings.backup_last_months", { count: Math.floor(days / 30) });
}

/** The opt-in reminder's one gentle line after four weeks (or never), else null. */
export const gentleNudge = (ms, now = Date.now()) => (!ms || now - ms > 28 * 86_400_000
  ? t("settings.backup_nudge") : null);

/** The file's name: the phone's own date and nothing personal. */
export function fileName(date = new Date()) {
  const two = (n) => String(n).padStart(2, "0");
  return `hearth-backup-${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}.hearth`;
}

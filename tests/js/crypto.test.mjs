// pwa/js/core/crypto.js against docs/test-vectors.json: every vector tests/test_vectors.py
// checks for Python, plus the WebCrypto-specific promises (non-extractable keys).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { b64u, canon, concat, fromHex as h, fromUtf8, toHex, u32, utf8 } from "../../pwa/js/core/encoding.js";
import {
  CryptoError,
  DeviceKeys,
  deviceId,
  ecdh,
  importAeadKey,
  importPrivateScalar,
  importRootKey,
  inviteId,
  loadPublic,
  loginMessage,
  MOVED,
  makeAcceptBox,
  moveKey,
  movedRoot,
  movedSafetyCode,
  makeJoinBox,
  newEphemeralKey,
  newSecret,
  openAcceptBox,
  openJoinBox,
  pairKeys,
  peerDeviceId,
  registerMessage,
  REPLACED,
  rootKey,
  safetyCode,
  seal,
  sign,
  successionMessage,
  transcript1,
  transcript2,
  unpairMessage,
  verify,
} from "../../pwa/js/core/crypto.js";
import {
  MAX_BODY,
  ZERO_HASH,
  bucketSize,
  envelopeHash,
  openEnvelope,
  pad,
  parseHeader,
  sealEnvelope,
  senderKey,
  unpad,
} from "../../pwa/js/core/envelope.js";
import { pairingLink, parsePairingLink } from "../../pwa/js/core/pairing-link.js";

const V = JSON.parse(readFileSync(new URL("../../docs/test-vectors.json", import.meta.url), "utf8"));
const P = V.pairing;

const device = (name) => {
  const d = V[name];
  return DeviceKeys.fromScalars(h(d.sig_d), h(d.sig_pub), h(d.dh_d), h(d.dh_pub));
};
const A = await device("device_a");
const B = await device("device_b");
const ephA = await importPrivateScalar(h(P.eph_a_d), h(P.eph_a_pub), "ecdh");
const ephB = await importPrivateScalar(h(P.eph_b_d), h(P.eph_b_pub), "ecdh");

// A CryptoError, and (when given) one whose message matches: the reason matters too.
const rejects = async (promise, reason = /./) => {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof CryptoError, `expected a CryptoError, got ${err}`);
    assert.match(err.message, reason);
    return true;
  });
};

// The public point of a bare scalar, computed by the WebCrypto implementation itself from
// a PKCS#8 key that omits the public half; test-only (Node accepts such keys, not every
// browser does), so the vectors' public keys are checked rather than trusted.
async function publicFromScalar(d) {
  const pkcs8 = concat(
    h("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420"),
    d,
  );
  const key = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return concat(Uint8Array.of(4), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url"));
}

test("device keys and ids", async () => {
  for (const [name, keys] of [["device_a", A], ["device_b", B]]) {
    const d = V[name];
    assert.equal(toHex(await publicFromScalar(h(d.sig_d))), d.sig_pub);
    assert.equal(toHex(await publicFromScalar(h(d.dh_d))), d.dh_pub);
    assert.equal(toHex(keys.sigPub), d.sig_pub);
    assert.equal(toHex(keys.dhPub), d.dh_pub);
    assert.equal(keys.deviceId, d.device_id);
    assert.equal(await deviceId(h(d.sig_pub), h(d.dh_pub)), d.device_id);
    assert.equal(await peerDeviceId({ suite: 1, sig_pub: b64u(h(d.sig_pub)), dh_pub: b64u(h(d.dh_pub)) }), d.device_id);
  }
  assert.equal(toHex(await publicFromScalar(h(P.eph_a_d))), P.eph_a_pub);
  assert.equal(toHex(await publicFromScalar(h(P.eph_b_d))), P.eph_b_pub);
  assert.deepEqual(A.publicFrame(), { suite: 1, sig_pub: b64u(h(V.device_a.sig_pub)), dh_pub: b64u(h(V.device_a.dh_pub)) });
  // A scalar paired with someone else's public point is refused, not silently accepted.
  await assert.rejects(importPrivateScalar(h(V.device_a.sig_d), h(V.device_b.sig_pub), "ecdsa"));
});

test("login and register messages and signatures", async () => {
  const lg = V.login;
  const rg = V.register;
  assert.equal(lg.device, A.deviceId);
  assert.equal(toHex(loginMessage(h(lg.challenge), lg.device)), lg.message);
  assert.ok(await verify(A.sigPub, h(lg.signature), h(lg.message)));
  assert.equal(toHex(registerMessage(h(rg.challenge), 1, B.sigPub, B.dhPub)), rg.message);
  assert.ok(await verify(B.sigPub, h(rg.signature), h(rg.message)));
  assert.ok(!(await verify(B.sigPub, h(lg.signature), h(lg.message))));
  assert.ok(!(await verify(A.sigPub, h(lg.signature), h(rg.message))));

  // Our own (randomised) signatures are raw r||s and verify too.
  const mine = await A.signLogin(h(lg.challenge));
  assert.equal(mine.length, 64);
  assert.ok(await verify(A.sigPub, mine, h(lg.message)));
  assert.ok(await verify(B.sigPub, await B.signRegister(h(rg.challenge)), h(rg.message)));
});

test("the unpair notice (§11.2): message and signature", async () => {
  const u = V.unpair;
  assert.equal(u.device, A.deviceId);
  assert.equal(toHex(unpairMessage(u.pair_id, u.epoch, u.device, u.at)), u.message);
  assert.ok(await verify(A.sigPub, h(u.signature), h(u.message)));
  // The time, the epoch and the signer are all inside what is signed.
  assert.ok(!(await verify(A.sigPub, h(u.signature), unpairMessage(u.pair_id, u.epoch, u.device, u.at + 1))));
  assert.ok(!(await verify(A.sigPub, h(u.signature), unpairMessage(u.pair_id, u.epoch + 1, u.device, u.at))));
  assert.ok(!(await verify(B.sigPub, h(u.signature), h(u.message))));
  // Our own (randomised) signature over it verifies too.
  assert.ok(await verify(A.sigPub, await sign(A.sig, h(u.message)), h(u.message)));
});

test("succession notices (§11): message bytes, signatures, and the keys each leads to", async () => {
  const s = V.succession;
  const C = await DeviceKeys.fromScalars(h(s.device_c.sig_d), h(s.device_c.sig_pub), h(s.device_c.dh_d), h(s.device_c.dh_pub));
  const D = await DeviceKeys.fromScalars(h(s.device_d.sig_d), h(s.device_d.sig_pub), h(s.device_d.dh_d), h(s.device_d.dh_pub));
  assert.equal(C.deviceId, s.device_c.device_id);
  assert.equal(D.deviceId, s.device_d.device_id);
  assert.deepEqual([REPLACED, MOVED], [s.replaced.reason, s.moved.reason]);
  for (const [n, next] of [[s.replaced, C], [s.moved, D]]) {
    const message = successionMessage(s.pair_id, n.epoch, n.reason, n.old, n.new, next.sigPub, next.dhPub);
    assert.equal(toHex(message), n.message);
    assert.equal(n.new, next.deviceId);
    assert.equal(n.signer, A.deviceId);
    assert.ok(await verify(A.sigPub, h(n.signature), message));
    // Another epoch, reason, successor key or signer is another notice.
    const other = (epoch, reason, sigPub) => successionMessage(s.pair_id, epoch, reason, n.old, n.new, sigPub, next.dhPub);
    assert.ok(!(await verify(A.sigPub, h(n.signature), other(n.epoch + 1, n.reason, next.sigPub))));
    assert.ok(!(await verify(A.sigPub, h(n.signature), other(n.epoch, 3 - n.reason, next.sigPub))));
    assert.ok(!(await verify(A.sigPub, h(n.signature), other(n.epoch, n.reason, B.sigPub))));
    assert.ok(!(await verify(B.sigPub, h(n.signature), message)));
    assert.ok(await verify(A.sigPub, await sign(A.sig, message), message));   // our own verifies too
  }
  const th2 = h(s.th2);
  const r = s.replaced;
  const m = s.moved;
  // A replacement's root is made as in first pairing, at the new epoch, from both ends.
  assert.equal(toHex(await rootKey(A.dh, C.dhPub, th2, s.pair_id, r.epoch)), r.root);
  assert.equal(toHex(await rootKey(C.dh, A.dhPub, th2, s.pair_id, r.epoch)), r.root);
  assert.notEqual(r.root, P.root);
  assert.equal(toHex(await moveKey(D.dh, A.dhPub, th2, s.pair_id)), m.move_key);
  assert.equal(toHex(await moveKey(A.dh, D.dhPub, th2, s.pair_id)), m.move_key);
  assert.equal(toHex(await movedRoot(D.dh, C.dhPub, h(m.message), s.pair_id, m.epoch)), m.root);
  assert.equal(toHex(await movedRoot(C.dh, D.dhPub, h(m.message), s.pair_id, m.epoch)), m.root);
  assert.notEqual(m.root, r.root);
  assert.equal(await movedSafetyCode(h(m.message)), m.safety_code);
  assert.throws(() => successionMessage(s.pair_id, 2, 1, "old", "new", C.sigPub.slice(1), C.dhPub), RangeError);
});

test("verify is false, never a throw, for malformed input", async () => {
  const lg = V.login;
  const sig = h(lg.signature);
  const msg = h(lg.message);
  assert.equal(await verify(A.sigPub, sig.slice(0, 63), msg), false);
  assert.equal(await verify(A.sigPub, new Uint8Array(64), msg), false);
  assert.equal(await verify(A.sigPub.slice(0, 64), sig, msg), false);
  const offCurve = A.sigPub.slice();
  offCurve[64] ^= 1;
  assert.equal(await verify(offCurve, sig, msg), false);
  assert.equal(await verify(A.sigPub, "not bytes", msg), false);
  assert.equal(await verify(A.sigPub, sig, "not bytes"), false);
  const flipped = sig.slice();
  flipped[10] ^= 0x40;
  assert.equal(await verify(A.sigPub, flipped, msg), false);
  await rejects(loadPublic(offCurve));
  await rejects(loadPublic(concat(Uint8Array.of(2), A.sigPub.subarray(1, 33))));
});

test("pairing derivations", async () => {
  const secret = h(P.secret);
  assert.equal(await inviteId(secret), P.invite_id);
  assert.equal(pairingLink(P.origin, secret, h(P.eph_a_pub)), P.link);
  assert.deepEqual(parsePairingLink(P.link), { origin: P.origin, secret, eph: h(P.eph_a_pub) });
  const th1 = await transcript1(P.invite_id, h(P.eph_a_pub), h(P.eph_b_pub));
  assert.equal(toHex(th1), P.th1);
  const keysB = await pairKeys(ephB, h(P.eph_a_pub), secret, th1);
  const keysA = await pairKeys(ephA, h(P.eph_b_pub), secret, th1);
  assert.deepEqual(keysA.map(toHex), [P.k_join, P.k_accept]);
  assert.deepEqual(keysB.map(toHex), [P.k_join, P.k_accept]);
  const th2 = await transcript2(th1, A.sigPub, A.dhPub, B.sigPub, B.dhPub);
  assert.equal(toHex(th2), P.th2);
  assert.equal(await safetyCode(th2, secret), P.safety_code);
  assert.equal(toHex(await rootKey(A.dh, B.dhPub, th2, P.pair_id, P.epoch)), P.root);
  assert.equal(toHex(await rootKey(B.dh, A.dhPub, th2, P.pair_id, P.epoch)), P.root);
});

test("pairing proofs in the vectors verify", async () => {
  const th1 = h(P.th1);
  const th2 = h(P.th2);
  assert.ok(await verify(B.sigPub, h(P.join_proof), canon("hearth/v1/pair-join", th1, B.sigPub, B.dhPub)));
  assert.ok(await verify(A.sigPub, h(P.accept_proof), canon("hearth/v1/pair-accept", th2, utf8(P.pair_id))));
});

test("pairing boxes reproduce and open", async () => {
  const th1 = h(P.th1);
  const th2 = h(P.th2);
  const join = await makeJoinBox(B, th1, h(P.k_join), h(P.join_nonce), h(P.join_proof));
  assert.equal(toHex(join), P.join_box);
  await openJoinBox(join, th1, h(P.k_join), B.sigPub, B.dhPub);
  const accept = await makeAcceptBox(A, th1, th2, P.pair_id, h(P.k_accept), h(P.accept_nonce), h(P.accept_proof));
  assert.equal(toHex(accept), P.accept_box);
  assert.deepEqual(await openAcceptBox(accept, th1, h(P.k_accept), B, P.pair_id, A.sigPub, A.dhPub), th2);

  // With a fresh nonce and a fresh (randomised) proof the boxes differ yet still open.
  const freshJoin = await makeJoinBox(B, th1, h(P.k_join));
  assert.notEqual(toHex(freshJoin), P.join_box);
  await openJoinBox(freshJoin, th1, h(P.k_join), B.sigPub, B.dhPub);
  const freshAccept = await makeAcceptBox(A, th1, th2, P.pair_id, h(P.k_accept));
  assert.deepEqual(await openAcceptBox(freshAccept, th1, h(P.k_accept), B, P.pair_id, A.sigPub, A.dhPub), th2);
});

test("pairing boxes reject substitution and tampering", async () => {
  const th1 = h(P.th1);
  const join = h(P.join_box);
  const accept = h(P.accept_box);
  // A relay swapping in its own keys for B's.
  await rejects(openJoinBox(join, th1, h(P.k_join), A.sigPub, A.dhPub), /keys do not match/);
  // A box opened under the wrong pair id.
  await rejects(openAcceptBox(accept, th1, h(P.k_accept), B, "another-pair", A.sigPub, A.dhPub), /different pair/);
  // A key derived without the QR secret.
  await rejects(openJoinBox(join, th1, new Uint8Array(32), B.sigPub, B.dhPub), /authentication failed/);
  // Keys the relay reported for A that are not A's.
  await rejects(openAcceptBox(accept, th1, h(P.k_accept), B, P.pair_id, B.sigPub, B.dhPub), /keys do not match/);
  // A different transcript (say, a swapped E_B) is different associated data.
  const otherTh1 = th1.slice();
  otherTh1[0] ^= 1;
  await rejects(openJoinBox(join, otherTh1, h(P.k_join), B.sigPub, B.dhPub));
  // Keys mixed up between the two directions.
  await rejects(openJoinBox(join, th1, h(P.k_accept), B.sigPub, B.dhPub));
  // Any flipped byte, and a truncated box.
  for (const i of [0, 11, 12, 40, join.length - 1]) {
    const bad = join.slice();
    bad[i] ^= 1;
    await rejects(openJoinBox(bad, th1, h(P.k_join), B.sigPub, B.dhPub));
  }
  await rejects(openJoinBox(join.slice(0, 27), th1, h(P.k_join), B.sigPub, B.dhPub), /too short/);
  // A well-sealed box whose proof was made by the wrong key, or over another transcript.
  const forged = await makeJoinBox(B, th1, h(P.k_join), null, await sign(A.sig, canon("hearth/v1/pair-join", th1, B.sigPub, B.dhPub)));
  await rejects(openJoinBox(forged, th1, h(P.k_join), B.sigPub, B.dhPub), /proof does not verify/);
  const stale = await makeAcceptBox(A, th1, ZERO_HASH, P.pair_id, h(P.k_accept));
  await rejects(openAcceptBox(stale, th1, h(P.k_accept), B, P.pair_id, A.sigPub, A.dhPub), /proof does not verify/);
  // A box that opens but holds something other than a join box.
  const nonce = new Uint8Array(12);
  const junk = concat(nonce, await seal(h(P.k_join), nonce, canon("hearth/v1/pair-accept-box", utf8("x")), th1));
  await rejects(openJoinBox(junk, th1, h(P.k_join), B.sigPub, B.dhPub), /malformed/);
});

test("sender keys", async () => {
  const root = h(P.root);
  const entries = Object.entries(V.sender_keys);
  assert.equal(entries.length, 2);
  for (const [dev, key] of entries) {
    assert.equal(toHex(await senderKey(root, P.pair_id, P.epoch, dev)), key);
    // The app keeps root as a non-extractable HKDF key; the derivation is the same.
    assert.equal(toHex(await senderKey(await importRootKey(root), P.pair_id, P.epoch, dev)), key);
  }
  assert.deepEqual(Object.keys(V.sender_keys).sort(), [A.deviceId, B.deviceId].sort());
});

test("envelopes reproduce byte for byte, hash, parse and open", async () => {
  assert.equal(V.envelopes.length, 2);
  for (const e of V.envelopes) {
    const key = h(V.sender_keys[e.sender]);
    const env = await sealEnvelope(key, P.pair_id, e.sender, e.epoch, e.seq, h(e.prev), utf8(e.body), h(e.nonce));
    assert.equal(toHex(env), e.envelope);
    assert.equal(toHex(await envelopeHash(env)), e.hash);
    const header = parseHeader(env);
    assert.deepEqual(header, { version: 1, suite: 1, epoch: e.epoch, seq: e.seq, prev: h(e.prev) });
    assert.equal(fromUtf8(await openEnvelope(key, P.pair_id, e.sender, env)), e.body);
    // An imported, non-extractable AES key seals and opens the same bytes.
    const cryptoKey = await importAeadKey(key);
    assert.equal(cryptoKey.extractable, false);
    assert.equal(toHex(await sealEnvelope(cryptoKey, P.pair_id, e.sender, e.epoch, e.seq, h(e.prev), utf8(e.body), h(e.nonce))), e.envelope);
    assert.equal(fromUtf8(await openEnvelope(cryptoKey, P.pair_id, e.sender, h(e.envelope))), e.body);
  }
  const [first, second] = V.envelopes;
  assert.equal(first.prev, toHex(ZERO_HASH));
  assert.equal(second.prev, first.hash);
});

test("envelopes reject tampering, reflection and other pairs", async () => {
  const e = V.envelopes[0];
  const env = h(e.envelope);
  const key = h(V.sender_keys[e.sender]);
  const tampered = env.slice();
  tampered[tampered.length - 1] ^= 1;
  await rejects(openEnvelope(key, P.pair_id, e.sender, tampered));
  // Reflected back as if the other device sent it.
  await rejects(openEnvelope(h(V.sender_keys[B.deviceId]), P.pair_id, B.deviceId, env));
  // The right key, but claimed to come from the other device.
  await rejects(openEnvelope(key, P.pair_id, B.deviceId, env));
  await rejects(openEnvelope(key, "another-pair", e.sender, env));
  // Every header field is bound: epoch, seq and prev moved, each one byte.
  for (const i of [5, 13, 14, 45, 46, 57, 58]) {
    const bad = env.slice();
    bad[i] ^= 1;
    await rejects(openEnvelope(key, P.pair_id, e.sender, bad));
  }
  const version = env.slice();
  version[0] = 2;
  await rejects(openEnvelope(key, P.pair_id, e.sender, version), /version or suite/);
  const suite = env.slice();
  suite[1] = 2;
  await rejects(openEnvelope(key, P.pair_id, e.sender, suite), /version or suite/);
  await rejects(openEnvelope(key, P.pair_id, e.sender, env.slice(0, 46 + 12 + 15)), /too short/);
  assert.throws(() => parseHeader(env.slice(0, 73)), CryptoError);
});

test("padding buckets", () => {
  assert.ok(V.padding.length >= 7);
  for (const p of V.padding) assert.equal(bucketSize(p.body_len), p.bucket);
  assert.throws(() => bucketSize(32765), RangeError);
  assert.equal(MAX_BODY, 32764);
  const padded = pad(utf8("hi"));
  assert.equal(padded.length, 256);
  assert.equal(toHex(padded.subarray(0, 6)), "000000026869");
  assert.ok(padded.subarray(6).every((b) => b === 0));
  assert.deepEqual(unpad(padded), utf8("hi"));
  assert.throws(() => pad(new Uint8Array(32765)), RangeError);
});

test("receivers refuse padding that lies about its length or is not zeros", async () => {
  const key = h(V.sender_keys[A.deviceId]);
  const header = h(V.envelopes[0].envelope).subarray(0, 46);
  const nonce = new Uint8Array(12);
  const craft = async (padded) => {
    const ad = canon("hearth/v1/envelope", utf8(P.pair_id), utf8(A.deviceId), header);
    return concat(header, nonce, await seal(key, nonce, padded, ad));
  };
  const good = pad(utf8("ok"));
  assert.equal(fromUtf8(await openEnvelope(key, P.pair_id, A.deviceId, await craft(good))), "ok");
  const dirty = good.slice();
  dirty[200] = 1;
  await rejects(openEnvelope(key, P.pair_id, A.deviceId, await craft(dirty)), /padding/);
  const long = good.slice();
  long.set(u32(253), 0);
  await rejects(openEnvelope(key, P.pair_id, A.deviceId, await craft(long)), /padding/);
  await rejects(openEnvelope(key, P.pair_id, A.deviceId, await craft(Uint8Array.of(0, 0))), /padding/);
});

test("generated device keys: private halves are non-extractable", async () => {
  const keys = await DeviceKeys.generate();
  for (const k of [keys.sig, keys.dh]) {
    assert.equal(k.type, "private");
    assert.equal(k.extractable, false);
    for (const format of ["pkcs8", "jwk"]) await assert.rejects(crypto.subtle.exportKey(format, k));
  }
  assert.equal(keys.sigPub.length, 65);
  assert.equal(keys.sigPub[0], 4);
  assert.equal(keys.dhPub.length, 65);
  assert.match(keys.deviceId, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(keys.deviceId, await deviceId(keys.sigPub, keys.dhPub));
  const challenge = newSecret();
  assert.ok(await verify(keys.sigPub, await keys.signRegister(challenge), registerMessage(challenge, 1, keys.sigPub, keys.dhPub)));
  assert.ok(await verify(keys.sigPub, await keys.signLogin(challenge), loginMessage(challenge, keys.deviceId)));
  // Rebuilding from stored CryptoKeys (as IndexedDB returns them) gives the same device.
  const again = await DeviceKeys.fromKeys(keys.sig, keys.dh, keys.sigPub, keys.dhPub);
  assert.equal(again.deviceId, keys.deviceId);
  const eph = await newEphemeralKey();
  assert.equal(eph.privateKey.extractable, false);
  assert.equal(eph.pub.length, 65);
  assert.equal((await importRootKey(newSecret())).extractable, false);
  assert.equal((await importPrivateScalar(h(V.device_a.sig_d), A.sigPub, "ecdsa")).extractable, false);
});

test("two fresh devices pair and exchange envelopes end to end", async () => {
  const a = await DeviceKeys.generate();
  const b = await DeviceKeys.generate();
  const pairId = b64u(newSecret().subarray(0, 16));
  const epoch = 1;

  // A: invite and link.
  const secret = newSecret();
  const ea = await newEphemeralKey();
  const invite = await inviteId(secret);
  const link = pairingLink("https://relay.example/", secret, ea.pub);

  // B: reads the link, joins.
  const parsed = parsePairingLink(link);
  assert.equal(parsed.origin, "https://relay.example");
  const eb = await newEphemeralKey();
  const th1B = await transcript1(await inviteId(parsed.secret), parsed.eph, eb.pub);
  const [kJoinB, kAcceptB] = await pairKeys(eb.privateKey, parsed.eph, parsed.secret, th1B);
  const box = await makeJoinBox(b, th1B, kJoinB);

  // A: opens the join box, accepts.
  const th1A = await transcript1(invite, ea.pub, eb.pub);
  const [kJoinA, kAcceptA] = await pairKeys(ea.privateKey, eb.pub, secret, th1A);
  await openJoinBox(box, th1A, kJoinA, b.sigPub, b.dhPub);
  const th2A = await transcript2(th1A, a.sigPub, a.dhPub, b.sigPub, b.dhPub);
  const acceptBox = await makeAcceptBox(a, th1A, th2A, pairId, kAcceptA);

  // B: opens the accept box.
  const th2B = await openAcceptBox(acceptBox, th1B, kAcceptB, b, pairId, a.sigPub, a.dhPub);
  assert.deepEqual(th2B, th2A);
  assert.equal(await safetyCode(th2A, secret), await safetyCode(th2B, parsed.secret));
  assert.match(await safetyCode(th2A, secret), /^\d{3} \d{3}$/);
  const rootA = await rootKey(a.dh, b.dhPub, th2A, pairId, epoch);
  const rootB = await rootKey(b.dh, a.dhPub, th2B, pairId, epoch);
  assert.deepEqual(rootA, rootB);
  assert.deepEqual(await ecdh(a.dh, b.dhPub), await ecdh(b.dh, a.dhPub));

  // Envelopes both ways, chained.
  const rootKeyA = await importRootKey(rootA);
  const sendA = await senderKey(rootKeyA, pairId, epoch, a.deviceId);
  const recvB = await senderKey(rootB, pairId, epoch, a.deviceId);
  const env1 = await sealEnvelope(sendA, pairId, a.deviceId, epoch, 1, ZERO_HASH, utf8('{"ops":[]}'));
  const env2 = await sealEnvelope(sendA, pairId, a.deviceId, epoch, 2, await envelopeHash(env1), utf8("x".repeat(5000)));
  assert.equal(env2.length, 46 + 12 + 8192 + 16);
  assert.equal(fromUtf8(await openEnvelope(recvB, pairId, a.deviceId, env1)), '{"ops":[]}');
  assert.equal((await openEnvelope(recvB, pairId, a.deviceId, env2)).length, 5000);
  assert.deepEqual(parseHeader(env2).prev, await envelopeHash(env1));
  const sendB = await senderKey(rootB, pairId, epoch, b.deviceId);
  const back = await sealEnvelope(sendB, pairId, b.deviceId, epoch, 1, ZERO_HASH, utf8("hello"));
  assert.equal(fromUtf8(await openEnvelope(await senderKey(rootA, pairId, epoch, b.deviceId), pairId, b.deviceId, back)), "hello");
  await rejects(openEnvelope(recvB, pairId, a.deviceId, back));

  // A joiner that read a different secret (a tampered QR) cannot get in.
  const wrong = newSecret();
  const [kJoinWrong] = await pairKeys(eb.privateKey, ea.pub, wrong, th1B);
  await rejects(openJoinBox(await makeJoinBox(b, th1B, kJoinWrong), th1A, kJoinA, b.sigPub, b.dhPub));
});

test("argument checks catch misuse early", async () => {
  const key = h(V.sender_keys[A.deviceId]);
  await assert.rejects(sealEnvelope(key, P.pair_id, A.deviceId, 1, 1, new Uint8Array(31), utf8("x")), RangeError);
  await assert.rejects(sealEnvelope(key, P.pair_id, A.deviceId, 1, 1, ZERO_HASH, utf8("x"), new Uint8Array(8)), RangeError);
  await assert.rejects(sealEnvelope(key, P.pair_id, A.deviceId, 1, 0.5, ZERO_HASH, utf8("x")), RangeError);
  await assert.rejects(sealEnvelope(key, P.pair_id, A.deviceId, 1, 1, ZERO_HASH, "a string body"), TypeError);
  await assert.rejects(sealEnvelope(new Uint8Array(16), P.pair_id, A.deviceId, 1, 1, ZERO_HASH, utf8("x")), RangeError);
  await assert.rejects(inviteId(new Uint8Array(16)), RangeError);
  // A header whose seq no JSON number can carry is refused.
  const env = h(V.envelopes[0].envelope);
  env.set(h("0020000000000000"), 6);
  assert.throws(() => parseHeader(env), CryptoError);
});

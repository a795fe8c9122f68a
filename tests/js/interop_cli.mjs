// A command-line face on pwa/js/core for tests/test_js_modules.py, so Python's reference
// implementation and the browser modules can be checked against each other with fresh
// random keys and nonces, beyond the fixed test vectors. Not a test file itself (the
// name keeps `node --test` from picking it up).
//
//   seal <key hex> <pair id> <sender> <epoch> <seq> <prev hex> <body b64u>  -> envelope b64u
//   open <key hex> <pair id> <sender> <envelope b64u>                       -> body b64u
//   sign <message hex>        -> {"sig_pub", "signature"} (hex) from a fresh device key
//   verify <pub hex> <signature hex> <message hex>                          -> true | false
//   join   the joining device (B) of section 4, one JSON object per line on stdin/stdout
//
// A CryptoError exits with status 2 and its message on stderr.

import { createInterface } from "node:readline";

import { b64u, fromHex, toHex, unb64u, utf8 } from "../../pwa/js/core/encoding.js";
import {
  CryptoError,
  DeviceKeys,
  inviteId,
  makeJoinBox,
  newEphemeralKey,
  openAcceptBox,
  pairKeys,
  peerDeviceId,
  rootKey,
  safetyCode,
  sign,
  transcript1,
  verify,
} from "../../pwa/js/core/crypto.js";
import {
  ZERO_HASH,
  openEnvelope,
  sealEnvelope,
  senderKey,
} from "../../pwa/js/core/envelope.js";
import { parsePairingLink } from "../../pwa/js/core/pairing-link.js";

const commands = {
  async seal(keyHex, pairId, sender, epoch, seq, prevHex, bodyB64u) {
    const env = await sealEnvelope(fromHex(keyHex), pairId, sender, Number(epoch), Number(seq), fromHex(prevHex), unb64u(bodyB64u));
    return b64u(env);
  },

  async open(keyHex, pairId, sender, envelopeB64u) {
    return b64u(await openEnvelope(fromHex(keyHex), pairId, sender, unb64u(envelopeB64u)));
  },

  async sign(messageHex) {
    const keys = await DeviceKeys.generate();
    const signature = await sign(keys.sig, fromHex(messageHex));
    return JSON.stringify({ sig_pub: toHex(keys.sigPub), signature: toHex(signature) });
  },

  async verify(pubHex, signatureHex, messageHex) {
    return String(await verify(fromHex(pubHex), fromHex(signatureHex), fromHex(messageHex)));
  },

  async join() {
    const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const read = async () => JSON.parse((await lines.next()).value);
    const write = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

    // 1. The link, the challenge and (as `joined` would report them) the pair and A's keys.
    const start = await read();
    const { secret, eph: ephA } = parsePairingLink(start.link);
    const b = await DeviceKeys.generate();
    const ephB = await newEphemeralKey();
    const invite = await inviteId(secret);
    const th1 = await transcript1(invite, ephA, ephB.pub);
    const [kJoin, kAccept] = await pairKeys(ephB.privateKey, ephA, secret, th1);
    write({
      invite,
      device: b.deviceId,
      ...b.publicFrame(),
      sig: b64u(await b.signRegister(unb64u(start.challenge))),
      eph: b64u(ephB.pub),
      box: b64u(await makeJoinBox(b, th1, kJoin)),
    });

    // 2. A's accept box and A's first envelope.
    const accepted = await read();
    const peer = start.peer;
    const aId = await peerDeviceId(peer);
    const th2 = await openAcceptBox(unb64u(accepted.box), th1, kAccept, b, start.pair_id, unb64u(peer.sig_pub), unb64u(peer.dh_pub));
    const root = await rootKey(b.dh, unb64u(peer.dh_pub), th2, start.pair_id, start.epoch);
    const fromA = await openEnvelope(await senderKey(root, start.pair_id, start.epoch, aId), start.pair_id, aId, unb64u(accepted.envelope));
    const mine = await senderKey(root, start.pair_id, start.epoch, b.deviceId);
    const reply = await sealEnvelope(mine, start.pair_id, b.deviceId, start.epoch, 1, ZERO_HASH, utf8(start.reply));
    write({ peer_device: aId, safety: await safetyCode(th2, secret), body: b64u(fromA), envelope: b64u(reply) });
    return null;
  },
};

const [name, ...args] = process.argv.slice(2);
if (!Object.hasOwn(commands, name)) {
  process.stderr.write(`usage: interop_cli.mjs ${Object.keys(commands).join("|")} ...\n`);
  process.exit(64);
}
try {
  const out = await commands[name](...args);
  if (out !== null) process.stdout.write(out + "\n");
} catch (err) {
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exit(err instanceof CryptoError ? 2 : 1);
}

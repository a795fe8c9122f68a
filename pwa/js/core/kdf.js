// Argon2id, for keys made from something a person types (a backup's passphrase, the app
// lock's passcode), so that guessing offline costs memory as well as time.
// hash-wasm's WebAssembly build is vendored (pwa/vendor/refresh.sh) and loaded only when
// first needed: most visits never derive a key from a passphrase.
// The relay's CSP allows 'wasm-unsafe-eval' for this module alone to compile its wasm.

let loading = null;

function hashwasm() {
  loading ??= import("../../vendor/hash-wasm/argon2.umd.min.js")
    .then((module) => globalThis.hashwasm ?? module.default);   // node loads it as CommonJS
  return loading;
}

// `password` and `salt` are strings or Uint8Arrays; returns `hashLength` bytes.
export async function argon2id({ password, salt, iterations, memoryKiB, parallelism = 1, hashLength = 32 }) {
  const { argon2id: derive } = await hashwasm();
  return derive({
    password, salt, iterations, parallelism, hashLength,
    memorySize: memoryKiB, outputType: "binary",
  });
}

#!/usr/bin/env bash
# Re-vendor the app's third-party modules from the npm registry at pinned versions.
# The app loads nothing from any other host, so these files are served by the relay itself.
# To upgrade one, change its version here, run this script, test, and commit the result.
set -euo pipefail
cd "$(dirname "$0")"

# name@version  file-in-package  vendored-as
PACKAGES=(
  "idb@8.0.4               build/index.js        idb/index.js"
  "qrcode-generator@2.0.4  dist/qrcode.mjs       qrcode-generator/qrcode.mjs"
  "jsqr@1.4.0              dist/jsQR.js          jsqr/jsQR.js"
  "hash-wasm@4.12.0        dist/argon2.umd.min.js  hash-wasm/argon2.umd.min.js"
  # The app lock seals values inside IndexedDB transactions, where WebCrypto's promises
  # cannot be awaited: noble's synchronous AES-GCM, three files of one package.
  "@noble/ciphers@2.1.1    aes.js                noble-ciphers/aes.js"
  "@noble/ciphers@2.1.1    _polyval.js           noble-ciphers/_polyval.js"
  "@noble/ciphers@2.1.1    utils.js              noble-ciphers/utils.js"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > VERSIONS
for entry in "${PACKAGES[@]}"; do
  read -r spec file target <<<"$entry"
  name=${spec%@*}
  # npm names a scoped package's tarball without its "@" and "/": take the name it prints.
  tgz=$(cd "$work" && npm pack --silent "$spec")
  mkdir -p "$work/$name" "$(dirname "$target")"
  tar -xzf "$work/$tgz" -C "$work/$name"
  cp "$work/$name/package/$file" "$target"
  dir=$(dirname "$target")
  if [ -f "$work/$name/package/LICENSE" ]; then
    cp "$work/$name/package/LICENSE" "$dir/LICENSE"
  else
    # qrcode-generator ships its MIT notice only in the source header.
    { sed -n '1,16p' "$work/$name/package/$file"; echo; cat MIT.txt; } > "$dir/LICENSE"
  fi
  echo "$spec $(sha256sum "$target" | cut -d' ' -f1)" >> VERSIONS
done
echo "vendored:"; cat VERSIONS

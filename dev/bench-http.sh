#!/usr/bin/env bash
# The HTTP benchmark: audited screen loads and searches through a signed-in session, each next
# to the same server's /healthz in the same run, with wrk on loopback (64 connections).
#   dev/bench-http.sh [persons]      default 5600000 (Finland); the register is reused
#   KYSELY_BENCH_SECONDS=20 (per screen workload), KYSELY_BENCH_ONLY='every screen' (a regex),
#   KYSELY_BENCH_FEED_RATE=2000 (register changes a second fed in during the "while" workload)
# Prints a Markdown table for docs/benchmarks.md. Needs a release build (make test or make run).
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/env.sh

PERSONS=${1:-5600000}
DIR=${KYSELY_BENCH_DIR:-data/bench-http}
SECONDS_PER_RUN=${KYSELY_BENCH_SECONDS:-20}
ONLY=${KYSELY_BENCH_ONLY:-}   # a regular expression: run only the workloads whose name matches
SERVER="$CARGO_TARGET_DIR/release/server"
[ -x "$SERVER" ] || { echo "build first: cargo leptos build --release (make test does)" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
  echo "==> installing wrk (Debian)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi

mkdir -p "$DIR"
if [ "$(cat "$DIR/persons" 2>/dev/null)" != "$PERSONS" ] || ! "$SERVER" register schema --file "$DIR/register.redb" >/dev/null 2>&1; then
  echo "==> generating a register of $PERSONS persons (Finland scale takes about 6 minutes)"
  "$SERVER" generate --persons "$PERSONS" --out "$DIR/register.redb"
  echo "$PERSONS" >"$DIR/persons"
fi
rm -f "$DIR/audit.redb" "$DIR/audit.index.redb" "$DIR/sessions.redb"
"$SERVER" bench-requests --file "$DIR/register.redb" --count 20000 --out "$DIR/bodies"

RUN=$(mktemp -d)
cleanup() { stop_pid "$RUN/server.pid"; stop_pid "$RUN/idp.pid"; rm -rf "$RUN"; }
trap cleanup EXIT
start_idp "$RUN/idp.pid" "$RUN/idp.log"
# One session stands for many officials here: lift the per-user and per-organisation query rates.
KYSELY_DATA_DIR="$DIR" KYSELY_USER_QUERIES_PER_MINUTE=100000000 KYSELY_ORG_QUERIES_PER_MINUTE=100000000 \
  "$SERVER" serve >"$RUN/server.log" 2>&1 &
echo $! >"$RUN/server.pid"
wait_for "http://127.0.0.1:3000/healthz" "server" "$RUN/server.log"
# With her one-time code: the guardianship screens and protected data need a two-factor
# sign-in, and a refusal is not a read (it would count as load and flatter the figures).
COOKIE=$(cd end2end && node sign-in.mjs dora dora-pw 111111)
export COOKIE
# Every workload's first body must answer 200 before anything is measured.
for f in "$DIR/bodies/person.jsonl" "$DIR/bodies/screens.jsonl" "$DIR"/bodies/search-*.jsonl; do
  case "$f" in */search-*) target=/api/search ;; *) target=/api/load_screen ;; esac
  status=$(head -n 1 "$f" | curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H 'Accept: application/json' -H 'Origin: http://127.0.0.1:3000' -H 'Sec-Fetch-Site: same-origin' \
    -H "Cookie: $COOKIE" --data-binary @- "http://127.0.0.1:3000$target")
  [ "$status" = 200 ] || { echo "$(basename "$f"): the first request answered $status, not 200" >&2; exit 1; }
done
FAILED=0

# One wrk run; prints "rps p50 p99 errors".
load() {
  local target=$1 bodies=$2 seconds=$3
  TARGET="$target" BODIES="$bodies" wrk -t1 -c64 -d"${seconds}s" --latency -s dev/bench-http.lua http://127.0.0.1:3000 \
    | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["rps"], v["p50_ms"], v["p99_ms"], v["errors"] }'
}
health() {
  wrk -t1 -c64 -d"${1}s" --latency http://127.0.0.1:3000/healthz \
    | awk '/^Requests\/sec/ { rps = $2 } /^ +99%/ { p99 = $2 } END { print int(rps), p99 }'
}

echo "==> warming up (page cache and redb cache)"
load /api/load_screen "$DIR/bodies/screens.jsonl" 20 >/dev/null
load /api/load_screen "$DIR/bodies/person.jsonl" 10 >/dev/null

row() {
  local name=$1 target=$2 bodies=$3 seconds=$4
  [[ -z "$ONLY" || "$name" =~ $ONLY ]] || return 0
  read -r h_rps h_p99 < <(health 5)
  read -r rps p50 p99 errors < <(load "$target" "$bodies" "$seconds")
  local ratio
  ratio=$(awk -v a="$rps" -v b="$h_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  printf '| %s | %s | %s ms | %s ms | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$errors" "$h_rps" "$ratio"
  # Any answer that is not 2xx (wrk counts 4xx and 5xx) or a failed connection spoils the run.
  if [ "$errors" != 0 ]; then
    echo "  ^ $errors requests were not answered 2xx: the figures above mix refusals with reads" >&2
    FAILED=1
  fi
}

echo
echo "| workload (64 connections, $SECONDS_PER_RUN s) | req/s | p50 | p99 | errors | /healthz req/s just before | ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row "person.basic, random persons" /api/load_screen "$DIR/bodies/person.jsonl" "$SECONDS_PER_RUN"
# The same reads while `server changes` feeds register changes into the serving process.
FEED_RATE=${KYSELY_BENCH_FEED_RATE:-2000}
if [[ -z "$ONLY" || "person.basic while changes are applied" =~ $ONLY ]]; then
  KYSELY_DATA_DIR="$DIR" "$SERVER" changes --rate "$FEED_RATE" \
    --count $((FEED_RATE * (SECONDS_PER_RUN + 10))) --seed "$RANDOM" >"$RUN/feed.log" 2>&1 &
  FEED_PID=$!
  sleep 1
  row "person.basic while changes are applied ($FEED_RATE/s asked)" /api/load_screen "$DIR/bodies/person.jsonl" "$SECONDS_PER_RUN"
  wait "$FEED_PID" || { echo "the feed failed:" >&2; tail -n 3 "$RUN/feed.log" >&2; FAILED=1; }
  echo "  feed: $(tail -n 1 "$RUN/feed.log")"
fi
row "every screen, random subjects" /api/load_screen "$DIR/bodies/screens.jsonl" "$SECONDS_PER_RUN"
for f in "$DIR"/bodies/search-*.jsonl; do
  kind=$(basename "$f" .jsonl)
  row "$kind" /api/search "$f" 10
done

stop_pid "$RUN/server.pid"
"$SERVER" audit verify --file "$DIR/audit.redb"
exit "$FAILED"

#!/usr/bin/env bash
# The cluster mode's figures, everything on this one machine (dev/cluster.sh: three NATS
# servers with every stream in three copies, the nodes, HAProxy, wrk): audited person screens
# through the balancer at 64 connections; the same while `server changes` feeds register
# changes through node 1; and how long a node that was down takes to catch up.
#   dev/bench-cluster.sh [NODES=2] [PERSONS=100000]
#   KYSELY_BENCH_SECONDS=20, KYSELY_BENCH_FEED_RATE=2000, KYSELY_BENCH_DOWN_CHANGES=20000
# Prints Markdown rows for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/cluster.sh

NODES=${1:-2}
PERSONS=${2:-100000}
SECS=${KYSELY_BENCH_SECONDS:-20}
RATE=${KYSELY_BENCH_FEED_RATE:-2000}
DOWN_CHANGES=${KYSELY_BENCH_DOWN_CHANGES:-20000}
CLUSTER_DIR=${KYSELY_BENCH_DIR:-$(mktemp -d)}
LB=http://127.0.0.1:3000
finish() { cluster_stop; [ -z "${KYSELY_BENCH_DIR:-}" ] && rm -rf "$CLUSTER_DIR"; }
trap finish EXIT

cluster_start "$NODES" "$PERSONS"
"$SERVER" bench-requests --file "$CLUSTER_DIR/register.redb" --count 20000 --out "$CLUSTER_DIR/bodies" >/dev/null
COOKIE=$(cd end2end && KYSELY_URL=$LB node sign-in.mjs dora dora-pw 111111)
export COOKIE ORIGIN=$LB

load() { # seconds → "rps p50 p99 errors"
  TARGET=/api/load_screen BODIES="$CLUSTER_DIR/bodies/person.jsonl" \
    wrk -t1 -c64 -d"${1}s" --latency -s dev/bench-http.lua "$LB" \
    | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["rps"], v["p50_ms"], v["p99_ms"], v["errors"] }'
}

echo "==> warming up"
load 10 >/dev/null
echo
echo "| cluster workload ($NODES nodes, 3 NATS servers, R3; 64 connections, $SECS s) | req/s | p50 | p99 | errors |"
echo "|---|---:|---:|---:|---:|"
read -r rps p50 p99 errors < <(load "$SECS")
echo "| person.basic through HAProxy | $rps | $p50 ms | $p99 ms | $errors |"
KYSELY_DATA_DIR="$CLUSTER_DIR/node1" "$SERVER" changes --rate "$RATE" --count $((RATE * (SECS + 5))) --seed 3 \
  >"$CLUSTER_DIR/feed.log" 2>&1 &
FEED=$!
sleep 2
read -r rps p50 p99 errors < <(load "$SECS")
echo "| person.basic while $RATE changes/s are fed through node 1 | $rps | $p50 ms | $p99 ms | $errors |"
wait "$FEED" || { echo "the feed failed:" >&2; tail -n 3 "$CLUSTER_DIR/feed.log" >&2; exit 1; }
echo
echo "feed through the journal: $(grep 'applied,' "$CLUSTER_DIR/feed.log" | tail -n 1)"

# A node down while the others serve and the register changes; then back.
stop_node 2
: >"$CLUSTER_DIR/node2.log"
load "$SECS" >/dev/null &
LOAD=$!
KYSELY_DATA_DIR="$CLUSTER_DIR/node1" "$SERVER" changes --rate 1000000 --count "$DOWN_CHANGES" --seed 4 >"$CLUSTER_DIR/down-feed.log" 2>&1
wait "$LOAD"
echo "fed while node 2 was down: $(grep 'applied,' "$CLUSTER_DIR/down-feed.log" | tail -n 1)"
started=$(date +%s%N)
start_node 2
# Caught up: the trail and the change stream (the log says when each reached where the
# journal was when the node started).
for _ in $(seq 1 600); do
  log=$(sed -E 's/\x1b\[[0-9;]*m//g' "$CLUSTER_DIR/node2.log")
  grep -q 'audit trail caught up' <<<"$log" && grep -q 'stream=Changes' <<<"$log" && break
  sleep 0.1
done
echo "node 2 back after $DOWN_CHANGES changes and $SECS s of load: caught up $(( ($(date +%s%N) - started) / 1000000 )) ms after its start; its log:"
sed -E 's/\x1b\[[0-9;]*m//g' "$CLUSTER_DIR/node2.log" | grep 'caught up' | sed -E 's/^.*INFO //' | sed 's/^/  /'
for i in $(seq 1 "$NODES"); do stop_node "$i"; done
for i in $(seq 1 "$NODES"); do echo "node $i: $("$SERVER" audit verify --file "$CLUSTER_DIR/node$i/audit.redb")"; done

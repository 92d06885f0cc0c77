#!/usr/bin/env bash
# A Kysely cluster on this one machine, on loopback: three NATS servers (JetStream, one
# cluster, every stream in three copies), Kysely nodes that each hold a copy of one register
# and follow the journal, HAProxy in front of them on :3000, and the dev identity provider.
#   dev/cluster.sh start [DIR] [NODES=2] [PERSONS=5000]   (then sign in at http://127.0.0.1:3000)
#   dev/cluster.sh stop [DIR]
# Sourced by dev/faults.sh for the same steps one by one (kill_node, start_node, kill_nats …).
# Every process is started here, its PID in DIR/pids, and stopped by PID. Needs a release
# build (make run or make test) and the tools (dev/tools.sh: nats-server, haproxy).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source dev/env.sh

CLUSTER_DIR=${CLUSTER_DIR:-data/cluster}
SERVER="$CARGO_TARGET_DIR/release/server"
NATS_URLS="nats://127.0.0.1:4221,nats://127.0.0.1:4222,nats://127.0.0.1:4223"

nats_pid() { cat "$CLUSTER_DIR/pids/nats$1" 2>/dev/null; }
node_pid() { cat "$CLUSTER_DIR/pids/node$1" 2>/dev/null; }

# NATS server i (1-3): client port 422i, route port 622i, monitoring 822i.
start_nats() {
  local i=$1
  mkdir -p "$CLUSTER_DIR/nats$i" "$CLUSTER_DIR/pids"
  nats-server -n "nats$i" -a 127.0.0.1 -p "422$i" -m "822$i" -js -sd "$CLUSTER_DIR/nats$i" \
    --cluster_name kysely --cluster "nats://127.0.0.1:622$i" \
    --routes "nats://127.0.0.1:6221,nats://127.0.0.1:6222,nats://127.0.0.1:6223" \
    >>"$CLUSTER_DIR/nats$i.log" 2>&1 &
  echo $! >"$CLUSTER_DIR/pids/nats$i"
}

# Waits until NATS server i is healthy: JetStream up and its streams current.
wait_nats() {
  wait_for "http://127.0.0.1:822$1/healthz" "NATS server $1" "$CLUSTER_DIR/nats$1.log"
}

# Waits until JetStream has a meta leader (the cluster can take streams).
wait_jetstream() {
  for _ in $(seq 1 300); do
    for i in 1 2 3; do
      if curl -sf "http://127.0.0.1:822$i/jsz?leader-only=true" 2>/dev/null | grep -q '"meta_cluster"'; then
        return 0
      fi
    done
    sleep 0.1
  done
  echo "JetStream elected no leader within 30 s" >&2
  return 1
}

# Node i serves on 300i with its own copy of the register.
start_node() {
  local i=$1 mailer=false
  [ "$i" = 1 ] && mailer=true
  KYSELY_DATA_DIR="$CLUSTER_DIR/node$i" KYSELY_ADDR="127.0.0.1:300$i" \
    KYSELY_PUBLIC_URL=http://127.0.0.1:3000 KYSELY_NATS="$NATS_URLS" KYSELY_NATS_REPLICAS=3 \
    KYSELY_NODE="node$i" KYSELY_MAILER=$mailer \
    KYSELY_USER_QUERIES_PER_MINUTE=100000000 KYSELY_ORG_QUERIES_PER_MINUTE=100000000 \
    "$SERVER" serve >>"$CLUSTER_DIR/node$i.log" 2>&1 &
  echo $! >"$CLUSTER_DIR/pids/node$i"
  wait_for "http://127.0.0.1:300$i/healthz" "node $i" "$CLUSTER_DIR/node$i.log"
}

kill_pid() { # SIGKILL: no shutdown, no flush (the fault itself)
  local pidfile=$1
  [ -f "$pidfile" ] || return 0
  kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.05; done
  rm -f "$pidfile"
}
kill_node() { kill_pid "$CLUSTER_DIR/pids/node$1"; }
kill_nats() { kill_pid "$CLUSTER_DIR/pids/nats$1"; }
stop_node() {
  local pidfile="$CLUSTER_DIR/pids/node$1"
  [ -f "$pidfile" ] || return 0
  kill "$(cat "$pidfile")" 2>/dev/null || true
  while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.05; done
  rm -f "$pidfile"
}

# The NATS server (1-3) that leads the stream of audit entries, as a live server reports it.
audit_leader() {
  local i leader
  for i in 1 2 3; do
    leader=$(curl -sf "http://127.0.0.1:822$i/jsz?streams=true" 2>/dev/null | python3 -c '
import json, sys
for account in json.load(sys.stdin).get("account_details", []):
    for stream in account.get("stream_detail", []):
        if stream["name"] == "KYSELY_AUDIT":
            print(stream.get("cluster", {}).get("leader", ""))
' 2>/dev/null || true)
    if [ -n "$leader" ]; then echo "${leader#nats}"; return 0; fi
  done
  return 1
}

start_balancer() {
  local nodes=$1
  {
    cat <<EOF
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 2
  option redispatch
frontend kysely
  bind 127.0.0.1:3000
  default_backend nodes
backend nodes
  balance roundrobin
  # A browser keeps to one node while that node lives (a sign-in in progress is held by the
  # node that started it); a node lost moves it to another (redispatch), where its session
  # is, as on every node. Clients without the cookie (wrk) are spread round robin.
  cookie kysely_node insert indirect nocache httponly
  option httpchk GET /healthz
  default-server inter 500ms fall 2 rise 2
EOF
    for i in $(seq 1 "$nodes"); do echo "  server node$i 127.0.0.1:300$i check cookie node$i"; done
  } >"$CLUSTER_DIR/haproxy.cfg"
  haproxy -f "$CLUSTER_DIR/haproxy.cfg" -db >>"$CLUSTER_DIR/haproxy.log" 2>&1 &
  echo $! >"$CLUSTER_DIR/pids/haproxy"
  wait_for "http://127.0.0.1:3000/healthz" "load balancer" "$CLUSTER_DIR/haproxy.log"
}

cluster_start() {
  local nodes=${1:-2} persons=${2:-5000}
  [ -x "$SERVER" ] || { echo "build first: make run or make test (a release build)" >&2; exit 1; }
  for port in 3000 3001 3002 3003 4221 4222 4223 4444; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "port $port is in use (is make run or another cluster running?)" >&2; exit 1
    fi
  done
  rm -rf "$CLUSTER_DIR"
  mkdir -p -m 700 "$CLUSTER_DIR/pids"
  echo "==> one register ($persons persons) for every node: a node starts from a copy"
  "$SERVER" generate --persons "$persons" --seed 7 --out "$CLUSTER_DIR/register.redb" >/dev/null
  for i in $(seq 1 "$nodes"); do
    mkdir -p -m 700 "$CLUSTER_DIR/node$i"
    cp "$CLUSTER_DIR/register.redb" "$CLUSTER_DIR/node$i/register.redb"
    cp "$CLUSTER_DIR/samples.json" "$CLUSTER_DIR/node$i/" 2>/dev/null || true
  done
  echo "==> three NATS servers (JetStream cluster)"
  for i in 1 2 3; do start_nats "$i"; done
  wait_jetstream
  for i in 1 2 3; do wait_nats "$i"; done
  start_idp "$CLUSTER_DIR/pids/idp" "$CLUSTER_DIR/idp.log"
  echo "==> $nodes Kysely nodes and HAProxy on :3000"
  for i in $(seq 1 "$nodes"); do start_node "$i"; done
  start_balancer "$nodes"
  echo "$nodes" >"$CLUSTER_DIR/nodes"
}

cluster_stop() {
  [ -d "$CLUSTER_DIR/pids" ] || return 0
  stop_pid "$CLUSTER_DIR/pids/haproxy"
  for i in 1 2 3; do stop_node "$i"; done
  for i in 1 2 3; do stop_pid "$CLUSTER_DIR/pids/nats$i"; done
  stop_pid "$CLUSTER_DIR/pids/idp"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    start)
      CLUSTER_DIR=${2:-$CLUSTER_DIR}
      cluster_start "${3:-2}" "${4:-5000}"
      cat <<EOF

  A Kysely cluster is running: http://127.0.0.1:3000 (HAProxy) → nodes on 3001…300$(cat "$CLUSTER_DIR/nodes")
  NATS on 4221-4223 (monitoring on 8221-8223), files and logs in $CLUSTER_DIR.
  Sign in as in make run (dora / dora-pw / 111111, …). Stop with: dev/cluster.sh stop $CLUSTER_DIR
EOF
      ;;
    stop)
      CLUSTER_DIR=${2:-$CLUSTER_DIR}
      cluster_stop
      ;;
    *)
      echo "usage: dev/cluster.sh start [DIR] [NODES] [PERSONS] | stop [DIR]" >&2
      exit 2
      ;;
  esac
fi

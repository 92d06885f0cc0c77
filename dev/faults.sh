#!/usr/bin/env bash
# Faults, automated and bounded, on loopback only: a cluster (dev/cluster.sh) under load from
# signed-in officials, and in turn SIGKILL a Kysely node, a NATS server, and the NATS server
# leading the audit stream (each started again within the round). After every round:
#   - the official's session goes on through the balancer without signing in again;
#   - a register change fed in through one node (`server changes --file`) is on every node,
#     and how long it took to get there (within 1 s);
#   - every node's audit chain verifies, and all nodes hold the same chain (same head);
# and at the end: every audited answer the load got (2xx) has its entry on every node, and
# every registry decision acknowledged to its user (questions asked) is on every node.
#   dev/faults.sh            3 nodes, 20 s of load a round, figures for docs/benchmarks.md
#   dev/faults.sh --short    2 nodes, 6 s a round (make test)
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/cluster.sh

if [ "${1:-}" = --short ]; then NODES=2; ROUND=6; else NODES=3; ROUND=20; fi
CLUSTER_DIR=${KYSELY_FAULTS_DIR:-$(mktemp -d)}
LB=http://127.0.0.1:3000
FAILED=0
fail() { echo "FAULT CHECK FAILED: $*" >&2; FAILED=1; }
finish() { cluster_stop; [ -z "${KYSELY_FAULTS_DIR:-}" ] && rm -rf "$CLUSTER_DIR"; }
trap finish EXIT

cluster_start "$NODES" 5000
"$SERVER" bench-requests --file "$CLUSTER_DIR/register.redb" --count 2000 --out "$CLUSTER_DIR/bodies" >/dev/null
DORA=$(cd end2end && KYSELY_URL=$LB node sign-in.mjs dora dora-pw 111111)
FRANK=$(cd end2end && KYSELY_URL=$LB node sign-in.mjs frank frank-pw)

# POSTs JSON to a server function at a base URL as the given cookie; prints the body, fails
# unless 200.
api() {
  local base=$1 cookie=$2 endpoint=$3 body=$4
  curl -sf -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' \
    -H "Origin: $LB" -H 'Sec-Fetch-Site: same-origin' -H "Cookie: $cookie" \
    --data-binary "$body" "$base/api/$endpoint"
}

# The person every round renames, and her identity code (from the first benchmark body).
PERSON=$(head -n 1 "$CLUSTER_DIR/bodies/person.jsonl")
HETU=$(api "$LB" "$DORA" load_screen "$PERSON" | grep -oE '[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]' | head -n 1)
[ -n "$HETU" ] || { echo "no identity code on the first person's screen" >&2; exit 1; }
TODAY=$(TZ=Europe/Helsinki date +%F)

# Renames the round's person through node 1 (`server changes --file`) and prints how many ms
# passed until every node showed the new name; fails the run past `limit` ms.
change_everywhere() {
  local round=$1 part=$2 limit=$3 renamed started took all i
  renamed="Vikakierros-$(echo Yksi Kaksi Kolme | cut -d' ' -f"$round")-$part"
  printf '{"NameChange":{"hetu":"%s","date":"%s","surname":"%s","first_names":null}}\n' \
    "$HETU" "$TODAY" "$renamed" >"$CLUSTER_DIR/change$round$part.jsonl"
  if ! KYSELY_DATA_DIR="$CLUSTER_DIR/node1" "$SERVER" changes --file "$CLUSTER_DIR/change$round$part.jsonl" \
    >"$CLUSTER_DIR/changes$round$part.log" 2>&1; then
    fail "round $round: server changes failed ($(tail -n 1 "$CLUSTER_DIR/changes$round$part.log"))"
    echo "failed"; return 1
  fi
  started=$(date +%s%N)
  while :; do
    all=1
    for i in $(seq 1 "$NODES"); do
      api "http://127.0.0.1:300$i" "$DORA" load_screen "$PERSON" 2>/dev/null | grep -q "$renamed" || all=0
    done
    took=$(( ($(date +%s%N) - started) / 1000000 ))
    if [ $all = 1 ]; then
      echo "$took"
      [ "$took" -le "$limit" ] || { fail "round $round: a change took $took ms to reach every node (over $limit ms)"; return 1; }
      return 0
    fi
    if [ "$took" -gt "$limit" ]; then
      fail "round $round: a change did not reach every node within $limit ms"; echo "over $limit"; return 1
    fi
    sleep 0.01
  done
}

ANSWERED=0   # audited answers the load got (2xx)
ASKED=0      # questions acknowledged to Frank
echo
echo "| round | fault | load req/s | answered | refused or cut | session goes on | first change everywhere (recovered) | next change everywhere | chains |"
echo "|---|---|---:|---:|---:|---|---:|---:|---|"
round=0
for fault in node nats leader; do
  round=$((round + 1))
  TARGET=/api/load_screen BODIES="$CLUSTER_DIR/bodies/person.jsonl" COOKIE="$DORA" ORIGIN=$LB \
    wrk -t1 -c16 -d"${ROUND}s" --latency -s dev/bench-http.lua "$LB" >"$CLUSTER_DIR/wrk$round.log" 2>&1 &
  WRK=$!
  # Registry decisions before and during the fault: Frank asks (each acknowledged one must
  # survive; one refused while the fault lasts is his to send again).
  ask() {
    if api "$LB" "$FRANK" ask_question \
      "{\"form\":{\"topic\":\"rights\",\"subject\":\"Vikakierros $round/$1\",\"text\":\"Kysymys kesken vian.\"}}" >/dev/null; then
      ASKED=$((ASKED + 1))
    fi
  }
  sleep "$(awk -v r="$ROUND" 'BEGIN { print r / 4 }')"
  ask 1
  case $fault in
    node) n=$(( (round - 1) % NODES + 1 )); victim="node $n"; kill_node "$n" ;;
    nats) n=3; victim="nats $n"; kill_nats "$n" ;;
    leader) n=$(audit_leader || echo 1); victim="nats $n (audit leader)"; kill_nats "$n" ;;
  esac
  ask 2
  sleep "$(awk -v r="$ROUND" 'BEGIN { print r / 4 }')"
  ask 3
  case $fault in
    node) start_node "$n" ;;
    *) start_nats "$n" ;;
  esac
  wait "$WRK" || true
  # The checks below are of the cluster whole again: the server back and current.
  case $fault in node) ;; *) wait_nats "$n" ;; esac
  read -r requests rps errors < <(awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["requests"], v["rps"], v["errors"] }' "$CLUSTER_DIR/wrk$round.log")
  ANSWERED=$((ANSWERED + requests - errors))
  # The same cookie, no new sign-in: answered again within 10 s of the fault's end (a request
  # refused while leaders move is refused, 503, not signed out), and never signed out (401).
  session=NO
  for _ in $(seq 1 100); do
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -H 'Accept: application/json' -H "Origin: $LB" -H 'Sec-Fetch-Site: same-origin' \
      -H "Cookie: $DORA" --data-binary "$PERSON" "$LB/api/load_screen")
    case $status in
      200) session=yes; break ;;
      401|403) session="signed out ($status)"; break ;;
    esac
    sleep 0.1
  done
  [ "$session" = yes ] || fail "round $round: the session did not go on ($session)"
  # A change through node 1 (waits for node 1 to apply it), then on every node: the first
  # once the fault is over shows the cluster recovered (within 10 s: a follower whose
  # consumer was on a killed server is made anew), the second how fast a change reaches every
  # node of the recovered cluster (within 1 s).
  recovered=$(change_everywhere "$round" A 10000) || FAILED=1
  seen=$(change_everywhere "$round" B 1000) || FAILED=1
  # Every node's chain, verified on its file (the nodes stopped for it and started again).
  # A node stopped a moment before its copy held the journal's last entries holds fewer:
  # its tree must then be the longest one's at its size (a consistency proof on the longest
  # file), one history; anything else is two histories.
  sizes=(); roots=()
  for i in $(seq 1 "$NODES"); do stop_node "$i"; done
  for i in $(seq 1 "$NODES"); do
    # Chain, tree and the node's own signed heads, on its file.
    if out=$("$SERVER" audit verify --file "$CLUSTER_DIR/node$i/audit.redb"); then
      sizes[$i]=$(sed -E 's/.*intact: ([0-9]+) entries.*/\1/' <<<"$out")
      roots[$i]=$(sed -E 's/.*tree root ([0-9a-f]+).*/\1/' <<<"$out")
    else fail "round $round: node $i: $out"; sizes[$i]=0; roots[$i]=none; fi
  done
  long=1
  for i in $(seq 1 "$NODES"); do [ "${sizes[$i]}" -gt "${sizes[$long]}" ] && long=$i; done
  chains="intact, one head"
  for i in $(seq 1 "$NODES"); do
    [ "${sizes[$i]}" = "${sizes[$long]}" ] && [ "${roots[$i]}" = "${roots[$long]}" ] && continue
    prefix=$("$SERVER" audit prove --file "$CLUSTER_DIR/node$long/audit.redb" --from "${sizes[$i]}" --to "${sizes[$long]}" 2>&1 \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["first_root"])' 2>/dev/null || echo none)
    if [ "$prefix" = "${roots[$i]}" ] && [ "${sizes[$i]}" -lt "${sizes[$long]}" ]; then
      chains="intact, one history (node $i stopped $(( ${sizes[$long]} - ${sizes[$i]} )) entries behind)"
    else
      chains="DIFFER: node $i ${sizes[$i]} ${roots[$i]}, node $long ${sizes[$long]} ${roots[$long]}"
      fail "round $round: the nodes' chains differ"
    fi
  done
  for i in $(seq 1 "$NODES"); do start_node "$i"; done
  printf '| %s | SIGKILL %s | %s | %s | %s | %s | %s ms | %s ms | %s |\n' "$round" "$victim" "$rps" "$((requests - errors))" "$errors" "$session" "$recovered" "$seen" "$chains"
done

# Nothing acknowledged is lost: on every node, the trail holds at least every answered read,
# and the registry holds every question Frank was told was taken.
for i in $(seq 1 "$NODES"); do
  entries=$(api "http://127.0.0.1:300$i" "$DORA" contact '{"page":0}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["questions"]["total"])')
  # At least: a question taken whose answer did not reach Frank (cut by the fault) is there too.
  [ "$entries" -ge "$ASKED" ] || fail "node $i holds $entries questions, $ASKED were acknowledged"
  [ -z "${first_count:-}" ] && first_count=$entries
  [ "$entries" = "$first_count" ] || fail "node $i holds $entries questions, node 1 $first_count"
done
for i in $(seq 1 "$NODES"); do
  stop_node "$i"
  held=$("$SERVER" audit verify --file "$CLUSTER_DIR/node$i/audit.redb" | sed -E 's/.*intact: ([0-9]+) entries.*/\1/')
  [ "$held" -ge "$ANSWERED" ] || fail "node $i's trail holds $held entries, $ANSWERED reads were answered"
done
echo
echo "answered reads $ANSWERED (each with its entry on every node: at least that many held), questions acknowledged $ASKED (all on every node, $first_count held)"
exit "$FAILED"

#!/usr/bin/env bash
# The embedded server killed at random moments under audited load, on loopback only, bounded:
# each round runs concurrent screen loads of a signed-in official (8 clients), sends SIGKILL
# at a random moment, then, with the server down, checks
#   - the trail's chain, tree and signed heads verify (`server audit verify`);
#   - every answer that carried register data (200) has its entry in the trail, by the
#     `x-request-id` it carried (`server audit requests`): none answered without a durable
#     entry, none acknowledged and lost;
# and starts the server again on the same files (the next round's load goes on with the same
# session). Prints a Markdown table for docs/benchmarks.md.
#   dev/kill-loop.sh            20 rounds of 2–6 s
#   dev/kill-loop.sh --short    3 rounds of 1–2 s (make test)
# Needs a release build (make test or make run builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/env.sh

if [ "${1:-}" = --short ]; then ROUNDS=3; MIN_MS=1000; SPAN_MS=1000; else ROUNDS=20; MIN_MS=2000; SPAN_MS=4000; fi
SERVER="$CARGO_TARGET_DIR/release/server"
[ -x "$SERVER" ] || { echo "build first: cargo leptos build --release (make test does)" >&2; exit 1; }
for port in 3000 4444; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port is in use; stop what listens there and run again" >&2
    exit 1
  fi
done
RUN=$(mktemp -d)
cleanup() { stop_pid "$RUN/server.pid"; stop_pid "$RUN/idp.pid"; stop_pid "$RUN/load.pid"; rm -rf "$RUN"; }
trap cleanup EXIT
"$SERVER" generate --persons 3000 --seed 11 --out "$RUN/register.redb" >/dev/null
"$SERVER" bench-requests --file "$RUN/register.redb" --count 500 --out "$RUN/bodies" >/dev/null
start_idp "$RUN/idp.pid" "$RUN/idp.log"

serve() {
  # In a subshell: the shell does not report the job it kills.
  (KYSELY_DATA_DIR="$RUN" KYSELY_AUDIT_HEAD_SECONDS=1 KYSELY_USER_QUERIES_PER_MINUTE=100000000 \
    KYSELY_ORG_QUERIES_PER_MINUTE=100000000 "$SERVER" serve >>"$RUN/server.log" 2>&1 &
    echo $! >"$RUN/server.pid")
  wait_for "http://127.0.0.1:3000/healthz" "server" "$RUN/server.log"
}
serve
COOKIE=$(cd end2end && node sign-in.mjs dora dora-pw 111111)

# The load: 8 threads posting screen loads until killed, each answer written as
# "<status> <x-request-id>" (a connection refused or cut is no answer, and not written).
cat >"$RUN/load.py" <<'PYEOF'
import http.client, itertools, sys, threading
bodies = open(sys.argv[1], "rb").read().splitlines()
cookie, out = sys.argv[2], open(sys.argv[3], "a", buffering=1)
lock = threading.Lock()
def work(k):
    for body in itertools.cycle(bodies[k::8]):
        try:
            c = http.client.HTTPConnection("127.0.0.1", 3000, timeout=10)
            c.request("POST", "/api/load_screen", body, {
                "Content-Type": "application/json", "Accept": "application/json",
                "Origin": "http://127.0.0.1:3000", "Sec-Fetch-Site": "same-origin", "Cookie": cookie})
            r = c.getresponse()
            r.read()
            with lock:
                out.write(f"{r.status} {r.getheader('x-request-id', '-')}\n")
            c.close()
        except OSError:
            pass
threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(8)]
for t in threads: t.start()
for t in threads: t.join()
PYEOF

FAILED=0
TOTAL_OK=0
echo
echo "| round | killed after | answers 200 | other answers | entries in the trail | entries without an answer (cut by the kill) | 200s without an entry | trail |"
echo "|---:|---:|---:|---:|---:|---:|---:|---|"
BEFORE=1   # the sign-in's entry
for round in $(seq 1 "$ROUNDS"); do
  answers="$RUN/answers$round.txt"
  : >"$answers"
  python3 "$RUN/load.py" "$RUN/bodies/person.jsonl" "$COOKIE" "$answers" &
  echo $! >"$RUN/load.pid"
  after=$(( MIN_MS + RANDOM % SPAN_MS ))
  sleep "$(awk -v ms="$after" 'BEGIN { print ms / 1000 }')"
  kill -KILL "$(cat "$RUN/server.pid")"
  # The server is gone: what the load was told is final.
  while kill -0 "$(cat "$RUN/server.pid")" 2>/dev/null; do sleep 0.05; done
  stop_pid "$RUN/load.pid"
  ok=$(awk '$1 == 200' "$answers" | wc -l)
  other=$(awk '$1 != 200' "$answers" | wc -l)
  TOTAL_OK=$((TOTAL_OK + ok))
  if verified=$("$SERVER" audit verify --file "$RUN/audit.redb" 2>&1); then
    trail="intact"
    entries=$(sed -E 's/.*intact: ([0-9]+) entries.*/\1/' <<<"$verified")
  else
    trail="BROKEN: $verified"; entries="?"
    echo "round $round: $verified" >&2; FAILED=1
  fi
  "$SERVER" audit requests --file "$RUN/audit.redb" | sort -u >"$RUN/ids.txt"
  awk '$1 == 200 { print $2 }' "$answers" | sort -u >"$RUN/answered.txt"
  missing=$(comm -23 "$RUN/answered.txt" "$RUN/ids.txt" | wc -l)
  if [ "$missing" != 0 ]; then
    echo "round $round: $missing answers with register data have no entry, e.g. $(comm -23 "$RUN/answered.txt" "$RUN/ids.txt" | head -n 3 | tr '\n' ' ')" >&2
    FAILED=1
  fi
  [ "$ok" -gt 0 ] || { echo "round $round: the load got no answer at all" >&2; FAILED=1; }
  cut="?"; [ "$entries" != "?" ] && cut=$((entries - BEFORE - ok - other)) && BEFORE=$entries
  printf '| %s | %s ms | %s | %s | %s | %s | %s | %s |\n' "$round" "$after" "$ok" "$other" "$entries" "$cut" "$missing" "$trail"
  serve
done
stop_pid "$RUN/server.pid"
echo
echo "$ROUNDS rounds, $TOTAL_OK answers with register data, each with its entry; the trail verified after every kill"
exit "$FAILED"

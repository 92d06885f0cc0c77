#!/usr/bin/env bash
# `make run`: install what is missing, build, create the demo register on first start, start
# the dev identity provider and the server, print the URL and demo accounts. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
./dev/tools.sh
source dev/env.sh

echo "==> building (release)"
cargo leptos build --release --precompress --split

export KYSELY_DATA_DIR="${KYSELY_DATA_DIR:-data}"
SERVER="$CARGO_TARGET_DIR/release/server"
mkdir -p -m 700 "$KYSELY_DATA_DIR"
if [ -f "$KYSELY_DATA_DIR/register.redb" ] && ! "$SERVER" register schema --file "$KYSELY_DATA_DIR/register.redb" >/dev/null 2>&1; then
  echo "==> the demo register was made by an older version; replacing it"
  mv "$KYSELY_DATA_DIR/register.redb" "$KYSELY_DATA_DIR/register.redb.old"
fi
if [ ! -f "$KYSELY_DATA_DIR/register.redb" ]; then
  echo "==> creating the demo register"
  "$SERVER" generate --persons "${KYSELY_DEMO_PERSONS:-5000}" --seed "${KYSELY_DEMO_SEED:-20261127}" --out "$KYSELY_DATA_DIR/register.redb"
fi

RUN="$KYSELY_DATA_DIR/run"
mkdir -p "$RUN"
cleanup() { stop_pid "$RUN/server.pid"; stop_pid "$RUN/idp.pid"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

start_idp "$RUN/idp.pid" "$RUN/idp.log"
"$SERVER" serve &
echo $! >"$RUN/server.pid"
URL="${KYSELY_PUBLIC_URL:-http://127.0.0.1:3000}"
wait_for "$URL/healthz" "server" /dev/null

cat <<BANNER

  Kysely is running at $URL   (Ctrl-C stops it and the identity provider)

  Demo accounts (dev identity provider at ${KYSELY_OIDC_ISSUER:-http://127.0.0.1:4444}):
    alice / alice-pw, one-time code 123456  Poliisihallitus: all 85 screens and searches, protected data too;
                                            choose a purpose (investigation: everything; licences: identity only)
    bob   / bob-pw (code 654321)            Espoon kaupunki: narrow and normal screens, every search (guardianship
                                            screens with the code); no resident lists; Espoo's responsible user
                                            (Käyttöoikeudet: end, restore, block; require the code of all users)
    carol / carol-pw                        Isännöinti Oy: buildings, dwellings, residents, real estate; no person data
    dora  / dora-pw (code 111111)           Digi- ja väestötietovirasto: all 85 screens and searches; protected data
                                            and guardianship only with the code; registry staff (every decision
                                            needs the code): approves rights, lifts blocks, suspends and ends permits
    hanna / hanna-pw (code 222222)          Länsi-Uudenmaan hyvinvointialue: person screens for social and health
                                            services (guardianship with the code); with the code, may reveal
                                            protected data with a reason
    eve   / eve-pw                          Espoon kaupunki, but no right in Kysely: told whom to ask
    frank / frank-pw                        Espoon kaupunki: a query user Bob can block, end and restore
    gus   / gus-pw                          Espoon kaupunki: right proposed, waits for the registry's approval
    ilkka / ilkka-pw, jaana / jaana-pw      Kotiapu Oy, a new company without a permit: Asiointi → apply for a
                                            data permit; after dora grants it, nominate the responsible user
    mirja / mirja-pw, niko / niko-pw        Vantaan kaupunki, not yet on the municipal permit: Asiointi → order it

  To try in the demo register ($KYSELY_DATA_DIR/samples.json):
BANNER
python3 - "$KYSELY_DATA_DIR/samples.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for code, name in zip(s["ordinary"][:2], s["ordinary_names"]):
    print(f"    {code}  {name}")
for code in s["families"][:1]:
    print(f"    {code}  (married, with children: walk to the dwelling, building and property)")
for code in s["protected"][:1]:
    print(f"    {code}  (protection order)")
for code in s["passive"][:1]:
    print(f"    {code}  (a passivated code: opens the person and says what it changed to)")
for code in s["new_century_sign"][:1]:
    print(f"    {code}  (a 2023 century sign)")
for n in s["names"][:1]:
    print(f"    {n['surname']}, {n['first_names']}, {n['birth_date']}  (name search)")
for f in s["flats"][:1]:
    print(f"    {f['street']} {f['house_number']} {f['dwelling']}, {f['postal_code']}  (address search with a flat)")
for a in s["shared_addresses"][:1]:
    print(f"    {a['street']} {a['house_number']}  (an address in several towns: a hit list)")
for p in s["properties"][:1]:
    print(f"    {p}  (real-estate unit)")
print(f"    {s['not_in_register']}  (valid, but nobody has it)")
PY
echo
wait "$(cat "$RUN/server.pid")"

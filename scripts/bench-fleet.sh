#!/usr/bin/env bash
# Many instances, one service (issue 29), release build, on this machine's PostgreSQL and Redis:
# (1) the sourcing job without caches against a sandbox with the platform's default quota (10 QPS
#     per app, 5 per API: the job's real pace), submitted and polled (every 50 ms) until its
#     result is readable, through HAProxy in front of three instances on one PostgreSQL and Redis
#     (which share the quota), against one instance on its own SQLite store reached directly;
#     five runs each, alternating, medians;
# (2) GET /v1/offers/{id} from a warm cache (wrk: 2 threads, 32 connections, 15 s) through the
#     balancer against one of the three instances directly.
# Needs wrk, haproxy and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk haproxy psql; do command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done
cargo build --release -q -p open1688-cli
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/open1688
OUT=$(mktemp -d)
PG=${OPEN1688_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}
SCHEMA=benchfleet$$
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; psql -q "$PG" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1; rm -rf "$OUT"' EXIT
psql -q "$PG" -c "CREATE SCHEMA $SCHEMA" >/dev/null
FLEET_DB="$PG?options=-c%20search_path%3D$SCHEMA"

"$BIN" sandbox --port 18810 --quotas-off > "$OUT/sandbox.json" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 300); do [ -s "$OUT/sandbox.json" ] && break; sleep 0.1; done
read -r KEY SECRET TOKEN <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["app_key"], d["app_secret"], d["access_token"])' "$OUT/sandbox.json")"
"$BIN" sandbox --port 18811 > "$OUT/quota.json" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 300); do [ -s "$OUT/quota.json" ] && break; sleep 0.1; done
read -r QKEY QSECRET QTOKEN <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["app_key"], d["app_secret"], d["access_token"])' "$OUT/quota.json")"
export OPEN1688_CONFIG="$OUT/none.toml" OPEN1688_APP_KEY="$KEY" OPEN1688_APP_SECRET="$SECRET" \
  OPEN1688_ACCESS_TOKEN="$TOKEN" OPEN1688_ENDPOINT=http://127.0.0.1:18810 OPEN1688_QPS=1000 \
  OPEN1688_SECRET_KEY=$(printf 'ab%.0s' $(seq 32)) OPEN1688_LOG=error

# Starts an instance on $1 with the store $2 (global options in $GLOBAL, environment in $ENVS)
# and waits until it is ready.
GLOBAL=(); ENVS=()
serve() {
  local port=$1 db=$2; shift 2
  env "${ENVS[@]}" DATABASE_URL=$db OPEN1688_DATA_DIR="$OUT/data-$port" "$BIN" "${GLOBAL[@]}" serve --listen "127.0.0.1:$port" \
    --jobs-dir "$OUT/jobs-$port" --key-rate 1000000 --key-calls 100000 --key-call-burst 100000 --no-monitor "$@" \
    2>"$OUT/serve-$port.log" &
  PIDS+=($!)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
}
key() { DATABASE_URL=$1 "$BIN" serve keys add --name bench --scope "$2" --format json -q | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["key"])'; }

FLEET_KEY=$(key "$FLEET_DB" write)
GLOBAL=(--no-cache)
ENVS=(-u OPEN1688_QPS OPEN1688_APP_KEY="$QKEY" OPEN1688_APP_SECRET="$QSECRET" OPEN1688_ACCESS_TOKEN="$QTOKEN"
  OPEN1688_ENDPOINT=http://127.0.0.1:18811)
for port in 18821 18822 18823; do REDIS_URL=redis://127.0.0.1:6379 serve $port "$FLEET_DB"; done
FLEET_PIDS=("${PIDS[@]: -3}")
SOLO_DB="sqlite://$OUT/solo.db"
SOLO_KEY=$(key "$SOLO_DB" write)
serve 18830 "$SOLO_DB"
sed -e 's/^  bind .*/  bind 127.0.0.1:18820/' -e 's/127.0.0.1:870\([123]\)/127.0.0.1:1882\1/' deploy/haproxy.cfg > "$OUT/haproxy.cfg"
haproxy -db -f "$OUT/haproxy.cfg" >/dev/null 2>&1 &
PIDS+=($!)
sleep 2

# Submits the sourcing job at $1 with key $2, polls until done, reads the result; seconds.
job() {
  python3 - "$1" "$2" <<'PY'
import json, sys, time, urllib.request
base, key = sys.argv[1], sys.argv[2]
def ask(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
t0 = time.monotonic()
job = ask("POST", "/v1/jobs/source", {"keyword": "保温杯", "need": 300, "candidates": 20})
while ask("GET", "/v1/jobs/" + job["id"])["status"] == "running":
    time.sleep(0.05)
ask("GET", "/v1/jobs/" + job["id"] + "/result")
print(f"{time.monotonic() - t0:.3f}")
PY
}
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }

echo "== (1) the sourcing job without caches, default quota, submit -> result readable (five runs each, seconds)"
job http://127.0.0.1:18820 "$FLEET_KEY" >/dev/null; job http://127.0.0.1:18830 "$SOLO_KEY" >/dev/null   # warm both
lb=(); solo=()
for _ in 1 2 3 4 5; do
  lb+=("$(job http://127.0.0.1:18820 "$FLEET_KEY")")
  solo+=("$(job http://127.0.0.1:18830 "$SOLO_KEY")")
done
echo "balancer, 3 instances, PostgreSQL + Redis: ${lb[*]} (median $(median "${lb[@]}"))"
echo "one instance, SQLite, directly:            ${solo[*]} (median $(median "${solo[@]}"))"
python3 -c "import sys; print(f'ratio {float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$(median "${lb[@]}")" "$(median "${solo[@]}")"

echo "== (2) GET /v1/offers/{id} from a warm cache (wrk: 2 threads, 32 connections, 15 s)"
# The same three instances, now with their caches.
kill "${FLEET_PIDS[@]}"; sleep 1
GLOBAL=(); ENVS=()
for port in 18821 18822 18823; do REDIS_URL=redis://127.0.0.1:6379 serve $port "$FLEET_DB"; done
sleep 2
READ_KEY=$(key "$FLEET_DB" read)
OFFER=630526089341
for port in 18821 18822 18823; do curl -sf -H "Authorization: Bearer $READ_KEY" "http://127.0.0.1:$port/v1/offers/$OFFER" >/dev/null; done
echo "-- through the balancer (three instances)"
wrk -t2 -c32 -d15s --latency -H "Authorization: Bearer $READ_KEY" "http://127.0.0.1:18820/v1/offers/$OFFER" | grep -E "Requests/sec|  50%|  99%|Non-2xx"
echo "-- one of them directly"
wrk -t2 -c32 -d15s --latency -H "Authorization: Bearer $READ_KEY" "http://127.0.0.1:18821/v1/offers/$OFFER" | grep -E "Requests/sec|  50%|  99%|Non-2xx"

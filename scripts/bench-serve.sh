#!/usr/bin/env bash
# The service's targets (issue 15), against a sandbox server in its own process:
# (1) offer detail from a warm cache: requests/s and latency percentiles from wrk (a separate
#     process, 2 threads, 32 connections, 15 s);
# (2) the sourcing job through the API (submit, poll until done) against the CLI's `source`,
#     both without caches, against a second sandbox with the platform's default quota (10 QPS per
#     app, 5 per API), three runs each, medians;
# (3) the service's resident memory with 10,000 watches in its store and its monitor running.
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p open1688-cli
BIN=$PWD/target/release/open1688
OUT=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$OUT"' EXIT

"$BIN" sandbox --port 18710 --quotas-off > "$OUT/sandbox.json" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 200); do [ -s "$OUT/sandbox.json" ] && break; sleep 0.1; done
read -r KEY SECRET TOKEN <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["app_key"], d["app_secret"], d["access_token"])' "$OUT/sandbox.json")"
export OPEN1688_CONFIG="$OUT/none.toml" OPEN1688_APP_KEY="$KEY" OPEN1688_APP_SECRET="$SECRET" \
  OPEN1688_ACCESS_TOKEN="$TOKEN" OPEN1688_ENDPOINT=http://127.0.0.1:18710 OPEN1688_QPS=1000 \
  OPEN1688_SECRET_KEY=$(printf 'ab%.0s' $(seq 32)) OPEN1688_LOG=error
unset REDIS_URL

# Starts the service on $1 with the store $2 and flags; waits until it answers.
serve() {
  local port=$1 db=$2; shift 2
  DATABASE_URL=$db "$BIN" serve --listen "127.0.0.1:$port" --jobs-dir "$OUT/jobs-$port" --key-rate 1000000 "$@" \
    2>"$OUT/serve-$port.log" &
  PIDS+=($!)
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}
key() { DATABASE_URL=$1 "$BIN" serve keys add --name bench --scope "$2" --format json -q | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["key"])'; }

echo "== (1) GET /v1/offers/{id} from a warm cache (wrk: 2 threads, 32 connections, 15 s)"
DB1="sqlite://$OUT/one.db"
READER=$(key "$DB1" read)
serve 18711 "$DB1" --no-monitor
URL=http://127.0.0.1:18711/v1/offers/630526089341
curl -sf -H "Authorization: Bearer $READER" "$URL" >/dev/null   # warms the cache
wrk -t2 -c32 -d15s --latency -H "Authorization: Bearer $READER" "$URL" | grep -E "Requests/sec|Latency|  50%|  90%|  99%|Non-2xx"

echo "== (2) the sourcing job: CLI against the API, default quota, no caches (three runs each, seconds)"
"$BIN" sandbox --port 18714 > "$OUT/sandbox2.json" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 200); do [ -s "$OUT/sandbox2.json" ] && break; sleep 0.1; done
read -r KEY2 SECRET2 TOKEN2 <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["app_key"], d["app_secret"], d["access_token"])' "$OUT/sandbox2.json")"
# As an array, not a function: `"${QUOTA[@]}" cmd &` leaves the command's own pid in $!.
QUOTA=(env -u OPEN1688_QPS OPEN1688_APP_KEY="$KEY2" OPEN1688_APP_SECRET="$SECRET2" OPEN1688_ACCESS_TOKEN="$TOKEN2"
  OPEN1688_ENDPOINT=http://127.0.0.1:18714)
cli_times=(); api_times=()
DB2="sqlite://$OUT/two.db"
WRITER=$(key "$DB2" write)
DATABASE_URL=$DB2 "${QUOTA[@]}" "$BIN" --no-cache serve --listen 127.0.0.1:18712 --jobs-dir "$OUT/jobs-18712" \
  --key-rate 1000000 --no-monitor 2>"$OUT/serve-18712.log" &
PIDS+=($!)
for _ in $(seq 200); do curl -sf http://127.0.0.1:18712/healthz >/dev/null && break; sleep 0.1; done
for run in 1 2 3; do
  sleep 2   # the sandbox's per-second buckets refill between runs
  start=$(date +%s.%N)
  DATABASE_URL="sqlite://$OUT/cli.db" "${QUOTA[@]}" "$BIN" --no-cache -q source 保温杯 --need 300 --out "$OUT/cli-$run" >/dev/null
  cli_times+=("$(echo "$(date +%s.%N) - $start" | bc)")
  sleep 2
  start=$(date +%s.%N)
  id=$(curl -sf -H "Authorization: Bearer $WRITER" -H 'content-type: application/json' \
    -d '{"keyword":"保温杯","need":300}' http://127.0.0.1:18712/v1/jobs/source | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    status=$(curl -sf -H "Authorization: Bearer $WRITER" "http://127.0.0.1:18712/v1/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    [ "$status" = running ] || break
    sleep 0.02
  done
  [ "$status" = succeeded ] || { echo "the API job ended $status" >&2; exit 1; }
  api_times+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
cli=$(median "${cli_times[@]}"); api=$(median "${api_times[@]}")
echo "CLI runs: ${cli_times[*]}"
echo "API runs: ${api_times[*]}"
echo "median CLI $cli s, API $api s, ratio $(echo "scale=3; $api / $cli" | bc)"

echo "== (3) resident memory with 10,000 watches (monitor running)"
DB3="$OUT/three.db"
DATABASE_URL="sqlite://$DB3" "$BIN" watch list -q >/dev/null 2>&1 || true   # creates and migrates the store
python3 - "$DB3" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
rows = [(630526089341 + i, 3600, '[{"kind":"any_tier_change"}]', now + 3_600_000) for i in range(10_000)]
db.executemany("INSERT INTO watches (offer_id, interval_secs, rules, next_due_ms) VALUES (?, ?, ?, ?)", rows)
db.commit()
print(db.execute("SELECT COUNT(*) FROM watches").fetchone()[0], "watches")
PY
serve 18713 "sqlite://$DB3" --monitor-tick 1
READER3=$(key "sqlite://$DB3" read)
for _ in $(seq 20); do curl -sf -H "Authorization: Bearer $READER3" http://127.0.0.1:18713/v1/watches >/dev/null; done
curl -sf -H "Authorization: Bearer $READER3" http://127.0.0.1:18713/metrics | grep -c open1688_watch_data_age_seconds | sed 's/^/data-age series: /'
sleep 5
PID=$(pgrep -f "listen 127.0.0.1:18713" | head -1)
grep -E "VmRSS|VmHWM" "/proc/$PID/status"

#!/usr/bin/env bash
# The response cache that outlives a run: `open1688 offer ID` run cold (cache cleared) and again
# within the TTL, against (1) the built-in sandbox, (2) a sandbox server with a simulated gateway
# round trip of 150 ms, (3) the same server with none. Prints the median of 7 runs of each and
# the ratio, plus the gateway calls the server counted for the warm runs (must be 0).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p open1688-cli
BIN=$PWD/target/release/open1688
OUT=$(mktemp -d)
trap 'kill "${SANDBOX_PID:-}" 2>/dev/null || true; rm -rf "$OUT"' EXIT
OFFER=630526089341
export OPEN1688_CONFIG="$OUT/none.toml" OPEN1688_DATA_DIR="$OUT/data"
unset OPEN1688_APP_KEY OPEN1688_APP_SECRET OPEN1688_ACCESS_TOKEN OPEN1688_ENDPOINT DATABASE_URL REDIS_URL

# Median wall time in ms of 7 runs of "$@"; with COLD=1 the cache is cleared before each run.
median_ms() {
  local times=()
  for _ in 1 2 3 4 5 6 7; do
    [ "${COLD:-0}" = 1 ] && "$BIN" cache clear -q >/dev/null
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 4p
}

measure() {
  local cold warm
  cold=$(COLD=1 median_ms "$BIN" offer "$OFFER" -q)
  "$BIN" offer "$OFFER" -q >/dev/null
  warm=$(median_ms "$BIN" offer "$OFFER" -q)
  python3 -c "import sys; c,w=int(sys.argv[1]),int(sys.argv[2]); print(f'  first run {c} ms, second run {w} ms: {c/max(w,1):.1f}x')" "$cold" "$warm"
}

echo "== built-in sandbox (no credentials)"
measure

"$BIN" sandbox --port 18701 --quotas-off > "$OUT/info.json" 2>/dev/null &
SANDBOX_PID=$!
for _ in $(seq 100); do [ -s "$OUT/info.json" ] && break; sleep 0.1; done
read -r KEY SECRET TOKEN <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["app_key"], d["app_secret"], d["access_token"])' "$OUT/info.json")"
export OPEN1688_APP_KEY="$KEY" OPEN1688_APP_SECRET="$SECRET" OPEN1688_ACCESS_TOKEN="$TOKEN" \
  OPEN1688_ENDPOINT=http://127.0.0.1:18701 OPEN1688_SECRET_KEY=$(printf 'ab%.0s' $(seq 32))
SB=http://127.0.0.1:18701/_sandbox

echo "== sandbox server, 150 ms per gateway call (a round trip to the real gateway)"
curl -s -X PUT "$SB/faults" -H 'content-type: application/json' -d '{"all":{"latency_ms":150}}' >/dev/null
measure
curl -s -X DELETE "$SB/stats" >/dev/null
"$BIN" offer "$OFFER" -q >/dev/null
echo "  gateway calls counted for a warm run: $(curl -s "$SB/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["calls"])')"

echo "== sandbox server, no added latency"
curl -s -X DELETE "$SB/faults" >/dev/null
measure

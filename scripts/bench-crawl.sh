#!/usr/bin/env bash
# Crawl throughput against the quota bound: `open1688 catalog crawl --keyword 保温杯 --pages 2`
# (2 search pages, then 100 offer details) against a sandbox server under the default quota, with
# the client's default limits (10 calls/s per app, 5 per API). The bound is the busiest limit's
# (calls − 1) / rate; the run's wall time (process start to exit, store and index included) is
# compared with it. The sandbox runs as its own process so its catalog start is not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p open1688-cli
BIN=target/release/open1688
OUT=$(mktemp -d)
trap 'kill "${SANDBOX_PID:-}" 2>/dev/null || true; rm -rf "$OUT"' EXIT

"$BIN" sandbox --port 18702 > "$OUT/info.json" 2>/dev/null &
SANDBOX_PID=$!
for _ in $(seq 200); do [ -s "$OUT/info.json" ] && break; sleep 0.1; done
read -r KEY SECRET TOKEN <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["app_key"], d["app_secret"], d["access_token"])' "$OUT/info.json")"

for run in 1 2 3; do
  curl -s -X DELETE http://127.0.0.1:18702/_sandbox/stats > /dev/null
  START=$(date +%s.%N)
  OPEN1688_CONFIG="$OUT/none.toml" OPEN1688_DATA_DIR="$OUT/data$run" OPEN1688_APP_KEY="$KEY" OPEN1688_APP_SECRET="$SECRET" \
    OPEN1688_ACCESS_TOKEN="$TOKEN" OPEN1688_ENDPOINT=http://127.0.0.1:18702 OPEN1688_SECRET_KEY="$(printf 'ab%.0s' $(seq 32))" \
    DATABASE_URL="sqlite://$OUT/crawl$run.db" \
    "$BIN" catalog crawl --keyword 保温杯 --pages 2 --format json -q > "$OUT/crawl$run.json"
  END=$(date +%s.%N)
  curl -s http://127.0.0.1:18702/_sandbox/stats > "$OUT/stats$run.json"
  python3 - "$START" "$END" "$OUT/stats$run.json" "$OUT/crawl$run.json" <<'PY'
import json, sys
start, end, stats, crawl = float(sys.argv[1]), float(sys.argv[2]), json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
by_api = {k: v["calls"] for k, v in stats["by_api"].items()}
total = sum(by_api.values())
bound = max([(total - 1) / 10] + [(n - 1) / 5 for n in by_api.values()])
wall = end - start
print(f"{by_api}; fetched {crawl['crawl'][0]['fetched']}: wall {wall:.2f} s, quota bound {bound:.2f} s, {wall / bound:.3f} x")
PY
done

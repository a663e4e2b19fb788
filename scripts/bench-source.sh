#!/usr/bin/env bash
# The main job's speed and memory: `open1688 source 保温杯 --need 300` against the sandbox,
# (1) under the default quota (in-process sandbox, 10 QPS per app, 5 per API) and
# (2) with quotas off (sandbox server, client limits raised), with peak RSS from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p open1688-cli
BIN=target/release/open1688
OUT=$(mktemp -d)
trap 'kill "${SANDBOX_PID:-}" 2>/dev/null || true; rm -rf "$OUT"' EXIT

echo "== default quota (built-in sandbox)"
env -u OPEN1688_APP_KEY -u OPEN1688_APP_SECRET OPEN1688_CONFIG="$OUT/none.toml" \
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$BIN" source 保温杯 --need 300 --out "$OUT/a" 2>&1 >/dev/null | grep -E "gateway calls|wall"

echo "== quotas off (sandbox server)"
"$BIN" sandbox --port 18700 --quotas-off > "$OUT/info.json" 2>/dev/null &
SANDBOX_PID=$!
for _ in $(seq 100); do [ -s "$OUT/info.json" ] && break; sleep 0.1; done
read -r KEY SECRET TOKEN <<<"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["app_key"], d["app_secret"], d["access_token"])' "$OUT/info.json")"
OPEN1688_CONFIG="$OUT/none.toml" OPEN1688_APP_KEY="$KEY" OPEN1688_APP_SECRET="$SECRET" OPEN1688_ACCESS_TOKEN="$TOKEN" \
  OPEN1688_ENDPOINT=http://127.0.0.1:18700 OPEN1688_QPS=1000 \
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$BIN" source 保温杯 --need 300 --out "$OUT/b" 2>&1 >/dev/null | grep -E "wall|gateway calls|open1688:"

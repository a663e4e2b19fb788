#!/usr/bin/env bash
# The dashboard's pages under load from the store: `open1688 serve` (release build, built-in
# sandbox, no monitor) over a SQLite store holding 10,000 watches (a tenth of them checked within
# the last 10 minutes) and 2,000 alerts; each page requested 200 times one after another after a
# warm-up, with the key in the log-in cookie. Prints p50/p95/max server time (request sent to
# answer read, on loopback) and each page's weight with the style sheet and script.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p open1688-cli
BIN=$PWD/target/release/open1688
OUT=$(mktemp -d)
trap 'kill "${SERVE_PID:-}" 2>/dev/null || true; rm -rf "$OUT"' EXIT
export OPEN1688_CONFIG="$OUT/none.toml" OPEN1688_DATA_DIR="$OUT/data" DATABASE_URL="sqlite://$OUT/store.db"
unset OPEN1688_APP_KEY OPEN1688_APP_SECRET OPEN1688_ACCESS_TOKEN OPEN1688_ENDPOINT REDIS_URL

KEY=$("$BIN" serve keys add --name bench --scope admin --format json -q | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["key"])')
python3 - "$OUT/store.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
rules = '[{"kind":"price_below","quantity":100,"target":"9.50"}]'
db.executemany(
    "INSERT INTO watches (offer_id, interval_secs, rules, next_due_ms, last_run_ms) VALUES (?, 600, ?, ?, ?)",
    [(600000000000 + i, rules, now + 600_000, now - (300_000 if i % 10 == 0 else 3_600_000)) for i in range(10_000)],
)
db.executemany(
    "INSERT INTO alerts (watch_id, offer_id, at_ms, rule, message) VALUES (?, ?, ?, 'price_below', ?)",
    [(1 + i % 10_000, 600000000000 + i % 10_000, now - i * 60_000, f"price at 100 fell to ¥9.{i % 100:02d}") for i in range(2_000)],
)
db.commit()
PY

"$BIN" serve --listen 127.0.0.1:18803 --no-monitor --key-rate 100000 --jobs-dir "$OUT/jobs" 2> "$OUT/serve.log" &
SERVE_PID=$!
for _ in $(seq 300); do grep -q "serving on" "$OUT/serve.log" && break; sleep 0.1; done

python3 - "$KEY" <<'PY'
import http.client, statistics, sys, time
key = sys.argv[1]
pages = ["/", "/search?keyword=%E4%BF%9D%E6%B8%A9%E6%9D%AF&quantity=300", "/offers/630526089341?need=300", "/keys"]
conn = http.client.HTTPConnection("127.0.0.1", 18803, timeout=120)
def get(path):
    conn.request("GET", path, headers={"Cookie": f"o1688_key={key}"})
    r = conn.getresponse()
    body = r.read()
    assert r.status == 200, (path, r.status, body[:200])
    return body
assets = sum(len(get(a)) for a in ["/assets/app.css", "/assets/app.js"])
for page in pages:
    get(page)  # warm: the gateway's answers are cached from here on, as on a running service
    times = []
    for _ in range(200):
        t0 = time.perf_counter()
        body = get(page)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50, p95 = times[99], times[189]
    print(f"{page:55} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {times[-1]:6.2f} ms  weight {(len(body) + assets) / 1024:5.1f} KB")
PY

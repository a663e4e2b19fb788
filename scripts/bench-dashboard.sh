#!/usr/bin/env bash
# The dashboard's pages under load from the store: `open1688 serve` (release build, built-in
# sandbox, no monitor) over a SQLite store holding 10,000 watches (a tenth of them checked within
# the last 10 minutes), 2,000 alerts and 100 offers crawled into the catalog; each page requested 200 times one after another after a
# warm-up, logged in through the form (the session cookie). Prints p50/p95/max server time (request sent to
# answer read, on loopback) and each page's weight with the style sheet and script; then, where
# Debian's chromium and chromedriver are installed, each page's first contentful paint in headless
# Chromium at a phone's 390×844 (fresh load, 10 loads, median and worst), over WebDriver's plain HTTP protocol.
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
    # The first watch is of the offer the benchmark reads, so its page draws a history.
    [(630526089341 if i == 0 else 600000000000 + i, rules, now + 600_000, now - (300_000 if i % 10 == 0 else 3_600_000)) for i in range(10_000)],
)
db.executemany(
    "INSERT INTO alerts (watch_id, offer_id, at_ms, rule, message) VALUES (?, ?, ?, 'price_below', ?)",
    [(1 + i % 10_000, 600000000000 + i % 10_000, now - i * 60_000, f"price at 100 fell to ¥9.{i % 100:02d}") for i in range(2_000)],
)
db.commit()
PY

# Two pages of offers crawled into the catalog, for its page (100 offers, about 20 s at the quota).
"$BIN" catalog crawl --keyword 保温杯 --pages 2 -q > /dev/null

"$BIN" serve --listen 127.0.0.1:18803 --no-monitor --key-rate 100000 --jobs-dir "$OUT/jobs" 2> "$OUT/serve.log" &
SERVE_PID=$!
for _ in $(seq 300); do grep -q "serving on" "$OUT/serve.log" && break; sleep 0.1; done

# One finished sourcing job, for its answer page.
JOB=$(curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"keyword":"保温杯","need":300}' http://127.0.0.1:18803/v1/jobs/source | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 600); do
  curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:18803/v1/jobs/$JOB" | grep -q '"status":"running"' || break
  sleep 0.2
done
PAIR=$(curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:18803/v1/jobs/$JOB/result" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["comparison"]["rows"]; print("offer=%d&offer=%d" % (r[0]["offer_id"], r[1]["offer_id"]))')
PAGES="/ /search?keyword=%E4%BF%9D%E6%B8%A9%E6%9D%AF&quantity=300 /offers/630526089341?need=300 /compare?$PAIR&quantity=300 /catalog /catalog?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF&at=100&price_max=30&sort=price /source /source/$JOB /plan /watches /watches?page=200 /watches/1?days=30 /keys"

# A dashboard session, as the log-in form makes one (the cookie holds a session token, never the key).
SESSION=$(curl -s -o /dev/null -D - --data-urlencode "key=$KEY" --data-urlencode "next=/" http://127.0.0.1:18803/login \
  | sed -n 's/^[Ss]et-[Cc]ookie: o1688_session=\([^;]*\).*/\1/p' | tr -d '\r')
[ -n "$SESSION" ] || { echo "the log-in gave no session cookie" >&2; exit 1; }

python3 - "$SESSION" $PAGES <<'PY'
import http.client, statistics, sys, time
session = sys.argv[1]
pages = sys.argv[2:]
conn = http.client.HTTPConnection("127.0.0.1", 18803, timeout=120)
def get(path):
    conn.request("GET", path, headers={"Cookie": f"o1688_session={session}"})
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

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  /usr/bin/chromedriver --port=18804 > /dev/null 2>&1 &
  DRIVER_PID=$!
  trap 'kill "${SERVE_PID:-}" "${DRIVER_PID:-}" 2>/dev/null || true; rm -rf "$OUT"' EXIT
  for _ in $(seq 50); do curl -s http://127.0.0.1:18804/status > /dev/null && break; sleep 0.1; done
  python3 - "$SESSION" "$OUT/profile" $PAGES <<'PY'
import json, statistics, sys, urllib.request
session_token, profile, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
base, driver = "http://127.0.0.1:18803", "http://127.0.0.1:18804"
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(driver + path, data=data, method=method, headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=120))["value"]
args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", f"--user-data-dir={profile}", "--window-size=390,844"]
session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome",
    "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["sessionId"]
s = f"/session/{session}"
call("POST", s + "/url", {"url": base + "/login"})
call("POST", s + "/cookie", {"cookie": {"name": "o1688_session", "value": session_token, "path": "/", "httpOnly": True}})
# The paint entry may land after the load event: wait for it (buffered), up to 5 s.
fcp = """const done = arguments[arguments.length - 1];
new PerformanceObserver((list) => {
  const e = list.getEntriesByName('first-contentful-paint')[0];
  if (e) done(e.startTime);
}).observe({ type: 'paint', buffered: true });
setTimeout(() => done(null), 5000);"""
for page in pages:
    times = []
    for _ in range(10):
        call("POST", s + "/url", {"url": "about:blank"})  # every load a fresh navigation
        call("POST", s + "/url", {"url": base + page})
        times.append(call("POST", s + "/execute/async", {"script": fcp, "args": []}))
    got = sorted(t for t in times if t is not None)
    print(f"FCP {page:51} median {statistics.median(got):6.0f} ms  worst {got[-1]:6.0f} ms  ({len(got)}/10 painted)")
call("DELETE", s)
PY
fi

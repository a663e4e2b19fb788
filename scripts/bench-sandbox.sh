#!/usr/bin/env bash
# Load test of the sandbox: keyword search and offer detail, signed, quotas off, measured by wrk
# in a separate process. Usage: scripts/bench-sandbox.sh [duration] [connections] [threads]
# Needs wrk (apt-get install wrk) and python3 (to sign the request bodies).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20s}
CONNECTIONS=${2:-32}
THREADS=${3:-1}
PORT=${PORT:-18699}
WORK=$(mktemp -d)
trap 'kill "$SANDBOX_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

cargo build --release -q -p open1688-sandbox --bin open1688-sandbox
target/release/open1688-sandbox --port "$PORT" --quotas-off > "$WORK/info.json" 2>/dev/null &
SANDBOX_PID=$!
for _ in $(seq 100); do [ -s "$WORK/info.json" ] && break; sleep 0.1; done

python3 - "$WORK/info.json" "$WORK/requests.lua" <<'PY'
import hashlib, hmac, json, sys, urllib.parse, urllib.request
info = json.load(open(sys.argv[1]))
ns = "com.alibaba.fenxiao.crossborder"
def signed(name, params):
    path = f"param2/1/{ns}/{name}/{info['app_key']}"
    params = dict(params, access_token=info["access_token"])
    message = path + "".join(sorted(k + v for k, v in params.items()))
    params["_aop_signature"] = hmac.new(info["app_secret"].encode(), message.encode(), hashlib.sha1).hexdigest().upper()
    return "/openapi/" + path, urllib.parse.urlencode(params)
def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
requests = []
keywords = ["数据线", "T恤", "保温杯", "Phone Case", "袜子", "Backpack", "饼干", "LED", "收纳盒", "Yoga Mat"]
for i, kw in enumerate(keywords):
    path, body = signed("product.search.keywordQuery", {"offerQueryParam": compact({"keyword": kw, "beginPage": 1 + i % 3, "pageSize": 20, "country": "en"})})
    requests.append((path, body))
# Offer ids from a first search page, for detail calls.
path, body = requests[0]
page = json.load(urllib.request.urlopen(info["base_url"] + path, body.encode()))
ids = [item["offerId"] for item in page["result"]["result"]["data"]][:10]
for offer_id in ids:
    requests.append(signed("product.search.queryProductDetail", {"offerDetailParam": compact({"offerId": offer_id, "country": "en"})}))
with open(sys.argv[2], "w") as out:
    out.write("local reqs = {\n")
    for path, body in requests:
        out.write("  wrk.format('POST', %s, {['Content-Type']='application/x-www-form-urlencoded;charset=UTF-8'}, %s),\n" % (json.dumps(path), json.dumps(body)))
    out.write("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return reqs[(i % #reqs) + 1]\nend\n")
    out.write("response = function(status, headers, body)\n  if status ~= 200 then io.stderr:write('unexpected status ' .. status .. '\\n') end\nend\n")
PY

echo "sandbox pid $SANDBOX_PID; $(grep -c wrk.format "$WORK/requests.lua") distinct signed requests (10 keyword searches, 10 details)"
taskset -c 1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/requests.lua" "http://127.0.0.1:$PORT" &
WRK_PID=$!
sleep 1
ps -o pid,rss,comm -p "$SANDBOX_PID" | tail -1 | awk '{print "sandbox RSS under load: " $2/1024 " MB"}'
wait "$WRK_PID"

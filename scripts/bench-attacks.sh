#!/usr/bin/env bash
# The service under attack (issue 28), on the release build, with the built-in sandbox:
# (1) peak resident memory while 40 worst-case pictures are searched at once (the largest picture
#     decoded at all: 6,000 x 4,000 px, one colour, a small PNG that decodes to 72 MB), against the
#     memory before; and the 12,000 x 12,000 picture (445 KB) that used to cost 0.8 GB, refused;
# (2) /healthz latency (wrk, 1 thread, 4 connections, 8 s) while 1,100 connections that never send
#     a request (half nothing, half an HTTP/2 preface) are held, the service limited to 1,024 files;
# (3) GET /v1/offers/{id} from a warm cache (wrk, 2 threads, 32 connections, 15 s), as in
#     bench-serve.sh, after all of the above.
# Needs wrk and prlimit (Debian: apt-get install wrk util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p open1688-cli
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/open1688
OUT=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$OUT"' EXIT
export OPEN1688_CONFIG="$OUT/none.toml" OPEN1688_DATA_DIR="$OUT/data" OPEN1688_LOG=error DATABASE_URL="sqlite://$OUT/store.db"
unset REDIS_URL OPEN1688_APP_KEY OPEN1688_APP_SECRET OPEN1688_ACCESS_TOKEN OPEN1688_ENDPOINT

KEY=$("$BIN" serve keys add --name bench --scope read --format json -q | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["key"])')
"$BIN" serve --listen 127.0.0.1:18731 --jobs-dir "$OUT/jobs" --key-rate 1000000 --no-monitor 2>"$OUT/serve.log" &
SERVE=$!
PIDS+=($SERVE)
for _ in $(seq 300); do curl -sf http://127.0.0.1:18731/healthz >/dev/null && break; sleep 0.1; done
prlimit --pid "$SERVE" --nofile=1024:1024
rss() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$SERVE/status"; }

python3 - "$OUT" <<'PY'
import struct, sys, zlib
def png(path, width, height):
    row = b"\x00" + b"\x80\x40\x20" * width
    data = zlib.compress(row * height, 9)
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", data) + chunk(b"IEND", b""))
png(sys.argv[1] + "/largest.png", 6000, 4000)
png(sys.argv[1] + "/bomb.png", 12000, 12000)
PY
echo "== (1) 40 worst-case pictures at once"
search() { curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KEY" -H 'content-type: image/png' \
  --data-binary "@$1" "http://127.0.0.1:18731/v1/image-search?limit=5"; }
search "$OUT/largest.png" >/dev/null   # warms the path
echo "picture sizes: largest $(stat -c %s "$OUT/largest.png") bytes, 12,000 x 12,000 $(stat -c %s "$OUT/bomb.png") bytes"
echo "12,000 x 12,000 alone: HTTP $(search "$OUT/bomb.png")"
before=$(rss VmRSS)
for _ in $(seq 40); do search "$OUT/largest.png" >> "$OUT/codes" & done
wait $(jobs -p | grep -v "^$SERVE$") 2>/dev/null || true
sleep 1
echo "answers: $(sort "$OUT/codes" | uniq -c | tr '\n' ' ')"
echo "resident before: ${before} MB; peak (VmHWM): $(rss VmHWM) MB; after: $(rss VmRSS) MB"

echo "== (2) /healthz while 1,100 idle connections are held (the service limited to 1,024 files)"
python3 - <<'PY' &
import socket, time
held = []
for n in range(1100):
    try:
        s = socket.create_connection(("127.0.0.1", 18731), timeout=2)
        if n % 2:
            s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        held.append(s)
    except OSError:
        pass
print(f"holding {len(held)} connections", flush=True)
time.sleep(12)
PY
HOLDER=$!
sleep 2
wrk -t1 -c4 -d8s --latency http://127.0.0.1:18731/healthz | grep -E "Requests/sec|  50%|  90%|  99%|Non-2xx|Socket errors"
wait $HOLDER || true

echo "== (3) GET /v1/offers/{id} from a warm cache (wrk: 2 threads, 32 connections, 15 s)"
URL=http://127.0.0.1:18731/v1/offers/630526089341
curl -sf -H "Authorization: Bearer $KEY" "$URL" >/dev/null
wrk -t2 -c32 -d15s --latency -H "Authorization: Bearer $KEY" "$URL" | grep -E "Requests/sec|  50%|  90%|  99%|Non-2xx"

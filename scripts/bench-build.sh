#!/usr/bin/env bash
# Clean release build time of the `open1688` binary, as the README's first command does it on a
# fresh machine: a fresh worktree of REV (default HEAD), an empty target folder and, with
# --with-downloads, an empty cargo home, so every crate is downloaded inside the timed build.
# Prints the wall time and the ten slowest units of cargo's --timings report.
# The report and the binary are kept in target/bench-build/.
#   scripts/bench-build.sh [--with-downloads] [--profile quick|release] [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
KEEP="$(pwd)/target/bench-build"
DOWNLOADS=0
PROFILE=release
while [ $# -gt 0 ]; do
  case "$1" in
    --with-downloads) DOWNLOADS=1; shift ;;
    --profile) PROFILE="$2"; shift 2 ;;
    *) break ;;
  esac
done
REV=${1:-HEAD}
WORK=$(mktemp -d)
trap 'git worktree remove --force "$WORK/src" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
git worktree add -q --detach "$WORK/src" "$REV"
cd "$WORK/src"
if [ "$DOWNLOADS" = 1 ]; then
  export CARGO_HOME="$WORK/cargo-home"
else
  cargo fetch -q
fi
START=$(date +%s)
CARGO_TARGET_DIR="$WORK/target" cargo build --profile "$PROFILE" -q -p open1688-cli --timings
END=$(date +%s)
what="crates already downloaded"
[ "$DOWNLOADS" = 1 ] && what="downloads included"
echo "clean $PROFILE build of open1688-cli at $(git rev-parse --short HEAD) ($what): $((END - START)) s on $(nproc) cores"
report=$(ls "$WORK"/target/cargo-timings/cargo-timing-*.html | tail -1)
mkdir -p "$KEEP" && cp "$report" "$KEEP/$PROFILE-$(git rev-parse --short HEAD).html"
cp "$WORK/target/$PROFILE/open1688" "$KEEP/open1688-$PROFILE"
echo "binary: $KEEP/open1688-$PROFILE ($(du -h "$KEEP/open1688-$PROFILE" | cut -f1))"
python3 - "$report" <<'EOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
total = sum(u["duration"] for u in units)
print(f"{len(units)} units, {total:.0f} s of compile time in all; the ten slowest:")
for u in sorted(units, key=lambda u: -u["duration"])[:10]:
    target = u.get("target", "").strip()
    print(f"  {u['duration']:6.1f} s  {u['name']} {u['version']}{(' ' + target) if target else ''}")
EOF

#!/usr/bin/env bash
# Clean release build time of the `open1688` binary: a fresh worktree of REV (default HEAD) and an
# empty target folder, so nothing is reused but the downloaded crates. Prints the wall time and
# writes cargo's --timings report (which crates take the time) next to the target folder.
#   scripts/bench-build.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:-HEAD}
WORK=$(mktemp -d)
trap 'git worktree remove --force "$WORK/src" >/dev/null 2>&1 || true' EXIT
git worktree add -q --detach "$WORK/src" "$REV"
cd "$WORK/src"
cargo fetch -q
START=$(date +%s)
CARGO_TARGET_DIR="$WORK/target" cargo build --release -q -p open1688-cli --timings
END=$(date +%s)
echo "clean release build of open1688-cli at $(git rev-parse --short HEAD): $((END - START)) s on $(nproc) cores"
echo "timings: $(ls "$WORK"/target/cargo-timings/cargo-timing-*.html | tail -1)"

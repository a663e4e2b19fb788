#!/usr/bin/env bash
# The MCP server's targets (issue 17): tool-call overhead over stdio against the direct job call
# (p99 ≤ 2 ms), and the sourcing job through MCP against the CLI (≤ 1.05×). See
# crates/open1688-mcp/examples/mcp_bench.rs for what is measured and how.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p open1688-cli
cargo run --release -q -p open1688-mcp --example mcp_bench -- "$PWD/target/release/open1688" "${1:-2000}"

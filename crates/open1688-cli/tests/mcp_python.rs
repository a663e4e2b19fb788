//! End to end with a second independent client: the official Python MCP SDK (`mcp`, installed by
//! `.ci/run`) drives `open1688 mcp` over stdio and `/mcp` of `open1688 serve` over HTTP; see
//! `tests/mcp_python/client.py` for what it checks. Without the SDK the test is skipped with a
//! message, except under `CI=true`, where it must run.

mod service;

use std::process::Command;

use assert_cmd::cargo::cargo_bin;
use service::{TINY_PNG, key, required, start};

fn python_sdk() -> bool {
    Command::new("python3")
        .args(["-c", "import mcp, jsonschema, httpx2"])
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn the_python_sdk_drives_every_tool_over_stdio_and_http() {
    if !python_sdk() {
        required("Python MCP SDK (pip install mcp jsonschema)", "python3 -c 'import mcp'");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "python-agent", "read");
    let service =
        start(dir.path(), &db, &["--no-monitor", "--mcp-dir", dir.path().join("service-mcp").to_str().unwrap()]);
    let picture = dir.path().join("cup.png");
    std::fs::write(&picture, TINY_PNG).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mcp_python/client.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(cargo_bin("open1688"))
        .arg(dir.path())
        .arg(&db)
        .arg(dir.path().join("mcp"))
        .arg(&picture)
        .arg(&service.base)
        .arg(&reader)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(out.status.success(), "the Python client failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("ok: over HTTP without a key: no session"), "{stdout}");
    assert!(!stdout.contains("FAILED"), "{stdout}");
}

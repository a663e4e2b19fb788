//! An independent client checks the service against its OpenAPI document: Schemathesis (from
//! PyPI; `.ci/run` installs it) generates requests from `docs/openapi.json` for every operation,
//! sends them to the real `open1688 serve` binary over its built-in sandbox, and fails on any
//! server error, any status, content type, header or body the document does not describe.
//! Without Schemathesis the test is skipped with a message, except under `CI=true`.

use std::process::Command;

mod service;

use service::{key, start};

/// The pinned version `.ci/run` installs.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

#[test]
fn the_service_answers_as_its_openapi_document_says() {
    let found = Command::new("schemathesis").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Schemathesis must run under CI=true: python3 -m pip install '{SCHEMATHESIS}'"
        );
        eprintln!("SKIPPED: no schemathesis on PATH (python3 -m pip install '{SCHEMATHESIS}')");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, admin) = key(dir.path(), &db, "conformance", "admin");
    // No per-key limit to speak of: the generated requests are not a flood to refuse.
    let svc = start(dir.path(), &db, &["--no-monitor", "--key-rate", "100000", "--sandbox-pushes"]);
    let document = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let out = Command::new("schemathesis")
        .args(["run", document, "--url", &svc.base])
        .args(["--header", &format!("Authorization: Bearer {admin}")])
        .args(["--max-examples", "20", "--generation-deterministic", "--request-timeout", "60"])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,\
             response_headers_conformance",
        ])
        // The stream never ends (it is tested on its own); revoking keys would revoke the test's.
        .args(["--exclude-path", "/v1/alerts/stream", "--exclude-path", "/v1/keys/{id}"])
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .output()
        .expect("schemathesis runs");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the service and its document disagree:\n{report}");
    assert!(report.contains("passed"), "schemathesis tested nothing:\n{report}");
}

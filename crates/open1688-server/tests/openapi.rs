//! The OpenAPI document cannot drift: the copy in `docs/openapi.json` must be what the handlers
//! generate (regenerate with `UPDATE_OPENAPI=1 cargo test -p open1688-server --test openapi`), and
//! it names every route the service answers.

use std::path::PathBuf;

fn checked_in() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

#[test]
fn the_checked_in_document_is_what_the_handlers_generate() {
    let generated = open1688_server::openapi::to_json(open1688_server::document());
    let path = checked_in();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "docs/openapi.json differs from the document the handlers generate; run \
         `UPDATE_OPENAPI=1 cargo test -p open1688-server --test openapi` and commit the result"
    );
}

#[test]
fn the_document_is_openapi_3_1_and_names_every_route() {
    let doc = serde_json::to_value(open1688_server::document()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let expect = [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/push/1688", "post"),
        ("/v1/search", "get"),
        ("/v1/offers/{id}", "get"),
        ("/v1/offers/{id}/history", "get"),
        ("/v1/offers/{id}/history.png", "get"),
        ("/v1/offers/{id}/history.svg", "get"),
        ("/v1/sellers/{id}", "get"),
        ("/v1/analyze", "get"),
        ("/v1/image-search", "post"),
        ("/v1/catalog/search", "get"),
        ("/v1/catalog/age", "get"),
        ("/v1/quote", "post"),
        ("/v1/compare", "post"),
        ("/v1/plan", "post"),
        ("/v1/split", "post"),
        ("/v1/same-item/{id}", "get"),
        ("/v1/recommend", "post"),
        ("/v1/watches", "get"),
        ("/v1/watches", "post"),
        ("/v1/watches/{id}", "put"),
        ("/v1/watches/{id}", "delete"),
        ("/v1/watches/{id}/snooze", "post"),
        ("/v1/watches/{id}/alerts", "get"),
        ("/v1/alerts", "get"),
        ("/v1/alerts/{id}/acknowledge", "post"),
        ("/v1/alerts/stream", "get"),
        ("/v1/runs", "get"),
        ("/v1/orders/preview", "post"),
        ("/v1/orders", "post"),
        ("/v1/orders", "get"),
        ("/v1/orders/{id}", "get"),
        ("/v1/orders/{id}/track", "post"),
        ("/v1/orders/{id}/cancel", "post"),
        ("/v1/orders/pay-url", "post"),
        ("/v1/orders/addresses", "get"),
        ("/v1/jobs/source", "post"),
        ("/v1/jobs/{id}", "get"),
        ("/v1/jobs/{id}", "delete"),
        ("/v1/jobs/{id}/result", "get"),
        ("/v1/jobs/{id}/files/{name}", "get"),
        ("/v1/keys", "get"),
        ("/v1/keys", "post"),
        ("/v1/keys/{id}", "delete"),
        ("/v1/openapi.json", "get"),
    ];
    for (path, method) in expect {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not in the document");
    }
    let documented: usize = paths.values().map(|p| p.as_object().map_or(0, |m| m.len())).sum();
    assert_eq!(documented, expect.len(), "a route is documented that this test does not list");
    // Every schema and response referred to is defined; operation ids are unique.
    let text = doc.to_string();
    for kind in ["schemas", "responses"] {
        let defined = doc["components"][kind].as_object().unwrap();
        for reference in text.split(&format!("\"#/components/{kind}/")).skip(1) {
            let name = &reference[..reference.find('"').unwrap()];
            assert!(defined.contains_key(name), "{kind}/{name} is referred to but not defined");
        }
    }
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    assert_eq!(ids.len(), expect.len(), "every operation has an id");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), expect.len(), "operation ids are unique");
}

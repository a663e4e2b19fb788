//! Helpers for the sandbox's integration tests: signed raw calls, fixtures, shape comparison.
#![allow(dead_code)]

use std::path::PathBuf;

use open1688_sandbox::Sandbox;
use open1688_types::Params;
use serde_json::Value;

/// The cross-border namespace.
pub const CB: &str = "com.alibaba.fenxiao.crossborder";

/// A small sandbox (fast to start) with a simulated clock.
pub async fn small_sandbox() -> Sandbox {
    Sandbox::builder().catalog_size(3_000, 240).simulated_clock(None).start().await.expect("sandbox starts")
}

/// Reads a documented response sample from the repository's `fixtures/responses`.
pub fn fixture(name: &str) -> Value {
    let dir = std::env::var_os("OPEN1688_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures"));
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read fixture {} (the repository's fixtures/ folder, or OPEN1688_FIXTURES): {e}", path.display())
    });
    serde_json::from_str(&text).unwrap()
}

/// A raw answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn error_code(&self) -> String {
        self.json()["error_code"].as_str().unwrap_or("").to_owned()
    }
}

/// Signs and posts a call the way the official SDKs do, with full control over every parameter.
pub struct Caller {
    pub base_url: String,
    pub app_key: String,
    pub secret: String,
    pub token: Option<String>,
    http: reqwest::Client,
}

impl Caller {
    pub fn demo(sandbox: &Sandbox) -> Self {
        Self {
            base_url: sandbox.base_url().to_owned(),
            app_key: sandbox.app_key().to_owned(),
            secret: sandbox.app_secret().to_owned(),
            token: Some(sandbox.access_token().to_owned()),
            http: reqwest::Client::new(),
        }
    }

    pub fn path(&self, ns: &str, name: &str) -> String {
        format!("param2/1/{ns}/{name}/{}", self.app_key)
    }

    /// Adds the token, signs, posts.
    pub async fn call(&self, ns: &str, name: &str, pairs: &[(&str, &str)]) -> Answer {
        let mut params = Params::new();
        for (k, v) in pairs {
            params.set_raw(k, *v);
        }
        if let Some(token) = &self.token {
            params.set_raw("access_token", token.as_str());
        }
        let path = self.path(ns, name);
        let signature = params.signature(&path, self.secret.as_bytes());
        params.set_raw("_aop_signature", signature);
        self.post(&path, &params.to_form_body()).await
    }

    /// Posts a body as-is to `/openapi/{path}`.
    pub async fn post(&self, path: &str, body: &str) -> Answer {
        let response = self
            .http
            .post(format!("{}/openapi/{path}", self.base_url))
            .header("content-type", "application/x-www-form-urlencoded;charset=UTF-8")
            .body(body.to_owned())
            .send()
            .await
            .expect("sandbox answers");
        let status = response.status().as_u16();
        Answer { status, body: response.text().await.unwrap() }
    }

    pub async fn keyword(&self, query: Value) -> Answer {
        self.call(CB, "product.search.keywordQuery", &[("offerQueryParam", &query.to_string())]).await
    }

    pub async fn detail(&self, offer_id: i64) -> Answer {
        let p = serde_json::json!({ "offerId": offer_id, "country": "en" }).to_string();
        self.call(CB, "product.search.queryProductDetail", &[("offerDetailParam", &p)]).await
    }
}

/// Differences between a documented sample and an actual body: every field of the sample must
/// exist with the same JSON type (integer and float told apart); an array's sample element must
/// be matched by at least one actual element.
pub fn shape_differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(expected, actual, "$", &mut out);
    out
}

/// [`shape_differences`] with every number alike: the platform's documentation examples write a
/// yuan amount as `6` in one order and `6.15` in another, so there the kind of number says
/// nothing.
pub fn doc_shape_differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(&numbers_alike(expected), &numbers_alike(actual), "$", &mut out);
    out
}

fn numbers_alike(v: &Value) -> Value {
    match v {
        Value::Number(_) => Value::from(0),
        Value::Array(items) => Value::Array(items.iter().map(numbers_alike).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), numbers_alike(v))).collect()),
        other => other.clone(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compare(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    if expected.is_null() {
        return;
    }
    if kind(expected) != kind(actual) {
        out.push(format!("{path}: expected {} ({expected}), got {} ({actual})", kind(expected), kind(actual)));
        return;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                match a.get(key) {
                    Some(av) => compare(ev, av, &format!("{path}.{key}"), out),
                    None if ev.is_null() => {}
                    None => out.push(format!("{path}.{key}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let Some(first) = e.first() {
                let best = a
                    .iter()
                    .map(|av| {
                        let mut diffs = Vec::new();
                        compare(first, av, &format!("{path}[*]"), &mut diffs);
                        diffs
                    })
                    .min_by_key(Vec::len);
                match best {
                    Some(diffs) => out.extend(diffs),
                    None => out.push(format!("{path}: empty array, sample has elements")),
                }
            }
        }
        _ => {}
    }
}

//! The server binary: starts, prints one JSON line with the endpoint and demo credentials, and
//! answers signed calls from any client.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use open1688_types::Params;
use serde_json::Value;

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_one_json_line_and_serves_signed_calls() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_open1688-sandbox"))
            .args(["--port", "0", "--offers", "2000", "--suppliers", "200", "--seed", "5", "--qps", "50"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("one JSON line, got {line:?}: {e}"));
    for field in ["base_url", "app_key", "app_secret", "access_token", "refresh_token"] {
        assert!(info[field].as_str().is_some_and(|v| !v.is_empty()), "{field} in {line}");
    }
    let base = info["base_url"].as_str().unwrap();
    let app_key = info["app_key"].as_str().unwrap();
    let path = format!("param2/1/com.alibaba.fenxiao.crossborder/product.search.keywordQuery/{app_key}");
    let mut params = Params::new();
    params.set_raw("offerQueryParam", r#"{"keyword":"饼干","beginPage":1,"pageSize":3,"country":"en"}"#);
    params.set_raw("access_token", info["access_token"].as_str().unwrap());
    let signature = params.signature(&path, info["app_secret"].as_str().unwrap().as_bytes());
    params.set_raw("_aop_signature", signature);
    let answer =
        reqwest::Client::new().post(format!("{base}/openapi/{path}")).body(params.to_form_body()).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/json;charset=UTF-8");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["result"]["success"], Value::Bool(true));
    assert_eq!(body["result"]["result"]["data"].as_array().unwrap().len(), 3);
}

#[test]
fn a_bad_config_file_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("open1688-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(&file, "[protocol]\nno_such_setting = 1\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_open1688-sandbox"))
        .args(["--port", "0", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.toml") && stderr.contains("no_such_setting"), "{stderr}");
}

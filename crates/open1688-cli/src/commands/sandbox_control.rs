//! `sandbox pay` and `sandbox clock`: what a learner does to a running sandbox server that no
//! platform API does (paying at the cashier, letting days pass), through the server's control
//! routes at the configured endpoint, so the walk-through needs no other HTTP client.

use std::time::Duration;

use anyhow::Context as _;
use open1688_jobs::{Cell, Sheet};
use serde_json::{Value, json};

use crate::args::SandboxAction;
use crate::exit::{CliError, usage};
use crate::settings::Settings;

/// Acts on the sandbox server at the endpoint and returns what it answered.
pub async fn act(settings: &Settings, action: &SandboxAction) -> Result<Vec<Sheet>, CliError> {
    let base = sandbox_endpoint(settings.endpoint.as_deref())?;
    let (path, body) = match action {
        SandboxAction::Pay { order_id } => (format!("/_sandbox/orders/{order_id}/pay"), json!({})),
        SandboxAction::Clock { hours, days } => {
            let seconds = hours
                .checked_mul(3_600)
                .and_then(|h| days.checked_mul(86_400).and_then(|d| h.checked_add(d)))
                .filter(|s| *s > 0)
                .ok_or_else(|| usage("give the time to move on: --hours N or --days N (positive)"))?;
            ("/_sandbox/clock".to_owned(), json!({ "advance_seconds": seconds }))
        }
    };
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .context("an HTTP client")?;
    let response = client
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .with_context(|| format!("the sandbox server at {base} did not answer (is `open1688 sandbox` running?)"))?;
    let status = response.status();
    let answer: Value =
        response.json().await.with_context(|| format!("the sandbox server at {base} answered {status}"))?;
    if !status.is_success() {
        let message = answer["message"].as_str().or(answer["error"].as_str()).unwrap_or("no reason given").to_owned();
        return Err(match action {
            SandboxAction::Pay { order_id } => usage(format!("order {order_id} cannot be paid: {message}")),
            SandboxAction::Clock { .. } => usage(format!("the sandbox's clock did not move: {message}")),
        });
    }
    Ok(vec![match action {
        SandboxAction::Pay { .. } => {
            let mut sheet = Sheet::new("paid", &["order_id", "status"]);
            sheet.push(vec![Cell::opt_text(answer["id"].as_str()), Cell::opt_text(answer["status"].as_str())]);
            sheet
        }
        SandboxAction::Clock { .. } => {
            let mut sheet = Sheet::new("clock", &["now", "simulated"]);
            sheet.push(vec![
                Cell::opt_text(answer["now"].as_str()),
                Cell::flag(answer["simulated"].as_bool() == Some(true)),
            ]);
            sheet
        }
    }])
}

/// The endpoint, when it is a sandbox server on this machine (the control routes have no
/// authentication, so they are never sent anywhere else).
fn sandbox_endpoint(endpoint: Option<&str>) -> Result<String, CliError> {
    let not_a_sandbox = || {
        usage(
            "`open1688 sandbox pay` and `sandbox clock` act on a sandbox server on this machine: start one with \
             `open1688 sandbox --port 8690 --simulated-clock` and set OPEN1688_ENDPOINT=http://127.0.0.1:8690",
        )
    };
    let endpoint = endpoint.ok_or_else(not_a_sandbox)?;
    let url = url::Url::parse(endpoint).map_err(|_| not_a_sandbox())?;
    if !open1688::is_loopback(&url) {
        return Err(not_a_sandbox());
    }
    Ok(endpoint.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_server_on_this_machine_is_acted_on() {
        assert_eq!(sandbox_endpoint(Some("http://127.0.0.1:8690/")).unwrap(), "http://127.0.0.1:8690");
        assert!(sandbox_endpoint(Some("http://localhost:1")).is_ok());
        for refused in [None, Some("https://gw.open.1688.com"), Some("http://10.0.0.2:8690"), Some("not a url")] {
            let error = sandbox_endpoint(refused).unwrap_err().to_string();
            assert!(error.contains("OPEN1688_ENDPOINT"), "{error}");
        }
    }
}

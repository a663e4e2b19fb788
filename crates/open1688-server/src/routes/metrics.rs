//! `GET /metrics` in Prometheus text format: the SDK's figures (gateway calls by outcome, latency
//! per API, cache hits, retries by class — throttles among them), the service's own (requests by
//! route and status, their latency), and figures read at scrape time (each watch's data age,
//! watches by state, jobs by status, alert deliveries waiting).

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use metrics_exporter_prometheus::PrometheusHandle;
use open1688_store::Store;

use crate::job_board::JobStatus;
use crate::openapi::Failures;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /metrics`: Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "Prometheus text format (version 0.0.4).", content_type = "text/plain", body = String),
        Failures))]
pub async fn metrics(State(state): State<ServiceState>) -> Result<Response, Problem> {
    let mut text = state.metrics.as_ref().map(PrometheusHandle::render).unwrap_or_default();
    scrape_time_figures(&state, &mut text).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response())
}

/// The figures read when scraped: each watch's data age and state, jobs by status, deliveries
/// waiting.
async fn scrape_time_figures(state: &ServiceState, out: &mut String) -> Result<(), Problem> {
    let now_ms = Utc::now().timestamp_millis();
    let watches = state.store.watches().await?;
    gauge(out, "open1688_watch_data_age_seconds", "Seconds since the watch's data was last read (-1: never).");
    let mut by_state = std::collections::BTreeMap::<String, u64>::new();
    for w in &watches {
        let age = w.last_run_ms.map_or(-1.0, |ms| (now_ms.saturating_sub(ms)) as f64 / 1000.0);
        let _ = writeln!(out, "open1688_watch_data_age_seconds{{watch=\"{}\"}} {age}", w.id);
        *by_state.entry(w.state(now_ms).to_string()).or_default() += 1;
    }
    gauge(out, "open1688_watches", "Watches by state.");
    for (name, n) in by_state {
        let _ = writeln!(out, "open1688_watches{{state=\"{name}\"}} {n}");
    }
    gauge(out, "open1688_service_jobs", "Background jobs of every instance by status (a waiting job is running).");
    let counts = state.board.counts().await?;
    for status in
        [JobStatus::Running, JobStatus::Succeeded, JobStatus::Failed, JobStatus::Cancelled, JobStatus::Interrupted]
    {
        let n = counts.get(&status).copied().unwrap_or(0);
        let _ = writeln!(out, "open1688_service_jobs{{status=\"{}\"}} {n}", status.as_str());
    }
    let pending = state.store.pending_deliveries().await?;
    gauge(out, "open1688_alert_deliveries_pending", "Alert deliveries waiting to be sent.");
    let _ = writeln!(out, "open1688_alert_deliveries_pending {pending}");
    Ok(())
}

/// Starts a gauge's block: its help and type lines.
fn gauge(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
}

//! What the service says about itself: a request id and one structured log line per request, HTTP
//! request counts and latencies, and the process's Prometheus recorder (rendered at `/metrics`
//! by [`crate::routes::metrics`]).

use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing::Instrument;

/// The header carrying a request's id, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// Requests handled, by route template, method and status.
pub const HTTP_REQUESTS_TOTAL: &str = "open1688_http_requests_total";
/// Time from a request's headers to its answer's headers, by route template.
pub const HTTP_REQUEST_SECONDS: &str = "open1688_http_request_duration_seconds";

/// Latency buckets (seconds) for every histogram: the seed's targets sit at 5 ms (a cached
/// answer) and 500 ms (a gateway call).
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Installs the process's Prometheus recorder once (later calls get the same handle); `None`
/// when another recorder was installed first (the figures then go there).
pub fn install_recorder() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new().set_buckets(BUCKETS).ok()?;
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics go to the recorder installed before; /metrics shows the store's figures only");
                    None
                }
            }
        })
        .clone()
}

/// The request's id: the caller's `X-Request-Id` when it is a sane token (so a trace spans
/// systems), else a fresh random one.
fn request_id(request: &Request) -> String {
    let given = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| {
        (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    });
    match given {
        Some(id) => id.to_owned(),
        None => {
            let mut bytes = [0u8; 8];
            // A weak id beats none: without randomness, fall back to the clock.
            if getrandom::fill(&mut bytes).is_err() {
                bytes = Utc::now().timestamp_nanos_opt().unwrap_or_default().to_be_bytes();
            }
            bytes.iter().fold(String::with_capacity(16), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
        }
    }
}

/// The route template a path matches in the OpenAPI document (`/v1/offers/{id}`), or `other`:
/// labels stay few whatever paths a caller invents.
pub fn route_label(path: &str) -> &'static str {
    static TEMPLATES: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| {
        crate::api::document()
            .paths
            .paths
            .keys()
            .map(|t| {
                let t: &'static str = Box::leak(t.clone().into_boxed_str());
                (t, t.split('/').collect())
            })
            .collect()
    });
    if path == "/mcp" {
        // The MCP endpoint is a service of its own, outside the OpenAPI document.
        return "/mcp";
    }
    let segments: Vec<&str> = path.split('/').collect();
    templates
        .iter()
        .find(|(_, parts)| {
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| *p == *s || (p.starts_with('{') && p.ends_with('}') && !s.is_empty()))
        })
        .map_or("other", |(t, _)| t)
}

/// Gives each request an id (answered in `X-Request-Id`), logs one line when it is answered
/// (method, route, status, milliseconds, the key's id when one was presented — never the key, the
/// query string or the body), and counts it.
pub async fn observe(request: Request, next: Next) -> Response {
    let id = request_id(&request);
    let method = request.method().clone();
    let route = route_label(request.uri().path());
    let span = tracing::info_span!("request", id = %id, method = %method, route, key = tracing::field::Empty);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status();
    span.in_scope(|| {
        let ms = elapsed.as_secs_f64() * 1000.0;
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), ms, "answered");
        } else {
            tracing::info!(status = status.as_u16(), ms, "answered");
        }
    });
    metrics::counter!(HTTP_REQUESTS_TOTAL, "route" => route, "method" => method.to_string(), "status" => status.as_u16().to_string())
        .increment(1);
    metrics::histogram!(HTTP_REQUEST_SECONDS, "route" => route).record(elapsed.as_secs_f64());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_labelled_by_their_template_and_inventions_are_other() {
        assert_eq!(route_label("/v1/offers/630526089341"), "/v1/offers/{id}");
        assert_eq!(route_label("/v1/offers/1/history.png"), "/v1/offers/{id}/history.png");
        assert_eq!(route_label("/v1/jobs/abc/files/report.xlsx"), "/v1/jobs/{id}/files/{name}");
        assert_eq!(route_label("/healthz"), "/healthz");
        assert_eq!(route_label("/mcp"), "/mcp");
        assert_eq!(route_label("/v1/../../etc/passwd"), "other");
        assert_eq!(route_label("/v1/offers/"), "other");
    }

    #[test]
    fn a_sane_caller_request_id_is_kept_and_anything_else_replaced() {
        let with = |v: &str| Request::builder().header(REQUEST_ID, v).body(axum::body::Body::empty()).unwrap();
        assert_eq!(request_id(&with("trace-42:a.b_c")), "trace-42:a.b_c");
        for bad in ["", "has space", "x\u{7f}", &"a".repeat(65)] {
            let Ok(req) = Request::builder().header(REQUEST_ID, bad).body(axum::body::Body::empty()) else { continue };
            let id = request_id(&req);
            assert_eq!(id.len(), 16, "{bad:?} → {id}");
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }
}

//! The service's router: operations routes open, every `/v1` route behind an API key, a body
//! limit, and the listener's deadlines (see [`serve`]).

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use open1688_listen::{self as listen, Limits};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::api::{keyed_routes, open_routes, v1_routes};
use crate::auth::require_key;
use crate::problem::Problem;
use crate::state::ServiceState;
use crate::telemetry;

/// The largest request body accepted (plans and watch rules are small).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a request may take, from its headers to its answer.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(120);

/// How the service is put on the network, beyond its routes.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Browser origins allowed to call the API (`https://erp.example.com`); none (the default)
    /// turns CORS off, and browsers on other sites cannot read the answers.
    pub cors_origins: Vec<HeaderValue>,
    /// The MCP server answered at `/mcp` (streamable HTTP, behind the same keys); none leaves
    /// `/mcp` unrouted.
    pub mcp: Option<open1688_mcp::SourcingServer>,
    /// Cancelled when the service stops, ending MCP sessions (their event streams would otherwise
    /// hold connections open past the stop).
    pub mcp_stop: CancellationToken,
    /// Connections held at once (0: the default, [`DEFAULT_MAX_CONNECTIONS`]); past it the
    /// longest-idle one makes room, and when every one is busy a new one gets 503.
    pub max_connections: usize,
    /// How long the service keeps answering after it is told to stop, with `/readyz` already
    /// answering 503, so a balancer notices and sends new requests elsewhere (0: stop at once).
    pub drain: Duration,
}

/// Connections held at once unless told otherwise: half the usual limit of 1,024 open files,
/// leaving the rest to the store, the gateway and the job files.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// How long a connection may go without a complete request head before it is closed.
pub const HEADER_DEADLINE: Duration = Duration::from_secs(10);

impl ServeOptions {
    /// Options with these CORS origins, each checked to be an origin (`scheme://host[:port]`).
    pub fn with_cors_origins<S: AsRef<str>>(origins: &[S]) -> Result<Self, String> {
        let cors_origins = origins
            .iter()
            .map(|o| {
                let o = o.as_ref().trim_end_matches('/');
                let scheme_ok = o.starts_with("https://") || o.starts_with("http://");
                let rest = o.split_once("://").map_or("", |(_, r)| r);
                if !scheme_ok || rest.is_empty() || rest.contains(['/', '?', '#', '*']) {
                    return Err(format!("CORS origin {o:?} is not scheme://host[:port] (no path, no wildcard)"));
                }
                HeaderValue::from_str(o).map_err(|e| format!("CORS origin {o:?}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { cors_origins, ..Self::default() })
    }

    /// Answers MCP clients at `/mcp` with `server`.
    pub fn with_mcp(mut self, server: open1688_mcp::SourcingServer) -> Self {
        self.mcp = Some(server);
        self
    }

    /// The CORS layer, when origins are configured: the API's methods and headers, answers'
    /// request id and `Location` readable, preflight cached an hour. Preflight requests carry no
    /// key, so this layer sits outside the key check.
    fn cors(&self) -> Option<CorsLayer> {
        (!self.cors_origins.is_empty()).then(|| {
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(self.cors_origins.clone()))
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    HeaderName::from_static("x-api-key"),
                    HeaderName::from_static(telemetry::REQUEST_ID),
                ])
                .expose_headers([header::LOCATION, header::RETRY_AFTER, HeaderName::from_static(telemetry::REQUEST_ID)])
                .max_age(Duration::from_secs(3600))
        })
    }
}

/// The service's routes over `state`.
pub fn router(state: ServiceState, options: &ServeOptions) -> Router {
    let keyed = || axum::middleware::from_fn_with_state(state.clone(), require_key);
    let (v1, _) = v1_routes().split_for_parts();
    let v1 = v1.fallback(not_found).layer(keyed());
    let (metrics, _) = keyed_routes().split_for_parts();
    let (open, _) = open_routes().split_for_parts();
    let mut open = open.merge(metrics.route_layer(keyed()));
    if let Some(mcp) = &options.mcp {
        // Keyed like every /v1 route; the key travels with the request to the tools, which check
        // its scope before changing anything.
        // Stateless: no session to take over; what an answer streams ends with its key.
        let endpoint = open1688_mcp::http_service(mcp.clone(), options.mcp_stop.clone());
        let guard = axum::middleware::from_fn_with_state(state.revocations.clone(), crate::mcp_answers::end_with_key);
        open = open.merge(Router::new().route_service("/mcp", endpoint).layer(guard).layer(keyed()));
    }
    // The dashboard's pages check the key themselves (from the log-in cookie, not a header).
    let app = open
        .merge(
            crate::pages::routes()
                .layer(axum::middleware::from_fn_with_state(state.clone(), crate::pages::charge_viewer)),
        )
        .nest("/v1", v1)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(crate::problem::in_asked_language))
        .layer(axum::middleware::from_fn(telemetry::observe))
        .with_state(state);
    let app = match options.cors() {
        Some(cors) => app.layer(cors),
        None => app,
    };
    listen::with_request_deadline(app, REQUEST_DEADLINE, timed_out)
}

/// The 408 a request past [`REQUEST_DEADLINE`] gets, as a problem document.
fn timed_out() -> axum::response::Response {
    use axum::response::IntoResponse;
    Problem::new(StatusCode::REQUEST_TIMEOUT, format!("the request took longer than {} s", REQUEST_DEADLINE.as_secs()))
        .into_response()
}

/// An address that is neither a page nor a route: a page for a browser, a problem document for a
/// program.
async fn not_found(headers: axum::http::HeaderMap) -> axum::response::Response {
    use axum::response::IntoResponse;
    if crate::pages::wants_html(&headers) {
        return crate::pages::missing_page(&headers);
    }
    Problem::new(StatusCode::NOT_FOUND, "no such route; the API is under /v1 (see /v1/openapi.json)")
        .chinese("没有这个地址；接口都在 /v1 之下（见 /v1/openapi.json）")
        .into_response()
}

/// Serves the router on `addr` until `shutdown` completes. Warns when the address is reachable
/// from other machines.
pub async fn serve(
    state: ServiceState,
    options: &ServeOptions,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()>,
    bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    if !local.ip().is_loopback() {
        tracing::warn!(%local, "the service listens beyond this machine: every /v1 route needs an API key; put TLS in front of it");
    }
    bound(local);
    let mcp_stop = options.mcp_stop.clone();
    let watching = CancellationToken::new();
    tokio::spawn(crate::revocations::watch_revocations(
        state.store.clone(),
        state.revocations.clone(),
        state.verified_keys.clone(),
        crate::revocations::POLL_EVERY,
        watching.clone(),
    ));
    // Every alert, whichever process raised it, reaches this instance's streams from the store.
    tokio::spawn(crate::alert_stream::feed_from_store(
        state.store.clone(),
        state.alerts.clone(),
        crate::alert_stream::FEED_EVERY,
        watching.clone(),
    ));
    let (stopping, drain) = (state.stopping.clone(), options.drain);
    let shutdown = async move {
        shutdown.await;
        // Not ready any more, and every stream told to reconnect elsewhere; then, after the
        // drain, no new connection is taken and the ones left finish what they are answering.
        stopping.cancel();
        if !drain.is_zero() {
            tracing::info!(drain_s = drain.as_secs_f64(), "stopping: not ready, still answering for the drain");
            tokio::time::sleep(drain).await;
        }
        watching.cancel();
        mcp_stop.cancel();
    };
    listen::serve(
        listener,
        router(state, options),
        Limits {
            headers: HEADER_DEADLINE,
            request: REQUEST_DEADLINE,
            max_connections: if options.max_connections == 0 {
                DEFAULT_MAX_CONNECTIONS
            } else {
                options.max_connections
            },
        },
        shutdown,
    )
    .await;
    Ok(())
}

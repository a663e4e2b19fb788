//! Serving a router with the limits a network-facing server needs and `axum::serve` does not set:
//! a deadline for a request's headers (a client that trickles them — slowloris — is cut off),
//! and a deadline for the whole request (a trickled body, a stuck handler), after which the
//! client gets 408. Shutdown is graceful: connections finish their requests, then close. The
//! sandbox and the service both serve through it.
//!
//! ```no_run
//! use std::time::Duration;
//! use axum::{Router, routing::get};
//! use open1688_listen::{Deadlines, plain_timeout, serve, with_request_deadline};
//!
//! # async fn run() -> std::io::Result<()> {
//! let app = with_request_deadline(Router::new().route("/", get(|| async { "hi" })), Duration::from_secs(30), plain_timeout);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! serve(listener, app, Deadlines::default(), async { let _ = tokio::signal::ctrl_c().await; }).await;
//! # Ok(())
//! # }
//! ```

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a server waits for parts of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// From a connection's first byte (or its previous response) to the end of the headers.
    pub headers: Duration,
    /// From the end of the headers to the response: reading the body and answering.
    pub request: Duration,
}

impl Default for Deadlines {
    /// 10 s for headers; 60 s for the rest, above the longest delay the fault plan injects.
    fn default() -> Self {
        Self { headers: Duration::from_secs(10), request: Duration::from_secs(60) }
    }
}

/// Adds the request deadline to a router: past it, the handler stops and the client gets
/// `timed_out()` (a 408 in the server's own error format).
pub fn with_request_deadline(router: Router, deadline: Duration, timed_out: fn() -> Response) -> Router {
    router.layer(axum::middleware::from_fn(move |req: Request, next: Next| async move {
        match tokio::time::timeout(deadline, next.run(req)).await {
            Ok(response) => response,
            Err(_) => timed_out(),
        }
    }))
}

/// A plain-text 408.
pub fn plain_timeout() -> Response {
    (StatusCode::REQUEST_TIMEOUT, "the request took too long").into_response()
}

/// Serves `router` on `listener` until `shutdown` completes, with the header deadline set on
/// every HTTP/1 connection (the request deadline is [`with_request_deadline`]'s).
pub async fn serve(listener: TcpListener, router: Router, deadlines: Deadlines, shutdown: impl Future<Output = ()>) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(deadlines.headers);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Some(deadlines.headers));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(router.clone());
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    // Connections finish what they are answering; none is left waiting past 10 s.
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
}

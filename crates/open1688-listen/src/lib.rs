//! Serving a router with the limits a network-facing server needs and `axum::serve` does not set:
//! a deadline for a request's headers (a client that trickles them — slowloris — is cut off), a
//! deadline for the whole request (a trickled body, a stuck handler), after which the client gets
//! 408, idle connections closed after the header deadline whatever protocol they speak (see
//! [`connections`]), and a cap on open connections. Shutdown is graceful: connections finish
//! their requests, then close. The sandbox and the service both serve through it.
//!
//! ```no_run
//! use std::time::Duration;
//! use axum::{Router, routing::get};
//! use open1688_listen::{Limits, plain_timeout, serve, with_request_deadline};
//!
//! # async fn run() -> std::io::Result<()> {
//! let app = with_request_deadline(Router::new().route("/", get(|| async { "hi" })), Duration::from_secs(30), plain_timeout);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! serve(listener, app, Limits::default(), async { let _ = tokio::signal::ctrl_c().await; }).await;
//! # Ok(())
//! # }
//! ```

pub mod connections;

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use crate::connections::{Registry, Tracked};

/// How long a server waits for parts of a request, and how many connections it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From a connection's accept (or its previous response) to the end of a request's headers:
    /// a connection idle this long is closed.
    pub headers: Duration,
    /// From the end of the headers to the response: reading the body and answering.
    pub request: Duration,
    /// Connections held at once; past it the longest-idle one makes room, and when all are busy
    /// a new one is answered 503 and closed. Keep it under the process's open-file limit.
    pub max_connections: usize,
}

impl Default for Limits {
    /// 10 s for headers; 60 s for the rest, above the longest delay the fault plan injects; 512
    /// connections (half the usual limit of 1,024 open files).
    fn default() -> Self {
        Self { headers: Duration::from_secs(10), request: Duration::from_secs(60), max_connections: 512 }
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

/// The answer to a connection past the cap when every connection is busy.
const TOO_MANY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\nretry-after: 1\r\n\
content-type: text/plain; charset=utf-8\r\ncontent-length: 42\r\n\r\nthe server holds too many connections now\n";

/// Serves `router` on `listener` until `shutdown` completes, under `limits` (the request
/// deadline is [`with_request_deadline`]'s).
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.headers);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Some(limits.headers));
    let graceful = GracefulShutdown::new();
    let registry = Arc::new(Registry::default());
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
        let now = Instant::now();
        if registry.len() >= limits.max_connections.max(1) && !registry.evict_longest_idle(now) {
            tokio::spawn(refuse(stream));
            continue;
        }
        let (id, connection) = registry.add(now);
        let service = hyper::service::service_fn({
            let (router, connection) = (router.clone(), connection.clone());
            move |request: Request<hyper::body::Incoming>| {
                let in_flight = connection.begin();
                let router = router.clone();
                async move {
                    let response = router.oneshot(request).await.unwrap_or_else(|never: Infallible| match never {});
                    Ok::<_, Infallible>(response.map(|body| Body::new(Tracked::new(body, in_flight))))
                }
            }
        });
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let conn = graceful.watch(conn);
        let (registry, headers) = (registry.clone(), limits.headers);
        tokio::spawn(async move {
            let idle_too_long = async {
                let mut tick = tokio::time::interval((headers / 4).max(Duration::from_millis(10)));
                loop {
                    tick.tick().await;
                    if connection.idle_for(Instant::now()).is_some_and(|idle| idle >= headers) {
                        return;
                    }
                }
            };
            tokio::select! {
                ended = conn => if let Err(e) = ended {
                    tracing::debug!(error = %e, "connection ended with an error");
                },
                () = connection.closed() => tracing::debug!("an idle connection made room for a new one"),
                () = idle_too_long => tracing::debug!("an idle connection was closed"),
            }
            registry.remove(id);
        });
    }
    // Connections finish what they are answering; none is left waiting past 10 s.
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
}

/// Tells a connection past the cap to come back, and closes it.
async fn refuse(mut stream: TcpStream) {
    tracing::warn!("a connection was refused: every connection is busy");
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(TOO_MANY).await?;
        stream.shutdown().await?;
        // Read what the client sent before closing: closing with it unread would reset the
        // connection, and the client might lose the answer.
        let mut drain = [0u8; 4096];
        while stream.read(&mut drain).await? > 0 {}
        Ok::<(), std::io::Error>(())
    })
    .await;
}

//! Connections against a real listener: an idle one is closed after the header deadline whatever
//! it sent (nothing, an HTTP/2 preface, one request then silence), a response that streams longer
//! than that is not cut, and at the cap the longest-idle connection makes room while a new one is
//! refused with 503 only when every connection is busy.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::routing::get;
use open1688_listen::{Limits, plain_timeout, serve, with_request_deadline};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HEADERS: Duration = Duration::from_millis(300);

async fn server(max_connections: usize) -> String {
    let app = Router::new()
        .route("/", get(|| async { "hi" }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(2)).await;
                "slow"
            }),
        )
        .route(
            "/stream",
            get(|| async {
                // Five chunks 250 ms apart: a second of streaming, past the header deadline.
                let chunks = futures::stream::unfold(0, |n| async move {
                    if n == 5 {
                        return None;
                    }
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    Some((Ok::<_, std::io::Error>(Bytes::from(format!("chunk {n}\n"))), n + 1))
                });
                Body::from_stream(chunks)
            }),
        );
    let app = with_request_deadline(app, Duration::from_secs(5), plain_timeout);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let limits = Limits { headers: HEADERS, request: Duration::from_secs(5), max_connections };
    tokio::spawn(serve(listener, app, limits, std::future::pending()));
    addr
}

/// Reads until the server closes; how long that took and what came, or `None` past `limit`.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> Option<(Duration, String)> {
    let started = Instant::now();
    let mut out = Vec::new();
    tokio::time::timeout(limit, stream.read_to_end(&mut out)).await.ok()?.ok()?;
    Some((started.elapsed(), String::from_utf8_lossy(&out).into_owned()))
}

async fn get_once(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await.unwrap();
    until_closed(&mut stream, Duration::from_secs(5)).await.map(|(_, text)| text).unwrap_or_default()
}

#[tokio::test]
async fn an_idle_connection_is_closed_whatever_it_sent() {
    let addr = server(64).await;
    let close_soon = Duration::from_secs(2);
    // Nothing at all: the protocol is never even known.
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    let (waited, _) = until_closed(&mut silent, close_soon).await.expect("a silent connection is closed");
    assert!(waited >= HEADERS, "not before the deadline: {waited:?}");
    // An HTTP/2 preface, then nothing.
    let mut preface = TcpStream::connect(&addr).await.unwrap();
    preface.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await.unwrap();
    assert!(until_closed(&mut preface, close_soon).await.is_some(), "a preface-only connection is closed");
    // One request answered, then a keep-alive left open.
    let mut kept = TcpStream::connect(&addr).await.unwrap();
    kept.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let (_, answer) = until_closed(&mut kept, close_soon).await.expect("an idle keep-alive is closed");
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("hi"), "{answer}");
}

#[tokio::test]
async fn a_response_streaming_past_the_deadline_is_not_cut() {
    let addr = server(64).await;
    let answer = get_once(&addr, "/stream").await;
    assert!(answer.contains("chunk 0") && answer.contains("chunk 4"), "{answer}");
}

#[tokio::test]
async fn at_the_cap_the_longest_idle_makes_room_and_only_all_busy_refuses() {
    let addr = server(3).await;
    // Three idle connections fill the cap; a request still gets in, in place of one of them.
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(get_once(&addr, "/").await.ends_with("hi"), "an idle connection made room");
    drop(idle);
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Three busy connections fill it; a fourth is told to come back.
    let busy: Vec<_> = (0..3)
        .map(|_| {
            tokio::spawn({
                let addr = addr.clone();
                async move { get_once(&addr, "/slow").await }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refused = get_once(&addr, "/").await;
    assert!(refused.starts_with("HTTP/1.1 503") && refused.contains("retry-after: 1"), "{refused}");
    for answer in busy {
        assert!(answer.await.unwrap().ends_with("slow"), "the busy ones were not cut");
    }
    assert!(get_once(&addr, "/").await.ends_with("hi"), "room again once they are done");
}

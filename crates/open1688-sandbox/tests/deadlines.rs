//! A client that trickles its headers is cut off, and one that trickles its body gets 408: one
//! slow client cannot hold a sandbox worker for ever.

use std::time::{Duration, Instant};

use open1688_sandbox::{Limits, Sandbox};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn sandbox() -> Sandbox {
    let deadlines =
        Limits { headers: Duration::from_millis(300), request: Duration::from_millis(600), ..Limits::default() };
    Sandbox::builder().catalog_size(200, 30).deadlines(deadlines).start().await.unwrap()
}

fn addr(sandbox: &Sandbox) -> String {
    sandbox.base_url().trim_start_matches("http://").to_owned()
}

async fn read_all(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn headers_trickled_past_the_deadline_close_the_connection() {
    let sandbox = sandbox().await;
    let mut stream = TcpStream::connect(addr(&sandbox)).await.unwrap();
    let started = Instant::now();
    stream.write_all(b"POST /openapi/param2/1/x HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    // Never finish the headers: the server gives up and closes.
    let answer = read_all(&mut stream).await;
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(3), "closed after {waited:?}");
    assert!(!answer.contains("200 OK"), "{answer}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_body_trickled_past_the_deadline_gets_408() {
    let sandbox = sandbox().await;
    let mut stream = TcpStream::connect(addr(&sandbox)).await.unwrap();
    let head = "POST /openapi/param2/1/com.alibaba.fenxiao.crossborder/product.search.keywordQuery/7587553 HTTP/1.1\r\n\
                Host: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(b"access_token=").await.unwrap();
    let answer = read_all(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    sandbox.shutdown().await;
}

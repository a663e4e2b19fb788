//! A gateway that misbehaves on purpose: a redirect is never followed (following it would re-send
//! the signed form, with the access token and signature, to wherever `Location` points), and an
//! answer too large to be the gateway's is refused before it fills memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use open1688::{Client, RateLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server answering every request with `answer`; counts the connections it got.
async fn serve(answer: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 65_536];
            let _ = stream.read(&mut buf).await;
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    (url, hits)
}

fn client(endpoint: &str) -> Client {
    Client::builder()
        .app_key("1000000")
        .app_secret("secret")
        .access_token("AT-must-not-leak")
        .endpoint(endpoint)
        .sync_clock(false)
        .rate_limits(RateLimits::unlimited())
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_answer_larger_than_the_cap_is_refused_without_retries() {
    let huge = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{{", 20 * 1024 * 1024);
    let (gateway, asked) = serve(huge).await;
    let err = client(&gateway)
        .call("com.alibaba.fenxiao.crossborder", "product.search.keywordQuery", open1688::Params::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(asked.load(Ordering::SeqCst), 1, "not asked again");
}

#[tokio::test]
async fn a_307_from_the_gateway_is_not_followed_with_the_signed_form() {
    let (elsewhere, stolen) = serve("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}".into()).await;
    let redirect = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {elsewhere}/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    );
    let (gateway, asked) = serve(redirect).await;
    let client = Client::builder()
        .app_key("1000000")
        .app_secret("secret")
        .access_token("AT-must-not-leak")
        .endpoint(&gateway)
        .sync_clock(false)
        .rate_limits(RateLimits::unlimited())
        .build()
        .unwrap();
    let err =
        client.call("com.alibaba.fenxiao.crossborder", "product.search.keywordQuery", open1688::Params::new()).await;
    assert!(err.is_err(), "a redirect is an error, not an answer");
    assert!(asked.load(Ordering::SeqCst) >= 1);
    assert_eq!(stolen.load(Ordering::SeqCst), 0, "nothing was sent to the redirect's target");
}

#[tokio::test]
async fn an_order_creation_that_fails_unclearly_is_never_sent_twice() {
    use open1688_types::api::order::{AddressParam, CargoParam, CreateCrossOrder};
    let unavailable = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned();
    let (gateway, asked) = serve(unavailable).await;
    let order = CreateCrossOrder {
        address: AddressParam { address_id: Some(593_861_699), ..AddressParam::default() },
        cargo: vec![CargoParam { offer_id: 548_818_919_805, spec_id: None, quantity: 10 }],
        flow: "general".into(),
        out_order_id: "o1688-test-1".into(),
        message: None,
    };
    let err = client(&gateway).execute(&order).await.unwrap_err();
    assert!(matches!(err, open1688::Error::Unconfirmed { .. }), "{err}");
    assert!(!err.is_retryable(), "the caller must look before sending it again");
    assert_eq!(asked.load(Ordering::SeqCst), 1, "a 503 may come after the order was made: sent once");

    // A read is retried on the same answer.
    let read = client(&gateway)
        .call("com.alibaba.fenxiao.crossborder", "product.search.keywordQuery", open1688::Params::new())
        .await
        .unwrap_err();
    assert!(asked.load(Ordering::SeqCst) > 2, "reads are repeated: {read}");
}

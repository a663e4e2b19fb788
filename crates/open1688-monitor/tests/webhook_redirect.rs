//! A webhook receiver that redirects does not get the signed alerts re-sent elsewhere.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use open1688_monitor::{Notifier, NotifyError, WebhookNotifier};
use open1688_store::Alert;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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

#[tokio::test]
async fn a_redirecting_receiver_is_refused_not_followed() {
    let (elsewhere, stolen) = serve("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".into()).await;
    let redirect = format!(
        "HTTP/1.1 308 Permanent Redirect\r\nlocation: {elsewhere}/\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    );
    let (receiver, asked) = serve(redirect).await;
    let hook = WebhookNotifier::new(receiver, b"a-secret-of-at-least-thirty-two-bytes".to_vec()).unwrap();
    let alert = Alert {
        offer_id: 1,
        at: Utc::now(),
        rule: "price_below".into(),
        message: "¥8 at 100".into(),
        order_id: None,
        event: None,
    };
    let err = hook.notify("d-1", &[alert]).await.unwrap_err();
    assert!(matches!(err, NotifyError::Refused { channel: "webhook", .. }), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(asked.load(Ordering::SeqCst), 1, "a redirect is final: no second attempt");
    assert_eq!(stolen.load(Ordering::SeqCst), 0, "the alerts were not re-sent to the redirect's target");
}

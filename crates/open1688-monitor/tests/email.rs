//! The email notifier against a local SMTP receiver: the first connection is turned away with a
//! transient 421 (the notifier retries), the second takes the message, which names every alert.

use std::sync::{Arc, Mutex};

use base64::Engine;
use chrono::{DateTime, Utc};
use open1688_monitor::{EmailNotifier, Notifier};
use open1688_store::Alert;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts SMTP connections; the first is refused with 421. Received DATA blocks are collected.
async fn receiver() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    tokio::spawn(async move {
        let mut connections = 0;
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            connections += 1;
            let (read, mut write) = stream.into_split();
            if connections == 1 {
                write.write_all(b"421 busy, try again later\r\n").await.unwrap();
                continue;
            }
            let sink = sink.clone();
            tokio::spawn(async move {
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut lines = BufReader::new(read).lines();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            sink.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-test\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn alerts_arrive_by_email_after_a_transient_refusal() {
    let (port, received) = receiver().await;
    let notifier = EmailNotifier::new(
        &format!("smtp://127.0.0.1:{port}"),
        "open1688 <alerts@example.com>",
        &["buyer@example.com".into()],
    )
    .unwrap();
    let at = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
    let alerts = vec![
        Alert {
            offer_id: 610_000_001,
            at,
            rule: "price_below".into(),
            message: "¥9.50 at 100 units, below ¥10".into(),
            order_id: None,
        },
        Alert {
            offer_id: 610_000_002, at, rule: "sold_out".into(), message: "sold out 已售罄".into(), order_id: None
        },
    ];
    notifier.notify("0123abcd", &alerts).await.unwrap();
    let mail = received.lock().unwrap().pop().expect("one message received");
    assert!(mail.contains("Subject: open1688: 2 alerts"), "{mail}");
    assert!(mail.contains("To: buyer@example.com"), "{mail}");
    assert!(mail.contains("Message-ID: <0123abcd@open1688.alerts>"), "the delivery id: {mail}");
    let (_, body) = mail.split_once("\n\n").unwrap();
    let text =
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body.replace('\n', "").trim()).unwrap())
            .unwrap();
    assert!(text.contains("offer 610000001  [price_below]  ¥9.50 at 100 units"), "{text}");
    assert!(text.contains("offer 610000002  [sold_out]  sold out 已售罄"), "{text}");
}

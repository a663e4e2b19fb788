//! The email notifier against a local SMTP receiver: the first connection is turned away with a
//! transient 421 (the notifier retries), the second takes the message, which names every alert.

use std::sync::{Arc, Mutex};

use base64::Engine;
use chrono::{DateTime, Utc};
use open1688_monitor::{EmailNotifier, Notifier};
use open1688_store::{Alert, AlertEvent, Happening};
use rust_decimal::Decimal;
use sourcing::Language;
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
    let below = Happening::PriceBelow { quantity: 100, price: Decimal::new(950, 2), target: Decimal::TEN };
    let mut first = Alert::of(610_000_001, at, "price_below", AlertEvent::new(below));
    first.name_product("真空保温杯 500ml");
    let alerts = vec![first, Alert::of(610_000_002, at, "sold_out", AlertEvent::new(Happening::SoldOut))];
    notifier.notify("0123abcd", &alerts).await.unwrap();
    let mail = received.lock().unwrap().pop().expect("one message received");
    assert!(mail.contains("To: buyer@example.com"), "{mail}");
    assert!(mail.contains("Message-ID: <0123abcd@open1688.alerts>"), "the delivery id: {mail}");
    // Chinese unless asked otherwise: the product named, the figures in the sentence.
    let text = body_text(&mail);
    assert!(
        text.contains("2027-01-15 08:00 UTC  商品 610000001  真空保温杯 500ml：100 件的单价 ¥9.50，低于目标价 ¥10.00"),
        "{text}"
    );
    assert!(text.contains("商品 610000002  已售罄"), "{text}");

    // The same alert for an English reader.
    let english = EmailNotifier::new(
        &format!("smtp://127.0.0.1:{port}"),
        "open1688 <alerts@example.com>",
        &["buyer@example.com".into()],
    )
    .unwrap()
    .language(Language::En);
    english.notify("4567cdef", &alerts[1..]).await.unwrap();
    let mail = received.lock().unwrap().pop().expect("a second message received");
    assert!(mail.contains("Subject: open1688 alert: sold out"), "{mail}");
    assert!(body_text(&mail).contains("offer 610000002  sold out"), "{mail}");
}

/// The decoded body of a base64 plain-text message.
fn body_text(mail: &str) -> String {
    let (_, body) = mail.split_once("\n\n").unwrap();
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body.replace('\n', "").trim()).unwrap()).unwrap()
}

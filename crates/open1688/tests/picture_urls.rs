//! A picture URL is a user's input fetched from the network: only public addresses by default,
//! no redirects, a size cap; and a picture's declared size is checked before it is decoded.

use std::io::Cursor;

use open1688::{Client, Error, ImageSource, RateLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn client(allow_private: bool) -> Client {
    Client::builder()
        .app_key("1000000")
        .app_secret("secret")
        .access_token("AT")
        .endpoint("http://127.0.0.1:1")
        .sync_clock(false)
        .rate_limits(RateLimits::unlimited())
        .allow_private_image_urls(allow_private)
        .build()
        .unwrap()
}

async fn refusal(client: &Client, url: &str) -> String {
    match client.upload_image(&ImageSource::Url(url.into())).await {
        Err(Error::Image { reason, .. }) => reason,
        other => panic!("{url}: expected a refused picture, got {other:?}"),
    }
}

/// A server answering every request with `answer`.
async fn serve(answer: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = stream.read(&mut buf).await;
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    url
}

#[tokio::test]
async fn private_and_metadata_addresses_and_other_schemes_are_refused() {
    let c = client(false);
    let local = serve("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".into()).await;
    assert!(refusal(&c, &format!("{local}/pic.png")).await.contains("non-public address 127.0.0.1"));
    assert!(refusal(&c, "http://169.254.169.254/latest/meta-data/").await.contains("169.254.169.254"));
    assert!(refusal(&c, "http://[::1]:9/x.png").await.contains("non-public"));
    assert!(refusal(&c, "http://localhost:9/x.png").await.contains("non-public"));
    assert!(refusal(&c, "file:///etc/passwd").await.contains("only http and https"));
}

#[tokio::test]
async fn the_gateways_own_pictures_are_fetched_even_on_a_private_address() {
    let gateway = serve("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nPNG!".into()).await;
    let c = Client::builder()
        .app_key("1000000")
        .app_secret("secret")
        .access_token("AT")
        .endpoint(gateway.as_str())
        .sync_clock(false)
        .build()
        .unwrap();
    let own = c.picture_bytes(&ImageSource::Url(format!("{gateway}/img/ibank/1_0.png"))).await.unwrap();
    assert_eq!(own, b"PNG!");
    // Another port on the same machine is another origin: refused as before.
    let other = serve("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".into()).await;
    assert!(refusal(&c, &format!("{other}/pic.png")).await.contains("non-public address 127.0.0.1"));
}

#[tokio::test]
async fn when_allowed_a_redirect_or_an_oversized_picture_is_still_refused() {
    let c = client(true);
    let elsewhere = serve("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".into()).await;
    let redirect =
        serve(format!("HTTP/1.1 302 Found\r\nlocation: {elsewhere}/x.png\r\ncontent-length: 0\r\n\r\n")).await;
    assert!(refusal(&c, &format!("{redirect}/pic.png")).await.contains("redirects are not followed"));
    let huge = serve(format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", 50 * 1024 * 1024)).await;
    assert!(refusal(&c, &format!("{huge}/pic.png")).await.contains("larger than"));
}

#[test]
fn a_canvas_beyond_the_decode_limit_is_refused_before_decoding() {
    let wide = image::RgbImage::new(open1688::image_search::MAX_DECODE_SIDE + 1, 1);
    let mut png = Cursor::new(Vec::new());
    wide.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let err = open1688::image_search::prepare_image(png.into_inner(), "wide.png").unwrap_err();
    assert!(err.to_string().contains("too large to decode"), "{err}");
}

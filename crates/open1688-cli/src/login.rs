//! `auth login`: the authorization-code flow with a loopback redirect. The authorize URL is
//! printed (and opened unless `--no-browser`); the code arrives at `http://127.0.0.1:{port}/callback`.

use anyhow::Context;
use open1688::{Client, Token};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::exit::CliError;

fn query_param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Runs the flow and stores the token.
pub async fn login(client: &Client, no_browser: bool, port: u16) -> Result<Token, CliError> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("listening on 127.0.0.1:{port} for the redirect"))?;
    let local = listener.local_addr().context("the redirect listener's address")?;
    let redirect = format!("http://127.0.0.1:{}/callback", local.port());
    let state = format!("{:016x}", fastrand_state());
    let url = client.authorize_url(&redirect, &state)?;
    println!("Open this page to authorize open1688:\n{url}");
    if !no_browser {
        let _ = std::process::Command::new("xdg-open").arg(url.as_str()).spawn();
    }
    loop {
        let (mut stream, _) = listener.accept().await.context("accepting the redirect")?;
        let mut buf = vec![0u8; 8192];
        let n = stream.read(&mut buf).await.context("reading the redirect")?;
        let request = String::from_utf8_lossy(&buf[..n]);
        let target = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
        if !target.starts_with("/callback") {
            stream
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await
                .context("answering the browser")?;
            continue;
        }
        let reply = |text: &str| {
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            )
        };
        if let Some(error) = query_param(&target, "error") {
            let _ =
                stream.write_all(reply("<p>Authorization was refused. You can close this tab.</p>").as_bytes()).await;
            return Err(crate::exit::usage(format!("authorization refused: {error}")));
        }
        if query_param(&target, "state").as_deref() != Some(state.as_str()) {
            stream
                .write_all(reply("<p>State mismatch; ignored.</p>").as_bytes())
                .await
                .context("answering the browser")?;
            continue;
        }
        let Some(code) = query_param(&target, "code") else {
            stream
                .write_all(reply("<p>No code in the redirect.</p>").as_bytes())
                .await
                .context("answering the browser")?;
            continue;
        };
        let _ = stream.write_all(reply("<p>open1688 is authorized. You can close this tab.</p>").as_bytes()).await;
        return Ok(client.exchange_code(&code, &redirect).await?);
    }
}

fn fastrand_state() -> u64 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (t.as_nanos() as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

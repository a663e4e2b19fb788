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
    let state = open1688::new_oauth_state()?;
    let url = client.authorize_url(&redirect, &state)?;
    println!("Open this page to authorize open1688:\n{url}");
    if !no_browser {
        let _ = std::process::Command::new("xdg-open").arg(url.as_str()).spawn();
    }
    loop {
        let (mut stream, _) = listener.accept().await.context("accepting the redirect")?;
        // A connection that sends nothing must not hold the login up: each gets 10 s.
        let mut buf = vec![0u8; 8192];
        let n = match tokio::time::timeout(READ_TIMEOUT, stream.read(&mut buf)).await {
            Ok(Ok(n)) => n,
            Ok(Err(_)) | Err(_) => continue,
        };
        let request = String::from_utf8_lossy(&buf[..n]);
        let target = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let answer = match redirect_outcome(&target, &state) {
            Outcome::Ignore(page) => {
                let _ = stream.write_all(page.as_bytes()).await;
                continue;
            }
            Outcome::Refused(error) => {
                let _ = stream
                    .write_all(reply("<p>Authorization was refused. You can close this tab.</p>").as_bytes())
                    .await;
                return Err(crate::exit::usage(format!("authorization refused: {error}")));
            }
            Outcome::Code(code) => code,
        };
        let _ = stream.write_all(reply("<p>open1688 is authorized. You can close this tab.</p>").as_bytes()).await;
        return Ok(client.exchange_code(&answer, &redirect).await?);
    }
}

const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A 200 page with `text`.
fn reply(text: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    )
}

/// What a request to the redirect listener means.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Not the redirect we wait for (another path, a wrong or missing state, no code): answer
    /// with this page and keep waiting.
    Ignore(String),
    /// The user refused (only believed with the right state).
    Refused(String),
    /// The authorization code.
    Code(String),
}

/// Decides on a redirect. The state is checked first: without it, any page could end the login
/// with a forged `error=` or plant its own code.
fn redirect_outcome(target: &str, state: &str) -> Outcome {
    if !target.starts_with("/callback") {
        return Outcome::Ignore("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".into());
    }
    if query_param(target, "state").as_deref() != Some(state) {
        return Outcome::Ignore(reply("<p>State mismatch; ignored.</p>"));
    }
    if let Some(error) = query_param(target, "error") {
        return Outcome::Refused(error);
    }
    match query_param(target, "code") {
        Some(code) => Outcome::Code(code),
        None => Outcome::Ignore(reply("<p>No code in the redirect.</p>")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_checked_before_an_error_or_a_code_is_believed() {
        let state = "0123456789abcdef0123456789abcdef";
        assert!(matches!(redirect_outcome("/callback?error=access_denied", state), Outcome::Ignore(_)));
        assert!(matches!(redirect_outcome("/callback?code=X&state=guess", state), Outcome::Ignore(_)));
        assert!(matches!(redirect_outcome(&format!("/other?code=X&state={state}"), state), Outcome::Ignore(_)));
        assert_eq!(
            redirect_outcome(&format!("/callback?error=access_denied&state={state}"), state),
            Outcome::Refused("access_denied".into())
        );
        assert_eq!(redirect_outcome(&format!("/callback?code=C1&state={state}"), state), Outcome::Code("C1".into()));
    }
}

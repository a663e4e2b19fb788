//! OAuth end to end through the SDK: consent page, code exchange, calls, refresh after expiry on
//! the sandbox clock, postponeToken, single-use codes, both refresh-token parameter names.

mod support;

use std::time::Duration;

use open1688::{Client, Error};
use open1688_sandbox::Sandbox;
use open1688_types::Params;
use serde_json::json;
use support::{Caller, small_sandbox};

const REDIRECT: &str = "http://127.0.0.1:9/callback";

fn client_for(sandbox: &Sandbox) -> Client {
    Client::builder()
        .endpoint(sandbox.base_url())
        .authorize_url(sandbox.authorize_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .build()
        .unwrap()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Follows the consent page by hand: GET the page, POST the decision, read the redirect.
async fn consent(url: &str, decision: &str, login: &str) -> url::Url {
    let http = no_redirects();
    let page = http.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("open1688 demo app") && html.contains("<form"), "{html}");
    let query: Vec<(String, String)> = url::Url::parse(url).unwrap().query_pairs().into_owned().collect();
    let mut form: Vec<(String, String)> = query.into_iter().filter(|(k, _)| k != "auto_approve").collect();
    form.push(("decision".into(), decision.into()));
    form.push(("login_id".into(), login.into()));
    let base = url.split('?').next().unwrap();
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&form).finish();
    let answer =
        http.post(base).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap();
    assert_eq!(answer.status(), 303, "a redirect back to the app");
    url::Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap()
}

fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn code_flow_through_the_consent_page_then_calls_as_that_member() {
    let sandbox = small_sandbox().await;
    let client = client_for(&sandbox);
    let member = &sandbox.catalog().suppliers[9];
    let url = client.authorize_url(REDIRECT, "xyz-state").unwrap();
    let back = consent(url.as_str(), "approve", &member.login_id).await;
    assert_eq!(param(&back, "state").as_deref(), Some("xyz-state"));
    let code = param(&back, "code").expect("a code");

    let token = client.exchange_code(&code, REDIRECT).await.unwrap();
    assert_eq!(token.resource_owner.as_deref(), Some(member.login_id.as_str()));
    assert!(token.refresh_token.is_some());
    let lifetime = token.access_expires_at.unwrap() - client.clock().now();
    assert!((lifetime.num_seconds() - 36_000).abs() < 120, "36000 s access tokens");
    let basic = client.call("com.alibaba.account", "alibaba.account.basic", Params::new()).await.unwrap();
    assert_eq!(basic["result"]["loginId"], json!(member.login_id));

    let again = client.exchange_code(&code, REDIRECT).await.unwrap_err();
    match again {
        Error::OAuth { status, ref error, .. } => assert_eq!((status, error.as_str()), (401, "invalid_grant")),
        other => panic!("a used code is refused: {other:?}"),
    }

    let denied = consent(client.authorize_url(REDIRECT, "s2").unwrap().as_str(), "deny", &member.login_id).await;
    assert_eq!(param(&denied, "error").as_deref(), Some("access_denied"));
}

#[tokio::test]
async fn headless_auto_approve_and_a_code_expires_after_ten_minutes() {
    let sandbox = Sandbox::builder()
        .catalog_size(3_000, 240)
        .simulated_clock(None)
        .protocol(|p| p.oauth_auto_approve = true)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let http = no_redirects();
    let first = http.get(client.authorize_url(REDIRECT, "a").unwrap()).send().await.unwrap();
    assert_eq!(first.status(), 303);
    let code = param(&url::Url::parse(first.headers()["location"].to_str().unwrap()).unwrap(), "code").unwrap();
    sandbox.advance(Duration::from_secs(601)).unwrap();
    let err = client.exchange_code(&code, REDIRECT).await.unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");

    let bad = http
        .get(format!("{}?client_id=nope&site=1688&redirect_uri={REDIRECT}", sandbox.authorize_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_by_the_sdk_on_the_401() {
    let sandbox = small_sandbox().await;
    let client = Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
        .build()
        .unwrap();
    client.call("com.alibaba.account", "alibaba.account.basic", Params::new()).await.unwrap();
    // Ten hours and a minute later the access token is dead; the SDK's timestamp is stale too.
    sandbox.advance(Duration::from_secs(36_060)).unwrap();
    let basic = client.call("com.alibaba.account", "alibaba.account.basic", Params::new()).await.unwrap();
    assert_eq!(basic["success"], json!(true));
    let stats = sandbox.stats();
    assert_eq!(stats.api("getToken").ok, 1, "one refresh");
    assert_eq!(stats.api("alibaba.account.basic").by_code.get("401"), Some(&1));
    assert_eq!(stats.api("alibaba.account.basic").by_code.get("gw.TimestampInvalid"), Some(&1));
    assert_eq!(stats.api("currentTimeMillis").ok, 2, "measured at start and after the rejection");

    // 181 days on, the refresh token is gone too: the SDK says so instead of looping.
    sandbox.advance(Duration::from_secs(181 * 86_400)).unwrap();
    let err = client.call("com.alibaba.account", "alibaba.account.basic", Params::new()).await.unwrap_err();
    assert!(err.is_authorization(), "{err}");
}

#[tokio::test]
async fn postpone_extends_the_refresh_token_and_both_refresh_parameter_names_work() {
    let sandbox = small_sandbox().await;
    let client = Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
        .build()
        .unwrap();
    sandbox.advance(Duration::from_secs(30 * 86_400)).unwrap();
    client.sync_clock().await.unwrap();
    let token = client.refresh_token().await.unwrap();
    let postponed = client.postpone_token().await.unwrap();
    let before = token.refresh_expires_at.unwrap();
    let after = postponed.refresh_expires_at.unwrap();
    assert!((after - before).num_days() >= 29, "postponed from {before} to {after}");

    let caller = Caller::demo(&sandbox);
    for name in ["refresh_token", "refreshToken"] {
        let body = format!(
            "grant_type=refresh_token&client_id={}&client_secret={}&{name}={}",
            sandbox.app_key(),
            sandbox.app_secret(),
            sandbox.refresh_token()
        );
        let answer = caller.post(&format!("http/1/system.oauth2/getToken/{}", sandbox.app_key()), &body).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        let json = answer.json();
        assert_eq!(json["expires_in"], json!("36000"), "expires_in is a string");
        assert!(json["refresh_token_timeout"].as_str().unwrap().ends_with("+0800"));
    }
    let missing = caller
        .post(&format!("param2/1/system.oauth2/getToken/{}", sandbox.app_key()), "grant_type=refresh_token")
        .await;
    assert_eq!((missing.status, missing.error_code()), (400, "gw.ParamMissing".into()));
    let bad = caller
        .post(
            &format!("param2/1/system.oauth2/getToken/{}", sandbox.app_key()),
            &format!(
                "grant_type=refresh_token&client_id={}&client_secret={}&refresh_token=nope",
                sandbox.app_key(),
                sandbox.app_secret()
            ),
        )
        .await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.json()["error"], json!("invalid_grant"));
}

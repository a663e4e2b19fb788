//! A sandbox that generates its catalog on its first call: the tokens it announces before the
//! start are the ones the eager sandbox issues, the first call starts it, and nothing is
//! generated while nobody calls.

use open1688::Client;
use open1688_sandbox::{AppConfig, LazySandbox, Sandbox};
use open1688_types::Params;
use serde_json::json;

fn client_for(lazy: &LazySandbox) -> Client {
    Client::builder()
        .endpoint(lazy.base_url())
        .app_key(lazy.app_key())
        .app_secret(lazy.app_secret())
        .access_token(lazy.access_token())
        .refresh_token(lazy.refresh_token())
        .no_cache()
        .build()
        .unwrap()
}

#[tokio::test]
async fn it_announces_the_eager_sandboxs_key_secret_and_tokens_before_it_starts() {
    let build = || Sandbox::builder().catalog_size(500, 40).app(AppConfig::new("other-app", "other-secret"));
    let eager = build().start().await.unwrap();
    let lazy = build().start_on_first_call().await.unwrap();
    assert!(lazy.state().is_none(), "nothing generated before a call");
    assert_eq!(lazy.app_key(), eager.app_key());
    assert_eq!(lazy.app_secret(), eager.app_secret());
    assert_eq!(lazy.access_token(), eager.access_token());
    assert_eq!(lazy.refresh_token(), eager.refresh_token());
    assert!(!lazy.access_token().is_empty());
    assert_ne!(lazy.base_url(), eager.base_url(), "each listens on its own port");
}

#[tokio::test]
async fn the_first_call_starts_it_and_is_answered_with_the_announced_token() {
    let lazy = Sandbox::builder().catalog_size(500, 40).start_on_first_call().await.unwrap();
    assert_eq!(lazy.stats().total.calls, 0);
    let client = client_for(&lazy);
    let basic = client.call("com.alibaba.account", "alibaba.account.basic", Params::new()).await.unwrap();
    assert_eq!(basic["success"], json!(true), "{basic}");
    let state = lazy.state().expect("started by the call");
    assert!(state.catalog.offers.len() >= 500);
    let again = client.call("com.alibaba.account", "alibaba.account.basic", Params::new()).await.unwrap();
    assert_eq!(again["success"], json!(true));
    assert_eq!(lazy.stats().api("alibaba.account.basic").calls, 2, "both calls counted by the one state");
    lazy.shutdown().await;
}

#[tokio::test]
async fn calls_that_arrive_together_share_one_start() {
    let lazy = Sandbox::builder().catalog_size(500, 40).start_on_first_call().await.unwrap();
    let client = client_for(&lazy);
    let calls = (0..6).map(|_| client.call("com.alibaba.account", "alibaba.account.basic", Params::new()));
    for answer in futures::future::join_all(calls).await {
        assert_eq!(answer.unwrap()["success"], json!(true));
    }
    assert_eq!(lazy.stats().api("alibaba.account.basic").calls, 6);
}

#[tokio::test]
async fn a_wrong_token_is_refused_after_a_lazy_start_as_before() {
    let lazy = Sandbox::builder().catalog_size(500, 40).start_on_first_call().await.unwrap();
    let client = Client::builder()
        .endpoint(lazy.base_url())
        .app_key(lazy.app_key())
        .app_secret(lazy.app_secret())
        .access_token("not-a-token")
        .no_cache()
        .build()
        .unwrap();
    let refused = client.call("com.alibaba.account", "alibaba.account.basic", Params::new()).await;
    assert!(refused.is_err(), "{refused:?}");
    lazy.start_now().await.unwrap();
    assert!(lazy.state().is_some());
}

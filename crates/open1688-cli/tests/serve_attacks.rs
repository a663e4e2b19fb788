//! The service under attack, against the real binary: each test is a way in that an attacker on
//! the company network tried (issue "the service under attack"), now refused — a file of the
//! service's folder named as a scorecard, a redirect to another site after log-in or a language
//! switch.

use reqwest::{Method as M, StatusCode};

mod service;

use service::{call, key, start};

/// A client that shows redirects instead of following them.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_the_services_folder_is_never_read_for_a_remote_caller() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let secret = "DATABASE_URL=postgres://buyer:hunter2-very-secret@db.internal/erp";
    std::fs::write(dir.path().join(".env"), format!("{secret}\n")).unwrap();
    std::fs::write(dir.path().join("card.toml"), "name = \"mine\"\n").unwrap();
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let url = |path: &str| format!("{}{path}", svc.base);

    let mut answers = Vec::new();
    for name in [".env", "card.toml", "no-such-file.toml", "../.env", "%2e%2e%2f.env", "/etc/passwd"] {
        let (status, problem) =
            call(M::GET, &url(&format!("/v1/sellers/b2b-x?scorecard={name}")), Some(&reader), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {problem}");
        let text = problem.to_string();
        assert!(
            !text.contains("hunter2") && !text.contains("DATABASE_URL") && !text.contains("mine"),
            "{name}: {text}"
        );
        answers.push(problem["detail"].clone());
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "a file there and a file missing answer alike: {answers:?}");
    // A preset, and the service's own scorecard by `active`, are still chosen by name.
    for name in ["legacy_credit", "active"] {
        let (status, problem) =
            call(M::GET, &url(&format!("/v1/sellers/b2b-x?scorecard={name}")), Some(&reader), None).await;
        assert_ne!(status, StatusCode::BAD_REQUEST, "{name}: {problem}");
        assert_ne!(problem["field"], "scorecard", "{name}: {problem}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_and_the_language_switch_go_only_to_pages_of_this_site() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let http = no_redirects();
    let bad = [
        "/%09/evil.example",
        "/%0a/evil.example",
        "%0d%0aSet-Cookie:%20x=1",
        "//evil.example",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "https://evil.example/",
        "/%E3%80%80",
    ];
    for next in bad {
        let switched = http.get(format!("{}/lang/en?next={next}", svc.base)).send().await.unwrap();
        assert_eq!(switched.status(), StatusCode::BAD_REQUEST, "lang, next={next}");
        assert!(switched.headers().get("location").is_none(), "lang, next={next}");
        let form = http.get(format!("{}/login?next={next}", svc.base)).send().await.unwrap();
        assert_eq!(form.status(), StatusCode::BAD_REQUEST, "login form, next={next}");
        let posted =
            post_form(&http, &format!("{}/login", svc.base), &[("key", &reader), ("next", &percent_decoded(next))])
                .await;
        assert_eq!(posted.status(), StatusCode::BAD_REQUEST, "log-in, next={next}");
        assert!(posted.headers().get("set-cookie").is_none(), "no session for a bad next={next}");
    }
    // A page of this site is where they go.
    let switched = http.get(format!("{}/lang/zh-CN?next=/orders%3Fshow%3Dall", svc.base)).send().await.unwrap();
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(switched.headers()["location"], "/orders?show=all");
    let posted = post_form(&http, &format!("{}/login", svc.base), &[("key", &reader), ("next", "/watches")]).await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    assert_eq!(posted.headers()["location"], "/watches");
}

/// Posts a form as a browser would.
async fn post_form(http: &reqwest::Client, url: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap()
}

/// `text` with its `%XX` escapes decoded (what a form field carries after the browser's).
fn percent_decoded(text: &str) -> String {
    form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes()).next().unwrap().1.into_owned()
}

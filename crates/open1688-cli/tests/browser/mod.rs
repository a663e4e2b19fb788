//! A real headless Chromium (Debian's `chromium`) driven over WebDriver by Debian's
//! `chromedriver`, for the dashboard's tests. Each browser gets a fresh profile; screenshots go
//! to `target/dashboard-screenshots/` as the tests' artifacts. Without Chromium the tests skip
//! with a message, except under `CI=true`, where they fail.

#![allow(dead_code)] // Each test file uses its own part of this.

mod accessibility;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A laptop's window.
pub const LAPTOP: (u32, u32) = (1366, 768);
/// A phone's window.
pub const PHONE: (u32, u32) = (390, 844);

/// Whether the browser is here; under CI it must be.
pub fn available() -> bool {
    let here = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !here {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {CHROMIUM} or {CHROMEDRIVER} is missing (.ci/run installs chromium and chromium-driver)"
        );
        eprintln!(
            "SKIPPED: the dashboard's browser tests need {CHROMIUM} and {CHROMEDRIVER} (apt install chromium chromium-driver)"
        );
    }
    here
}

/// A chromedriver process and one browser session on it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    shots: PathBuf,
    name: String,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium with a fresh profile, the
    /// window at `size`, preferring `language` (`zh-CN`, `en`).
    pub async fn start(name: &str, size: (u32, u32), language: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--disable-dev-shm-usage".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", size.0, size.1),
            format!("--lang={language}"),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": CHROMIUM, "args": args, "prefs": { "intl.accept_languages": language } }),
        );
        // The page's console, for tests that a page logs no error (a script's, a CSP refusal's).
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no WebDriver session on {url}: {e}"),
            }
        };
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/dashboard-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        let browser = Self { client, driver, _profile: profile, shots, name: name.to_owned() };
        browser.resize(size).await;
        browser
    }

    /// Sets the viewport (the page's inner size) to `size`.
    pub async fn resize(&self, size: (u32, u32)) {
        // The window includes no chrome in headless mode, so window size is the viewport size.
        self.client.set_window_size(size.0, size.1).await.unwrap();
    }

    /// Logs in at `base` with `key` through the log-in form, and waits for the first page.
    pub async fn log_in(&self, base: &str, key: &str) {
        self.open(&format!("{base}/login")).await;
        self.fill("#key", key).await;
        self.click("form.login button[type=submit]").await;
        self.wait_for("nav[aria-label=sections]").await;
    }

    /// Opens `url` and waits for its `<main>`.
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.wait_for("main").await;
    }

    /// Waits up to 30 s for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    /// Waits (up to 30 s) until no element matches `css`: for a click that posts and comes back
    /// to the same address, where waiting for the address proves nothing.
    pub async fn wait_until_gone(&self, css: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !self.client.find_all(Locator::Css(css)).await.unwrap().is_empty() {
            assert!(std::time::Instant::now() < deadline, "{css} is still on {}", self.path().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types `text` into the field matching `css`, replacing what was there.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks the element matching `css`. It does not wait for a navigation the click starts:
    /// follow it with [`Browser::wait_for_address`] or a `wait_for` of the next page's element.
    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    /// Clicks `css` and waits (up to 30 s) until the page it was on is gone: for a form that
    /// comes back to an address like the one it left (`/plan?cart=…` after `/plan?cart=…`),
    /// where waiting for the address proves nothing and the old page's elements go stale.
    pub async fn click_to_new_page(&self, css: &str) {
        let old = self.wait_for("html").await;
        self.click(css).await;
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        // A page that was left answers for none of its elements.
        while old.tag_name().await.is_ok() {
            assert!(std::time::Instant::now() < deadline, "{css} left the page where it was");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.wait_for("main").await;
    }

    /// Waits (up to 30 s) until the page's path and query contain `part`, then for its `<main>`:
    /// the navigation a click started has landed, so no element read next belongs to the page
    /// being left (reading those gives a stale-element error, or the old page's answer).
    pub async fn wait_for_address(&self, part: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let path = self.path().await;
            if path.contains(part) {
                self.wait_for("main").await;
                return path;
            }
            assert!(std::time::Instant::now() < deadline, "the address never held {part}: {path}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// The visible texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.push(element.text().await.unwrap());
        }
        out
    }

    /// The page's path and query.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Saves a screenshot as `{test}-{what}.png` and returns its path.
    pub async fn screenshot(&self, what: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap();
        let path = self.shots.join(format!("{}-{what}.png", self.name));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Saves a screenshot of the whole page (the window stretched to the page's height, then
    /// put back) as `{test}-{what}.png`.
    pub async fn screenshot_page(&self, what: &str, size: (u32, u32)) -> PathBuf {
        let height = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(u64::from(size.1));
        self.resize((size.0, u32::try_from(height).unwrap_or(size.1).clamp(size.1, 6000))).await;
        let path = self.screenshot(what).await;
        self.resize(size).await;
        path
    }

    /// Whether the page is wider than its window (a phone would scroll sideways).
    pub async fn overflows_sideways(&self) -> bool {
        let v = self
            .client
            .execute("return document.documentElement.scrollWidth > window.innerWidth + 1;", vec![])
            .await
            .unwrap();
        v.as_bool().unwrap_or(true)
    }

    /// What makes a page wider than its window: up to eight elements reaching past its right
    /// edge, outside any scrolling box (or the box itself), for a failing test's message.
    pub async fn too_wide(&self) -> String {
        let script = "return [...document.querySelectorAll('body *')]\
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && (!e.closest('.scroll') || e.classList.contains('scroll')))\
            .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(' | ');";
        let v = self.client.execute(script, vec![]).await.unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// The errors the pages wrote to the console since the last call (a script's error, a style
    /// or script the CSP refused, a resource that failed to load).
    pub async fn console_errors(&self) -> Vec<String> {
        let logs = self.client.issue_cmd(BrowserLog).await.unwrap_or_default();
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Chromedriver's log command (`POST /session/{id}/se/log`): the browser's console entries
/// since the last read.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

//! The environment variables the CLI reads, read once at start so every command sees the same
//! values and no module reads the environment on its own.

/// The environment variables the CLI reads, read once at start.
#[derive(Clone, Default)]
pub struct Environment {
    /// `OPEN1688_APP_KEY`.
    pub app_key: Option<String>,
    /// `OPEN1688_APP_SECRET`.
    pub app_secret: Option<String>,
    /// `OPEN1688_ENDPOINT`.
    pub endpoint: Option<String>,
    /// `OPEN1688_AUTHORIZE_URL`: the login page, when it is neither 1688's nor the endpoint's own.
    pub authorize_url: Option<String>,
    /// `OPEN1688_ACCESS_TOKEN`: wins over the stored token.
    pub access_token: Option<String>,
    /// `OPEN1688_REFRESH_TOKEN`: wins over the stored token.
    pub refresh_token: Option<String>,
    /// `DATABASE_URL`: PostgreSQL instead of the default SQLite file.
    pub database_url: Option<String>,
    /// `REDIS_URL`: a cache and rate limiter shared with other processes.
    pub redis_url: Option<String>,
    /// Whether `OPEN1688_SECRET_KEY` is set (the store reads the key itself).
    pub secret_key_set: bool,
    /// `OPEN1688_WEBHOOK_SECRET`: signs webhook alerts.
    pub webhook_secret: Option<String>,
    /// `OPEN1688_SMTP_URL`: the mail server for email alerts.
    pub smtp_url: Option<String>,
    /// `OPEN1688_EMAIL_FROM`: the sender of email alerts.
    pub email_from: Option<String>,
    /// `HOSTNAME`: part of the monitor's default worker name.
    pub hostname: Option<String>,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets and URLs that may carry passwords stay out of debug output.
        f.debug_struct("Environment").field("app_key", &self.app_key).finish_non_exhaustive()
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl Environment {
    /// Reads the process environment.
    pub fn read() -> Self {
        use open1688::env;
        Self {
            app_key: var(env::APP_KEY),
            app_secret: var(env::APP_SECRET),
            endpoint: var(env::ENDPOINT),
            authorize_url: var(env::AUTHORIZE_URL),
            access_token: var(env::ACCESS_TOKEN),
            refresh_token: var(env::REFRESH_TOKEN),
            database_url: var("DATABASE_URL"),
            redis_url: var("REDIS_URL"),
            secret_key_set: std::env::var_os("OPEN1688_SECRET_KEY").is_some(),
            webhook_secret: std::env::var("OPEN1688_WEBHOOK_SECRET").ok(),
            smtp_url: var("OPEN1688_SMTP_URL"),
            email_from: var("OPEN1688_EMAIL_FROM"),
            hostname: var("HOSTNAME"),
        }
    }
}

//! Arguments of the administrative commands: config, auth, sandbox.

use clap::{Args, Subcommand};

/// `config` actions.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Write a commented configuration file (never overwrites).
    Init,
    /// Show the effective configuration, secrets redacted.
    Show,
}

/// `cache` actions: the response cache kept in the store (the on-disk level under memory when
/// there is no Redis).
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// What it holds: fresh and expired answers, bytes, the oldest fresh answer, per API.
    Stats,
    /// Forget cached answers, so the next commands ask the gateway again.
    Clear {
        /// Only those past their TTL (they are never answered, only kept until pruned).
        #[arg(long)]
        expired: bool,
    },
}

/// `auth` actions.
#[derive(Debug, Subcommand)]
pub enum AuthAction {
    /// Open the authorize page, receive the code on a loopback address, store the token.
    Login {
        /// Print the URL instead of opening a browser.
        #[arg(long)]
        no_browser: bool,
        /// Loopback port for the redirect.
        #[arg(long, default_value_t = 8765)]
        port: u16,
    },
    /// The stored token's member and expiry.
    Status,
    /// Refresh the access token now.
    Refresh,
    /// Forget the stored token.
    Logout,
}

/// `sandbox`.
#[derive(Debug, Args, Clone)]
pub struct SandboxArgs {
    /// Port.
    #[arg(long, default_value_t = 8688)]
    pub port: u16,
    /// Catalog seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Turn quotas off.
    #[arg(long)]
    pub quotas_off: bool,
    /// Push the demo app's messages (signed product changes as the catalog drifts) to this URL,
    /// as the platform pushes to an app's registered callback (`http://127.0.0.1:8689/push/1688`).
    #[arg(long, value_name = "URL")]
    pub push_url: Option<String>,
    /// An offer the demo app follows: pushes name only followed offers (repeat; none: every offer).
    #[arg(long = "follow", value_name = "OFFER_ID", requires = "push_url")]
    pub follows: Vec<i64>,
}

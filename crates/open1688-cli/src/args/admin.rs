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

/// `sandbox`: run the server, or play the parts of a sandbox server that no API plays.
#[derive(Debug, Args, Clone)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SandboxArgs {
    /// The sandbox server's options (the same as the standalone `open1688-sandbox` takes).
    #[command(flatten)]
    pub server: open1688_sandbox::ServerOptions,
    /// Instead of running a server, act on the one at the endpoint (OPEN1688_ENDPOINT).
    #[command(subcommand)]
    pub action: Option<SandboxAction>,
}

/// What a learner does to a running sandbox server that the platform's API cannot: pay at the
/// cashier, let time pass.
#[derive(Debug, Subcommand, Clone)]
pub enum SandboxAction {
    /// Pay an order as the buyer would at 1688's cashier (the API never pays).
    Pay {
        /// The platform's order id.
        order_id: i64,
    },
    /// Move the sandbox's simulated clock on, so sellers ship, carriers move and goods arrive
    /// (the server must run with --simulated-clock).
    Clock {
        /// Hours to move on.
        #[arg(long, default_value_t = 0)]
        hours: i64,
        /// Days to move on.
        #[arg(long, default_value_t = 0)]
        days: i64,
    },
}

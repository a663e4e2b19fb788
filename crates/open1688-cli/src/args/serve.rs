//! Arguments of `serve` (the service itself, and its API keys) and of `mcp`.

use std::net::SocketAddr;

use clap::{Args, Subcommand};

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; another address is reachable from the network).
    #[arg(long, default_value = "127.0.0.1:8688")]
    pub listen: SocketAddr,
    /// Folder where running background jobs write their files before they are kept in the store
    /// (default: `jobs` in the data directory).
    #[arg(long, value_name = "DIR")]
    pub jobs_dir: Option<std::path::PathBuf>,
    /// Do not run the monitor inside the service (run `open1688 monitor` elsewhere instead).
    #[arg(long)]
    pub no_monitor: bool,
    /// Seconds between the monitor's rounds of due watches.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub monitor_tick: u64,
    /// Requests a second each API key may make (bursts of twice as many); more get 429.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub key_rate: u32,
    /// Gateway calls a second each API key's requests and jobs may cause (uncached searches and
    /// details; cached answers are free). A key past its share waits; a request that would wait
    /// more than 5 s for one call gets 429 with `Retry-After`. Other keys are not slowed.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub key_calls: u32,
    /// Gateway calls each API key may make back to back before its share paces it.
    #[arg(long, default_value_t = 60, value_name = "N")]
    pub key_call_burst: u32,
    /// A browser origin allowed to call the API (`https://erp.example.com`; repeat for more).
    /// Without one, CORS is off.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Seconds running jobs get to finish when the service is stopped (Ctrl-C, SIGTERM); jobs
    /// still running then are recorded as interrupted.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub shutdown_grace: u64,
    /// Seconds the service keeps answering after SIGTERM with `/readyz` already answering 503, so a
    /// load balancer's health check sends new requests to other instances first (0: stop at once;
    /// behind a balancer, set it to the check interval times the checks to fail).
    #[arg(long, default_value_t = 0, value_name = "SECONDS")]
    pub drain_seconds: u64,
    /// Folder for the files MCP clients' tools write (default: `mcp` in the data directory).
    #[arg(long, value_name = "DIR")]
    pub mcp_dir: Option<std::path::PathBuf>,
    /// Do not answer MCP clients at `/mcp`.
    #[arg(long)]
    pub no_mcp: bool,
    /// Days a finished job's result and files (and the MCP tools' files) are kept, then removed.
    #[arg(long, default_value_t = 7)]
    pub retention_days: u64,
    /// Connections held at once; past it the longest-idle one makes room, and when every one is
    /// busy a new one gets 503. Keep it under the open-file limit (`ulimit -n`).
    #[arg(long, default_value_t = open1688_server::app::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// With the built-in sandbox, take pushes at /push/1688 signed with the sandbox's public demo
    /// secret (off: anyone could sign one, so the receiver answers 503).
    #[arg(long)]
    pub sandbox_pushes: bool,
    /// Let the MCP tool `place_order` place orders a person confirmed (off: it refuses, and
    /// agents only preview).
    #[arg(long)]
    pub mcp_allow_placing_orders: bool,
    /// Key management instead of serving.
    #[command(subcommand)]
    pub keys: Option<ServeCommand>,
}

/// `serve keys …`.
#[derive(Debug, Subcommand)]
pub enum ServeCommand {
    /// The service's API keys (`add`, `list`, `revoke`).
    Keys {
        /// What to do.
        #[command(subcommand)]
        action: KeyAction,
    },
}

/// `serve keys` actions.
#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Make a key; it is printed once and only its hash is kept.
    Add {
        /// Who or what it is for (`erp`).
        #[arg(long)]
        name: String,
        /// `read` (GET routes), `write` (also changes and jobs) or `admin`.
        #[arg(long, default_value = "read")]
        scope: String,
    },
    /// List keys (never their secrets).
    List,
    /// Revoke a key: requests with it get 401 from then on.
    Revoke {
        /// The key's id.
        id: i64,
    },
}

/// `mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Folder for the files tools write, such as the sourcing job's workbook and charts (default:
    /// `mcp` in the data directory).
    #[arg(long, value_name = "DIR")]
    pub outputs_dir: Option<std::path::PathBuf>,
    /// Let the tool `place_order` place orders a person confirmed (off: it refuses, and the
    /// agent only previews).
    #[arg(long)]
    pub allow_placing_orders: bool,
}

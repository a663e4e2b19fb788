//! The command line as clap sees it: global options and one argument struct per subcommand
//! (in the module of its family), each converting itself into the application layer's request.

mod admin;
mod catalog;
mod decide;
mod lookup;
mod order;
mod serve;
mod watch;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use admin::{AuthAction, CacheAction, ConfigAction, SandboxArgs};
pub use catalog::CatalogAction;
pub use decide::{AnalyzeArgs, CompareArgs, PlanArgs, QuoteArgs, RecommendArgs, SourceArgs};
pub use lookup::{ImageSearchArgs, OfferArgs, SameItemArgs, SearchArgs, SellerArgs};
pub use order::{OrderAction, OrderPlanArgs};
pub use serve::{KeyAction, McpArgs, ServeArgs, ServeCommand};
pub use watch::{HistoryArgs, MonitorArgs, ORDERS_EVERY_MINUTES, WatchAction, WatchAddArgs};

/// Sourcing on 1688 from the command line: search, detail, quotes, plans and the sourcing job.
#[derive(Debug, Parser)]
#[command(name = "open1688", version, about, propagate_version = true)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Output format on stdout.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the tables to this XLSX workbook.
    #[arg(long, global = true, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Also draw the command's chart to this PNG or SVG file (analyze: price histogram; compare:
    /// supplier bars; seller: scorecard radar; offer and quote: price ladder; history: lines).
    #[arg(long, global = true, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    /// No progress bars or notes on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Show the cause chain of errors.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Configuration file (default: open1688/config.toml in the user's config directory).
    #[arg(long, global = true, value_name = "FILE", env = "OPEN1688_CONFIG")]
    pub config: Option<PathBuf>,
    /// App key (overrides OPEN1688_APP_KEY and the config file).
    #[arg(long, global = true)]
    pub app_key: Option<String>,
    /// App secret (overrides OPEN1688_APP_SECRET and the config file). Other users of this
    /// machine can read it in the process list: prefer the variable or the config file.
    #[arg(long, global = true, hide_env_values = true)]
    pub app_secret: Option<String>,
    /// Read the app secret from a file (its first line), or from standard input with `-`:
    /// nothing shows in the process list.
    #[arg(long, global = true, value_name = "FILE", env = "OPEN1688_APP_SECRET_FILE", conflicts_with = "app_secret")]
    pub app_secret_file: Option<PathBuf>,
    /// Gateway endpoint (overrides OPEN1688_ENDPOINT and the config file).
    #[arg(long, global = true)]
    pub endpoint: Option<String>,
    /// Allow a plain http:// endpoint on another machine (the token then crosses the network in
    /// clear text). Without it only https, or http to this machine, is accepted.
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
    /// Let image-search fetch picture URLs on this machine or a private network (refused by
    /// default: a URL is fetched from public addresses only).
    #[arg(long, global = true)]
    pub allow_private_urls: bool,
    /// Language of translated fields.
    #[arg(long, global = true)]
    pub language: Option<String>,
    /// Calls per second the app key may make (app-wide and per API; default 10 and 5).
    #[arg(long, global = true, env = "OPEN1688_QPS")]
    pub qps: Option<u32>,
    /// Do not answer from the cache.
    #[arg(long, global = true)]
    pub no_cache: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned tables for people.
    Table,
    /// JSON for scripts (stable field names; money as decimal strings).
    Json,
    /// CSV for spreadsheets.
    Csv,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show or create the configuration file.
    Config {
        /// `init` or `show`.
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// The offer catalog in the store: `crawl` keywords and sellers into it, `search` it without
    /// calling the gateway, `reindex`, `age` of its data.
    Catalog {
        /// `crawl …`, `refresh`, `search …`, `reindex` or `age`.
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// The response cache on disk: `stats`, or `clear` to ask the gateway afresh.
    Cache {
        /// `stats` or `clear [--expired]`.
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Authorize the app for a 1688 account, and manage the token.
    Auth {
        /// `login`, `status`, `refresh` or `logout`.
        #[command(subcommand)]
        action: AuthAction,
    },
    /// Search offers by keyword.
    Search(SearchArgs),
    /// Offer details: price ladder and SKUs.
    Offer(OfferArgs),
    /// Search by picture (a file or an URL).
    ImageSearch(ImageSearchArgs),
    /// Other sellers' listings of an offer's item, found by its picture.
    SameItem(SameItemArgs),
    /// A seller's profile, offers and scorecard.
    Seller(SellerArgs),
    /// Market statistics for a keyword.
    Analyze(AnalyzeArgs),
    /// How many to buy: the options table, buy-now versus split batches, stock risk.
    Quote(QuoteArgs),
    /// Same-item candidates ranked, Pareto front, best value.
    Compare(CompareArgs),
    /// A purchase plan by supplier from a CSV (offer_id,sku_id,quantity) or TOML file.
    Plan(PlanArgs),
    /// Recommended offers for a keyword under filters.
    Recommend(RecommendArgs),
    /// The sourcing job: search, details, scorecards, comparison, plan; a workbook and a summary.
    Source(SourceArgs),
    /// Turn a plan into 1688 orders and follow them (`preview`, `place --yes`, `list`, `show`,
    /// `track`, `cancel`, `pay-url`). Nothing is ever paid from here.
    Order {
        /// What to do.
        #[command(subcommand)]
        action: OrderAction,
    },
    /// Watch offers for price and stock changes (`add`, `list`, `remove`, `snooze`, `runs`).
    Watch {
        /// What to do.
        #[command(subcommand)]
        action: WatchAction,
    },
    /// Run due watches: record snapshots, detect changes, raise alerts.
    Monitor(MonitorArgs),
    /// Price per tier and stock of an offer over time.
    History(HistoryArgs),
    /// Run the sandbox gateway as a server.
    Sandbox(SandboxArgs),
    /// The sourcing data service: an HTTP API with keys over the same jobs (`serve keys …` for keys).
    Serve(ServeArgs),
    /// The sourcing toolkit for AI agents: a Model Context Protocol server on stdin/stdout.
    Mcp(McpArgs),
}

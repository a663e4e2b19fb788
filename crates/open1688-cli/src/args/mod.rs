//! The command line as clap sees it: global options and one argument struct per subcommand
//! (in the module of its family), each converting itself into the application layer's request.

mod admin;
mod catalog;
mod decide;
mod examples;
mod lookup;
mod order;
mod serve;
mod watch;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use admin::{AuthAction, CacheAction, ConfigAction, SandboxAction, SandboxArgs};
pub use catalog::CatalogAction;
pub use decide::{AnalyzeArgs, CompareArgs, PlanArgs, QuoteArgs, RecommendArgs, SourceArgs};
pub use lookup::{ImageSearchArgs, OfferArgs, SameItemArgs, SearchArgs, SellerArgs};
pub use order::{OrderAction, OrderPlanArgs};
pub use serve::{KeyAction, McpArgs, ServeArgs, ServeCommand};
pub use watch::{HistoryArgs, MonitorArgs, ORDERS_EVERY_MINUTES, WatchAction, WatchAddArgs};

/// Sourcing on 1688 from the command line: search, detail, quotes, plans and the sourcing job.
#[derive(Debug, Parser)]
#[command(name = "open1688", version, about, propagate_version = true, after_help = examples::TOP)]
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
    #[arg(long, global = true, help_heading = "Global options", value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the tables to this XLSX workbook.
    #[arg(long, global = true, help_heading = "Global options", value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Also draw the command's chart to this PNG or SVG file (analyze: price histogram; compare:
    /// supplier bars; seller: scorecard radar; offer and quote: price ladder; history: lines).
    #[arg(long, global = true, help_heading = "Global options", value_name = "FILE")]
    pub chart: Option<PathBuf>,
    /// The language of the files written (--xlsx, --chart, and source's workbook and charts):
    /// headers, notes, reasons, titles and axes. The tables on stdout are the same in both.
    #[arg(long, global = true, help_heading = "Global options", value_enum, default_value_t = Reader::Zh)]
    pub file_language: Reader,
    /// No progress bars or notes on stderr.
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub quiet: bool,
    /// Show the cause chain of errors.
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub verbose: bool,
    /// Configuration file (default: open1688/config.toml in the user's config directory).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE",
        env = "OPEN1688_CONFIG",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,
    /// App key (overrides OPEN1688_APP_KEY and the config file).
    #[arg(long, global = true, help_heading = "Global options")]
    pub app_key: Option<String>,
    /// App secret (overrides OPEN1688_APP_SECRET and the config file). Other users of this
    /// machine can read it in the process list: prefer the variable or the config file.
    #[arg(long, global = true, help_heading = "Global options", hide_env_values = true)]
    pub app_secret: Option<String>,
    /// Read the app secret from a file (its first line), or from standard input with `-`:
    /// nothing shows in the process list.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE",
        env = "OPEN1688_APP_SECRET_FILE",
        hide_env_values = true,
        conflicts_with = "app_secret"
    )]
    pub app_secret_file: Option<PathBuf>,
    /// Gateway endpoint (overrides OPEN1688_ENDPOINT and the config file).
    #[arg(long, global = true, help_heading = "Global options")]
    pub endpoint: Option<String>,
    /// Allow a plain http:// endpoint on another machine (the token then crosses the network in
    /// clear text). Without it only https, or http to this machine, is accepted.
    #[arg(long, global = true, help_heading = "Global options")]
    pub allow_insecure_http: bool,
    /// Let image-search fetch picture URLs on this machine or a private network (refused by
    /// default: a URL is fetched from public addresses only).
    #[arg(long, global = true, help_heading = "Global options")]
    pub allow_private_urls: bool,
    /// Language of translated fields.
    #[arg(long, global = true, help_heading = "Global options")]
    pub language: Option<String>,
    /// Calls per second the app key may make (app-wide and per API; default 10 and 5).
    #[arg(long, global = true, help_heading = "Global options", env = "OPEN1688_QPS", hide_env_values = true)]
    pub qps: Option<u32>,
    /// Do not answer from the cache.
    #[arg(long, global = true, help_heading = "Global options")]
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

/// The language a person reads what open1688 writes for them in (emails, workbooks, charts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Reader {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl From<Reader> for open1688_jobs::Language {
    fn from(reader: Reader) -> Self {
        match reader {
            Reader::Zh => open1688_jobs::Language::Zh,
            Reader::En => open1688_jobs::Language::En,
        }
    }
}

/// Commands, in the order of a buyer's day: decide, order, watch; then the service and set-up.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The sourcing job: search, details, scorecards, comparison, plan; a workbook and a summary.
    #[command(after_help = examples::SOURCE)]
    Source(SourceArgs),
    /// Search offers by keyword.
    #[command(after_help = examples::SEARCH)]
    Search(SearchArgs),
    /// Offer details: price ladder and SKUs.
    #[command(after_help = examples::OFFER)]
    Offer(OfferArgs),
    /// Search by picture (a file or an URL).
    #[command(after_help = examples::IMAGE_SEARCH)]
    ImageSearch(ImageSearchArgs),
    /// Other sellers' listings of an offer's item, found by its picture.
    #[command(after_help = examples::SAME_ITEM)]
    SameItem(SameItemArgs),
    /// A seller's profile, offers and scorecard.
    #[command(after_help = examples::SELLER)]
    Seller(SellerArgs),
    /// Same-item candidates ranked, Pareto front, best value.
    #[command(after_help = examples::COMPARE)]
    Compare(CompareArgs),
    /// How many to buy: the options table, buy-now versus split batches, stock risk.
    #[command(after_help = examples::QUOTE)]
    Quote(QuoteArgs),
    /// Market statistics for a keyword.
    #[command(after_help = examples::ANALYZE)]
    Analyze(AnalyzeArgs),
    /// Recommended offers for a keyword under filters.
    #[command(after_help = examples::RECOMMEND)]
    Recommend(RecommendArgs),
    /// A purchase plan by supplier from a CSV (offer_id,sku_id,quantity) or TOML file.
    #[command(after_help = examples::PLAN)]
    Plan(PlanArgs),
    /// Turn a plan into 1688 orders and follow them (`preview`, `place --yes`, `list`, `show`,
    /// `track`, `cancel`, `pay-url`). Nothing is ever paid from here.
    #[command(after_help = examples::ORDER)]
    Order {
        /// What to do.
        #[command(subcommand)]
        action: OrderAction,
    },
    /// Watch offers for price and stock changes (`add`, `list`, `remove`, `snooze`, `runs`).
    #[command(after_help = examples::WATCH)]
    Watch {
        /// What to do.
        #[command(subcommand)]
        action: WatchAction,
    },
    /// Run due watches: record snapshots, detect changes, raise alerts.
    #[command(after_help = examples::MONITOR)]
    Monitor(MonitorArgs),
    /// Price per tier and stock of an offer over time.
    #[command(after_help = examples::HISTORY)]
    History(HistoryArgs),
    /// The offer catalog in the store: `crawl` keywords and sellers into it, `search` it without
    /// calling the gateway, `reindex`, `age` of its data.
    #[command(after_help = examples::CATALOG)]
    Catalog {
        /// `crawl …`, `refresh`, `search …`, `reindex` or `age`.
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// The sourcing data service: an HTTP API with keys over the same jobs (`serve keys …` for keys).
    #[command(after_help = examples::SERVE)]
    Serve(ServeArgs),
    /// The sourcing toolkit for AI agents: a Model Context Protocol server on stdin/stdout.
    #[command(after_help = examples::MCP)]
    Mcp(McpArgs),
    /// Run the sandbox gateway as a server.
    #[command(after_help = examples::SANDBOX)]
    Sandbox(SandboxArgs),
    /// Authorize the app for a 1688 account, and manage the token.
    #[command(after_help = examples::AUTH)]
    Auth {
        /// `login`, `status`, `refresh` or `logout`.
        #[command(subcommand)]
        action: AuthAction,
    },
    /// Show or create the configuration file.
    #[command(after_help = examples::CONFIG)]
    Config {
        /// `init` or `show`.
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// The response cache on disk: `stats`, or `clear` to ask the gateway afresh.
    #[command(after_help = examples::CACHE)]
    Cache {
        /// `stats` or `clear [--expired]`.
        #[command(subcommand)]
        action: CacheAction,
    },
}

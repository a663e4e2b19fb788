//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;

/// Sourcing on 1688 from the command line: search, detail, quotes, plans and the sourcing job.
#[derive(Debug, Parser)]
#[command(name = "open1688", version, about, propagate_version = true)]
pub struct Cli {
    /// Global options.
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
    /// supplier bars; seller: scorecard radar; offer and quote: price ladder).
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
    /// App secret (overrides OPEN1688_APP_SECRET and the config file).
    #[arg(long, global = true, hide_env_values = true)]
    pub app_secret: Option<String>,
    /// Gateway endpoint (overrides OPEN1688_ENDPOINT and the config file).
    #[arg(long, global = true)]
    pub endpoint: Option<String>,
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

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sort {
    /// Cheapest first.
    Price,
    /// Dearest first.
    PriceDesc,
    /// Best sellers first.
    Sales,
    /// Newest first.
    Newest,
}

/// Search filters shared by several commands.
#[derive(Debug, Args, Clone)]
pub struct SearchArgs {
    /// Search words (Chinese or English).
    pub keyword: String,
    /// Only this category id.
    #[arg(long)]
    pub category: Option<i64>,
    /// Lowest unit price.
    #[arg(long)]
    pub price_min: Option<Decimal>,
    /// Highest unit price.
    #[arg(long)]
    pub price_max: Option<Decimal>,
    /// Order.
    #[arg(long, value_enum)]
    pub sort: Option<Sort>,
    /// Platform filters (`shipInToday`, `isOnePsale`…), repeatable.
    #[arg(long)]
    pub filter: Vec<String>,
    /// Pages to fetch at most.
    #[arg(long, default_value_t = 1)]
    pub pages: u32,
    /// Items at most.
    #[arg(long)]
    pub limit: Option<usize>,
}

impl SearchArgs {
    /// A plain keyword search for at most `limit` items on one page.
    pub fn keyword(keyword: impl Into<String>, limit: usize) -> Self {
        Self {
            keyword: keyword.into(),
            category: None,
            price_min: None,
            price_max: None,
            sort: None,
            filter: Vec::new(),
            pages: 1,
            limit: Some(limit),
        }
    }
}

/// The need, for quotes and comparisons.
#[derive(Debug, Args, Clone)]
pub struct NeedArgs {
    /// Units needed.
    #[arg(long, allow_negative_numbers = true)]
    pub need: i64,
    /// Expected sales per day (default: the offer's monthly sales / 30).
    #[arg(long)]
    pub daily_sales: Option<Decimal>,
    /// Holding cost per unit per day.
    #[arg(long)]
    pub holding_cost: Option<Decimal>,
    /// At most this many units above the need.
    #[arg(long)]
    pub max_overstock: Option<i64>,
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
    /// Authorize the app for a 1688 account, and manage the token.
    Auth {
        /// `login`, `status`, `refresh` or `logout`.
        #[command(subcommand)]
        action: AuthAction,
    },
    /// Search offers by keyword.
    Search(SearchArgs),
    /// Offer details: price ladder and SKUs.
    Offer {
        /// Offer ids.
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Search by picture (a file or an URL).
    ImageSearch {
        /// Path or http(s) URL of the picture.
        source: String,
        /// Results at most.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// A seller's profile, offers and scorecard.
    Seller {
        /// Seller open id, login id or shop domain.
        id: String,
        /// Scorecard preset or TOML file.
        #[arg(long, default_value = "default")]
        scorecard: String,
    },
    /// Market statistics for a keyword.
    Analyze {
        /// Search filters.
        #[command(flatten)]
        search: SearchArgs,
        /// Price the market at this quantity.
        #[arg(long, default_value_t = 1)]
        quantity: i64,
    },
    /// How many to buy: the options table, buy-now versus split batches, stock risk.
    Quote {
        /// The offer.
        offer: i64,
        /// The need.
        #[command(flatten)]
        need: NeedArgs,
        /// For this SKU (per-SKU prices).
        #[arg(long)]
        sku: Option<i64>,
        /// Compare up to this many split batches.
        #[arg(long, default_value_t = 3)]
        batches: i64,
    },
    /// Same-item candidates ranked, Pareto front, best value.
    Compare {
        /// An offer id or a keyword.
        target: String,
        /// The need.
        #[command(flatten)]
        need: NeedArgs,
        /// Candidates to fetch at most.
        #[arg(long, default_value_t = 40)]
        candidates: usize,
    },
    /// A purchase plan by supplier from a CSV (offer_id,sku_id,quantity) or TOML file.
    Plan {
        /// The lines.
        file: PathBuf,
        /// Raise quantities where that lowers the total.
        #[arg(long)]
        optimize: bool,
    },
    /// Recommended offers for a keyword under filters.
    Recommend {
        /// Search filters.
        #[command(flatten)]
        search: SearchArgs,
        /// Price at this quantity.
        #[arg(long, default_value_t = 1)]
        quantity: i64,
        /// At most this unit price at the quantity.
        #[arg(long)]
        max_unit_price: Option<Decimal>,
        /// At most this MOQ.
        #[arg(long)]
        max_moq: Option<i64>,
        /// Required supplier identity (repeatable), e.g. `super_factory`.
        #[arg(long)]
        identity: Vec<String>,
        /// Minimum supplier score.
        #[arg(long)]
        min_score: Option<Decimal>,
        /// Ships within this many hours.
        #[arg(long)]
        ships_within: Option<u32>,
    },
    /// The sourcing job: search, details, scorecards, comparison, plan; a workbook and a summary.
    Source {
        /// Search words.
        keyword: String,
        /// The need.
        #[command(flatten)]
        need: NeedArgs,
        /// Output folder for the workbook.
        #[arg(long, default_value = "open1688-out")]
        out: PathBuf,
        /// Candidates to fetch details for.
        #[arg(long, default_value_t = 30)]
        candidates: usize,
    },
    /// Watch offers for price and stock changes (`add`, `list`, `remove`, `snooze`).
    Watch {
        /// What to do.
        #[command(subcommand)]
        action: WatchAction,
    },
    /// Run due watches: record snapshots, detect changes, raise alerts.
    Monitor {
        /// One round, then exit (default: keep running).
        #[arg(long)]
        once: bool,
        /// Print run statistics at the end of each round.
        #[arg(long)]
        stats: bool,
        /// Seconds between rounds.
        #[arg(long, default_value_t = 60)]
        tick: u64,
        /// Also post alerts to this webhook (signed with OPEN1688_WEBHOOK_SECRET).
        #[arg(long)]
        webhook: Option<String>,
        /// Also email alerts to this address (repeatable; SMTP from OPEN1688_SMTP_URL, sender
        /// from OPEN1688_EMAIL_FROM).
        #[arg(long)]
        email: Vec<String>,
        /// This monitor's name in claims and job runs. A restarted monitor with the same name
        /// resumes what it had claimed; give each of several monitors on one host its own.
        #[arg(long)]
        worker: Option<String>,
        /// Watches checked at once (the rate limits still pace the calls).
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Failures in a row that pause a watch.
        #[arg(long, default_value_t = 5)]
        pause_after: i64,
        /// Minutes of the first pause; each further failure doubles it, up to a day.
        #[arg(long, default_value_t = 60)]
        cooldown: i64,
    },
    /// Price per tier and stock of an offer over time.
    History {
        /// The offer.
        offer: i64,
        /// Days back.
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// Run the sandbox gateway as a server.
    Sandbox {
        /// Port.
        #[arg(long, default_value_t = 8688)]
        port: u16,
        /// Catalog seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Turn quotas off.
        #[arg(long)]
        quotas_off: bool,
    },
}

/// `watch` actions.
#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Watch an offer or a keyword.
    Add {
        /// The offer.
        #[arg(required_unless_present = "keyword")]
        offer: Option<i64>,
        /// Watch a keyword search's top results instead of one offer.
        #[arg(long, conflicts_with = "offer")]
        keyword: Option<String>,
        /// Alert when a new offer enters the keyword's results.
        #[arg(long, requires = "keyword")]
        new_offers: bool,
        /// Check every this many minutes.
        #[arg(long, default_value_t = 60)]
        every: i64,
        /// Alert when the unit price at `--at` falls below this.
        #[arg(long)]
        below: Option<Decimal>,
        /// Alert when the unit price at `--at` rises above this.
        #[arg(long)]
        above: Option<Decimal>,
        /// Quantity the price is read at.
        #[arg(long, default_value_t = 1)]
        at: i64,
        /// Alert on a move of at least this many percent.
        #[arg(long)]
        change: Option<Decimal>,
        /// Alert when stock falls below this.
        #[arg(long)]
        stock_below: Option<i64>,
        /// Rules from a TOML file (`[[rules]] kind = "price_below" …`) instead of flags.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// At most this many alerts a day.
        #[arg(long)]
        max_per_day: Option<i64>,
    },
    /// List watches.
    List,
    /// Stop watching.
    Remove {
        /// Watch id.
        id: i64,
    },
    /// No alerts for a while.
    Snooze {
        /// Watch id.
        id: i64,
        /// Hours.
        #[arg(long, default_value_t = 24)]
        hours: i64,
    },
    /// The monitor's latest runs: worker, status (a killed run shows as interrupted), counts.
    Runs {
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

/// `config` actions.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Write a commented configuration file (never overwrites).
    Init,
    /// Show the effective configuration, secrets redacted.
    Show,
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

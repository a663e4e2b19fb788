//! Arguments of the watching commands: watch, monitor, history.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rust_decimal::Decimal;

/// `watch` actions.
#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Watch an offer or a keyword.
    #[command(after_help = super::examples::WATCH_ADD)]
    Add(WatchAddArgs),
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

/// `watch add`.
#[derive(Debug, Args, Clone)]
pub struct WatchAddArgs {
    /// The offer.
    #[arg(required_unless_present = "keyword")]
    pub offer: Option<i64>,
    /// Watch a keyword search's top results instead of one offer.
    #[arg(long, conflicts_with = "offer")]
    pub keyword: Option<String>,
    /// Alert when a new offer enters the keyword's results.
    #[arg(long, requires = "keyword")]
    pub new_offers: bool,
    /// Check every this many minutes.
    #[arg(long, default_value_t = 60)]
    pub every: i64,
    /// Alert when the unit price at `--at` falls below this.
    #[arg(long)]
    pub below: Option<Decimal>,
    /// Alert when the unit price at `--at` rises above this.
    #[arg(long)]
    pub above: Option<Decimal>,
    /// Quantity the price is read at.
    #[arg(long, default_value_t = 1)]
    pub at: i64,
    /// Alert on a move of at least this many percent.
    #[arg(long)]
    pub change: Option<Decimal>,
    /// Alert when stock falls below this.
    #[arg(long)]
    pub stock_below: Option<i64>,
    /// Rules from a TOML file (`[[rules]] kind = "price_below" …`) instead of flags.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// At most this many alerts a day.
    #[arg(long)]
    pub max_per_day: Option<i64>,
}

/// How often a monitor reads the open orders unless told otherwise (minutes); the service's
/// monitor reads them this often.
pub const ORDERS_EVERY_MINUTES: u64 = 10;

/// `monitor`.
#[derive(Debug, Args, Clone)]
pub struct MonitorArgs {
    /// Do not read the orders placed from here (by default the monitor reads every open order
    /// every --orders-every minutes and alerts on status changes and stuck orders).
    #[arg(long)]
    pub no_orders: bool,
    /// Minutes between reads of the open orders.
    #[arg(long, default_value_t = ORDERS_EVERY_MINUTES)]
    pub orders_every: u64,
    /// One round, then exit (default: keep running).
    #[arg(long)]
    pub once: bool,
    /// Print run statistics at the end of each round.
    #[arg(long)]
    pub stats: bool,
    /// Seconds between rounds.
    #[arg(long, default_value_t = 60)]
    pub tick: u64,
    /// Also post alerts to this webhook (signed with OPEN1688_WEBHOOK_SECRET).
    #[arg(long)]
    pub webhook: Option<String>,
    /// Also email alerts to this address (repeatable; SMTP from OPEN1688_SMTP_URL, sender
    /// from OPEN1688_EMAIL_FROM).
    #[arg(long)]
    pub email: Vec<String>,
    /// The language of email alerts.
    #[arg(long, value_enum, default_value_t = super::Reader::Zh)]
    pub email_language: super::Reader,
    /// This monitor's name in claims and job runs (default: host and process id). A monitor
    /// restarted with the same name resumes what it had claimed; without one, a killed monitor's
    /// claims pass to the others when their 10-minute lease ends.
    #[arg(long)]
    pub worker: Option<String>,
    /// Watches checked at once (the rate limits still pace the calls).
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Failures in a row that pause a watch.
    #[arg(long, default_value_t = 5)]
    pub pause_after: i64,
    /// Minutes of the first pause; each further failure doubles it, up to a day.
    #[arg(long, default_value_t = 60)]
    pub cooldown: i64,
}

/// `history`.
#[derive(Debug, Args, Clone)]
pub struct HistoryArgs {
    /// The offer.
    pub offer: i64,
    /// Days back.
    #[arg(long, default_value_t = 30)]
    pub days: i64,
}

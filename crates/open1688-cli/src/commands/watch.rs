//! `watch`, `monitor` and `history`: the store (SQLite in the user's data directory, or
//! PostgreSQL by `DATABASE_URL`).

use std::sync::Arc;

use anyhow::Context;
use chrono::{Duration, Utc};
use open1688_store::{
    AlertRule, EmailNotifier, FailurePolicy, JobStore, Monitor, NewWatch, SqlStore, StdoutNotifier, Store, StoreError,
    WebhookNotifier,
};
use serde::Deserialize;

use crate::cli::WatchAction;
use crate::context::Ctx;
use crate::exit::usage;
use crate::report::{Cell, Sheet};

/// Opens the store named by `DATABASE_URL`, else the default SQLite file.
pub async fn open_store() -> anyhow::Result<SqlStore> {
    let url = match std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(url) => url,
        None => {
            let dir = dirs::data_dir().unwrap_or_else(|| ".".into()).join("open1688");
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            format!("sqlite://{}", dir.join("open1688.db").display())
        }
    };
    SqlStore::open(&url).await.with_context(|| "opening the store (DATABASE_URL or the default SQLite file)")
}

#[derive(Deserialize)]
struct RulesFile {
    rules: Vec<AlertRule>,
}

/// `active`, `snoozed` or `paused` (failing: past the default pause threshold and not due).
fn watch_state(w: &open1688_store::Watch, now_ms: i64) -> &'static str {
    if w.failures >= FailurePolicy::default().pause_after && w.next_due_ms > now_ms {
        "paused"
    } else if w.snooze_until_ms.is_some_and(|t| t > now_ms) {
        "snoozed"
    } else {
        "active"
    }
}

/// `watch …`.
pub async fn watch(action: &WatchAction) -> anyhow::Result<Vec<Sheet>> {
    let store = open_store().await?;
    let now = Utc::now().timestamp_millis();
    match action {
        WatchAction::Add {
            offer,
            keyword,
            new_offers,
            every,
            below,
            above,
            at,
            change,
            stock_below,
            rules,
            max_per_day,
        } => {
            if *every <= 0 || *at <= 0 {
                return Err(usage("--every and --at must be at least 1"));
            }
            let mut list = match rules {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
                    toml::from_str::<RulesFile>(&text)
                        .map_err(|e| usage(format!("rules file {}: {e}", path.display())))?
                        .rules
                }
                None => Vec::new(),
            };
            list.extend(below.map(|target| AlertRule::PriceBelow { quantity: *at, target }));
            list.extend(above.map(|target| AlertRule::PriceAbove { quantity: *at, target }));
            list.extend(change.map(|percent| AlertRule::PercentChange { quantity: *at, percent }));
            list.extend(stock_below.map(|units| AlertRule::StockBelow { units }));
            if *new_offers {
                list.push(AlertRule::NewOffer);
            }
            if list.is_empty() {
                list = match keyword {
                    Some(_) => vec![AlertRule::NewOffer, AlertRule::AnyTierChange],
                    None => vec![AlertRule::AnyTierChange, AlertRule::SoldOut, AlertRule::BackInStock],
                };
            }
            let new = NewWatch {
                offer_id: *offer,
                keyword: keyword.clone(),
                interval_secs: every * 60,
                rules: list,
                max_per_day: *max_per_day,
            };
            let id = match store.add_watch(&new, now).await {
                Err(StoreError::InvalidWatch(why)) => return Err(usage(why)),
                other => other?,
            };
            let mut s = Sheet::new("watch", &["id", "offer_id", "keyword"]);
            s.push(vec![Cell::Int(id), Cell::opt_int(*offer), Cell::opt_text(keyword.clone())]);
            Ok(vec![s])
        }
        WatchAction::List => {
            let mut s = Sheet::new(
                "watches",
                &["id", "offer_id", "keyword", "every_minutes", "rules", "next_due", "last_run", "failures", "state"],
            );
            for w in store.watches().await? {
                let rules = w
                    .rules
                    .iter()
                    .map(|r| {
                        serde_json::to_value(r)
                            .map(|v| v["kind"].as_str().unwrap_or_default().to_owned())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                let time = |ms: i64| chrono::DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339());
                s.push(vec![
                    Cell::Int(w.id),
                    Cell::opt_int(w.offer_id),
                    Cell::opt_text(w.keyword.clone()),
                    Cell::Int(w.interval_secs / 60),
                    Cell::Text(rules),
                    Cell::opt_text(time(w.next_due_ms)),
                    Cell::opt_text(w.last_run_ms.and_then(time)),
                    Cell::Int(w.failures),
                    Cell::Text(watch_state(&w, now).into()),
                ]);
            }
            Ok(vec![s])
        }
        WatchAction::Remove { id } => {
            if !store.remove_watch(*id).await? {
                return Err(usage(format!("no watch with id {id}")));
            }
            Ok(Vec::new())
        }
        WatchAction::Runs { limit } => {
            let mut s =
                Sheet::new("runs", &["id", "worker", "status", "started", "finished", "checks", "succeeded", "alerts"]);
            let time = |ms: i64| chrono::DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339());
            for run in store.runs((*limit).clamp(1, 10_000)).await? {
                let status = serde_json::to_value(run.status)?.as_str().unwrap_or_default().to_owned();
                s.push(vec![
                    Cell::Int(run.id),
                    Cell::Text(run.worker),
                    Cell::Text(status),
                    Cell::opt_text(time(run.started_ms)),
                    Cell::opt_text(run.finished_ms.and_then(time)),
                    Cell::Int(run.progress.checks),
                    Cell::Int(run.progress.succeeded),
                    Cell::Int(run.progress.alerts),
                ]);
            }
            Ok(vec![s])
        }
        WatchAction::Snooze { id, hours } => {
            if !store.snooze(*id, now + hours * 3_600_000).await? {
                return Err(usage(format!("no watch with id {id}")));
            }
            Ok(Vec::new())
        }
    }
}

/// What `monitor` was asked to do.
pub struct MonitorOptions<'a> {
    /// One round, then exit.
    pub once: bool,
    /// Print statistics after each round.
    pub stats: bool,
    /// Seconds between rounds.
    pub tick: u64,
    /// Webhook URL.
    pub webhook: Option<&'a str>,
    /// Email recipients.
    pub email: &'a [String],
    /// Worker name (default: the host name).
    pub worker: Option<&'a str>,
    /// Watches checked at once.
    pub concurrency: usize,
    /// When failing watches are paused.
    pub failures: FailurePolicy,
}

/// The default worker name: this host's, so a restarted monitor resumes its own claims.
fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "open1688".into())
}

/// `monitor`.
pub async fn monitor(ctx: &Ctx, options: MonitorOptions<'_>) -> anyhow::Result<Vec<Sheet>> {
    let store: Arc<dyn Store> = Arc::new(open_store().await?);
    let worker = options.worker.map_or_else(host_name, str::to_owned);
    if options.failures.pause_after < 1 || options.failures.cooldown_ms < 60_000 {
        return Err(usage("--pause-after and --cooldown must be at least 1"));
    }
    let mut monitor = Monitor::new(store, ctx.client.clone(), worker)
        .concurrency(options.concurrency)
        .failure_policy(options.failures)
        .notify_with(Arc::new(StdoutNotifier));
    if let Some(url) = options.webhook {
        let secret = std::env::var("OPEN1688_WEBHOOK_SECRET")
            .map_err(|_| usage("--webhook needs OPEN1688_WEBHOOK_SECRET to sign the alerts"))?;
        monitor = monitor.notify_with(Arc::new(WebhookNotifier::new(url, secret.into_bytes())));
    }
    if !options.email.is_empty() {
        let smtp = std::env::var("OPEN1688_SMTP_URL")
            .map_err(|_| usage("--email needs OPEN1688_SMTP_URL (smtp://host:port or smtps://user:pass@host:465)"))?;
        let from = std::env::var("OPEN1688_EMAIL_FROM").unwrap_or_else(|_| "open1688 <open1688@localhost>".into());
        let email = EmailNotifier::new(&smtp, &from, options.email).map_err(|e| usage(e.to_string()))?;
        monitor = monitor.notify_with(Arc::new(email));
    }
    loop {
        monitor.run_due(Utc::now()).await?;
        if options.stats || options.once {
            let s = monitor.stats();
            ctx.note(&format!(
                "checks {} ok {} ({:.0} %), alerts {}, throttled {}, paused {}, latency mean {:.0} ms p95 {:.0} ms, \
                 cache hit rate {} ({} fresh reads), stalest data {}",
                s.checks,
                s.succeeded,
                if s.checks > 0 { s.succeeded as f64 * 100.0 / s.checks as f64 } else { 100.0 },
                s.alerts,
                s.throttled,
                s.paused,
                s.mean_latency_ms,
                s.p95_latency_ms,
                s.cache_hit_rate.map_or("n/a".into(), |r| format!("{:.0} %", r * 100.0)),
                s.fresh_reads,
                s.stalest_seconds.map_or("n/a".into(), |x| format!("{x} s"))
            ));
        }
        if options.once {
            return Ok(Vec::new());
        }
        tokio::time::sleep(std::time::Duration::from_secs(options.tick.max(1))).await;
    }
}

/// `history`: price per tier and stock over time, with min/max/last/change.
pub async fn history(ctx: &Ctx, offer: i64, days: i64) -> anyhow::Result<Vec<Sheet>> {
    let store = open_store().await?;
    let since = (Utc::now() - Duration::days(days.max(1))).timestamp_millis();
    let snaps = store.price_history(offer, since).await?;
    if snaps.is_empty() {
        return Err(anyhow::anyhow!(
            "no history for offer {offer} in the last {days} days (add a watch and run the monitor)"
        ));
    }
    let starts: std::collections::BTreeSet<i64> = snaps.iter().flat_map(|s| s.tiers.keys().copied()).collect();
    let mut rows = Sheet::new("history", &["at", "tier_from", "unit_price", "stock", "moq", "status"]);
    for s in &snaps {
        for (start, price) in &s.tiers {
            rows.push(vec![
                Cell::Text(s.at.to_rfc3339()),
                Cell::Int(*start),
                Cell::Money(*price),
                Cell::opt_int(s.stock),
                Cell::opt_int(s.moq),
                Cell::opt_text(s.status.clone()),
            ]);
        }
    }
    let mut summary = Sheet::new("summary", &["tier_from", "min", "max", "last", "change_pct"]);
    let mut series = Vec::new();
    for start in starts {
        let points: Vec<(chrono::DateTime<Utc>, rust_decimal::Decimal)> =
            snaps.iter().filter_map(|s| s.tiers.get(&start).map(|p| (s.at, *p))).collect();
        let prices: Vec<rust_decimal::Decimal> = points.iter().map(|p| p.1).collect();
        let (first, last) = (prices[0], prices[prices.len() - 1]);
        let change = if first.is_zero() {
            rust_decimal::Decimal::ZERO
        } else {
            (last - first) / first * rust_decimal::Decimal::ONE_HUNDRED
        };
        summary.push(vec![
            Cell::Int(start),
            Cell::Money(prices.iter().copied().min().unwrap_or_default()),
            Cell::Money(prices.iter().copied().max().unwrap_or_default()),
            Cell::Money(last),
            Cell::Num(change.round_dp(2)),
        ]);
        series.push((format!("≥{start}"), points));
    }
    if let Some(path) = &ctx.chart {
        let stock: Vec<_> = snaps.iter().filter_map(|s| s.stock.map(|units| (s.at, units))).collect();
        crate::charts::history_lines(path, &format!("offer {offer} 价格走势 price history"), &series, &stock)?;
        ctx.note(&format!("chart: {}", path.display()));
    }
    Ok(vec![summary, rows])
}

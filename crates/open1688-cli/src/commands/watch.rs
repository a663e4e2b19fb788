//! `watch`, `monitor` and `history`: the store (SQLite in the user's data directory, or
//! PostgreSQL by `DATABASE_URL`).

use std::sync::Arc;

use anyhow::Context;
use chrono::{Duration, Utc};
use open1688_store::{AlertRule, Monitor, NewWatch, SqlStore, StdoutNotifier, Store, WebhookNotifier};
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

/// `watch …`.
pub async fn watch(action: &WatchAction) -> anyhow::Result<Vec<Sheet>> {
    let store = open_store().await?;
    let now = Utc::now().timestamp_millis();
    match action {
        WatchAction::Add { offer, every, below, above, at, change, stock_below, rules, max_per_day } => {
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
            if list.is_empty() {
                list = vec![AlertRule::AnyTierChange, AlertRule::SoldOut, AlertRule::BackInStock];
            }
            let id = store
                .add_watch(
                    &NewWatch {
                        offer_id: Some(*offer),
                        keyword: None,
                        interval_secs: every * 60,
                        rules: list,
                        max_per_day: *max_per_day,
                    },
                    now,
                )
                .await?;
            let mut s = Sheet::new("watch", &["id", "offer_id"]);
            s.push(vec![Cell::Int(id), Cell::Int(*offer)]);
            Ok(vec![s])
        }
        WatchAction::List => {
            let mut s = Sheet::new(
                "watches",
                &["id", "offer_id", "every_minutes", "rules", "next_due", "last_run", "failures"],
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
                    Cell::Int(w.interval_secs / 60),
                    Cell::Text(rules),
                    Cell::opt_text(time(w.next_due_ms)),
                    Cell::opt_text(w.last_run_ms.and_then(time)),
                    Cell::Int(w.failures),
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
        WatchAction::Snooze { id, hours } => {
            if !store.snooze(*id, now + hours * 3_600_000).await? {
                return Err(usage(format!("no watch with id {id}")));
            }
            Ok(Vec::new())
        }
    }
}

/// `monitor`.
pub async fn monitor(
    ctx: &Ctx,
    once: bool,
    stats: bool,
    tick: u64,
    webhook: Option<&str>,
) -> anyhow::Result<Vec<Sheet>> {
    let store: Arc<dyn Store> = Arc::new(open_store().await?);
    let worker = format!("{}-{}", std::env::var("HOSTNAME").unwrap_or_else(|_| "open1688".into()), std::process::id());
    let mut monitor = Monitor::new(store, ctx.client.clone(), worker).notify_with(Arc::new(StdoutNotifier));
    if let Some(url) = webhook {
        let secret = std::env::var("OPEN1688_WEBHOOK_SECRET")
            .map_err(|_| usage("--webhook needs OPEN1688_WEBHOOK_SECRET to sign the alerts"))?;
        monitor = monitor.notify_with(Arc::new(WebhookNotifier::new(url, secret.into_bytes())));
    }
    loop {
        monitor.run_due(Utc::now()).await?;
        if stats || once {
            let s = monitor.stats();
            ctx.note(&format!(
                "checks {} ok {} ({:.0} %), alerts {}, throttled {}, latency mean {:.0} ms p95 {:.0} ms, stalest data {}",
                s.checks,
                s.succeeded,
                if s.checks > 0 { s.succeeded as f64 * 100.0 / s.checks as f64 } else { 100.0 },
                s.alerts,
                s.throttled,
                s.mean_latency_ms,
                s.p95_latency_ms,
                s.stalest_seconds.map_or("n/a".into(), |x| format!("{x} s"))
            ));
        }
        if once {
            return Ok(Vec::new());
        }
        tokio::time::sleep(std::time::Duration::from_secs(tick.max(1))).await;
    }
}

/// `history`: price per tier and stock over time, with min/max/last/change.
pub async fn history(ctx: &Ctx, offer: i64, days: i64) -> anyhow::Result<Vec<Sheet>> {
    let store = open_store().await?;
    let since = (Utc::now() - Duration::days(days.max(1))).timestamp_millis();
    let snaps = store.history(offer, since).await?;
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
        crate::charts::history_lines(path, &format!("offer {offer} 价格走势 price history"), &series)?;
        ctx.note(&format!("chart: {}", path.display()));
    }
    Ok(vec![summary, rows])
}

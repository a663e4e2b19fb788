//! `monitor`: the store's watches checked by [`Monitor::run`], alerts to stdout and, when asked,
//! a webhook and email.

use std::sync::Arc;
use std::time::Duration;

use open1688_monitor::{
    EmailNotifier, FailurePolicy, Monitor, MonitorStats, OrderWatch, StdoutNotifier, StuckAfter, WebhookNotifier,
};
use open1688_store::Store;

use crate::args::MonitorArgs;
use crate::context::Ctx;
use crate::exit::{CliError, usage};

/// The default worker name: host and process id, so two monitors on one host never finish or
/// release each other's claims. A monitor restarted with the same `--worker` resumes its claims;
/// without it, a killed monitor's claims are taken over when their lease ends.
pub(crate) fn default_worker(ctx: &Ctx) -> String {
    let host = ctx
        .settings
        .env
        .hostname
        .clone()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|h| h.trim().to_owned()))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "open1688".into());
    format!("{host}-{}", std::process::id())
}

/// One line of figures after a round.
fn stats_line(s: &MonitorStats) -> String {
    format!(
        "checks {} ok {} ({:.0} %), alerts {}, throttled {}, paused {}, latency mean {:.0} ms p95 {:.0} ms, \
         cache hit rate {} ({} fresh reads), stalest data {}, deliveries sent {} failed {} pending {}",
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
        s.stalest_seconds.map_or("n/a".into(), |x| format!("{x} s")),
        s.delivered,
        s.delivery_failures,
        s.pending_deliveries
    )
}

/// The order watch of a monitor: open orders read every `every_minutes`, stuck after the defaults.
pub(crate) fn order_watch(store: Arc<open1688_store::SqlStore>, every_minutes: u64) -> Result<OrderWatch, CliError> {
    if every_minutes < 1 {
        return Err(usage("--orders-every must be at least 1 (minutes)"));
    }
    Ok(OrderWatch::new(store, Duration::from_secs(every_minutes.saturating_mul(60)), StuckAfter::default()))
}

/// `monitor`.
pub async fn monitor(ctx: &Ctx, args: &MonitorArgs) -> Result<(), CliError> {
    if args.pause_after < 1 || args.cooldown < 1 {
        return Err(usage("--pause-after and --cooldown must be at least 1"));
    }
    let failures = FailurePolicy {
        pause_after: args.pause_after,
        cooldown_ms: args.cooldown.saturating_mul(60_000),
        ..FailurePolicy::default()
    };
    let sql = ctx.store().await?;
    let store: Arc<dyn Store> = sql.clone();
    let client = ctx.gateway().await?.client.clone();
    let worker = args.worker.clone().unwrap_or_else(|| default_worker(ctx));
    let mut monitor = Monitor::new(store, client, worker)
        .concurrency(args.concurrency)
        .failure_policy(failures)
        .notify_with(Arc::new(StdoutNotifier));
    if let Some(url) = &args.webhook {
        let secret = ctx
            .settings
            .env
            .webhook_secret
            .clone()
            .ok_or_else(|| usage("--webhook needs OPEN1688_WEBHOOK_SECRET to sign the alerts"))?;
        let hook = WebhookNotifier::new(url, secret.into_bytes())
            .map_err(|e| usage(format!("OPEN1688_WEBHOOK_SECRET: {e}")))?;
        monitor = monitor.notify_with(Arc::new(hook));
    }
    if !args.email.is_empty() {
        let env = &ctx.settings.env;
        let smtp = env
            .smtp_url
            .as_deref()
            .ok_or_else(|| usage("--email needs OPEN1688_SMTP_URL (smtp://host:port or smtps://user:pass@host:465)"))?;
        let from = env.email_from.as_deref().unwrap_or("open1688 <open1688@localhost>");
        let email = EmailNotifier::new(smtp, from, &args.email)
            .map_err(|e| usage(e.to_string()))?
            .language(args.email_language.into());
        monitor = monitor.notify_with(Arc::new(email));
    }
    if !args.no_orders {
        monitor = monitor.watch_orders(order_watch(sql, args.orders_every)?);
    }
    if args.once {
        monitor.run_due(chrono::Utc::now()).await?;
        monitor.run_orders(chrono::Utc::now()).await?;
        ctx.note(&stats_line(&monitor.stats()));
        return Ok(());
    }
    let show = args.stats;
    monitor
        .run(Duration::from_secs(args.tick.max(1)), |stats| {
            if show {
                ctx.note(&stats_line(stats));
            }
        })
        .await?;
    Ok(())
}

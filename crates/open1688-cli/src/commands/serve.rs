//! `serve`: starts the service over this process's jobs and store; `serve keys` manages its keys;
//! `mcp`: the same jobs for an AI agent on stdin/stdout.

use chrono::Utc;
use open1688_jobs::{Cell, Sheet};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use open1688_monitor::Monitor;
use open1688_server::{
    AnswerCache, CallShares, JobBoard, KeyCache, KeyLimits, ServeOptions, ServiceState, StreamNotifier,
};
use open1688_store::Scope;

use open1688_mcp::SourcingServer;

use crate::args::{KeyAction, McpArgs, ServeArgs, ServeCommand};
use crate::context::{Ctx, data_dir};
use crate::exit::{CliError, usage};

/// `serve` and `serve keys …`.
pub async fn serve(ctx: &Ctx, args: &ServeArgs) -> Result<Vec<Sheet>, CliError> {
    if let Some(ServeCommand::Keys { action }) = &args.keys {
        return keys(ctx, action).await;
    }
    let store = ctx.store().await?;
    // Quotes and sourcing answers show trends from the history the service's monitor keeps.
    let jobs = Arc::new(ctx.jobs().await?.store(store.clone()));
    let jobs_dir = args.jobs_dir.clone().unwrap_or_else(|| data_dir().join("jobs"));
    let rate = NonZeroU32::new(args.key_rate).ok_or_else(|| usage("--key-rate must be at least 1"))?;
    let key_calls = NonZeroU32::new(args.key_calls).ok_or_else(|| usage("--key-calls must be at least 1"))?;
    let key_call_burst =
        NonZeroU32::new(args.key_call_burst).ok_or_else(|| usage("--key-call-burst must be at least 1"))?;
    let mut options = ServeOptions::with_cors_origins(&args.cors_origins).map_err(usage)?;
    if args.max_connections == 0 {
        return Err(usage("--max-connections must be at least 1"));
    }
    options.max_connections = args.max_connections;
    options.drain = Duration::from_secs(args.drain_seconds);
    // Pushes are signed with the app secret: the configured one, or the built-in sandbox's.
    let gateway = ctx.gateway().await?;
    if let Some(sandbox) = &gateway.sandbox {
        // A service calls soon and often: generate the catalog before the first request waits.
        sandbox.start_now().await.map_err(|e| usage(format!("the built-in sandbox could not start: {e}")))?;
    }
    let push_secret: Option<Arc<[u8]>> = match (&ctx.settings.credentials, &gateway.sandbox) {
        (Some((_, secret)), _) => Some(Arc::from(secret.as_bytes())),
        // The demo secret is public: pushes signed with it are taken only when asked for.
        (None, Some(sandbox)) if args.sandbox_pushes => Some(Arc::from(sandbox.app_secret().as_bytes())),
        (None, Some(_)) => None,
        (None, None) => None,
    };
    let mut key_limits = KeyLimits::new(rate, rate.saturating_mul(NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN)));
    let mut call_shares = CallShares::new(key_calls, key_call_burst);
    match &ctx.settings.redis_url {
        // Every instance on this Redis counts a key's requests and gateway calls together.
        Some(url) => {
            let backend = open1688_redis::RedisBackend::open(url).map_err(|e| usage(e.to_string()))?;
            let pacer: Arc<dyn open1688::SharedPacer> =
                Arc::new(open1688_redis::RedisPacer::new(backend, gateway.client.app_key().to_owned()));
            key_limits = key_limits.shared(pacer.clone());
            call_shares = call_shares.shared(pacer);
        }
        // Said on stderr like the address it serves on: the log shows only errors by default.
        None if store.is_shared() && !ctx.quiet => eprintln!(
            "open1688: warning: this database can be shared by several services, but without REDIS_URL each \
             paces alone: together they may exceed the app's gateway quota, and each gives a key its limits again"
        ),
        None => {}
    }
    // Jobs are rows in the store: any instance on it answers for them and runs them.
    let runner = Arc::new(open1688_server::job_kinds::ServiceJobs::new(jobs.clone(), call_shares.clone()));
    let board = JobBoard::new(store.clone(), jobs_dir, runner);
    board.start();
    let catalog = Arc::new(super::catalog::engine(store.as_ref())?);
    // Old results and files go after the retention, checked at start and every hour.
    let retention = Duration::from_secs(args.retention_days.max(1).saturating_mul(86_400));
    let mcp_outputs = args.mcp_dir.clone().unwrap_or_else(|| data_dir().join("mcp"));
    {
        let (board, outputs) = (board.clone(), mcp_outputs.clone());
        tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(Duration::from_secs(3_600));
            loop {
                every_hour.tick().await;
                let jobs = match board.prune(retention).await {
                    Ok(n) => n,
                    Err(e) => {
                        tracing::warn!(error = %e.detail, "old jobs could not be removed; trying again in an hour");
                        0
                    }
                };
                let files = open1688_server::job_board::remove_old_files(&outputs, retention) as u64;
                if jobs + files > 0 {
                    tracing::info!(jobs, files, "old results removed after the retention");
                }
            }
        });
    }
    if !args.no_mcp {
        let outputs = mcp_outputs;
        let mcp = SourcingServer::builder(jobs.clone(), store.clone())
            .outputs_dir(outputs)
            .sandbox(gateway.sandbox.is_some())
            .catalog(catalog.clone())
            .orders(ctx.settings.order_policy.clone(), args.mcp_allow_placing_orders)
            .build();
        options = options.with_mcp(mcp);
    }
    let state = ServiceState {
        jobs: jobs.clone(),
        store: store.clone(),
        catalog,
        order_policy: ctx.settings.order_policy.clone(),
        board: board.clone(),
        metrics: open1688_server::telemetry::install_recorder(),
        verified_keys: KeyCache::new(open1688_server::key_cache::DEFAULT_KEY_TTL),
        revocations: open1688_server::revocations::Revocations::new(),
        answers: AnswerCache::new(if ctx.settings.no_cache {
            Duration::ZERO
        } else {
            open1688_server::answer_cache::DEFAULT_ANSWER_TTL
        }),
        alerts: StreamNotifier::new(),
        push_secret,
        key_limits,
        call_shares,
        stopping: Default::default(),
    };
    if !args.no_monitor {
        // The monitor shares the service's client (its cache and its rate limiter) and store;
        // its alerts reach live listeners of /v1/alerts/stream on every instance through the store.
        let worker = super::monitor::default_worker(ctx);
        let mut monitor = Monitor::new(store.clone(), jobs.client().clone(), worker)
            .watch_orders(super::monitor::order_watch(store, crate::args::ORDERS_EVERY_MINUTES)?);
        let tick = Duration::from_secs(args.monitor_tick.max(1));
        tokio::spawn(async move {
            if let Err(e) = monitor.run(tick, |_| {}).await {
                tracing::error!(error = %e, "the service's monitor stopped: the store failed");
            }
        });
    }
    let quiet = ctx.quiet;
    open1688_server::serve(state, &options, args.listen, stop_signal(), |addr| {
        if !quiet {
            // The one line scripts wait for: where to send requests.
            eprintln!("open1688: serving on http://{addr} (every /v1 route needs an API key: open1688 serve keys add)");
        }
    })
    .await
    .map_err(|e| usage(format!("cannot listen on {}: {e}", args.listen)))?;
    // New requests are refused now; running jobs get their grace, then go back to the queue for
    // another instance (or this one, restarted) to run again.
    let handed_back = board.shutdown(Duration::from_secs(args.shutdown_grace)).await;
    if !quiet {
        eprintln!("open1688: stopped ({handed_back} running job(s) handed back to the queue)");
    }
    Ok(Vec::new())
}

/// `mcp`: the MCP server on stdin/stdout, until the client closes them.
pub async fn mcp(ctx: &Ctx, args: &McpArgs) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    let jobs = Arc::new(ctx.jobs().await?.store(store.clone()));
    let sandbox = ctx.gateway().await?.sandbox.is_some();
    let outputs = args.outputs_dir.clone().unwrap_or_else(|| data_dir().join("mcp"));
    let catalog = Arc::new(super::catalog::engine(store.as_ref())?);
    let server = SourcingServer::builder(jobs, store)
        .outputs_dir(outputs)
        .sandbox(sandbox)
        .catalog(catalog)
        .orders(ctx.settings.order_policy.clone(), args.allow_placing_orders)
        .build();
    open1688_mcp::serve_stdio(server).await.map_err(|e| usage(e.to_string()))?;
    Ok(Vec::new())
}

/// Completes on Ctrl-C or, on Unix, SIGTERM (what service managers and orchestrators send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn keys(ctx: &Ctx, action: &KeyAction) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    let now = Utc::now().timestamp_millis();
    match action {
        KeyAction::Add { name, scope } => {
            let scope: Scope = scope.parse().map_err(usage)?;
            let made = store.add_api_key(name, scope, now).await.map_err(|e| usage(e.to_string()))?;
            ctx.note("the key is shown once; only its hash is kept");
            let mut s = Sheet::new("key", &["id", "name", "scope", "key"]);
            s.push(vec![
                Cell::Int(made.key.id),
                Cell::Text(made.key.name),
                Cell::Text(made.key.scope.as_str().into()),
                Cell::Text(made.text),
            ]);
            Ok(vec![s])
        }
        KeyAction::List => {
            let mut s = Sheet::new("keys", &["id", "name", "scope", "created", "revoked"]);
            let at = |ms: i64| chrono::DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339());
            for k in store.api_keys().await? {
                s.push(vec![
                    Cell::Int(k.id),
                    Cell::Text(k.name),
                    Cell::Text(k.scope.as_str().into()),
                    Cell::opt_text(at(k.created_ms)),
                    Cell::opt_text(k.revoked_ms.and_then(at)),
                ]);
            }
            Ok(vec![s])
        }
        KeyAction::Revoke { id } => {
            if !store.revoke_api_key(*id, now).await? {
                return Err(usage(format!("no active key with id {id}")));
            }
            ctx.note(&format!("key {id} revoked"));
            Ok(Vec::new())
        }
    }
}

//! `open1688`: sourcing on 1688 from the command line. Without an app key every command runs
//! against the built-in sandbox.

mod charts;
mod cli;
mod commands;
mod config;
mod context;
mod exit;
mod login;
mod report;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, ConfigAction};
use commands::{basic, decide, source, watch};
use context::Ctx;
use report::Sheet;

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = config::Config::load(&cli.global)?;
    // Commands that need no client.
    match &cli.command {
        Command::Config { action: ConfigAction::Init } => {
            let written = config::init(&config.path)?;
            println!("{} {}", if written { "wrote" } else { "already exists:" }, config.path.display());
            return Ok(());
        }
        Command::Config { action: ConfigAction::Show } => {
            let mut s = Sheet::new("config", &["setting", "value"]);
            for (k, v) in config.show() {
                s.push(vec![report::Cell::Text(k), report::Cell::Text(v)]);
            }
            return report::print(cli.global.format, &[&s]);
        }
        Command::Sandbox { port, seed, quotas_off } => return run_sandbox(*port, *seed, *quotas_off).await,
        Command::Watch { action } => {
            let sheets = watch::watch(action).await?;
            let refs: Vec<&Sheet> = sheets.iter().collect();
            return if refs.is_empty() { Ok(()) } else { report::print(cli.global.format, &refs) };
        }
        _ => {}
    }
    let ctx = Ctx::new(&cli.global, config).await?;
    let sheets = match &cli.command {
        Command::Search(args) => basic::search(&ctx, args).await?,
        Command::Offer { ids } => basic::offer(&ctx, ids).await?,
        Command::ImageSearch { source, limit } => basic::image_search(&ctx, source, *limit).await?,
        Command::Seller { id, scorecard } => basic::seller(&ctx, id, scorecard).await?,
        Command::Auth { action } => basic::auth(&ctx, action).await?,
        Command::Analyze { search, quantity } => decide::analyze(&ctx, search, *quantity).await?,
        Command::Quote { offer, need, sku, batches } => decide::quote(&ctx, *offer, need, *sku, *batches).await?,
        Command::Compare { target, need, candidates } => decide::compare_cmd(&ctx, target, need, *candidates).await?,
        Command::Plan { file, optimize } => decide::plan_cmd(&ctx, file, *optimize).await?,
        Command::Recommend { search, quantity, max_unit_price, max_moq, identity, min_score, ships_within } => {
            decide::recommend_cmd(
                &ctx,
                search,
                *quantity,
                *max_unit_price,
                *max_moq,
                identity,
                *min_score,
                *ships_within,
            )
            .await?
        }
        Command::Source { keyword, need, out, candidates } => {
            source::source(&ctx, keyword, need, out, *candidates).await?
        }
        Command::Monitor { once, stats, tick, webhook, email, worker, concurrency, pause_after, cooldown } => {
            let options = watch::MonitorOptions {
                once: *once,
                stats: *stats,
                tick: *tick,
                webhook: webhook.as_deref(),
                email,
                worker: worker.as_deref(),
                concurrency: *concurrency,
                failures: open1688_store::FailurePolicy {
                    pause_after: *pause_after,
                    cooldown_ms: cooldown.saturating_mul(60_000),
                    ..Default::default()
                },
            };
            watch::monitor(&ctx, options).await?
        }
        Command::History { offer, days } => watch::history(&ctx, *offer, *days).await?,
        Command::Config { .. } | Command::Sandbox { .. } | Command::Watch { .. } => unreachable!("handled above"),
    };
    let refs: Vec<&Sheet> = sheets.iter().collect();
    report::print(ctx.format, &refs)?;
    if let Some(path) = &ctx.xlsx {
        report::write_xlsx(path, &refs)?;
        ctx.note(&format!("workbook: {}", path.display()));
    }
    Ok(())
}

async fn run_sandbox(port: u16, seed: Option<u64>, quotas_off: bool) -> anyhow::Result<()> {
    let mut builder = open1688_sandbox::Sandbox::builder().bind(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    if let Some(seed) = seed {
        builder = builder.seed(seed);
    }
    if quotas_off {
        builder = builder.quotas_off();
    }
    let sandbox = builder.start().await?;
    let line = serde_json::json!({
        "base_url": sandbox.base_url(),
        "authorize_url": sandbox.authorize_url(),
        "app_key": sandbox.app_key(),
        "app_secret": sandbox.app_secret(),
        "access_token": sandbox.access_token(),
        "refresh_token": sandbox.refresh_token(),
    });
    println!("{line}");
    eprintln!("open1688 sandbox listening on {}; Ctrl-C stops it", sandbox.base_url());
    tokio::signal::ctrl_c().await?;
    sandbox.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbose = cli.global.verbose;
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Operational warnings of the store (Redis gone, a watch paused) show by default; the
        // SDK's retries only with -v.
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("OPEN1688_LOG")
                .unwrap_or_else(|_| if verbose { "info".into() } else { "error,open1688_store=warn".into() }),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("open1688: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            r = run(cli) => r,
            _ = tokio::signal::ctrl_c() => {
                eprintln!("open1688: interrupted; files already written are kept");
                std::process::exit(130);
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if verbose {
                eprintln!("open1688: {e:?}");
            } else {
                eprintln!("open1688: {e:#}");
            }
            ExitCode::from(exit::code(&e) as u8)
        }
    }
}

//! `open1688`: sourcing on 1688 from the command line. Without an app key every command runs
//! against the built-in sandbox.
//!
//! This crate parses, calls the application layer (`open1688-jobs`) and renders; it decides
//! nothing. `args` holds the clap definitions, `commands` one module per family of commands,
//! `context` the lazily opened store and gateway, `render` and `progress` the terminal output.

mod args;
mod commands;
mod context;
mod environment;
mod exit;
mod explain;
mod gateway;
mod login;
mod progress;
mod render;
mod settings;
mod terminal_language;
mod terminal_notes;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use commands::{admin, catalog, decide, lookup, monitor, order, sandbox_control, serve, source, watch};
use context::Ctx;
use environment::Environment;
use exit::CliError;
use settings::Settings;

async fn run(cli: Cli) -> Result<(), CliError> {
    if cli.global.app_secret.is_some() && !cli.global.quiet {
        eprintln!(
            "open1688: warning: --app-secret is visible to other users in the process list; \
             prefer --app-secret-file, OPEN1688_APP_SECRET or app_secret in the config file (0600)"
        );
    }
    let settings = Settings::load(&cli.global, Environment::read())?;
    if let Some(chart) = &cli.global.chart {
        open1688_jobs::charts::check_extension(chart)?;
    }
    let ctx = Ctx::new(&cli.global, settings);
    let sheets = match &cli.command {
        Command::Config { action } => admin::config(&ctx.settings, action)?,
        Command::Sandbox(args) => match &args.action {
            Some(action) => sandbox_control::act(&ctx.settings, action).await?,
            None => {
                admin::sandbox(args).await?;
                Vec::new()
            }
        },
        Command::Auth { action } => admin::auth(&ctx, action).await?,
        Command::Cache { action } => admin::cache(&ctx, action).await?,
        Command::Catalog { action } => catalog::catalog(&ctx, action).await?,
        Command::Search(args) => lookup::search(&ctx, args).await?,
        Command::Offer(args) => lookup::offer(&ctx, args).await?,
        Command::ImageSearch(args) => lookup::image_search(&ctx, args).await?,
        Command::SameItem(args) => lookup::same_item(&ctx, args).await?,
        Command::Seller(args) => lookup::seller(&ctx, args).await?,
        Command::Analyze(args) => decide::analyze(&ctx, args).await?,
        Command::Quote(args) => decide::quote(&ctx, args).await?,
        Command::Compare(args) => decide::compare(&ctx, args).await?,
        Command::Plan(args) => decide::plan(&ctx, args).await?,
        Command::Recommend(args) => decide::recommend(&ctx, args).await?,
        Command::Source(args) => source::source(&ctx, args).await?,
        Command::Order { action } => order::order(&ctx, action).await?,
        Command::Watch { action } => watch::watch(&ctx, action).await?,
        Command::Monitor(args) => {
            monitor::monitor(&ctx, args).await?;
            Vec::new()
        }
        Command::History(args) => watch::history(&ctx, args).await?,
        Command::Serve(args) => serve::serve(&ctx, args).await?,
        Command::Mcp(args) => serve::mcp(&ctx, args).await?,
    };
    if sheets.is_empty() {
        return Ok(());
    }
    render::print(ctx.format, &sheets)?;
    if let Some(path) = &ctx.xlsx {
        let sheets: Vec<&open1688_jobs::Sheet> = sheets.iter().collect();
        open1688_jobs::workbook::write_xlsx(path, &sheets, ctx.settings.data_source(), ctx.file_language)?;
        ctx.note(&terminal_notes::Note::Workbook(path).render(ctx.language));
    }
    Ok(())
}

/// The error and its causes, one per line after the first.
fn cause_chain(e: &CliError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.ends_with(&line) {
            text.push_str(&format!("\n  caused by: {line}"));
        }
        source = cause.source();
    }
    text
}

/// Logs to stderr, filtered by `OPEN1688_LOG` (else by `-v`), as JSON lines when
/// `OPEN1688_LOG_FORMAT=json` (for log collectors). Operational warnings of the store (Redis gone,
/// a watch paused) show by default, the SDK's retries only with -v, and the service's request
/// lines whenever it serves.
fn init_logging(verbose: bool, serving: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OPEN1688_LOG").unwrap_or_else(|_| {
        if verbose {
            "info".into()
        } else if serving {
            "error,open1688_store=warn,open1688_redis=warn,open1688_monitor=warn,open1688_server=info".into()
        } else {
            "error,open1688_store=warn,open1688_redis=warn,open1688_monitor=warn".into()
        }
    });
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter);
    if std::env::var("OPEN1688_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().with_current_span(true).init();
    } else {
        builder.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbose = cli.global.verbose;
    // The service handles its own stop signals (it drains requests and jobs first).
    let serving = matches!(&cli.command, Command::Serve(args) if args.keys.is_none());
    init_logging(verbose, serving);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("open1688: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        if serving {
            return run(cli).await;
        }
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
            // A failure the user can fix is said in their words, with what fixes it; the
            // platform's own answer is one -v away.
            let language = terminal_language::terminal_language();
            if let Some(words) = explain::with_flag(&e, language) {
                eprintln!("open1688: {words}");
                return ExitCode::from(e.exit_code());
            }
            let more = match language {
                open1688_jobs::Language::En => " (-v shows the platform's answer)",
                open1688_jobs::Language::Zh => "（-v 显示平台的原始回答）",
            };
            match (explain::explained(&e, language), verbose) {
                (Some(words), true) => eprintln!("open1688: {words}\n  caused by: {}", cause_chain(&e)),
                (Some(words), false) => eprintln!("open1688: {words}{more}"),
                (None, true) => eprintln!("open1688: {}", cause_chain(&e)),
                (None, false) => eprintln!("open1688: {}", explain::said(&e, language)),
            }
            ExitCode::from(e.exit_code())
        }
    }
}

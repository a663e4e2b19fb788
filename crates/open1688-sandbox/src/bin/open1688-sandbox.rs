//! The sandbox as a server: `open1688-sandbox --port 8688`. Prints one JSON line with the
//! endpoint and the demo app's credentials on stdout, then serves until Ctrl-C.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use open1688_sandbox::ServerOptions;

/// A local 1688 Open Platform gateway with a generated catalog.
#[derive(Debug, Parser)]
#[command(name = "open1688-sandbox", version)]
struct Args {
    /// The server's options (the same as `open1688 sandbox`).
    #[command(flatten)]
    server: ServerOptions,
    /// The same as `--sandbox-config` (this program's earlier spelling).
    #[arg(id = "legacy_config", long = "config", value_name = "FILE", hide = true)]
    config: Option<PathBuf>,
    /// The same as `--app-qps` (this program's earlier spelling).
    #[arg(id = "legacy_qps", long = "qps", hide = true)]
    qps: Option<f64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .init();
    let mut args = Args::parse();
    args.server.config = args.server.config.or(args.config);
    args.server.qps = args.server.qps.or(args.qps);
    let sandbox = args.server.builder()?.start().await.context("starting the sandbox")?;
    println!("{}", sandbox.connection_line());
    eprintln!(
        "open1688 sandbox listening on {} ({} offers); Ctrl-C stops it",
        sandbox.base_url(),
        sandbox.catalog().offers.len()
    );
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    sandbox.shutdown().await;
    Ok(())
}

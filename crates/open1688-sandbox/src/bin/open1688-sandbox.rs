//! The sandbox as a server: `open1688-sandbox --port 8688`. Prints one JSON line with the
//! endpoint and the demo app's credentials on stdout, then serves until Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use open1688_sandbox::{AppConfig, DEMO_APP_KEY, Sandbox, SandboxConfig};

/// A local 1688 Open Platform gateway with a generated catalog.
#[derive(Debug, Parser)]
#[command(name = "open1688-sandbox", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8688)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// TOML configuration (apps, quotas, protocol choices, catalog, faults).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Catalog seed (overrides the file).
    #[arg(long)]
    seed: Option<u64>,
    /// Number of offers (overrides the file).
    #[arg(long)]
    offers: Option<usize>,
    /// Number of suppliers (overrides the file).
    #[arg(long)]
    suppliers: Option<usize>,
    /// Demo app: requests per second.
    #[arg(long)]
    qps: Option<f64>,
    /// Demo app: burst.
    #[arg(long)]
    burst: Option<u32>,
    /// Demo app: requests per second per API.
    #[arg(long)]
    api_qps: Option<f64>,
    /// Demo app: calls per day.
    #[arg(long)]
    daily_quota: Option<u64>,
    /// Turn every QPS limit and quota off (load tests).
    #[arg(long)]
    quotas_off: bool,
    /// Simulated clock (moved with POST /_sandbox/clock).
    #[arg(long)]
    simulated_clock: bool,
    /// Approve the consent page without a click.
    #[arg(long)]
    auto_approve: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .init();
    let args = Args::parse();
    let mut config = match &args.config {
        Some(path) => SandboxConfig::from_toml_file(path)?,
        None => SandboxConfig::default(),
    };
    if let Some(seed) = args.seed {
        config.catalog.seed = seed;
    }
    if let Some(offers) = args.offers {
        config.catalog.offers = offers;
    }
    if let Some(suppliers) = args.suppliers {
        config.catalog.suppliers = suppliers;
    }
    config.quotas_off |= args.quotas_off;
    config.clock.simulated |= args.simulated_clock;
    config.protocol.oauth_auto_approve |= args.auto_approve;
    if args.qps.is_some() || args.burst.is_some() || args.api_qps.is_some() || args.daily_quota.is_some() {
        let mut demo = config.apps.iter().find(|a| a.app_key == DEMO_APP_KEY).cloned().unwrap_or_else(AppConfig::demo);
        demo.qps = args.qps.unwrap_or(demo.qps);
        demo.burst = args.burst.unwrap_or(demo.burst);
        demo.api_qps = args.api_qps.unwrap_or(demo.api_qps);
        demo.daily_quota = args.daily_quota.or(demo.daily_quota);
        config.apps.retain(|a| a.app_key != DEMO_APP_KEY);
        config.apps.push(demo);
    }
    let sandbox = Sandbox::builder()
        .config(config)
        .bind(SocketAddr::new(args.host, args.port))
        .start()
        .await
        .context("starting the sandbox")?;
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

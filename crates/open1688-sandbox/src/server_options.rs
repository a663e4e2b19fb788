//! The sandbox server's command-line options, shared by `open1688-sandbox` and `open1688 sandbox`
//! so the two take exactly the same ones.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::config::{ConfigError, SandboxConfig};
use crate::server::SandboxBuilder;

/// How the sandbox server is started.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerOptions {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8688)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// TOML configuration (apps, quotas, protocol choices, catalog, faults).
    #[arg(id = "sandbox_config", long = "sandbox-config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Catalog seed (overrides the file).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of offers (overrides the file).
    #[arg(long)]
    pub offers: Option<usize>,
    /// Number of suppliers (overrides the file).
    #[arg(long)]
    pub suppliers: Option<usize>,
    /// Demo app: requests per second.
    #[arg(id = "app_qps", long = "app-qps", value_name = "QPS")]
    pub qps: Option<f64>,
    /// Demo app: burst.
    #[arg(long)]
    pub burst: Option<u32>,
    /// Demo app: requests per second per API.
    #[arg(long)]
    pub api_qps: Option<f64>,
    /// Demo app: calls per day.
    #[arg(long)]
    pub daily_quota: Option<u64>,
    /// Turn every QPS limit and quota off (load tests).
    #[arg(long)]
    pub quotas_off: bool,
    /// Simulated clock (moved with POST /_sandbox/clock).
    #[arg(long)]
    pub simulated_clock: bool,
    /// Approve the consent page without a click.
    #[arg(long)]
    pub auto_approve: bool,
    /// Push the demo app's messages (signed product changes as the catalog drifts) to this URL,
    /// as the platform pushes to an app's registered callback (`http://127.0.0.1:8689/push/1688`).
    #[arg(long, value_name = "URL")]
    pub push_url: Option<String>,
    /// An offer the demo app follows: pushes name only followed offers (repeat; none: every offer).
    #[arg(long = "follow", value_name = "OFFER_ID", requires = "push_url")]
    pub follows: Vec<i64>,
}

impl ServerOptions {
    /// The builder these options describe (the file first, then each option over it).
    pub fn builder(&self) -> Result<SandboxBuilder, ConfigError> {
        let mut config = match &self.config {
            Some(path) => SandboxConfig::from_toml_file(path)?,
            None => SandboxConfig::default(),
        };
        if let Some(seed) = self.seed {
            config.catalog.seed = seed;
        }
        if let Some(offers) = self.offers {
            config.catalog.offers = offers;
        }
        if let Some(suppliers) = self.suppliers {
            config.catalog.suppliers = suppliers;
        }
        config.quotas_off |= self.quotas_off;
        config.clock.simulated |= self.simulated_clock;
        config.protocol.oauth_auto_approve |= self.auto_approve;
        let mut builder = SandboxBuilder::default().config(config).bind(SocketAddr::new(self.host, self.port));
        if self.qps.is_some() || self.burst.is_some() || self.api_qps.is_some() || self.daily_quota.is_some() {
            let demo = crate::AppConfig::demo();
            builder = builder.demo_limits(
                self.qps.unwrap_or(demo.qps),
                self.burst.unwrap_or(demo.burst),
                self.api_qps.unwrap_or(demo.api_qps),
                self.daily_quota.or(demo.daily_quota),
            );
        }
        if let Some(url) = &self.push_url {
            builder = builder.push_to(url.clone(), self.follows.clone());
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        options: ServerOptions,
    }

    #[test]
    fn every_option_reaches_the_configuration() {
        let cli = Cli::parse_from([
            "x",
            "--port",
            "0",
            "--seed",
            "7",
            "--offers",
            "2000",
            "--suppliers",
            "100",
            "--simulated-clock",
            "--auto-approve",
            "--quotas-off",
            "--app-qps",
            "3",
        ]);
        let builder = cli.options.builder().unwrap();
        let config = builder.configuration();
        assert_eq!((config.catalog.seed, config.catalog.offers, config.catalog.suppliers), (7, 2000, 100));
        assert!(config.clock.simulated && config.protocol.oauth_auto_approve && config.quotas_off);
        let demo = config.apps.iter().find(|a| a.app_key == crate::DEMO_APP_KEY).unwrap();
        assert_eq!(demo.qps, 3.0);
    }
}

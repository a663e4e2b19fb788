//! `config`, `cache`, `auth` and `sandbox`.

use open1688_jobs::{Cell, Sheet};

use crate::args::{AuthAction, CacheAction, ConfigAction, SandboxArgs};
use crate::context::Ctx;
use crate::exit::{CliError, usage};
use crate::settings::Settings;

/// `config init` / `config show`.
pub fn config(settings: &Settings, action: &ConfigAction) -> Result<Vec<Sheet>, CliError> {
    match action {
        ConfigAction::Init => {
            let written = crate::settings::init(&settings.path)?;
            println!("{} {}", if written { "wrote" } else { "already exists:" }, settings.path.display());
            Ok(Vec::new())
        }
        ConfigAction::Show => {
            let mut s = Sheet::new("config", &["setting", "value"]);
            for (k, v) in settings.show() {
                s.push(vec![Cell::Text(k), Cell::Text(v)]);
            }
            Ok(vec![s])
        }
    }
}

/// `cache stats` / `cache clear [--expired]`: the store's response cache, every app key in it.
pub async fn cache(ctx: &Ctx, action: &CacheAction) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    let now = chrono::Utc::now().timestamp_millis();
    match action {
        CacheAction::Clear { expired } => {
            let gone = store.clear_response_cache(*expired, now).await.map_err(anyhow::Error::from)?;
            let what = if *expired { "expired cached answers" } else { "cached answers" };
            ctx.note(&format!("{gone} {what} forgotten"));
            let mut s = Sheet::new("cache cleared", &["removed", "expired_only"]);
            s.push(vec![Cell::Int(gone as i64), Cell::Text(if *expired { "yes" } else { "no" }.into())]);
            Ok(vec![s])
        }
        CacheAction::Stats => {
            let stats = store.response_cache_stats(now).await.map_err(anyhow::Error::from)?;
            let mut summary = Sheet::new("cache", &["fresh", "expired", "bytes", "oldest_fresh_age_s"]);
            summary.push(vec![
                Cell::Int(stats.fresh as i64),
                Cell::Int(stats.expired as i64),
                Cell::Int(stats.bytes as i64),
                match stats.oldest_fresh_age_ms {
                    Some(ms) => Cell::Int(ms / 1000),
                    None => Cell::Empty,
                },
            ]);
            let mut by_api = Sheet::new("cache by api", &["api", "entries", "bytes"]);
            for api in stats.by_api {
                by_api.push(vec![Cell::Text(api.api), Cell::Int(api.entries as i64), Cell::Int(api.bytes as i64)]);
            }
            Ok(vec![summary, by_api])
        }
    }
}

/// `auth …`.
pub async fn auth(ctx: &Ctx, action: &AuthAction) -> Result<Vec<Sheet>, CliError> {
    let client = &ctx.gateway().await?.client;
    let mut s = Sheet::new("token", &["member", "access_expires_at", "refresh_expires_at"]);
    let token = match action {
        AuthAction::Login { no_browser, port } => Some(crate::login::login(client, *no_browser, *port).await?),
        AuthAction::Status => client.token().await?,
        AuthAction::Refresh => Some(client.refresh_token().await?),
        AuthAction::Logout => {
            client.logout().await?;
            ctx.note("the stored token is forgotten");
            None
        }
    };
    if let Some(t) = token {
        s.push(vec![
            Cell::opt_text(t.resource_owner.or(t.member_id)),
            Cell::opt_text(t.access_expires_at.map(|d| d.to_rfc3339())),
            Cell::opt_text(t.refresh_expires_at.map(|d| d.to_rfc3339())),
        ]);
    }
    Ok(vec![s])
}

/// `sandbox`: the sandbox as a server until Ctrl-C, its connection details as one JSON line.
pub async fn sandbox(args: &SandboxArgs) -> Result<(), CliError> {
    let builder = args.server.builder().map_err(|e| usage(e.to_string()))?;
    let sandbox = builder.start().await.map_err(anyhow::Error::from)?;
    println!("{}", sandbox.connection_line());
    eprintln!("open1688 sandbox listening on {}; Ctrl-C stops it", sandbox.base_url());
    tokio::signal::ctrl_c().await.map_err(anyhow::Error::from)?;
    sandbox.shutdown().await;
    Ok(())
}

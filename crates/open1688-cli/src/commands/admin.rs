//! `config`, `auth` and `sandbox`.

use open1688_jobs::{Cell, Sheet};

use crate::args::{AuthAction, ConfigAction, SandboxArgs};
use crate::context::Ctx;
use crate::exit::CliError;
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
    let mut builder =
        open1688_sandbox::Sandbox::builder().bind(std::net::SocketAddr::from(([127, 0, 0, 1], args.port)));
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    if args.quotas_off {
        builder = builder.quotas_off();
    }
    if let Some(url) = &args.push_url {
        builder = builder.push_to(url.clone(), args.follows.clone());
    }
    let sandbox = builder.start().await.map_err(anyhow::Error::from)?;
    println!("{}", sandbox.connection_line());
    eprintln!("open1688 sandbox listening on {}; Ctrl-C stops it", sandbox.base_url());
    tokio::signal::ctrl_c().await.map_err(anyhow::Error::from)?;
    sandbox.shutdown().await;
    Ok(())
}

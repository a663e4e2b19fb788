//! The two ways the server is reached: stdio (one client, the process that started us) and
//! streamable HTTP (many clients, inside `open1688 serve`, which checks their API keys first).

use std::sync::Arc;

use rmcp::ServiceExt as _;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio_util::sync::CancellationToken;

use crate::server::SourcingServer;

/// Why serving stopped early.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The client's `initialize` never completed (it sent something else, or closed the pipe);
    /// starting the server again with a proper client helps.
    #[error("the MCP client did not initialize the session: {0}")]
    Initialize(String),
    /// The session ended abnormally after it started.
    #[error("the MCP session failed: {0}")]
    Session(String),
}

/// Serves `server` on stdin and stdout until the client closes them. Nothing else may write to
/// stdout meanwhile (logs go to stderr).
pub async fn serve_stdio(server: SourcingServer) -> Result<(), ServeError> {
    let running =
        server.serve(rmcp::transport::io::stdio_pipes()).await.map_err(|e| ServeError::Initialize(e.to_string()))?;
    running.waiting().await.map_err(|e| ServeError::Session(e.to_string()))?;
    Ok(())
}

/// The largest JSON-RPC message accepted over HTTP: tool arguments are small (pictures travel as
/// URLs), so the service's own body limit applies. Idle sessions end after the SDK's 5 minutes.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// `server` as a streamable HTTP endpoint (a tower service to mount at `/mcp`), stopping its
/// sessions when `stop` is cancelled. Callers are authenticated by the service in front of it,
/// which attaches the API key to each request; the key is what the tools see as the caller.
pub fn http_service(
    server: SourcingServer,
    stop: CancellationToken,
) -> StreamableHttpService<SourcingServer, LocalSessionManager> {
    let mut config = StreamableHttpServerConfig::default();
    config.cancellation_token = stop;
    // Stateless: every request stands alone (no `Mcp-Session-Id`), so consecutive requests of one
    // client may land on different instances behind a balancer, and nothing is lost when one
    // dies. Nothing of ours lives in a session: the caller is the request's API key, and the last
    // job's files are the key's. A tool's progress still streams in its own answer.
    config.legacy_session_mode = false;
    // The SDK's Host allow-list defends unauthenticated local servers against DNS rebinding; this
    // endpoint answers nothing without an API key a browser page cannot know, and the service may
    // sit behind a proxy under any host name.
    let config = config.disable_allowed_hosts().with_max_request_body_bytes(MAX_MESSAGE_BYTES);
    StreamableHttpService::new(move || Ok(server.clone()), Arc::new(LocalSessionManager::default()), config)
}

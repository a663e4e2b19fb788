//! A client of an in-process sandbox's demo app.

use open1688::ClientBuilder;
use open1688_sandbox::Sandbox;

/// A builder with the sandbox's endpoint, app and tokens; callers add limits and cache.
pub fn client_builder(sandbox: &Sandbox) -> ClientBuilder {
    open1688::Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
}

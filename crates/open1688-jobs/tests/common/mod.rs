//! What the application layer's tests share: jobs over an in-process sandbox.

// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

use open1688::RateLimits;
use open1688_jobs::Jobs;
use open1688_sandbox::Sandbox;

/// The default catalog with quotas off, and jobs over a client of it (no rate limit).
pub async fn sandbox_jobs() -> (Sandbox, Jobs) {
    sandbox_jobs_from(Sandbox::builder().quotas_off()).await
}

/// A sandbox built as `builder` says, and jobs over a client of it (no rate limit).
pub async fn sandbox_jobs_from(builder: open1688_sandbox::SandboxBuilder) -> (Sandbox, Jobs) {
    let sandbox = builder.start().await.expect("the sandbox starts");
    let client = open1688::Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
        .rate_limits(RateLimits::unlimited())
        .build()
        .unwrap();
    (sandbox, Jobs::new(client))
}

//! What every request handler shares: the application layer's jobs (the client, its cache and
//! its limiter inside), the store, and the service's settings.

use std::sync::Arc;

use open1688_jobs::{CatalogEngine, Jobs, OrderPolicy};
use open1688_store::SqlStore;

use crate::alert_stream::StreamNotifier;
use crate::answer_cache::AnswerCache;
use crate::call_shares::CallShares;
use crate::job_board::JobBoard;
use crate::key_cache::KeyCache;
use crate::key_limits::KeyLimits;

/// The service's shared state.
#[derive(Clone)]
pub struct ServiceState {
    /// The application layer (every answer comes from it).
    pub jobs: Arc<Jobs>,
    /// The store: watches, history, alerts, job runs, API keys, the catalog.
    pub store: Arc<SqlStore>,
    /// Searches the store's catalog: PostgreSQL's own index, else the embedded one in the data
    /// folder (crawls by the CLI update it; a search finding it out of step rebuilds it).
    pub catalog: Arc<CatalogEngine>,
    /// The delivery address and spending cap orders are placed with.
    pub order_policy: OrderPolicy,
    /// Background jobs (the sourcing job) and their results.
    pub board: JobBoard,
    /// Alerts as the service's monitor raises them, for live listeners.
    pub alerts: StreamNotifier,
    /// The app secret pushes are signed with (`None`: pushes are refused with 503).
    pub push_secret: Option<Arc<[u8]>>,
    /// Request rate limits per API key.
    pub key_limits: KeyLimits,
    /// Each key's share of the app's gateway calls.
    pub call_shares: CallShares,
    /// Keys verified a moment ago (see [`KeyCache`]).
    pub verified_keys: KeyCache,
    /// Revoked keys, as every instance polls them: their streams and sessions end.
    pub revocations: crate::revocations::Revocations,
    /// Offer answers finished a moment ago (see [`AnswerCache`]).
    pub answers: AnswerCache,
    /// Cancelled when the service begins to stop: `/readyz` answers 503 so balancers send no more,
    /// and live streams tell their clients to reconnect (to another instance) and end.
    pub stopping: tokio_util::sync::CancellationToken,
    /// The process's metrics, rendered at `/metrics` (`None`: only the figures read from the
    /// store at scrape time).
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

impl std::fmt::Debug for ServiceState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceState").field("store", &self.store).finish_non_exhaustive()
    }
}

//! [`Jobs`]: what every job runs with — a gateway client, the language of translated fields and
//! the sourcing policy. Each job is a method in the module named after it.

use std::sync::Arc;

use open1688::Client;
use open1688_store::{Store, SupplierProfile};
use sourcing::Scorecard;

use crate::error::{JobError, Result};
use crate::kept_answers::{PlatformQuote, Recent};
use crate::policy::SourcingPolicy;

/// How long the platform's order previews are reused (freight confirmation).
const PREVIEWS_KEPT: std::time::Duration = std::time::Duration::from_secs(600);

/// The application layer's entry point: one per gateway client, shared by every surface.
///
/// Jobs are methods (`search`, `offers`, `quote`, `compare`, `plan`, `analyze`, `recommend`,
/// `seller`, `source`, …), each taking a typed request and a [`crate::Progress`] and returning a
/// typed, serializable report.
#[derive(Debug, Clone)]
pub struct Jobs {
    client: Client,
    language: String,
    policy: SourcingPolicy,
    store: Option<KeptIn>,
    profiles: Recent<SupplierProfile>,
    previews: Recent<PlatformQuote>,
}

/// The store decisions read price history from (for trends) and keep suppliers' profiles in.
#[derive(Clone)]
struct KeptIn(Arc<dyn Store>);

impl std::fmt::Debug for KeptIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeptIn")
    }
}

impl Jobs {
    /// Jobs over `client`, with English translations and the default policy.
    pub fn new(client: Client) -> Self {
        Self {
            client,
            language: "en".into(),
            policy: SourcingPolicy::default(),
            store: None,
            profiles: Recent::new(None),
            previews: Recent::new(Some(PREVIEWS_KEPT)),
        }
    }

    /// Reads price history from `store` (so that `quote` and `source` show trends for offers it
    /// has watched) and keeps suppliers' profiles there (so every instance and later command
    /// scores a supplier alike). A store that fails to answer only leaves the trend out, or
    /// costs a profile read.
    pub fn store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(KeptIn(store));
        self
    }

    /// The store given to [`Jobs::store`], if any.
    pub(crate) fn kept_in(&self) -> Option<&Arc<dyn Store>> {
        self.store.as_ref().map(|KeptIn(store)| store)
    }

    /// Order previews answered in the last ten minutes (freight confirmation).
    pub(crate) fn preview_memo(&self) -> &Recent<PlatformQuote> {
        &self.previews
    }

    /// Profiles read by this process (used when there is no store).
    pub(crate) fn profile_memo(&self) -> &Recent<SupplierProfile> {
        &self.profiles
    }

    /// The trend of `offer_id` at `quantity` units from the stored history, when there is one.
    pub(crate) async fn trend_of(&self, offer_id: i64, quantity: i64) -> Option<sourcing::Trend> {
        let store = self.kept_in()?;
        let points = store.price_history(offer_id, 0).await.ok()?;
        let observations: Vec<sourcing::Observation> = points
            .iter()
            .filter_map(|p| Some(sourcing::Observation { at: p.at, unit_price: p.price_at(quantity)?, stock: p.stock }))
            .collect();
        sourcing::trend(&observations)
    }

    /// Translated fields (English titles, attribute names) in `language`, e.g. `en` or `ja`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = language.into();
        self
    }

    /// Decides with `policy` instead of the defaults.
    pub fn policy(mut self, policy: SourcingPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The gateway client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The language of translated fields.
    pub fn language_ref(&self) -> &str {
        &self.language
    }

    /// The policy jobs decide with.
    pub fn sourcing_policy(&self) -> &SourcingPolicy {
        &self.policy
    }
}

/// The scorecard a remote caller (the service's API and pages, MCP over HTTP) asked for by name:
/// a preset, or the one this installation is configured with (`active`, or its configured name).
/// A remote caller never names a file: anything else is refused without reading anything.
pub fn remote_scorecard(name: &str, configured: &str) -> Result<Scorecard> {
    if let Some(card) = Scorecard::preset(name) {
        return Ok(card);
    }
    if name == "active" || name == configured {
        return load_scorecard(configured);
    }
    Err(JobError::invalid(
        "scorecard",
        "name a scorecard this service offers: default, legacy_credit, legacy_factory, or active (the service's own)",
    ))
}

/// A scorecard preset (`default`, `legacy_credit`, `legacy_factory`) or a TOML file (for a local
/// caller or the installation's configuration; remote callers go through [`remote_scorecard`]).
/// An error names the file and where it went wrong, never what it holds.
pub fn load_scorecard(name: &str) -> Result<Scorecard> {
    if let Some(card) = Scorecard::preset(name) {
        return Ok(card);
    }
    let text = std::fs::read_to_string(name).map_err(|e| {
        JobError::invalid(
            "scorecard",
            format!(
                "scorecard {name:?} is neither a preset (default, legacy_credit, legacy_factory) nor a readable file: {e}"
            ),
        )
    })?;
    Scorecard::from_toml(&text).map_err(|e| JobError::invalid("scorecard", e.to_string()))
}

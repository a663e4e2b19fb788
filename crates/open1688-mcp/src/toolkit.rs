//! [`Toolkit`]: what tools and resources work with — the application layer, the store, the
//! catalog's search engine and the outputs folder — below the server that routes requests to them.

use std::sync::Arc;

use open1688_jobs::{CatalogEngine, Jobs, OrderPolicy};
use open1688_store::SqlStore;

use crate::outputs::Outputs;

/// The application layer's jobs, the store and the tools' files.
#[derive(Debug, Clone)]
pub struct Toolkit {
    jobs: Arc<Jobs>,
    store: Arc<SqlStore>,
    outputs: Outputs,
    catalog: Option<Arc<CatalogEngine>>,
    orders: OrderPolicy,
    allow_placing: bool,
}

impl Toolkit {
    /// A toolkit over `jobs` and `store`, keeping files in `outputs`.
    pub fn new(jobs: Arc<Jobs>, store: Arc<SqlStore>, outputs: Outputs) -> Self {
        Self { jobs, store, outputs, catalog: None, orders: OrderPolicy::default(), allow_placing: false }
    }

    /// The same toolkit, searching the store's catalog with `engine`.
    pub fn with_catalog(mut self, engine: Arc<CatalogEngine>) -> Self {
        self.catalog = Some(engine);
        self
    }

    /// The same toolkit, ordering with `policy`; `allow_placing` lets `place_order` place (after a
    /// person's confirmation); without it the tool refuses.
    pub fn with_orders(mut self, policy: OrderPolicy, allow_placing: bool) -> Self {
        self.orders = policy;
        self.allow_placing = allow_placing;
        self
    }

    /// The delivery address and spending cap orders are placed with.
    pub fn order_policy(&self) -> &OrderPolicy {
        &self.orders
    }

    /// Whether `place_order` may place orders.
    pub fn allows_placing(&self) -> bool {
        self.allow_placing
    }

    /// The catalog's search engine, when the server was given one.
    pub fn catalog(&self) -> Option<&CatalogEngine> {
        self.catalog.as_deref()
    }

    /// The application layer.
    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    /// The store.
    pub fn store(&self) -> &SqlStore {
        &self.store
    }

    /// The tools' files.
    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }
}

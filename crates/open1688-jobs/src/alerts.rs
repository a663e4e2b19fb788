//! The alert log, as a job on the store: every watch's alerts, newest first, filtered, for the
//! surfaces that show them (the service's `/v1/alerts`, the MCP server's `list_alerts`).

use open1688_store::{AlertQuery, LoggedAlert, SqlStore};
use serde::Serialize;

use crate::error::Result;
use crate::sheet::{Cell, Sheet};

/// Alerts, newest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertList {
    /// The alerts that matched, newest first.
    pub alerts: Vec<LoggedAlert>,
}

/// The alerts `query` selects.
pub async fn list_alerts(store: &SqlStore, query: &AlertQuery) -> Result<AlertList> {
    Ok(AlertList { alerts: store.alert_log(query).await? })
}

impl AlertList {
    /// One table: when, which watch (or order), what, acknowledged by whom.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut sheet = Sheet::new(
            "alerts",
            &["id", "watch_id", "order_id", "offer_id", "at", "rule", "message", "acknowledged_by"],
        );
        for a in &self.alerts {
            sheet.push(vec![
                Cell::Int(a.id),
                Cell::Int(a.watch_id),
                Cell::opt_int(a.alert.order_id),
                Cell::Int(a.alert.offer_id),
                Cell::Text(a.alert.at.to_rfc3339()),
                Cell::Text(a.alert.rule.clone()),
                Cell::Text(a.alert.message.clone()),
                Cell::opt_text(a.acknowledged_by.clone()),
            ]);
        }
        vec![sheet]
    }
}

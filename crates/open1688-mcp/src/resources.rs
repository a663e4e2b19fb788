//! Resources agents can read: the active scorecard, the caller's last sourcing job (report,
//! workbook, charts) and any watched offer's history chart (a template:
//! `open1688://offers/{offer_id}/history.png`, with `?days=` to look further back).

use base64::Engine as _;
use chrono::Utc;
use open1688_jobs::history::{ChartFormat, history_chart};
use open1688_jobs::{JobError, Result, load_scorecard, watches};
use rmcp::model::{Resource, ResourceContents, ResourceTemplate};

use crate::caller::Caller;
use crate::toolkit::Toolkit;

/// The active scorecard's URI.
pub const SCORECARD: &str = "open1688://scorecard";
/// The history chart template.
pub const HISTORY_TEMPLATE: &str = "open1688://offers/{offer_id}/history.png";
/// Watched offers listed with their chart, at most.
const LISTED_CHARTS: usize = 100;

/// The resources `caller` can read now.
pub async fn list(server: &Toolkit, caller: &Caller) -> Result<Vec<Resource>> {
    let mut out = vec![
        Resource::new(SCORECARD, "scorecard")
            .with_title("The active supplier scorecard")
            .with_description("The criteria, weights and bands suppliers are judged by (JSON).")
            .with_mime_type("application/json"),
    ];
    for file in server.outputs().last_source(caller).await? {
        out.push(
            Resource::new(file.uri, format!("last sourcing job: {}", file.name))
                .with_description("A file of the last `source` call's outputs.")
                .with_mime_type(file.media_type)
                .with_size(file.size),
        );
    }
    let watched = watches::list_watches(server.store(), Utc::now()).await?;
    for offer in watched.watches.iter().filter_map(|w| w.offer_id).take(LISTED_CHARTS) {
        out.push(
            Resource::new(format!("open1688://offers/{offer}/history.png"), format!("offer {offer} history"))
                .with_description("Price per tier and stock over the last 30 days (PNG).")
                .with_mime_type("image/png"),
        );
    }
    Ok(out)
}

/// The resource templates.
pub fn templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new(HISTORY_TEMPLATE, "offer history chart")
            .with_title("An offer's price history")
            .with_description(
                "A watched offer's price per tier and stock over time as a PNG chart; add `?days=90` to look \
                 further back than the default 30 days.",
            )
            .with_mime_type("image/png"),
    ]
}

/// Reads the resource at `uri` for `caller`; `Ok(None)` when there is no such resource.
pub async fn read(server: &Toolkit, caller: &Caller, uri: &str) -> Result<Option<ResourceContents>> {
    if uri == SCORECARD {
        let card = load_scorecard(&server.jobs().sourcing_policy().scorecard)?;
        let text = serde_json::to_string_pretty(&card)
            .map_err(|e| JobError::Output { path: SCORECARD.into(), message: e.to_string() })?;
        return Ok(Some(ResourceContents::text(text, uri).with_mime_type("application/json")));
    }
    if let Some(file) = server.outputs().find(caller, uri).await? {
        let bytes = server.outputs().read(&file).await?;
        let contents = if matches!(file.media_type, "application/json" | "text/csv") {
            ResourceContents::text(String::from_utf8_lossy(&bytes), uri)
        } else {
            ResourceContents::blob(base64::engine::general_purpose::STANDARD.encode(bytes), uri)
        };
        return Ok(Some(contents.with_mime_type(file.media_type)));
    }
    if let Some((offer_id, days)) = history_uri(uri)? {
        // Drawn for the buying team, in Chinese, as the sourcing job's files are by default.
        let png =
            history_chart(server.store(), offer_id, days, Utc::now(), ChartFormat::Png, open1688_jobs::Language::Zh)
                .await?;
        let blob = base64::engine::general_purpose::STANDARD.encode(png);
        return Ok(Some(ResourceContents::blob(blob, uri).with_mime_type("image/png")));
    }
    Ok(None)
}

/// The offer and days of a history chart URI (`open1688://offers/123/history.png?days=90`);
/// `Ok(None)` for another URI, an error for a malformed one of this shape.
fn history_uri(uri: &str) -> Result<Option<(i64, i64)>> {
    let Some(rest) = uri.strip_prefix("open1688://offers/") else { return Ok(None) };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let Some(id) = path.strip_suffix("/history.png") else { return Ok(None) };
    let offer_id = id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| JobError::invalid("uri", format!("{id:?} in {uri} is not an offer id")))?;
    let mut days = 30;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("days", value)) => {
                days = value.parse::<i64>().ok().filter(|d| (1..=3_650).contains(d)).ok_or_else(|| {
                    JobError::invalid("days", format!("days must be 1 to 3650, got {value:?} in {uri}"))
                })?;
            }
            _ => return Err(JobError::invalid("uri", format!("{uri}: the only query parameter is days"))),
        }
    }
    Ok(Some((offer_id, days)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_uris_are_read_strictly() {
        assert_eq!(history_uri("open1688://offers/12/history.png").unwrap(), Some((12, 30)));
        assert_eq!(history_uri("open1688://offers/12/history.png?days=90").unwrap(), Some((12, 90)));
        assert_eq!(history_uri("open1688://scorecard").unwrap(), None);
        assert_eq!(history_uri("open1688://offers/12/other").unwrap(), None);
        assert!(history_uri("open1688://offers/x/history.png").is_err());
        assert!(history_uri("open1688://offers/-4/history.png").is_err());
        assert!(history_uri("open1688://offers/4/history.png?days=0").is_err());
        assert!(history_uri("open1688://offers/4/history.png?size=9").is_err());
    }
}

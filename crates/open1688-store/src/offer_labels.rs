//! What a person recognizes an offer by on a list (its title and main picture), read for a page
//! of offers at once from the offers the store recorded.

use std::collections::HashMap;

use serde::Deserialize;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::on_pool;
use crate::pool::SqlStore;

/// The most offers one call labels (a page of a list; more are read in further statements).
const LABELS_PER_STATEMENT: usize = 100;

/// An offer's title and main picture, as last recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferLabel {
    /// The Chinese title.
    pub title: String,
    /// The main picture's URL, when the offer has one.
    pub picture: Option<String>,
}

/// The part of a stored offer a label needs (the rest of its JSON is skipped, not built).
#[derive(Deserialize)]
struct Pictures {
    #[serde(default)]
    images: Vec<String>,
}

impl SqlStore {
    /// The labels of those of `offer_ids` the store has recorded (an unknown id is left out).
    pub async fn offer_labels(&self, offer_ids: &[i64]) -> Result<HashMap<i64, OfferLabel>> {
        let mut ids: Vec<i64> = offer_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut labels = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(LABELS_PER_STATEMENT) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("SELECT offer_id, title, data FROM offers WHERE offer_id IN ({})", marks.join(", "));
            let rows: Vec<(i64, String, String)> = on_pool!(self, pool => {
                let sql = pool.sql(&sql)?;
                let mut query = sqlx::query_as(&sql);
                for id in chunk {
                    query = query.bind(*id);
                }
                query.fetch_all(pool).await?
            });
            for (id, title, data) in rows {
                // A row whose JSON cannot be read still has its title.
                let picture = serde_json::from_str::<Pictures>(&data).ok().and_then(|p| p.images.into_iter().next());
                labels.insert(id, OfferLabel { title, picture });
            }
        }
        Ok(labels)
    }
}

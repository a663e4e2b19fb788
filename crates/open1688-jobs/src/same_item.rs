//! `same-item`: other sellers' listings of an offer's item, found the way buyers find them on
//! 1688 — by its main picture. The picture is searched by image; every result's picture is
//! hashed and compared with the reference's, and [`sourcing::same_item`] decides with the titles
//! and categories what is the same item.

use crate::field_refusal::FieldRefusal;
use futures::{StreamExt, TryStreamExt};
use image_hasher::ImageHash;
use open1688::{ImageSearch, ImageSource};
use serde::{Deserialize, Serialize};
use sourcing::{Offer, OfferSummary, SameItemEvidence, SameItemRule, SameItemVerdict};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::picture_hash::{PICTURE_BITS, picture_hash};
use crate::progress::Progress;
use crate::search::SearchReport;
use crate::sheet::{Cell, Sheet};

/// Pictures fetched at once.
const PICTURES_AT_ONCE: usize = 8;

/// Which offer's item to look for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SameItemRequest {
    /// The reference offer.
    pub offer_id: i64,
    /// Image-search results to examine (1–50, default 20).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// One listing the picture search found, with the evidence and the verdict.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SameItemListing {
    /// The listing as the search returned it.
    pub offer: OfferSummary,
    /// Picture distance, title similarity, category.
    pub evidence: SameItemEvidence,
    /// Same item or not, and why.
    pub verdict: SameItemVerdict,
}

/// The listings of the reference's item, and the near misses.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SameItemReport {
    /// The reference offer.
    pub reference: i64,
    /// Its main picture, as searched (`None`: it has none, and titles decided).
    pub picture: Option<String>,
    /// The rule applied.
    pub rule: SameItemRule,
    /// Every listing examined, the same item first, then by picture distance.
    pub listings: Vec<SameItemListing>,
    /// The search's raw items (they complete offer details in later steps).
    #[serde(skip)]
    pub items: Vec<open1688_types::api::search::SearchItem>,
}

impl SameItemReport {
    /// One row per listing examined: the verdict and its evidence.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut sheet = Sheet::new(
            "same item",
            &["offer_id", "same", "picture_distance", "title_similarity", "why", "title", "price", "supplier"],
        );
        for l in &self.listings {
            sheet.push(vec![
                Cell::Int(l.offer.id),
                Cell::Text(if l.verdict.same { "yes" } else { "no" }.into()),
                l.evidence.picture_distance.map_or(Cell::Empty, |d| Cell::Int(i64::from(d))),
                Cell::Text(format!("{:.2}", l.evidence.title_similarity)),
                Cell::Text(l.verdict.why.clone()),
                Cell::Text(l.offer.title.clone()),
                l.offer.price.map_or(Cell::Empty, Cell::Money),
                Cell::Text(l.offer.supplier.company.clone().unwrap_or_default()),
            ]);
        }
        vec![sheet]
    }

    /// The offers judged the same item.
    pub fn same_ids(&self) -> Vec<i64> {
        self.listings.iter().filter(|l| l.verdict.same).map(|l| l.offer.id).collect()
    }
}

impl Jobs {
    /// `same-item`: the listings of `request.offer_id`'s item (one detail, one image search, and
    /// the pictures of the results, which are not gateway calls).
    pub async fn same_item(&self, request: &SameItemRequest, progress: &Progress) -> Result<SameItemReport> {
        let limit = request.limit.unwrap_or(20);
        if !(1..=50).contains(&limit) {
            return Err(JobError::refused("limit", FieldRefusal::between(1, 50, limit)));
        }
        let reference = self.named_candidate(request.offer_id, progress).await?;
        self.same_item_as(&reference.offer, limit, progress).await
    }

    /// The listings of `reference`'s item among the first `limit` results of a search by its
    /// picture (by its title when it has no picture).
    pub(crate) async fn same_item_as(
        &self,
        reference: &Offer,
        limit: usize,
        progress: &Progress,
    ) -> Result<SameItemReport> {
        let rule = SameItemRule { title_only: self.sourcing_policy().same_item_threshold, ..SameItemRule::default() };
        let picture = reference.images.first().cloned();
        let items = match &picture {
            Some(url) => {
                let options = ImageSearch {
                    language: self.language_ref().to_owned(),
                    page_size: u32::try_from(limit).unwrap_or(50),
                    max_pages: 1,
                    ..ImageSearch::default()
                };
                let search = async {
                    let stream = self.client().image_search(&ImageSource::Url(url.clone()), &options).await?;
                    stream.take(limit).try_collect::<Vec<_>>().await
                };
                progress.or_cancel(search).await?.map_err(|e| JobError::gateway("image search", e))?
            }
            None => {
                let search = crate::search::SearchRequest::keyword(reference.title.as_str(), limit);
                self.search_items(&search, progress).await?
            }
        };
        let found = SearchReport::of(items);
        let reference_hash = match &picture {
            Some(url) => self.hash_picture(url).await.ok(),
            None => None,
        };
        let comparable = reference_hash.is_some();
        let pictures: Vec<Option<String>> = found.offers.iter().map(|o| o.image.clone()).collect();
        let hashes: Vec<Option<ImageHash>> = futures::stream::iter(pictures)
            .map(|url| async move {
                match url {
                    Some(url) if comparable => self.hash_picture(&url).await.ok(),
                    _ => None,
                }
            })
            .buffered(PICTURES_AT_ONCE)
            .collect()
            .await;
        progress.check()?;
        let leaf = reference.category.ids.last().copied();
        let mut listings: Vec<SameItemListing> = found
            .offers
            .into_iter()
            .zip(hashes)
            .filter(|(offer, _)| offer.id != reference.id)
            .map(|(offer, hash)| {
                let evidence = SameItemEvidence {
                    picture_distance: reference_hash.as_ref().zip(hash.as_ref()).map(|(a, b)| a.dist(b)),
                    picture_bits: PICTURE_BITS,
                    title_similarity: titles_alike(reference, &offer),
                    same_category: leaf.zip(offer.category_ids.last().copied()).map(|(a, b)| a == b),
                };
                let verdict = sourcing::judge_same_item(&evidence, &rule);
                SameItemListing { offer, evidence, verdict }
            })
            .collect();
        listings.sort_by_key(|l| (!l.verdict.same, l.evidence.picture_distance.unwrap_or(u32::MAX)));
        Ok(SameItemReport { reference: reference.id, picture, rule, listings, items: found.items })
    }

    /// The hash of a picture at `url` (fetched under the client's rule on private addresses).
    async fn hash_picture(&self, url: &str) -> std::result::Result<ImageHash, String> {
        let bytes = self.client().picture_bytes(&ImageSource::Url(url.to_owned())).await.map_err(|e| e.to_string())?;
        let _turn = open1688::picture_decode::decode_turn().await;
        tokio::task::spawn_blocking(move || picture_hash(&bytes)).await.map_err(|e| e.to_string())?
    }
}

/// Title similarity, the better of the Chinese titles and the translated ones.
fn titles_alike(reference: &Offer, other: &OfferSummary) -> f64 {
    let zh = sourcing::compare::title_similarity(&reference.title, &other.title);
    let en = match (&reference.title_en, &other.title_en) {
        (Some(a), Some(b)) => sourcing::compare::title_similarity(&a.to_lowercase(), &b.to_lowercase()),
        _ => 0.0,
    };
    zh.max(en)
}

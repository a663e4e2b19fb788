//! Whether two listings are the same item, as a buyer tells on 1688: by the picture first (sellers
//! of one factory's product list the factory's photos, each with its own small badge or crop),
//! with the title as the tie-breaker where pictures are only close, and the category as a veto.
//!
//! The evidence is computed elsewhere (the picture's perceptual hash needs the image bytes);
//! this module only decides, with a stated rule, and says why.

use serde::{Deserialize, Serialize};

/// What is known about a candidate listing against the reference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SameItemEvidence {
    /// Bits in which the two main pictures' perceptual hashes differ (`None`: a picture could
    /// not be read).
    pub picture_distance: Option<u32>,
    /// Bits in a hash, for reading the distance (64 for an 8 × 8 gradient hash).
    pub picture_bits: u32,
    /// Title similarity, 0–1 (Jaccard over character bigrams, Chinese or translated titles).
    pub title_similarity: f64,
    /// Whether both sit in the same leaf category (`None`: one of them does not say).
    pub same_category: Option<bool>,
}

/// The rule that turns evidence into a verdict. The defaults were measured against the
/// sandbox's same-factory groups (BENCHMARKS.md, "The same item by picture").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SameItemRule {
    /// At most this many differing bits: the same picture, whatever the titles say.
    pub same_picture: u32,
    /// At most this many: a close picture, the same item when the titles agree too.
    pub close_picture: u32,
    /// Title similarity that confirms a close picture.
    pub close_title: f64,
    /// Title similarity that decides alone when there is no picture to compare.
    pub title_only: f64,
}

impl Default for SameItemRule {
    fn default() -> Self {
        Self { same_picture: 6, close_picture: 12, close_title: 0.3, title_only: 0.35 }
    }
}

/// A verdict with its reason, for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SameItemVerdict {
    /// Whether the listing is the same item.
    pub same: bool,
    /// Why, in one phrase.
    pub why: String,
}

/// Decides whether a listing is the same item as the reference.
pub fn judge(evidence: &SameItemEvidence, rule: &SameItemRule) -> SameItemVerdict {
    let verdict = |same, why: String| SameItemVerdict { same, why };
    let title = format!("titles {:.0}% alike", evidence.title_similarity * 100.0);
    if evidence.same_category == Some(false) {
        return verdict(false, "a different category".into());
    }
    match evidence.picture_distance {
        Some(d) if d <= rule.same_picture => {
            verdict(true, format!("the same picture ({d} of {} hash bits differ)", evidence.picture_bits))
        }
        Some(d) if d <= rule.close_picture && evidence.title_similarity >= rule.close_title => {
            verdict(true, format!("a close picture ({d} of {} bits differ) and {title}", evidence.picture_bits))
        }
        Some(d) if d <= rule.close_picture => verdict(false, format!("a close picture ({d} bits) but {title}")),
        Some(d) => verdict(false, format!("a different picture ({d} of {} bits differ)", evidence.picture_bits)),
        None if evidence.title_similarity >= rule.title_only => {
            verdict(true, format!("no picture to compare; {title}"))
        }
        None => verdict(false, format!("no picture to compare; only {title}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(picture: Option<u32>, title: f64, category: Option<bool>) -> SameItemEvidence {
        SameItemEvidence {
            picture_distance: picture,
            picture_bits: 64,
            title_similarity: title,
            same_category: category,
        }
    }

    #[test]
    fn the_picture_decides_the_title_breaks_ties_the_category_vetoes() {
        let rule = SameItemRule::default();
        let same = |e| judge(&e, &rule).same;
        assert!(same(evidence(Some(3), 0.0, Some(true))), "same picture, unrelated title");
        assert!(same(evidence(Some(10), 0.5, None)), "close picture, alike titles");
        assert!(!same(evidence(Some(10), 0.1, Some(true))), "close picture, different titles");
        assert!(!same(evidence(Some(30), 1.0, Some(true))), "a different picture is a different item");
        assert!(!same(evidence(Some(0), 1.0, Some(false))), "another category");
        assert!(same(evidence(None, 0.4, None)) && !same(evidence(None, 0.2, None)), "titles alone without pictures");
        assert_eq!(judge(&evidence(Some(3), 0.0, None), &rule).why, "the same picture (3 of 64 hash bits differ)");
    }
}

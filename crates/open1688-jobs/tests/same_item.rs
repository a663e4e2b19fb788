//! The same item by picture, measured against the sandbox's ground truth: listings of one factory
//! item (a same-factory group) are the same item, every other listing is not.

use std::collections::HashSet;

use open1688_jobs::{ErrorKind, Progress, SameItemRequest};

mod common;
use common::sandbox_jobs;

#[tokio::test]
async fn precision_and_recall_against_the_same_factory_groups() {
    let (sandbox, jobs) = sandbox_jobs().await;
    let catalog = sandbox.catalog();
    // References: the first listing of 60 groups with several listings, and 20 listings alone,
    // spread over the catalog.
    let mut seen = HashSet::new();
    let (mut grouped, mut alone) = (Vec::new(), Vec::new());
    for offer in catalog.offers.iter().step_by(37) {
        if !seen.insert(offer.group) {
            continue;
        }
        let size = catalog.group_members(offer.group).len();
        if size > 1 && grouped.len() < 60 {
            grouped.push(offer.id);
        } else if size == 1 && alone.len() < 20 {
            alone.push(offer.id);
        }
    }
    assert_eq!((grouped.len(), alone.len()), (60, 20));
    let (mut tp, mut fp, mut fn_) = (0_u32, 0_u32, 0_u32);
    // Picture distances of true siblings and of other listings, for the README's figures.
    let (mut siblings, mut strangers) = (Vec::new(), Vec::new());
    for &id in grouped.iter().chain(&alone) {
        let group = catalog.offer(id).unwrap().group;
        let truth: HashSet<i64> =
            catalog.group_members(group).into_iter().map(|i| catalog.offers[i].id).filter(|&o| o != id).collect();
        let report =
            jobs.same_item(&SameItemRequest { offer_id: id, limit: Some(20) }, &Progress::silent()).await.unwrap();
        let said: HashSet<i64> = report.same_ids().into_iter().collect();
        for listing in &report.listings {
            let in_truth = truth.contains(&listing.offer.id);
            if let Some(d) = listing.evidence.picture_distance {
                if in_truth { siblings.push(d) } else { strangers.push(d) }
            }
            if listing.verdict.same != in_truth {
                eprintln!("offer {id} vs {}: {:?} ({})", listing.offer.id, listing.evidence, listing.verdict.why);
            }
        }
        tp += said.intersection(&truth).count() as u32;
        fp += said.difference(&truth).count() as u32;
        fn_ += truth.difference(&said).count() as u32;
    }
    siblings.sort_unstable();
    strangers.sort_unstable();
    eprintln!(
        "picture distance: siblings {:?}… max {:?}; others min {:?}, {} of {} at 16 or less",
        &siblings[siblings.len().saturating_sub(5)..],
        siblings.last(),
        strangers.first(),
        strangers.iter().filter(|&&d| d <= 16).count(),
        strangers.len()
    );
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    eprintln!(
        "same item by picture: {tp} found, {fp} wrong, {fn_} missed: precision {precision:.3}, recall {recall:.3}"
    );
    assert!(tp >= 60, "the groups have at least one sibling each");
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.90, "recall {recall:.3}");
}

#[tokio::test]
async fn a_bad_limit_or_an_unknown_offer_is_refused() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let err = jobs.same_item(&SameItemRequest { offer_id: 1, limit: Some(0) }, &Progress::silent()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    let err = jobs.same_item(&SameItemRequest { offer_id: 1, limit: None }, &Progress::silent()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

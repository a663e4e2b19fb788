//! Keyword watches: a search's top results checked on an interval. Each check remembers the
//! results (offer id → first-tier price, MOQ, title) as a checkpoint and compares them with the
//! previous check's: new offers in the results, and each offer's price crossing a target,
//! moving by a percentage or changing at all. Search results carry no stock, so stock rules and
//! price history rules belong to offer watches.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::OfferSummary;

use open1688_store::{Alert, AlertEvent, AlertRule, Happening};

/// One offer in a keyword's results, as the watch remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Listing {
    /// Wholesale (first-tier) price.
    pub price: Option<Decimal>,
    /// Minimum order quantity.
    pub moq: Option<i64>,
    /// Title.
    pub title: String,
}

/// A keyword's results: offer id → listing.
pub type Listings = BTreeMap<i64, Listing>;

/// The listings of search results.
pub fn listings(results: &[OfferSummary]) -> Listings {
    results.iter().map(|o| (o.id, Listing { price: o.price, moq: o.moq, title: o.title.clone() })).collect()
}

/// The price of a listing for an order of `quantity`: the first tier, unless the order is below
/// the MOQ (then the offer cannot serve it).
fn price_for(listing: &Listing, quantity: i64) -> Option<Decimal> {
    if listing.moq.is_some_and(|moq| quantity < moq) { None } else { listing.price }
}

/// Alerts for the results `now` given the previous check's (`None` on the first check, which
/// raises only target crossings: an offer already under the target is news to the user).
pub fn evaluate_listings(
    rules: &[AlertRule],
    keyword: &str,
    before: Option<&Listings>,
    now: &Listings,
    at: DateTime<Utc>,
) -> Vec<Alert> {
    let mut out = Vec::new();
    for (&offer_id, listing) in now {
        let prev = before.and_then(|b| b.get(&offer_id));
        let title = Some(listing.title.as_str());
        let mut raise = |rule: &AlertRule, what: Happening, product: Option<&str>| {
            let mut alert = Alert::of(offer_id, at, rule.name(), AlertEvent::new(what).in_results_of(keyword));
            alert.name_product(product.unwrap_or_default());
            out.push(alert);
        };
        for rule in rules {
            match rule {
                AlertRule::PriceBelow { quantity, target } => {
                    let below = |l: &Listing| price_for(l, *quantity).is_some_and(|p| p < *target);
                    if below(listing) && !prev.is_some_and(below) {
                        let price = listing.price.unwrap_or_default();
                        raise(rule, Happening::PriceBelow { quantity: *quantity, price, target: *target }, title);
                    }
                }
                AlertRule::PriceAbove { quantity, target } => {
                    let above = |l: &Listing| price_for(l, *quantity).is_some_and(|p| p > *target);
                    if above(listing) && !prev.is_some_and(above) {
                        let price = listing.price.unwrap_or_default();
                        raise(rule, Happening::PriceAbove { quantity: *quantity, price, target: *target }, title);
                    }
                }
                AlertRule::PercentChange { quantity, percent } => {
                    let old = prev.and_then(|p| price_for(p, *quantity));
                    if let (Some(old), Some(new)) = (old, price_for(listing, *quantity))
                        && let Some(change) = sourcing::percent_change(old, new)
                        && change.abs() >= *percent
                    {
                        let percent = change.round_dp(1);
                        raise(rule, Happening::PriceMoved { quantity: *quantity, percent, old, new }, title);
                    }
                }
                AlertRule::AnyTierChange => {
                    if let Some(p) = prev
                        && (p.price != listing.price || p.moq != listing.moq)
                    {
                        raise(rule, Happening::ListingPriceChanged { old: p.price, new: listing.price }, title);
                    }
                }
                AlertRule::NewOffer => {
                    if before.is_some() && prev.is_none() {
                        raise(rule, Happening::NewListing { price: listing.price }, title);
                    }
                }
                // Rejected for keyword watches when they are added (see `NewWatch::validate`).
                AlertRule::LowestInDays { .. }
                | AlertRule::StockBelow { .. }
                | AlertRule::SoldOut
                | AlertRule::BackInStock => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(price: &str, moq: i64) -> Listing {
        Listing { price: Some(price.parse().unwrap()), moq: Some(moq), title: "保温杯".into() }
    }

    fn at() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH
    }

    #[test]
    fn targets_alert_on_crossing_and_respect_the_moq() {
        let rules = [AlertRule::PriceBelow { quantity: 50, target: "10".parse().unwrap() }];
        let first: Listings = [(1, listing("9.50", 10)), (2, listing("9.00", 100)), (3, listing("12", 2))].into();
        let raised = evaluate_listings(&rules, "杯", None, &first, at());
        // Offer 2 is cheap but needs 100 units; offer 3 is above the target.
        assert_eq!(raised.iter().map(|a| a.offer_id).collect::<Vec<_>>(), [1]);
        assert!(raised[0].message.contains("¥9.50"), "{}", raised[0].message);
        // Still below: no repeat. Offer 3 drops under: one alert.
        let second: Listings = [(1, listing("9.40", 10)), (3, listing("9.99", 2))].into();
        let raised = evaluate_listings(&rules, "杯", Some(&first), &second, at());
        assert_eq!(raised.iter().map(|a| a.offer_id).collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn new_offers_and_changes_are_reported_against_the_previous_results() {
        let rules = [
            AlertRule::NewOffer,
            AlertRule::AnyTierChange,
            AlertRule::PercentChange { quantity: 1, percent: "10".parse().unwrap() },
        ];
        let first: Listings = [(1, listing("10", 1))].into();
        assert!(evaluate_listings(&rules, "杯", None, &first, at()).is_empty(), "the first check only records");
        let second: Listings = [(1, listing("8.50", 1)), (2, listing("7", 1))].into();
        let raised: Vec<(i64, String)> = evaluate_listings(&rules, "杯", Some(&first), &second, at())
            .into_iter()
            .map(|a| (a.offer_id, a.rule))
            .collect();
        assert_eq!(
            raised,
            [(1, "any_tier_change".to_owned()), (1, "percent_change".to_owned()), (2, "new_offer".to_owned())]
        );
    }
}

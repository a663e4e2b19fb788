//! The preview's checks and prices (spec §A.3): each line's offer orderable, one seller, SKUs
//! named and their own, stock left after other orders' reservations, MOQ or the seller's mixed
//! batch, whole lots; unit prices from the live ladder (by the offer's whole quantity) or the
//! SKU's own price; freight by weight; the offer's promotion as a discount. A refusal carries the
//! platform's code (`500_001` … `500_009`) and names the offer and SKU.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;

use super::OrderConfig;
use crate::catalog::Catalog;
use crate::catalog::drift::LiveCatalog;

/// The most SKUs one order holds.
pub const MAX_LINES: usize = 50;

/// One line as the caller sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoLine {
    /// The offer.
    pub offer_id: i64,
    /// The SKU's spec id.
    pub spec_id: Option<String>,
    /// Units.
    pub quantity: i64,
}

/// A line priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    /// The offer.
    pub offer_id: i64,
    /// Its index in the catalog.
    pub offer_index: usize,
    /// The SKU's index in the offer.
    pub sku: Option<usize>,
    /// The SKU's spec id.
    pub spec_id: Option<String>,
    /// The SKU's id.
    pub sku_id: Option<i64>,
    /// Units.
    pub quantity: i64,
    /// Unit price (CNY).
    pub unit_price: Decimal,
    /// The offer's title.
    pub name: String,
    /// The promotion's share taken off this line (CNY): the platform's `itemAmount` is the
    /// line's amount after it.
    pub discount: Decimal,
}

impl PricedLine {
    /// The line at its unit price, before promotions (CNY).
    pub fn listed(&self) -> Decimal {
        self.unit_price * Decimal::from(self.quantity)
    }

    /// What the line costs after its promotion (the platform's `itemAmount`).
    pub fn amount(&self) -> Decimal {
        self.listed() - self.discount
    }
}

/// An order priced: its seller, lines, goods, freight and discount (CNY).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// The seller's index.
    pub seller: usize,
    /// The lines.
    pub lines: Vec<PricedLine>,
    /// Goods at the unit prices.
    pub goods: Decimal,
    /// Freight.
    pub freight: Decimal,
    /// Promotions taken off.
    pub discount: Decimal,
    /// The promotions, as the preview lists them: (offer, percent, amount).
    pub promotions: Vec<(i64, u8, Decimal)>,
}

impl Priced {
    /// What the buyer pays.
    pub fn total(&self) -> Decimal {
        self.goods + self.freight - self.discount
    }
}

impl Priced {
    /// The cart as the orders the platform makes of it: one per offer when `by_offer` (the
    /// sandbox's stand-in for the platform's warehouse split), else the one. Freight is shared
    /// by goods, the last order taking what rounding left, so the orders add up to the cart.
    pub fn split(self, by_offer: bool) -> Vec<Priced> {
        let mut offers: Vec<usize> = self.lines.iter().map(|l| l.offer_index).collect();
        offers.dedup();
        offers.sort_unstable();
        offers.dedup();
        if !by_offer || offers.len() < 2 {
            return vec![self];
        }
        let mut freight_left = self.freight;
        let count = offers.len();
        offers
            .into_iter()
            .enumerate()
            .map(|(k, index)| {
                let lines: Vec<PricedLine> = self.lines.iter().filter(|l| l.offer_index == index).cloned().collect();
                let goods: Decimal = lines.iter().map(PricedLine::listed).sum();
                let discount: Decimal = lines.iter().map(|l| l.discount).sum();
                let freight = if k + 1 == count || self.goods.is_zero() {
                    freight_left
                } else {
                    (self.freight * goods / self.goods).round_dp(2).min(freight_left)
                };
                freight_left -= freight;
                let offer_id = lines.first().map(|l| l.offer_id);
                let promotions = self.promotions.iter().filter(|p| Some(p.0) == offer_id).cloned().collect();
                Priced { seller: self.seller, lines, goods, freight, discount, promotions }
            })
            .collect()
    }
}

/// Why the preview refuses: the platform's code and a message naming the offer and SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `500_001` … `500_009`, or `400` for a malformed list.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

fn refuse(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal { code, message: message.into() }
}

/// Reads `cargoParamList` (a JSON array); a malformed one is refused with code `400`.
pub fn parse_cargo(raw: &str) -> Result<Vec<CargoLine>, Refusal> {
    let value: Value =
        serde_json::from_str(raw).map_err(|e| refuse("400", format!("cargoParamList is not JSON: {e}")))?;
    let Value::Array(items) = value else { return Err(refuse("400", "cargoParamList is not a list")) };
    if items.is_empty() || items.len() > MAX_LINES {
        return Err(refuse("400", format!("an order holds 1 to {MAX_LINES} SKUs, not {}", items.len())));
    }
    items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let offer_id = match &item["offerId"] {
                Value::Number(id) => id.as_i64(),
                Value::String(id) => id.parse().ok(),
                _ => None,
            }
            .ok_or_else(|| refuse("400", format!("cargoParamList[{n}].offerId is missing or not a number")))?;
            let quantity =
                item["quantity"].as_f64().filter(|q| q.fract() == 0.0 && *q >= 1.0 && *q <= 1e9).ok_or_else(|| {
                    refuse("400", format!("cargoParamList[{n}].quantity must be a whole number of units"))
                })?;
            let spec_id = item["specId"].as_str().filter(|s| !s.is_empty()).map(str::to_owned);
            // The check above bounds it, so the conversion is exact.
            Ok(CargoLine { offer_id, spec_id, quantity: quantity as i64 })
        })
        .collect()
}

/// Checks and prices `cargo` as the platform's preview does. `reserved(offer index, sku)` is the
/// stock other orders hold.
pub fn price(
    catalog: &Catalog,
    live: &LiveCatalog,
    cargo: &[CargoLine],
    flow: Option<&str>,
    config: &OrderConfig,
    reserved: impl Fn(usize, Option<usize>) -> i64,
) -> Result<Priced, Refusal> {
    if flow == Some("saleproxy") {
        return Err(refuse(
            "500_007",
            "no consignment (代销) relation with this seller: flow saleproxy cannot be used",
        ));
    }
    let mut lines = Vec::with_capacity(cargo.len());
    let mut seller = None;
    for line in cargo {
        let id = line.offer_id;
        let (Some(index), Some(offer)) = (catalog.offer_index(id), catalog.offer(id)) else {
            return Err(refuse("500_001", format!("offer {id} cannot be traded online (not found)")));
        };
        let state = &live.offers[index];
        if state.delisted {
            return Err(refuse("500_001", format!("offer {id} cannot be traded online (delisted)")));
        }
        let supplier = offer.supplier as usize;
        if seller.is_some_and(|s| s != supplier) {
            return Err(refuse(
                "500_002",
                format!("offer {id} is another seller's: one order holds one seller's goods"),
            ));
        }
        seller = Some(supplier);
        let sku = match (&line.spec_id, offer.skus.is_empty()) {
            (None, false) => return Err(refuse("500_002", format!("offer {id} has SKUs: specId is missing"))),
            (None, true) => None,
            (Some(spec), _) => match offer.skus.iter().position(|s| &s.spec_id == spec) {
                Some(n) => Some(n),
                None => return Err(refuse("500_003", format!("spec {spec} is not a SKU of offer {id}"))),
            },
        };
        let label = format!("[{id}_{}]", line.spec_id.as_deref().unwrap_or(""));
        let on_hand = state.stock.get(sku.unwrap_or(0)).copied().unwrap_or(0);
        let available = on_hand.saturating_sub(reserved(index, sku)).max(0);
        if line.quantity > available {
            return Err(refuse("500_004", format!("stock short {label}: {} asked, {available} left", line.quantity)));
        }
        lines.push(PricedLine {
            offer_id: id,
            offer_index: index,
            sku,
            spec_id: line.spec_id.clone(),
            sku_id: sku.map(|n| offer.skus[n].id),
            quantity: line.quantity,
            unit_price: Decimal::ZERO,
            name: offer.subject.clone(),
            discount: Decimal::ZERO,
        });
    }
    let seller = seller.ok_or_else(|| refuse("400", "an order holds at least one SKU"))?;

    // Quantities by offer: tiers, MOQ and lots count an offer's SKUs together.
    let mut by_offer: BTreeMap<usize, i64> = BTreeMap::new();
    for line in &lines {
        *by_offer.entry(line.offer_index).or_default() += line.quantity;
    }
    let mut goods = Decimal::ZERO;
    for line in &mut lines {
        let offer = &catalog.offers[line.offer_index];
        let state = &live.offers[line.offer_index];
        let units = by_offer[&line.offer_index];
        line.unit_price = match (offer.quote_type, line.sku) {
            (1, Some(n)) => state.price(offer.skus[n].price),
            _ => {
                let ladder = state.ladder(offer);
                ladder.iter().rev().find(|(start, _)| *start <= units).or(ladder.first()).map_or(Decimal::ZERO, |t| t.1)
            }
        };
        if line.unit_price <= Decimal::ZERO {
            return Err(refuse("500_008", format!("offer {} has a price of 0", line.offer_id)));
        }
        goods += line.unit_price * Decimal::from(line.quantity);
    }
    let pieces: i64 = by_offer.values().sum();
    let mix = catalog.suppliers[seller].mix;
    let mix_met = mix.is_some_and(|(amount, min_pieces)| goods >= Decimal::from(amount) || pieces >= min_pieces);
    for (&index, &units) in &by_offer {
        let offer = &catalog.offers[index];
        let moq = live.offers[index].moq;
        if units < moq && !mix_met {
            return Err(match mix {
                Some((amount, min_pieces)) => refuse(
                    "500_006",
                    format!(
                        "offer {}: {units} is below the MOQ {moq} and the mixed batch (¥{amount} or {min_pieces} pieces) is not met",
                        offer.id
                    ),
                ),
                None => refuse("500_005", format!("offer {}: {units} is below the MOQ {moq}", offer.id)),
            });
        }
        if offer.batch_number > 1 && units % offer.batch_number != 0 {
            return Err(refuse(
                "500_009",
                format!("offer {}: sold in lots of {} (批售), {units} is not whole lots", offer.id, offer.batch_number),
            ));
        }
    }
    let mut discount = Decimal::ZERO;
    let mut promotions = Vec::new();
    for &index in by_offer.keys() {
        let offer = &catalog.offers[index];
        if let Some(pct) = offer.promotion_pct {
            let of_offer: Decimal =
                lines.iter().filter(|l| l.offer_index == index).map(|l| l.unit_price * Decimal::from(l.quantity)).sum();
            let off = (of_offer * Decimal::from(pct) / Decimal::from(100)).round_dp(2);
            discount += off;
            promotions.push((offer.id, pct, off));
            // Each line carries its share (to the fen); the last takes what rounding left, so
            // the lines' amounts add up to the order's goods after promotions.
            let mut left = off;
            let of_this: Vec<usize> = (0..lines.len()).filter(|&n| lines[n].offer_index == index).collect();
            for (k, &n) in of_this.iter().enumerate() {
                let share = if k + 1 == of_this.len() || of_offer.is_zero() {
                    left
                } else {
                    (off * lines[n].listed() / of_offer).round_dp(2).min(left)
                };
                lines[n].discount = share;
                left -= share;
            }
        }
    }
    // Quantities come from the caller: the weight saturates rather than overflow.
    let weight_g = lines
        .iter()
        .map(|l| i64::from(catalog.offers[l.offer_index].weight_g).saturating_mul(l.quantity))
        .fold(0i64, i64::saturating_add);
    let freight = if config.free_freight_over.is_some_and(|free| goods >= free) {
        Decimal::ZERO
    } else {
        // Each kg or part of one past the first.
        let extra_kg = u64::try_from(weight_g - 1_000).unwrap_or(0).div_ceil(1_000);
        config.freight_first_kg + config.freight_per_kg * Decimal::from(extra_kg)
    };
    Ok(Priced { seller, lines, goods: goods.round_dp(2), freight, discount, promotions })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogConfig;
    use crate::catalog::drift::DriftConfig;
    use proptest::prelude::*;

    /// Whatever a caller sends as `cargoParamList`, it is read or refused with a code, and what
    /// is read is priced or refused with a code: never a panic, never an overflow.
    #[test]
    fn any_cargo_is_priced_or_refused() {
        let catalog = Catalog::build(CatalogConfig { offers: 50, suppliers: 24, ..CatalogConfig::default() });
        let live = LiveCatalog::new(&catalog, DriftConfig::default(), 0);
        let config = OrderConfig::default();
        let quantity = prop_oneof![Just(1.0f64), Just(1e9), any::<f64>()];
        proptest!(ProptestConfig { cases: 256, ..ProptestConfig::default() }, |(
            raw in ".{0,80}",
            lines in prop::collection::vec((0usize..60, any::<bool>(), quantity), 0..55),
        )| {
            let _ = parse_cargo(&raw);
            let built: Vec<serde_json::Value> = lines
                .iter()
                .map(|(n, with_spec, quantity)| {
                    let offer = catalog.offers.get(*n);
                    serde_json::json!({
                        "offerId": offer.map_or(i64::MAX, |o| o.id),
                        "specId": offer.filter(|_| *with_spec).and_then(|o| o.skus.first()).map(|s| s.spec_id.clone()),
                        "quantity": quantity,
                    })
                })
                .collect();
            if let Ok(cargo) = parse_cargo(&serde_json::Value::Array(built).to_string()) {
                match price(&catalog, &live, &cargo, None, &config, |_, _| 0) {
                    Ok(priced) => prop_assert!(priced.total() >= Decimal::ZERO),
                    Err(refusal) => prop_assert!(!refusal.code.is_empty() && !refusal.message.is_empty()),
                }
            }
        });
    }
}

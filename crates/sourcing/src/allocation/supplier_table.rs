//! One supplier's cost table: for every quantity `y` it could supply, the cheapest way to buy
//! exactly `y` units from its sources, priced exactly as [`crate::plan()`] prices a supplier's
//! order (tiers on each offer's total, or on the seller's total in a mixed batch; MOQ waived by a
//! met mixed-batch minimum; batch multiples; freight on the order's goods and weight).
//!
//! The table is built by trying every combination of the supplier's lots, so it is exact. A lot
//! is what can be bought as one quantity without changing the price: an offer priced by its
//! ladder (all its listed SKUs share the tier, so only their sum matters, up to their summed
//! stock), or one SKU priced on its own.

use rust_decimal::Decimal;

use super::Prepared;
use crate::cost::{Freight, FreightModel};
use crate::error::EngineError;
use crate::model::{Offer, QuoteType};

/// A quantity bought at one price rule: an offer's ladder-priced sources together, or one SKU
/// priced on its own.
#[derive(Debug, Clone)]
pub(super) struct Lot {
    /// Index of its offer among the supplier's offers.
    pub offer: usize,
    /// Its sources (indexes into the prepared sources), in the order given.
    pub sources: Vec<usize>,
    /// Units it can supply at most.
    pub cap: i64,
    /// The price when it does not depend on quantity (a SKU priced on its own).
    pub fixed_price: Option<Decimal>,
}

/// The cheapest way to supply one quantity.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// Goods plus freight, in money.
    pub cost: Decimal,
    /// The cost as the allocation weighs it (with the supplier's risk premium).
    pub weighed: Decimal,
    /// Units per lot.
    pub lots: Vec<i64>,
}

/// A supplier's lots and, per quantity, its cheapest entry (`None`: that quantity cannot be
/// bought from it under its rules).
pub(super) struct SupplierTable {
    /// Its lots.
    pub lots: Vec<Lot>,
    /// Entry `y`: exactly `y` units.
    pub entries: Vec<Option<Entry>>,
    /// Whether every combination was tried (else only those with all lots but one at a
    /// breakpoint; see [`EXACT_BUDGET`]).
    pub exact: bool,
}

/// The most combinations of one supplier's lots tried one by one (about 40 ms). Beyond it — a
/// supplier with three or more offers with large stock — every lot but one is held at its
/// breakpoints (none, MOQ, tier starts, free-shipping and mixed-batch thresholds, all of it),
/// which is the optimum unless freight by weight rewards an in-between split, and the
/// allocation says it is not proven exact.
pub(super) const EXACT_BUDGET: usize = 2_000_000;

/// Builds the table of one supplier whose sources are `members` (indexes into `prepared`).
pub(super) fn build<'a>(
    prepared: &[Prepared<'a>],
    members: &[usize],
    freight: &Freight,
    premium: Decimal,
    most: i64,
    grain: i64,
) -> Result<SupplierTable, EngineError> {
    let mut offers: Vec<&Offer> = Vec::new();
    let mut lots: Vec<Lot> = Vec::new();
    for &c in members {
        let p = &prepared[c];
        let o = match offers.iter().position(|x| x.id == p.offer.id) {
            Some(o) => o,
            None => {
                offers.push(p.offer);
                offers.len() - 1
            }
        };
        let per_sku = p.sku.is_some() && p.offer.quote_type.is_some_and(QuoteType::is_priced_per_sku);
        if per_sku {
            let price = crate::cost::unit_price(p.offer, p.sku, 1)?;
            lots.push(Lot { offer: o, sources: vec![c], cap: p.cap, fixed_price: Some(price) });
        } else if let Some(lot) = lots.iter_mut().find(|l| l.offer == o && l.fixed_price.is_none()) {
            lot.sources.push(c);
            lot.cap = lot.cap.saturating_add(p.cap);
        } else {
            lots.push(Lot { offer: o, sources: vec![c], cap: p.cap, fixed_price: None });
        }
    }
    let total_cap: i64 = lots.iter().map(|l| l.cap).fold(0, i64::saturating_add).min(most);
    let len = usize::try_from(total_cap).map_err(|_| EngineError::Overflow)? + 1;
    let pricing = Pricing::new(&offers, &lots, freight, total_cap)?;
    let mut found: Vec<Option<(i128, Vec<i64>)>> = vec![None; len];
    let mut scratch = Scratch { q: vec![0; lots.len()], per_offer: vec![0; offers.len()] };
    let full: Vec<Vec<i64>> = (0..lots.len()).map(|i| every_quantity(&pricing, i, grain)).collect();
    let combinations = full.iter().fold(1_usize, |n, c| n.saturating_mul(c.len()));
    let exact = combinations <= EXACT_BUDGET;
    if exact {
        enumerate(&pricing, &full, &mut found, &mut scratch, 0, 0, total_cap);
    } else {
        // Too many combinations to try them all: every lot but one at one of its breakpoints,
        // the remaining one at any quantity, in turn.
        let points: Vec<Vec<i64>> =
            (0..lots.len()).map(|i| breakpoints(&pricing, offers[lots[i].offer], i, freight)).collect();
        for free in 0..lots.len() {
            let mut choices = points.clone();
            choices[free] = full[free].clone();
            enumerate(&pricing, &choices, &mut found, &mut scratch, 0, 0, total_cap);
        }
    }
    let factor = Decimal::ONE + premium / Decimal::ONE_HUNDRED;
    let entries = found
        .into_iter()
        .map(|slot| {
            slot.map(|(units, lots)| {
                let cost =
                    Decimal::try_from_i128_with_scale(units, pricing.money_scale).map_err(|_| EngineError::Overflow)?;
                let weighed = cost.checked_mul(factor).ok_or(EngineError::Overflow)?;
                Ok(Entry { cost, weighed, lots })
            })
            .transpose()
        })
        .collect::<Result<_, EngineError>>()?;
    Ok(SupplierTable { lots, entries, exact })
}

/// An exact decimal as an integer count of `10^-scale` (its own scale must not be larger).
fn scaled(d: Decimal, scale: u32) -> Result<i128, EngineError> {
    let d = d.normalize();
    10_i128
        .checked_pow(scale.saturating_sub(d.scale()))
        .and_then(|f| d.mantissa().checked_mul(f))
        .ok_or(EngineError::Overflow)
}

/// The largest scale of some decimals (at most 12 places, beyond which no price goes).
fn scale_of(figures: impl IntoIterator<Item = Decimal>) -> Result<u32, EngineError> {
    let scale = figures.into_iter().map(|d| d.normalize().scale()).max().unwrap_or(0);
    if scale > 12 {
        return Err(EngineError::CannotAllocate { need: 0, reason: format!("a figure with {scale} decimal places") });
    }
    Ok(scale)
}

/// An offer's rules and figures as integers.
struct OfferTerms {
    /// Tier starts and prices, lowest quantity first.
    tiers: Vec<(i64, i128)>,
    moq: i64,
    batch: i64,
    weight: i128,
    /// Whether its seller mixes (and at what minimums).
    mix: Option<(Option<i128>, Option<i64>)>,
}

/// A supplier's freight terms as integers.
enum FreightTerms {
    Free,
    Flat(i128),
    ByWeight { first_weight: i128, first_fee: i128, per_kg: i128, kg: i128 },
}

/// Everything pricing one combination needs, as integers (money in `10^-money_scale` yuan,
/// weight in `10^-weight_scale` kg), gathered once per supplier.
struct Pricing<'t> {
    lots: &'t [Lot],
    offers: Vec<OfferTerms>,
    /// Per lot: its fixed price, if any.
    fixed: Vec<Option<i128>>,
    free_over: Option<i128>,
    freight: FreightTerms,
    money_scale: u32,
}

/// Buffers reused across combinations.
struct Scratch {
    q: Vec<i64>,
    per_offer: Vec<i64>,
}

impl<'t> Pricing<'t> {
    fn new(offers: &[&Offer], lots: &'t [Lot], freight: &Freight, most: i64) -> Result<Self, EngineError> {
        // An offer without a ladder is bought only through SKUs priced on their own.
        for lot in lots.iter().filter(|l| l.fixed_price.is_none()) {
            let offer = offers[lot.offer];
            if offer.ladder.is_none() {
                return Err(EngineError::NoPrice { offer: offer.id });
            }
        }
        let ladders: Vec<&[crate::ladder::Tier]> =
            offers.iter().map(|o| o.ladder.as_ref().map_or(&[][..], |l| l.tiers())).collect();
        let mut money = Vec::new();
        money.extend(ladders.iter().flat_map(|tiers| tiers.iter().map(|t| t.unit_price)));
        money.extend(lots.iter().filter_map(|l| l.fixed_price));
        money.extend(offers.iter().filter_map(|o| o.mix.as_ref().and_then(|m| m.min_amount)));
        money.extend(freight.free_over);
        let mut weights: Vec<Decimal> = offers.iter().filter_map(|o| o.shipping.weight_kg).collect();
        match &freight.model {
            FreightModel::Free => {}
            FreightModel::Flat { fee } => money.push(*fee),
            FreightModel::ByWeight { first_kg, first_fee, additional_per_kg } => {
                money.extend([*first_fee, *additional_per_kg]);
                weights.push(*first_kg);
            }
        }
        let money_scale = scale_of(money.iter().copied())?;
        let weight_scale = scale_of(weights.iter().copied())?;
        // Every sum below stays far inside i128 when the largest figure times the most units
        // does (with room for a million lots); checked once here, not on every combination.
        let largest = money.iter().chain(&weights).map(|d| d.abs()).max().unwrap_or_default();
        scaled(largest, money_scale.max(weight_scale))?
            .checked_mul(i128::from(most.max(1)))
            .and_then(|b| b.checked_mul(1 << 20))
            .ok_or(EngineError::Overflow)?;
        let m = |d: Decimal| scaled(d, money_scale);
        let terms = offers
            .iter()
            .zip(&ladders)
            .map(|(o, ladder)| {
                Ok(OfferTerms {
                    tiers: ladder
                        .iter()
                        .map(|t| Ok((t.min_qty, m(t.unit_price)?)))
                        .collect::<Result<_, EngineError>>()?,
                    moq: o.moq.unwrap_or(1),
                    batch: o.batch_number.filter(|&b| b > 1).unwrap_or(1),
                    weight: scaled(o.shipping.weight_kg.unwrap_or_default(), weight_scale)?,
                    mix: match o.mix.as_ref().filter(|r| r.allowed) {
                        Some(rule) => Some((rule.min_amount.map(m).transpose()?, rule.min_pieces)),
                        None => None,
                    },
                })
            })
            .collect::<Result<_, EngineError>>()?;
        let freight_terms = match &freight.model {
            FreightModel::Free => FreightTerms::Free,
            FreightModel::Flat { fee } => FreightTerms::Flat(m(*fee)?),
            FreightModel::ByWeight { first_kg, first_fee, additional_per_kg } => FreightTerms::ByWeight {
                first_weight: scaled(*first_kg, weight_scale)?,
                first_fee: m(*first_fee)?,
                per_kg: m(*additional_per_kg)?,
                kg: scaled(Decimal::ONE, weight_scale)?,
            },
        };
        Ok(Self {
            lots,
            offers: terms,
            fixed: lots.iter().map(|l| l.fixed_price.map(m).transpose()).collect::<Result<_, _>>()?,
            free_over: freight.free_over.map(m).transpose()?,
            freight: freight_terms,
            money_scale,
        })
    }

    /// The cost of buying `s.q[i]` units of each lot, or `None` when a rule forbids it (below
    /// MOQ without a met mixed batch, not a batch multiple, a mixed batch below its minimum).
    /// The same rules, in the same order, as `plan()` applies to a supplier's order.
    fn price(&self, s: &mut Scratch) -> Option<i128> {
        s.per_offer.iter_mut().for_each(|n| *n = 0);
        for (lot, &q) in self.lots.iter().zip(&s.q) {
            s.per_offer[lot.offer] += q;
        }
        let mut used = 0;
        let mut rule = None;
        for (o, &n) in s.per_offer.iter().enumerate() {
            if n > 0 {
                used += 1;
                // The first bought offer whose seller mixes gives the rule.
                rule = rule.or(self.offers[o].mix);
            }
        }
        let mixed = rule.is_some() && used > 1;
        let pieces: i64 = s.per_offer.iter().sum();
        let (mut goods, mut weight) = (0_i128, 0_i128);
        for ((lot, &q), fixed) in self.lots.iter().zip(&s.q).zip(&self.fixed) {
            if q == 0 {
                continue;
            }
            let terms = &self.offers[lot.offer];
            let price = fixed.unwrap_or_else(|| {
                let at = if mixed { pieces } else { s.per_offer[lot.offer] };
                // Below the first tier its price applies (the MOQ is checked apart).
                let i = terms.tiers.partition_point(|&(from, _)| from <= at);
                terms.tiers[i.saturating_sub(1)].1
            });
            goods += price * i128::from(q);
            weight += terms.weight * i128::from(q);
        }
        let mix_met = match rule {
            Some((min_amount, min_pieces)) if mixed => {
                if min_amount.is_some_and(|m| goods < m) || min_pieces.is_some_and(|m| pieces < m) {
                    return None;
                }
                true
            }
            _ => false,
        };
        for (terms, &n) in self.offers.iter().zip(&s.per_offer) {
            if n > 0 && (n < terms.moq && !mix_met || n % terms.batch != 0) {
                return None;
            }
        }
        Some(goods + self.freight(goods, weight))
    }

    /// Freight of the order, as `Freight::cost` computes it.
    fn freight(&self, goods: i128, weight: i128) -> i128 {
        if self.free_over.is_some_and(|t| goods >= t) {
            return 0;
        }
        match self.freight {
            FreightTerms::Free => 0,
            FreightTerms::Flat(fee) => fee,
            FreightTerms::ByWeight { first_weight, first_fee, per_kg, kg } => {
                if weight <= first_weight {
                    first_fee
                } else {
                    // Each additional kilogram or part of one.
                    let extra = weight - first_weight;
                    first_fee + (extra + kg - 1) / kg * per_kg
                }
            }
        }
    }
}

/// Every quantity lot `i` can take: multiples of its offer's batch when it is the offer's only
/// lot (else any, the batch being checked on the offer's total), and of `grain`, up to its cap.
fn every_quantity(pricing: &Pricing<'_>, i: usize, grain: i64) -> Vec<i64> {
    let lot = &pricing.lots[i];
    let alone = pricing.lots.iter().filter(|l| l.offer == lot.offer).count() == 1;
    let batch = if alone { pricing.offers[lot.offer].batch } else { 1 };
    let step = lcm(batch, grain);
    (0..=lot.cap / step).map(|n| n * step).collect()
}

/// The least common multiple (saturating: a huge one leaves only zero below any cap).
fn lcm(a: i64, b: i64) -> i64 {
    let gcd = |mut x: i64, mut y: i64| {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        x
    };
    (a / gcd(a, b).max(1)).saturating_mul(b).max(1)
}

/// The quantities where lot `i`'s cost changes course: none, the MOQ, each tier start, the
/// quantities that reach the free-shipping threshold or the mixed-batch minimum at each price,
/// and all it can supply — each rounded up to its batch, within its cap.
fn breakpoints(pricing: &Pricing<'_>, offer: &Offer, i: usize, freight: &Freight) -> Vec<i64> {
    let lot = &pricing.lots[i];
    let terms = &pricing.offers[lot.offer];
    let step = terms.batch;
    let prices: Vec<Decimal> = match (lot.fixed_price, &offer.ladder) {
        (Some(price), _) => vec![price],
        (None, Some(ladder)) => ladder.tiers().iter().map(|t| t.unit_price).collect(),
        (None, None) => Vec::new(),
    };
    let mut amounts: Vec<Decimal> = freight.free_over.into_iter().collect();
    amounts.extend(offer.mix.as_ref().and_then(|m| m.min_amount));
    let mut points = vec![0, terms.moq, lot.cap / step * step];
    points.extend(terms.tiers.iter().map(|&(from, _)| from));
    points.extend(terms.mix.and_then(|(_, pieces)| pieces));
    for amount in amounts {
        for &price in prices.iter().filter(|p| **p > Decimal::ZERO) {
            points.extend(i64::try_from((amount / price).ceil()).ok());
        }
    }
    let mut points: Vec<i64> = points
        .into_iter()
        .map(|q| q.saturating_add(step - 1) / step * step)
        .filter(|&q| q >= 0 && q <= lot.cap)
        .collect();
    points.sort_unstable();
    points.dedup();
    points
}

/// Tries every choice of lot `i` onwards (`sum` units so far, at most `most` in all) and keeps
/// the cheapest combination per total. Ties keep the first found, so results are repeatable.
fn enumerate(
    pricing: &Pricing<'_>,
    choices: &[Vec<i64>],
    found: &mut [Option<(i128, Vec<i64>)>],
    s: &mut Scratch,
    i: usize,
    sum: i64,
    most: i64,
) {
    if i == s.q.len() {
        if sum > 0
            && let Some(cost) = pricing.price(s)
        {
            let slot = &mut found[sum as usize];
            if slot.as_ref().is_none_or(|(best, _)| cost < *best) {
                *slot = Some((cost, s.q.clone()));
            }
        }
        return;
    }
    for &units in &choices[i] {
        if units > most - sum {
            break;
        }
        s.q[i] = units;
        enumerate(pricing, choices, found, s, i + 1, sum + units, most);
    }
    s.q[i] = 0;
}

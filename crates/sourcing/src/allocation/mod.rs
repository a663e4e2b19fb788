//! Splitting a need across offers and suppliers: the allocation of units to offers (or to their
//! SKUs) that minimizes the total landed cost — goods at the tier each offer reaches, plus each
//! supplier's freight with its free-shipping threshold — while every offer meets its MOQ (or its
//! seller's mixed-batch minimum), buys in its batch multiples, stays within stock, and at most
//! `max_suppliers` suppliers are used.
//!
//! The answer is exact. Each supplier's cost of supplying every quantity is tabulated by trying
//! all combinations of its offers and SKUs ([`supplier_table`]), priced the way
//! [`crate::plan()`] prices an order; a dynamic program over units then combines the suppliers
//! ([`dynamic`]). The quantities found are priced again by [`crate::plan()`], which must find no
//! violation, and that plan is the answer. Property tests check it against brute force on small
//! random instances. The work grows with the need times the units each supplier can supply, and
//! with the product of the quantities of a supplier's several offers: past a budget
//! ([`supplier_table::EXACT_BUDGET`] combinations for one supplier) that supplier's offers are
//! tried with all but one at a breakpoint; past another ([`DYNAMIC_BUDGET`]: a very large need
//! over offers with large stock) quantities are searched in steps of several units. Either way
//! the answer says it is not proven exact.

mod dynamic;
mod supplier_table;

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cost::{Freight, FreightModel};
use crate::error::EngineError;
use crate::model::Offer;
use crate::plan::{PlanLine, PlanOptions, PurchasePlan, plan, supplier_key};

/// Something the allocation may buy: an offer as a whole, or one of its SKUs. Several SKUs of
/// one offer may be listed (a need that any of them fills); an offer is listed either as a
/// whole or by SKUs, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Source {
    /// The offer.
    pub offer_id: i64,
    /// The SKU, when a variant is bought.
    pub sku_id: Option<i64>,
}

/// What to allocate, and the terms it is allocated under.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AllocationRequest {
    /// Units needed in all.
    pub quantity: i64,
    /// At most this many units above the need in all (`None`: as many as lower the cost).
    pub max_overstock: Option<i64>,
    /// At most this many suppliers (`None`: no limit).
    pub max_suppliers: Option<usize>,
    /// Freight per supplier shipment.
    pub freight: Freight,
    /// Freight terms of particular suppliers (by supplier key), overriding `freight`.
    pub supplier_freight: BTreeMap<String, Freight>,
    /// A risk premium, in percent of what is bought from a supplier (by supplier key), that the
    /// allocation weighs but does not pay: a supplier with 15 % is chosen only when it is more
    /// than 15 % cheaper. The plan's totals are real money, without premiums.
    pub premiums: BTreeMap<String, Decimal>,
}

/// The cheapest way to fill a need from the sources given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Allocation {
    /// What to buy, one line per source bought from, in the order the sources were given.
    pub lines: Vec<PlanLine>,
    /// The lines priced by supplier, with exact totals (no violation).
    pub plan: PurchasePlan,
    /// Units bought in all (at least the need).
    pub units: i64,
    /// How many suppliers are used.
    pub suppliers: usize,
    /// Whether the allocation is proven the cheapest. It is unless the need is so large that
    /// quantities were searched in steps of several units, or a supplier has so many
    /// combinations of offers and SKUs that only those with all but one at a breakpoint were
    /// tried (see the module documentation).
    pub exact: bool,
}

/// One source with what the formulation needs of it, in exact numbers.
#[derive(Debug, Clone)]
pub(crate) struct Prepared<'a> {
    pub offer: &'a Offer,
    pub sku: Option<i64>,
    /// The most units of this source worth considering (stock, overstock limit, and the point
    /// past which more units can only cost more).
    pub cap: i64,
}

/// The cheapest allocation of `request.quantity` units over `sources`. Errors say why no
/// allocation exists (not enough stock in all, or MOQs, batches and the supplier cap that no
/// combination meets) or what is wrong with the input.
pub fn allocate(request: &AllocationRequest, sources: &[Source], offers: &[Offer]) -> Result<Allocation, EngineError> {
    let need = request.quantity;
    if need <= 0 {
        return Err(EngineError::BadQuantity { quantity: need });
    }
    if request.max_overstock.is_some_and(|o| o < 0) {
        return Err(EngineError::CannotAllocate { need, reason: "the overstock limit is negative".into() });
    }
    if request.max_suppliers == Some(0) {
        return Err(EngineError::CannotAllocate { need, reason: "the supplier limit is 0".into() });
    }
    check_freight(&request.freight)?;
    for terms in request.supplier_freight.values() {
        check_freight(terms)?;
    }
    if let Some((key, p)) = request.premiums.iter().find(|(_, p)| p.is_sign_negative() && !p.is_zero()) {
        return Err(EngineError::CannotAllocate { need, reason: format!("supplier {key} has a negative premium {p}") });
    }
    let prepared = prepare(request, sources, offers)?;
    let in_stock = prepared.iter().try_fold(0_i64, |sum, p| sum.checked_add(p.cap)).ok_or(EngineError::Overflow)?;
    if in_stock < need {
        return Err(EngineError::CannotAllocate {
            need,
            reason: format!(
                "the {} sources have {in_stock} units in stock in all, {} short",
                prepared.len(),
                need - in_stock
            ),
        });
    }
    let (quantities, cost, exact) = solve_exactly(request, &prepared)?;
    let lines: Vec<PlanLine> = prepared
        .iter()
        .zip(&quantities)
        .filter(|&(_, &q)| q > 0)
        .map(|(p, &quantity)| PlanLine::new(p.offer.id, p.sku, quantity))
        .collect();
    let options = PlanOptions {
        freight: request.freight.clone(),
        supplier_freight: request.supplier_freight.clone(),
        optimize: false,
    };
    let priced = plan(&lines, offers, &options)?;
    if let Some(broken) = priced.orders.iter().flat_map(|o| &o.violations).next() {
        return Err(EngineError::Solver { reason: format!("its answer breaks a rule when priced exactly: {broken}") });
    }
    if priced.total != cost {
        return Err(EngineError::Solver {
            reason: format!("the plan costs {} where the tables said {cost}", priced.total),
        });
    }
    let units = lines.iter().map(|l| l.quantity).sum::<i64>();
    if units < need || request.max_overstock.is_some_and(|o| units - need > o) {
        return Err(EngineError::Solver { reason: format!("its answer buys {units} units for a need of {need}") });
    }
    let suppliers = priced.orders.len();
    Ok(Allocation { lines, plan: priced, units, suppliers, exact })
}

/// Each source's quantity in the cheapest allocation, and what the tables say it costs.
fn solve_exactly(
    request: &AllocationRequest,
    prepared: &[Prepared<'_>],
) -> Result<(Vec<i64>, Decimal, bool), EngineError> {
    let mut keys: Vec<String> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (c, p) in prepared.iter().enumerate() {
        let key = supplier_key(p.offer);
        match keys.iter().position(|k| *k == key) {
            Some(s) => members[s].push(c),
            None => {
                keys.push(key);
                members.push(vec![c]);
            }
        }
    }
    let most = request.max_overstock.map_or(i64::MAX, |over| request.quantity.saturating_add(over));
    let grain = grain(request, prepared);
    let tables = keys
        .iter()
        .zip(&members)
        .map(|(key, members)| {
            let freight = request.supplier_freight.get(key).unwrap_or(&request.freight);
            let premium = request.premiums.get(key).copied().unwrap_or_default();
            supplier_table::build(prepared, members, freight, premium, most, grain)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let Some(bought) = dynamic::solve(&tables, request.quantity, request.max_overstock, request.max_suppliers)? else {
        let mut reason = "no combination meets every MOQ, batch, mixed-batch minimum and stock limit".to_owned();
        if request.max_overstock.is_some() {
            reason += " within the overstock limit";
        }
        if request.max_suppliers.is_some() {
            reason += " and the supplier limit";
        }
        return Err(EngineError::CannotAllocate { need: request.quantity, reason });
    };
    let mut quantities = vec![0_i64; prepared.len()];
    let mut cost = Decimal::ZERO;
    for (table, &units) in tables.iter().zip(&bought) {
        if units == 0 {
            continue;
        }
        let entry = usize::try_from(units)
            .ok()
            .and_then(|y| table.entries.get(y)?.as_ref())
            .ok_or_else(|| EngineError::Solver { reason: format!("no table entry for {units} units") })?;
        cost += entry.cost;
        for (lot, &lot_units) in table.lots.iter().zip(&entry.lots) {
            // A lot of several SKUs: fill them in the order given, each within its stock.
            let mut left = lot_units;
            for &c in &lot.sources {
                let take = left.min(prepared[c].cap);
                quantities[c] = take;
                left -= take;
            }
        }
    }
    Ok((quantities, cost, grain == 1 && tables.iter().all(|t| t.exact)))
}

/// The most steps of the dynamic program run unit by unit (about 50 ms).
const DYNAMIC_BUDGET: f64 = 3e7;

/// The units quantities are searched in: 1, unless the need times the units the suppliers can
/// supply passes [`DYNAMIC_BUDGET`] (a need of 200,000 over offers with large stock); then the
/// smallest whole number that brings the work within it, and the answer is not proven exact.
fn grain(request: &AllocationRequest, prepared: &[Prepared<'_>]) -> i64 {
    let width = request.quantity.saturating_add(request.max_overstock.unwrap_or(0)) as f64;
    let supply: f64 = prepared.iter().map(|p| p.cap as f64).sum();
    let work = width * supply;
    if work <= DYNAMIC_BUDGET { 1 } else { (work / DYNAMIC_BUDGET).sqrt().ceil() as i64 }
}

/// Freight terms the allocation can use: no negative fee, threshold or weight.
fn check_freight(freight: &Freight) -> Result<(), EngineError> {
    let negative = |d: &Decimal| d.is_sign_negative() && !d.is_zero();
    let bad = match &freight.model {
        FreightModel::Free => false,
        FreightModel::Flat { fee } => negative(fee),
        FreightModel::ByWeight { first_kg, first_fee, additional_per_kg } => {
            negative(first_kg) || negative(first_fee) || negative(additional_per_kg)
        }
    };
    if bad || freight.free_over.as_ref().is_some_and(negative) {
        return Err(EngineError::CannotAllocate { need: 0, reason: "freight terms with a negative figure".into() });
    }
    Ok(())
}

/// Resolves sources to offers and bounds each one's quantity.
fn prepare<'a>(
    request: &AllocationRequest,
    sources: &[Source],
    offers: &'a [Offer],
) -> Result<Vec<Prepared<'a>>, EngineError> {
    let by_id: HashMap<i64, &Offer> = offers.iter().map(|o| (o.id, o)).collect();
    // A mixing seller's tier is set by all its offers together, so each offer's bound must reach
    // the top tier of every offer of the seller.
    let mut seller_top: HashMap<String, i64> = HashMap::new();
    for source in sources {
        if let Some(offer) = by_id.get(&source.offer_id)
            && let Some(ladder) = &offer.ladder
        {
            let top = seller_top.entry(supplier_key(offer)).or_default();
            *top = (*top).max(ladder.tiers()[ladder.tiers().len() - 1].min_qty);
        }
    }
    let mut whole_or_sku: HashMap<i64, bool> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut prepared = Vec::with_capacity(sources.len());
    for (i, source) in sources.iter().enumerate() {
        let offer =
            *by_id.get(&source.offer_id).ok_or(EngineError::UnknownOffer { line: i + 1, offer: source.offer_id })?;
        if !seen.insert(*source) {
            return Err(EngineError::CannotAllocate {
                need: request.quantity,
                reason: format!("source {} lists offer {} twice", i + 1, offer.id),
            });
        }
        if *whole_or_sku.entry(offer.id).or_insert(source.sku_id.is_some()) != source.sku_id.is_some() {
            return Err(EngineError::CannotAllocate {
                need: request.quantity,
                reason: format!("offer {} is listed both as a whole and by SKU", offer.id),
            });
        }
        if let Some(sku) = source.sku_id
            && !offer.skus.iter().any(|s| s.id == sku)
        {
            return Err(EngineError::UnknownSku { offer: offer.id, sku });
        }
        crate::cost::unit_price(offer, source.sku_id, 1)?;
        let cap = worth_considering(request, offer, source.sku_id, seller_top[&supplier_key(offer)])?;
        let cap = offer.available(source.sku_id).map_or(cap, |stock| cap.min(stock));
        prepared.push(Prepared { offer, sku: source.sku_id, cap });
    }
    Ok(prepared)
}

/// The most units of one source an optimal allocation can buy: past the need, the top tier, the
/// MOQ, the free-shipping threshold and the mixed-batch minimum, one batch less always costs less
/// and still meets every rule, so one batch beyond the largest of those is enough. The overstock
/// limit caps it further.
fn worth_considering(
    request: &AllocationRequest,
    offer: &Offer,
    sku: Option<i64>,
    seller_top: i64,
) -> Result<i64, EngineError> {
    let batch = offer.batch_number.filter(|&b| b > 1).unwrap_or(1);
    let lowest = match &offer.ladder {
        Some(ladder) => ladder.lowest_price(),
        None => crate::cost::unit_price(offer, sku, 1)?,
    };
    let units_for = |amount: Decimal| -> Result<i64, EngineError> {
        if lowest <= Decimal::ZERO {
            return Ok(0);
        }
        i64::try_from((amount / lowest).ceil()).map_err(|_| EngineError::Overflow)
    };
    let freight = request.supplier_freight.get(&supplier_key(offer)).unwrap_or(&request.freight);
    let mut largest = request.quantity.max(offer.moq.unwrap_or(1)).max(seller_top);
    if let Some(threshold) = freight.free_over {
        largest = largest.max(units_for(threshold)?);
    }
    if let Some(mix) = offer.mix.as_ref().filter(|m| m.allowed) {
        largest = largest.max(mix.min_pieces.unwrap_or(0));
        if let Some(amount) = mix.min_amount {
            largest = largest.max(units_for(amount)?);
        }
    }
    let cap = largest.checked_add(2 * batch - 1).map(|x| x / batch * batch).ok_or(EngineError::Overflow)?;
    Ok(match request.max_overstock {
        Some(over) => cap.min(request.quantity.saturating_add(over)),
        None => cap,
    })
}

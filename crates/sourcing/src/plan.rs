//! Purchase plans: lines grouped by supplier and re-priced after consolidation — the SKUs of an
//! offer always share its tier, and a seller that allows mixed batches (混批) prices every offer
//! at the combined quantity once its minimum amount and pieces are met. MOQ, batch and mixing
//! violations come with the smallest fix; an optimize mode raises quantities where that lowers
//! the total.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cost::Freight;
use crate::error::EngineError;
use crate::model::{Offer, QuoteType};

/// One thing to buy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanLine {
    /// The offer.
    pub offer_id: i64,
    /// The SKU, if the line is for one.
    pub sku_id: Option<i64>,
    /// Units.
    pub quantity: i64,
    /// The SKU by its attributes instead of its id (`颜色` → `黑色`), as a buyer names a variant;
    /// [`plan`] resolves it against the offer (see [`crate::select_sku`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub spec: BTreeMap<String, String>,
}

impl PlanLine {
    /// A line for `quantity` units of an offer, or of one of its SKUs.
    pub fn new(offer_id: i64, sku_id: Option<i64>, quantity: i64) -> Self {
        Self { offer_id, sku_id, quantity, spec: BTreeMap::new() }
    }
}

/// How to plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanOptions {
    /// Freight per supplier shipment.
    pub freight: Freight,
    /// Freight terms of particular suppliers (by supplier key), overriding `freight`.
    pub supplier_freight: BTreeMap<String, Freight>,
    /// Raise quantities where that lowers the total.
    pub optimize: bool,
}

/// A line with its price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PricedLine {
    /// Position in the input (1-based).
    pub line: usize,
    /// The offer.
    pub offer_id: i64,
    /// The SKU.
    pub sku_id: Option<i64>,
    /// Units.
    pub quantity: i64,
    /// Unit price after consolidation.
    pub unit_price: Decimal,
    /// Quantity × unit price.
    pub amount: Decimal,
}

/// A rule the group breaks, with the smallest fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    /// The offer's quantity is below its MOQ (and no mixed batch waives it).
    BelowMoq {
        /// Offer.
        offer_id: i64,
        /// Quantity planned.
        quantity: i64,
        /// MOQ.
        moq: i64,
        /// Units to add.
        add_units: i64,
    },
    /// The offer's quantity is not a multiple of its batch number.
    NotBatchMultiple {
        /// Offer.
        offer_id: i64,
        /// Quantity planned.
        quantity: i64,
        /// Batch number.
        batch: i64,
        /// Units to add.
        add_units: i64,
    },
    /// More units of an offer (or of one of its SKUs) than it has in stock.
    OverStock {
        /// Offer.
        offer_id: i64,
        /// The SKU, when the lines name one.
        sku_id: Option<i64>,
        /// Quantity planned.
        quantity: i64,
        /// Units in stock.
        stock: i64,
        /// Units to remove (and buy elsewhere).
        remove_units: i64,
    },
    /// A mixed batch below the seller's minimum amount or pieces.
    MixMinimum {
        /// Amount planned.
        amount: Decimal,
        /// Minimum amount.
        min_amount: Option<Decimal>,
        /// Pieces planned.
        pieces: i64,
        /// Minimum pieces.
        min_pieces: Option<i64>,
        /// Cheapest top-up: this offer (and SKU) gets this many more units.
        top_up_offer: i64,
        /// The SKU of the top-up line.
        top_up_sku: Option<i64>,
        /// Units to add.
        top_up_units: i64,
        /// What the top-up costs.
        top_up_cost: Decimal,
    },
}

/// What to do about a violation, in one English line (see [`Violation::render`] for others).
impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(crate::language::Language::En))
    }
}

/// Everything bought from one supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupplierOrder {
    /// Supplier key (open id, else company, else `offer:{id}`).
    pub supplier: String,
    /// Company name where known.
    pub company: Option<String>,
    /// Whether the lines are priced as one mixed batch.
    pub mixed: bool,
    /// Priced lines.
    pub lines: Vec<PricedLine>,
    /// Goods amount.
    pub goods: Decimal,
    /// Weight in kg.
    pub weight_kg: Decimal,
    /// Freight of the shipment.
    pub freight: Decimal,
    /// Goods + freight.
    pub total: Decimal,
    /// Rules broken.
    pub violations: Vec<Violation>,
}

/// A quantity the optimizer raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Raise {
    /// Line (1-based).
    pub line: usize,
    /// From.
    pub from: i64,
    /// To.
    pub to: i64,
    /// Total saved by the raise.
    pub saving: Decimal,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PurchasePlan {
    /// One order per supplier, in order of first appearance.
    pub orders: Vec<SupplierOrder>,
    /// All goods.
    pub goods: Decimal,
    /// All freight.
    pub freight: Decimal,
    /// Goods + freight.
    pub total: Decimal,
    /// Raises made in optimize mode.
    pub raises: Vec<Raise>,
}

/// The key a supplier is grouped by.
pub fn supplier_key(offer: &Offer) -> String {
    offer
        .supplier
        .open_id
        .clone()
        .or_else(|| offer.supplier.company.clone())
        .unwrap_or_else(|| format!("offer:{}", offer.id))
}

fn price_of(offer: &Offer, sku: Option<i64>, tier_qty: i64) -> Result<Decimal, EngineError> {
    if let Some(sku_id) = sku {
        let found = offer
            .skus
            .iter()
            .find(|s| s.id == sku_id)
            .ok_or(EngineError::UnknownSku { offer: offer.id, sku: sku_id })?;
        if offer.quote_type.is_some_and(QuoteType::is_priced_per_sku) {
            return found.price.ok_or(EngineError::NoPrice { offer: offer.id });
        }
    }
    let ladder = offer.ladder.as_ref().ok_or(EngineError::NoPrice { offer: offer.id })?;
    Ok(ladder.unit_price(tier_qty).unwrap_or(ladder.tiers()[0].unit_price))
}

/// Prices one supplier's lines (indexes into `lines`).
fn price_group(
    key: &str,
    members: &[usize],
    lines: &[PlanLine],
    offers: &HashMap<i64, &Offer>,
    freight: &Freight,
) -> Result<SupplierOrder, EngineError> {
    let mut per_offer: BTreeMap<i64, i64> = BTreeMap::new();
    for &i in members {
        *per_offer.entry(lines[i].offer_id).or_default() += lines[i].quantity;
    }
    let first = offers[&lines[members[0]].offer_id];
    let rule = members.iter().find_map(|&i| offers[&lines[i].offer_id].mix.clone().filter(|m| m.allowed));
    let pieces: i64 = per_offer.values().sum();
    let mixed = rule.is_some() && per_offer.len() > 1;
    let mut priced = Vec::with_capacity(members.len());
    let (mut goods, mut weight) = (Decimal::ZERO, Decimal::ZERO);
    for &i in members {
        let line = &lines[i];
        let offer = offers[&line.offer_id];
        let tier_qty = if mixed { pieces } else { per_offer[&line.offer_id] };
        let unit_price = price_of(offer, line.sku_id, tier_qty)?;
        let amount = unit_price.checked_mul(Decimal::from(line.quantity)).ok_or(EngineError::Overflow)?;
        goods = goods.checked_add(amount).ok_or(EngineError::Overflow)?;
        weight += offer.shipping.weight_kg.unwrap_or_default() * Decimal::from(line.quantity);
        priced.push(PricedLine {
            line: i + 1,
            offer_id: line.offer_id,
            sku_id: line.sku_id,
            quantity: line.quantity,
            unit_price,
            amount,
        });
    }
    let mut violations = Vec::new();
    let mix_met = match &rule {
        Some(rule) if mixed => {
            let short_amount = rule.min_amount.map_or(Decimal::ZERO, |m| (m - goods).max(Decimal::ZERO));
            let short_pieces = rule.min_pieces.map_or(0, |m| (m - pieces).max(0));
            if short_amount > Decimal::ZERO || short_pieces > 0 {
                let cheapest = priced
                    .iter()
                    .min_by(|a, b| a.unit_price.cmp(&b.unit_price).then(a.line.cmp(&b.line)))
                    .expect("a group has lines");
                let by_amount = if cheapest.unit_price > Decimal::ZERO {
                    i64::try_from((short_amount / cheapest.unit_price).ceil()).map_err(|_| EngineError::Overflow)?
                } else {
                    0
                };
                let units = by_amount.max(short_pieces);
                violations.push(Violation::MixMinimum {
                    amount: goods,
                    min_amount: rule.min_amount,
                    pieces,
                    min_pieces: rule.min_pieces,
                    top_up_offer: cheapest.offer_id,
                    top_up_sku: cheapest.sku_id,
                    top_up_units: units,
                    top_up_cost: cheapest.unit_price * Decimal::from(units),
                });
                false
            } else {
                true
            }
        }
        _ => false,
    };
    for (&offer_id, &quantity) in &per_offer {
        let offer = offers[&offer_id];
        let moq = offer.moq.unwrap_or(1);
        if quantity < moq && !mix_met {
            violations.push(Violation::BelowMoq { offer_id, quantity, moq, add_units: moq - quantity });
        }
        if let Some(batch) = offer.batch_number.filter(|&b| b > 1)
            && quantity % batch != 0
        {
            violations.push(Violation::NotBatchMultiple {
                offer_id,
                quantity,
                batch,
                add_units: batch - quantity % batch,
            });
        }
    }
    violations.extend(stock_violations(members, lines, offers));
    let freight = freight.cost(goods, weight);
    Ok(SupplierOrder {
        supplier: key.to_owned(),
        company: first.supplier.company.clone(),
        mixed,
        lines: priced,
        goods,
        weight_kg: weight,
        freight,
        total: goods + freight,
        violations,
    })
}

/// Units planned beyond the stock: per SKU for lines that name one, per offer for the rest.
fn stock_violations(members: &[usize], lines: &[PlanLine], offers: &HashMap<i64, &Offer>) -> Vec<Violation> {
    let mut planned: BTreeMap<(i64, Option<i64>), i64> = BTreeMap::new();
    for &i in members {
        let entry = planned.entry((lines[i].offer_id, lines[i].sku_id)).or_default();
        *entry = entry.saturating_add(lines[i].quantity);
    }
    planned
        .into_iter()
        .filter_map(|((offer_id, sku_id), quantity)| {
            let stock = offers[&offer_id].available(sku_id)?;
            (quantity > stock).then(|| Violation::OverStock {
                offer_id,
                sku_id,
                quantity,
                stock,
                remove_units: quantity.saturating_sub(stock),
            })
        })
        .collect()
}

/// Whether raising line `i` to `to` units keeps its offer (or SKU) within stock.
fn raise_fits_stock(i: usize, to: i64, members: &[usize], lines: &[PlanLine], offer: &Offer) -> bool {
    let Some(stock) = offer.available(lines[i].sku_id) else { return true };
    let others: i64 = members
        .iter()
        .filter(|&&j| j != i && lines[j].offer_id == lines[i].offer_id && lines[j].sku_id == lines[i].sku_id)
        .map(|&j| lines[j].quantity)
        .sum();
    others.saturating_add(to) <= stock
}

/// Groups, prices and checks a list of lines; with `optimize`, raises quantities to cheaper
/// tiers where the supplier's total falls.
pub fn plan(lines: &[PlanLine], offers: &[Offer], options: &PlanOptions) -> Result<PurchasePlan, EngineError> {
    let by_id: HashMap<i64, &Offer> = offers.iter().map(|o| (o.id, o)).collect();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if line.quantity <= 0 {
            return Err(EngineError::BadQuantity { quantity: line.quantity });
        }
        let offer = by_id.get(&line.offer_id).ok_or(EngineError::UnknownOffer { line: i + 1, offer: line.offer_id })?;
        let key = supplier_key(offer);
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    // Lines that name their SKU by attributes get its id; naming it both ways is ambiguous.
    let mut lines = lines.to_vec();
    for (i, line) in lines.iter_mut().enumerate() {
        if line.spec.is_empty() {
            continue;
        }
        if line.sku_id.is_some() {
            return Err(EngineError::BadLine {
                line: i + 1,
                reason: "names its SKU both by id and by attributes".into(),
            });
        }
        line.sku_id = crate::sku::select_sku(by_id[&line.offer_id], &line.spec)?;
        line.spec.clear();
    }
    let mut raises = Vec::new();
    let mut orders = Vec::with_capacity(groups.len());
    for (key, members) in &groups {
        let freight = options.supplier_freight.get(key).unwrap_or(&options.freight);
        let mut order = price_group(key, members, &lines, &by_id, freight)?;
        if options.optimize {
            loop {
                let mut best: Option<(usize, i64, SupplierOrder)> = None;
                for &i in members {
                    let offer = by_id[&lines[i].offer_id];
                    let Some(ladder) = &offer.ladder else { continue };
                    let group_qty: i64 = if order.mixed {
                        order.lines.iter().map(|l| l.quantity).sum()
                    } else {
                        members
                            .iter()
                            .filter(|&&j| lines[j].offer_id == lines[i].offer_id)
                            .map(|&j| lines[j].quantity)
                            .sum()
                    };
                    let Some(next) = ladder.tiers().iter().find(|t| t.min_qty > group_qty) else { continue };
                    let to = lines[i].quantity + (next.min_qty - group_qty);
                    if !raise_fits_stock(i, to, members, &lines, offer) {
                        continue;
                    }
                    let from = std::mem::replace(&mut lines[i].quantity, to);
                    let candidate = price_group(key, members, &lines, &by_id, freight)?;
                    lines[i].quantity = from;
                    if candidate.total < best.as_ref().map_or(order.total, |b| b.2.total) {
                        best = Some((i, to, candidate));
                    }
                }
                let Some((i, to, better)) = best else { break };
                raises.push(Raise { line: i + 1, from: lines[i].quantity, to, saving: order.total - better.total });
                lines[i].quantity = to;
                order = better;
            }
        }
        orders.push(order);
    }
    let goods = orders.iter().map(|o| o.goods).sum();
    let freight = orders.iter().map(|o| o.freight).sum();
    Ok(PurchasePlan { orders, goods, freight, total: goods + freight, raises })
}

//! `order preview`: a purchase plan turned into one order per supplier, each previewed by the
//! platform, with every difference between the plan and the platform named (a unit price, the
//! freight, a promotion, the total) and every refusal explained with its offer and SKU. Nothing is
//! placed here; placing ([`crate::order_place`]) starts from this report.

use std::collections::HashMap;

use open1688::types::api::order::{
    AddressParam, CargoParam, OrderPreview, PreviewCargo, PreviewEntry, check_order_lines,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sourcing::plan::SupplierOrder;

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::plan::PlanRequest;
use crate::progress::Progress;

/// Where the goods go: a saved address by id, or a receiver and an address (the district code
/// or the province and city as text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipTo {
    /// A saved address of the buyer's (enough on its own).
    #[serde(default)]
    pub address_id: Option<i64>,
    /// The receiver.
    #[serde(default)]
    pub name: Option<String>,
    /// The receiver's mobile number.
    #[serde(default)]
    pub mobile: Option<String>,
    /// A landline, digits only.
    #[serde(default)]
    pub phone: Option<String>,
    /// Province (`浙江省`).
    #[serde(default)]
    pub province: Option<String>,
    /// City (`金华市`).
    #[serde(default)]
    pub city: Option<String>,
    /// District (`义乌市`).
    #[serde(default)]
    pub district: Option<String>,
    /// Street and number.
    #[serde(default)]
    pub street: Option<String>,
    /// Post code.
    #[serde(default)]
    pub post_code: Option<String>,
    /// District code (instead of the province and city as text).
    #[serde(default)]
    pub district_code: Option<String>,
}

impl ShipTo {
    /// Checks that the address is one the platform can use; the error names the field.
    pub fn validate(&self) -> Result<()> {
        if self.address_id.is_some() {
            return Ok(());
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&self.name) {
            return Err(JobError::invalid("ship_to.name", "who receives the goods (or give a saved address_id)"));
        }
        if blank(&self.mobile) && blank(&self.phone) {
            return Err(JobError::invalid("ship_to.mobile", "a mobile or phone number for the receiver"));
        }
        if let Some(phone) = &self.phone
            && !phone.chars().all(|c| c.is_ascii_digit() || c == '-')
        {
            return Err(JobError::invalid(
                "ship_to.phone",
                format!("{phone:?}: digits only (the platform refuses words)"),
            ));
        }
        if blank(&self.street) {
            return Err(JobError::invalid("ship_to.street", "the street and number"));
        }
        if blank(&self.district_code) && (blank(&self.province) || blank(&self.city)) {
            return Err(JobError::invalid("ship_to.province", "the province and city (or a district_code)"));
        }
        Ok(())
    }

    /// The platform's `addressParam`.
    pub fn param(&self) -> AddressParam {
        AddressParam {
            address_id: self.address_id,
            full_name: self.name.clone(),
            mobile: self.mobile.clone(),
            phone: self.phone.clone(),
            post_code: self.post_code.clone(),
            district_code: self.district_code.clone(),
            province_text: self.province.clone(),
            city_text: self.city.clone(),
            area_text: self.district.clone(),
            town_text: None,
            address: self.street.clone(),
        }
    }
}

/// What to order: a plan's lines, where they go, and a name for the batch.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    /// The purchase plan (lines, optimize).
    pub plan: PlanRequest,
    /// Where the goods go.
    pub ship_to: ShipTo,
    /// A name for this batch of orders (default: a digest of the plan's lines). Placing the same
    /// lines of the same batch again finds the orders already placed instead of placing more.
    #[serde(default)]
    pub batch: Option<String>,
    /// A note to every seller.
    #[serde(default)]
    pub message: Option<String>,
}

/// How the platform's figure differs from the plan's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// A line's unit price.
    Price,
    /// The shipment's freight.
    Freight,
    /// A promotion the plan did not count.
    Promotion,
    /// The order's total.
    Total,
}

/// One difference between the plan and the platform's preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Difference {
    /// What differs.
    pub kind: DifferenceKind,
    /// The offer, for a price.
    pub offer_id: Option<i64>,
    /// The SKU's spec id, for a price.
    pub spec_id: Option<String>,
    /// The plan's figure (CNY).
    pub plan: Decimal,
    /// The platform's figure (CNY).
    pub platform: Decimal,
}

/// The platform's refusal of an order: its code, what the code means, and its words (which
/// name the offer and SKU).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Refusal {
    /// `500_001` … `500_009` (or another code of the platform's).
    pub code: Option<String>,
    /// The explanation, with the platform's message.
    pub message: String,
}

/// One supplier's order as previewed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PreviewedOrder {
    /// Our order number for it (stable for the same batch, supplier and lines).
    pub out_order_id: String,
    /// The supplier.
    pub supplier: String,
    /// Its company, where known.
    pub company: Option<String>,
    /// The lines as sent (offer, spec id, quantity), with the plan's unit prices.
    pub lines: Vec<open1688_store::OrderLine>,
    /// The plan's goods, freight and total (CNY).
    pub plan_goods: Decimal,
    /// The plan's freight.
    pub plan_freight: Decimal,
    /// The plan's total.
    pub plan_total: Decimal,
    /// The platform's total (goods after promotions, plus freight), when it previewed.
    pub platform_total: Option<Decimal>,
    /// The platform's freight.
    pub platform_freight: Option<Decimal>,
    /// Promotions the platform applies (the shop's `discountFee`, else its line promotions).
    pub platform_discount: Option<Decimal>,
    /// How many orders the platform would make of it (several when it splits it; 0 when it did
    /// not preview it).
    pub platform_orders: usize,
    /// Every figure that differs.
    pub differences: Vec<Difference>,
    /// Why the platform refuses it, if it does.
    pub refused: Option<Refusal>,
}

impl PreviewedOrder {
    /// What placing it would cost: the platform's total, else the plan's.
    pub fn expected_total(&self) -> Decimal {
        self.platform_total.unwrap_or(self.plan_total)
    }
}

/// Every supplier's order previewed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderPreviewReport {
    /// The batch's name.
    pub batch: String,
    /// One order per supplier.
    pub orders: Vec<PreviewedOrder>,
    /// What the plan expects to pay in all.
    pub plan_total: Decimal,
    /// What the platform would charge in all (for the orders it accepts).
    pub platform_total: Decimal,
    /// Whether every order can be placed as previewed.
    pub placeable: bool,
}

/// Our order number for `lines` of `supplier` in `batch`: the same inputs, the same number.
pub fn out_order_id(batch: &str, supplier: &str, lines: &[open1688_store::OrderLine]) -> String {
    let mut hash = Sha256::new();
    hash.update(batch.as_bytes());
    hash.update(b"\n");
    hash.update(supplier.as_bytes());
    for l in lines {
        hash.update(format!("\n{}:{}:{}", l.offer_id, l.spec_id.as_deref().unwrap_or(""), l.quantity).as_bytes());
    }
    format!("o1688-{}", &hex::encode(hash.finalize())[..24])
}

/// A default batch name: a digest of the plan's lines.
fn batch_of(request: &OrderRequest) -> String {
    request.batch.clone().filter(|b| !b.trim().is_empty()).unwrap_or_else(|| {
        let mut hash = Sha256::new();
        for l in &request.plan.lines {
            hash.update(format!("{}:{}:{}\n", l.offer_id, l.sku_id.unwrap_or(0), l.quantity).as_bytes());
        }
        format!("plan-{}", &hex::encode(hash.finalize())[..12])
    })
}

/// The platform's figures against the plan's, every one that differs. `entries` are the
/// orders the platform would make of this one (several when it splits it): their sums are
/// compared with the plan's. A promotion is the entries' `discountFee`; where the platform
/// leaves it null, a line whose `amount` is below `finalUnitPrice` × quantity shows a line
/// promotion, and those are counted instead.
pub fn differences(
    order: &SupplierOrder,
    lines: &[open1688_store::OrderLine],
    entries: &[PreviewEntry],
) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut by_line: HashMap<(i64, Option<&str>), &PreviewCargo> = HashMap::new();
    for cargo in entries.iter().flat_map(|e| &e.cargo) {
        if let Some(offer) = cargo.offer_id {
            by_line.insert((offer, cargo.spec_id.as_deref()), cargo);
        }
    }
    let mut line_promotions = Decimal::ZERO;
    for line in lines {
        let Some(cargo) = by_line.get(&(line.offer_id, line.spec_id.as_deref())) else { continue };
        line_promotions += cargo.line_discount(line.quantity).unwrap_or_default();
        if let Some(platform) = cargo.final_unit_price
            && platform != line.unit_price
        {
            out.push(Difference {
                kind: DifferenceKind::Price,
                offer_id: Some(line.offer_id),
                spec_id: line.spec_id.clone(),
                plan: line.unit_price,
                platform,
            });
        }
    }
    let sum = |figure: fn(&PreviewEntry) -> Option<Decimal>| entries.iter().map(figure).sum::<Option<Decimal>>();
    let figure = |kind, plan: Decimal, platform: Option<Decimal>| {
        platform.filter(|p| *p != plan).map(|platform| Difference {
            kind,
            offer_id: None,
            spec_id: None,
            plan,
            platform,
        })
    };
    let promotion = match entries.iter().filter_map(PreviewEntry::discount_yuan).sum::<Decimal>() {
        shop if !shop.is_zero() => Some(shop),
        _ => Some(line_promotions).filter(|d| !d.is_zero()),
    };
    out.extend(figure(DifferenceKind::Freight, order.freight, sum(PreviewEntry::freight_yuan)));
    out.extend(figure(DifferenceKind::Promotion, Decimal::ZERO, promotion));
    out.extend(figure(DifferenceKind::Total, order.total, sum(PreviewEntry::total_yuan)));
    out
}

impl Jobs {
    /// Plans the request's lines, then previews one order per supplier with the platform.
    pub async fn preview_orders(&self, request: &OrderRequest, progress: &Progress) -> Result<OrderPreviewReport> {
        request.ship_to.validate()?;
        let plan = self.plan(&request.plan, progress).await?.plan;
        let batch = batch_of(request);
        let mut ids: Vec<i64> = plan.orders.iter().flat_map(|o| o.lines.iter().map(|l| l.offer_id)).collect();
        ids.sort_unstable();
        ids.dedup();
        // Read again for the SKUs' spec ids (cached: the plan just read them); an order does not
        // score its suppliers, so no profile is read.
        let details = self.named_offers(&ids, progress).await?;
        let spec_of: HashMap<(i64, i64), Option<String>> =
            details.iter().flat_map(|d| d.offer.skus.iter().map(|s| ((d.offer.id, s.id), s.spec_id.clone()))).collect();
        let title_of: HashMap<i64, String> = details.iter().map(|d| (d.offer.id, d.offer.title.clone())).collect();
        // The platform needs a SKU for an offer that has them; say so before asking it.
        for order in &plan.orders {
            for line in order.lines.iter().filter(|l| l.sku_id.is_none()) {
                if details.iter().any(|d| d.offer.id == line.offer_id && !d.offer.skus.is_empty()) {
                    return Err(JobError::invalid(
                        format!("plan line {}", line.line),
                        format!("offer {} has SKUs: name one (sku_id, or the spec by its attributes)", line.offer_id),
                    ));
                }
            }
        }
        let mut orders = Vec::with_capacity(plan.orders.len());
        for (n, order) in plan.orders.iter().enumerate() {
            progress.check()?;
            let name = order.company.as_deref().unwrap_or(&order.supplier);
            progress.note(format!("previewing order {} of {} ({name})", n + 1, plan.orders.len()));
            let lines: Vec<open1688_store::OrderLine> = order
                .lines
                .iter()
                .map(|l| open1688_store::OrderLine {
                    offer_id: l.offer_id,
                    spec_id: l.sku_id.and_then(|sku| spec_of.get(&(l.offer_id, sku)).cloned().flatten()),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    title: title_of.get(&l.offer_id).cloned(),
                })
                .collect();
            let cargo: Vec<CargoParam> = lines
                .iter()
                .map(|l| CargoParam { offer_id: l.offer_id, spec_id: l.spec_id.clone(), quantity: l.quantity })
                .collect();
            check_order_lines(&cargo).map_err(|why| JobError::invalid(format!("order for {}", order.supplier), why))?;
            let asked = OrderPreview { address: request.ship_to.param(), cargo, flow: Some("general".into()) };
            let mut previewed = PreviewedOrder {
                out_order_id: out_order_id(&batch, &order.supplier, &lines),
                supplier: order.supplier.clone(),
                company: order.company.clone(),
                plan_goods: order.goods,
                plan_freight: order.freight,
                plan_total: order.total,
                platform_total: None,
                platform_freight: None,
                platform_discount: None,
                platform_orders: 0,
                differences: Vec::new(),
                refused: None,
                lines,
            };
            match self.client().execute(&asked).await {
                Ok(answer) if !answer.previews.is_empty() => {
                    let entries = &answer.previews;
                    previewed.platform_total = entries.iter().map(PreviewEntry::total_yuan).sum();
                    previewed.platform_freight = entries.iter().map(PreviewEntry::freight_yuan).sum();
                    previewed.platform_orders = entries.len();
                    previewed.differences = differences(order, &previewed.lines, entries);
                    previewed.platform_discount = previewed
                        .differences
                        .iter()
                        .find(|d| d.kind == DifferenceKind::Promotion)
                        .map(|d| d.platform)
                        .or_else(|| entries.iter().map(PreviewEntry::discount_yuan).sum());
                }
                Ok(_) => {
                    previewed.refused =
                        Some(Refusal { code: None, message: "the platform previewed no order".to_owned() })
                }
                Err(open1688::Error::Business { failure, .. }) => {
                    previewed.refused = Some(Refusal {
                        code: failure.code.clone(),
                        message: failure.message.clone().unwrap_or_else(|| "refused".to_owned()),
                    });
                }
                Err(e) => return Err(JobError::gateway(format!("the preview of {}'s order", order.supplier), e)),
            }
            orders.push(previewed);
        }
        let placeable = orders.iter().all(|o| o.refused.is_none());
        let platform_total = orders.iter().filter_map(|o| o.platform_total).sum();
        Ok(OrderPreviewReport { batch, plan_total: plan.total, platform_total, placeable, orders })
    }
}

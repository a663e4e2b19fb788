//! `quote`: how many to buy of one offer — the options table, buy now versus split batches, and
//! the stock risk of each.

use crate::field_refusal::FieldRefusal;
use serde::{Deserialize, Serialize};
use sourcing::{
    CrossBorderCost, Offer, QuantityAdvice, RiskThresholds, SplitOption, cross_border_cost, optimal_quantity,
    select_sku, split_options,
};

use crate::candidates::NeedRequest;
use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::Progress;
use crate::sheet::{Cell, Sheet};

/// A quote request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// The offer.
    pub offer_id: i64,
    /// The need.
    #[serde(flatten)]
    pub need: NeedRequest,
    /// Price this SKU (offers priced per SKU), by id (or name it by attributes: the need's `spec`).
    #[serde(default)]
    pub sku: Option<i64>,
    /// Compare buying in up to this many split batches (default 3).
    #[serde(default = "default_batches")]
    pub batches: i64,
}

fn default_batches() -> i64 {
    3
}

/// The answer: which quantity to buy and why, and the split-batch comparison when a sales rate
/// is known.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuoteReport {
    /// The offer quoted.
    pub offer: Offer,
    /// The options table and the recommended row, with its reason.
    pub advice: QuantityAdvice,
    /// Buy now versus 2…k batches; `None` without a sales rate (given or from monthly sales).
    pub batches: Option<Vec<SplitOption>>,
    /// The recommended quantity delivered abroad, in CNY and the buyer's currency, when the
    /// policy has cross-border terms (`[sourcing.cross_border]`).
    pub cross_border: Option<CrossBorderCost>,
    /// Price and stock trend at the recommended quantity, from the store's history of the
    /// offer (only for offers a watch has followed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<sourcing::Trend>,
}

impl Jobs {
    /// `quote`: the optimal quantity of one offer for a need.
    pub async fn quote(&self, request: &QuoteRequest, progress: &Progress) -> Result<QuoteReport> {
        request.need.resolve(None)?;
        if !(1..=100).contains(&request.batches) {
            return Err(JobError::refused("batches", FieldRefusal::between(1, 100, request.batches)));
        }
        if request.sku.is_some() && !request.need.spec.is_empty() {
            return Err(JobError::invalid("spec", "name the SKU by its id or by its attributes, not both"));
        }
        let c = self.named_candidate(request.offer_id, progress).await?;
        let sku = match select_sku(&c.offer, &request.need.spec)? {
            Some(id) => Some(id),
            None => request.sku,
        };
        let need = request.need.resolve(Some(&c.offer))?;
        let freight = &self.sourcing_policy().freight;
        let advice = optimal_quantity(&c.offer, sku, &need, freight)?;
        let batches = match need.daily_sales {
            Some(daily) => Some(split_options(
                &c.offer,
                sku,
                advice.best().quantity,
                daily,
                request.batches,
                freight,
                &RiskThresholds::default(),
            )?),
            None => None,
        };
        let cross_border = match &self.sourcing_policy().cross_border {
            Some(terms) => {
                let landed = sourcing::landed_cost(&c.offer, sku, advice.best().quantity, freight)?;
                Some(cross_border_cost(&c.offer, &landed, terms, chrono::Utc::now().date_naive())?)
            }
            None => None,
        };
        let trend = self.trend_of(c.offer.id, advice.best().quantity).await;
        Ok(QuoteReport { offer: c.offer, advice, batches, cross_border, trend })
    }
}

impl QuoteReport {
    /// Sheets: the options, and the batches when known.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut options = Sheet::new(
            "options",
            &["quantity", "unit_price", "goods", "freight", "holding", "total", "extra_units", "saving", "recommended"],
        );
        for (i, o) in self.advice.options.iter().enumerate() {
            options.push(vec![
                Cell::Int(o.quantity),
                Cell::Money(o.unit_price),
                Cell::Money(o.goods),
                Cell::Money(o.freight),
                Cell::Money(o.holding),
                Cell::Money(o.total),
                Cell::Int(o.extra_units),
                Cell::Money(o.saving),
                Cell::flag(i == self.advice.recommended),
            ]);
        }
        let mut sheets = vec![options];
        if let Some(batches) = &self.batches {
            let mut s = Sheet::new(
                "batches",
                &["batches", "per_batch", "unit_price", "total", "extra_cost", "turnover_days", "risk"],
            );
            for o in batches {
                s.push(vec![
                    Cell::Int(o.batches),
                    Cell::Int(o.per_batch),
                    Cell::Money(o.unit_price),
                    Cell::Money(o.total),
                    Cell::Money(o.extra_cost),
                    Cell::Num(o.turnover_days),
                    Cell::Text(o.risk.to_string()),
                ]);
            }
            sheets.push(s);
        }
        if let Some(c) = &self.cross_border {
            sheets.push(cross_border_sheet(c));
        }
        sheets
    }

    /// The offer's price ladder as steps, up to twice the recommended quantity, its words in
    /// `language`.
    #[cfg(feature = "charts")]
    pub fn chart(&self, path: &std::path::Path, language: sourcing::Language) -> Result<()> {
        let words = crate::chart_words::ChartWords::of(language);
        crate::charts::ladder_steps(
            path,
            words,
            &format!("{} {}", self.offer.title, words.price_ladder),
            &crate::offers::ladder_points(&self.offer),
            self.advice.best().quantity.saturating_mul(2),
            &[crate::charts::LadderMark::Buy(self.advice.best().quantity)],
        )
    }
}

/// The `cross-border` sheet: one quantity delivered abroad, every part of its cost.
pub(crate) fn cross_border_sheet(c: &CrossBorderCost) -> Sheet {
    let mut s = Sheet::new(
        "cross-border",
        &[
            "quantity",
            "goods",
            "domestic_freight",
            "agent_fee",
            "chargeable_kg",
            "international_freight",
            "duty",
            "vat",
            "total_cny",
            "per_unit_cny",
            "currency",
            "total",
            "per_unit",
        ],
    );
    s.push(vec![
        Cell::Int(c.quantity),
        Cell::Money(c.goods),
        Cell::Money(c.domestic_freight),
        Cell::Money(c.agent_fee),
        c.chargeable_kg.map_or(Cell::Empty, |kg| Cell::Num(kg.round_dp(2))),
        Cell::Money(c.international_freight),
        Cell::Money(c.duty),
        Cell::Money(c.vat),
        Cell::Money(c.total_cny),
        Cell::Money(c.per_unit_cny),
        Cell::Text(c.currency.clone()),
        Cell::Money(c.total),
        Cell::Money(c.per_unit),
    ]);
    s
}

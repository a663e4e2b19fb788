//! The domain model every decision works on: offers with SKUs and a price ladder, and the
//! suppliers behind them. Money is `Decimal`; a field the platform did not send is `None`, never
//! a silent zero.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ladder::PriceLadder;

/// How an offer is priced (`quoteType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuoteType {
    /// 0: by quantity, no SKUs.
    ByQuantity,
    /// 1: each SKU has its own price.
    BySku,
    /// 2: SKUs exist, the price follows the quantity ladder.
    SkusByQuantity,
    /// 3: each SKU has its own price range (the official cross-border model's SKU_PRICE_RANGE);
    /// priced per SKU like 1.
    SkuPriceRange,
    /// A value the model does not know.
    Other(i64),
}

impl QuoteType {
    /// From the wire value.
    pub fn from_wire(v: i64) -> Self {
        match v {
            0 => Self::ByQuantity,
            1 => Self::BySku,
            2 => Self::SkusByQuantity,
            3 => Self::SkuPriceRange,
            other => Self::Other(other),
        }
    }

    /// Whether a unit's price is its SKU's own (1 and 3) rather than the offer's ladder.
    pub fn is_priced_per_sku(self) -> bool {
        matches!(self, Self::BySku | Self::SkuPriceRange)
    }
}

/// Category ids from top to leaf, with the leaf's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryPath {
    /// Top, second and leaf ids where known.
    pub ids: Vec<i64>,
    /// The leaf's name.
    pub leaf_name: Option<String>,
}

/// The selling unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unit {
    /// Chinese (`件`).
    pub name: Option<String>,
    /// Translated (`Piece`).
    pub name_en: Option<String>,
}

/// Package and dispatch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Shipping {
    /// Gross weight per unit in kg.
    pub weight_kg: Option<Decimal>,
    /// Length, width, height in cm.
    pub dimensions_cm: Option<[Decimal; 3]>,
    /// Ship-from location.
    pub ship_from: Option<String>,
    /// Dispatch guarantee (`shipIn48Hours`).
    pub dispatch_guarantee: Option<String>,
}

/// The seller's mixed-batch rule (混批): the tier follows the combined quantity across SKUs or
/// offers, once the minimum amount and pieces are met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MixRule {
    /// Mixing allowed.
    pub allowed: bool,
    /// Minimum order amount.
    pub min_amount: Option<Decimal>,
    /// Minimum pieces.
    pub min_pieces: Option<i64>,
}

/// Who sells an offer, as far as the offer itself says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupplierRef {
    /// `sellerOpenId`.
    pub open_id: Option<String>,
    /// Company name.
    pub company: Option<String>,
}

/// One stock-keeping unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sku {
    /// SKU id.
    pub id: i64,
    /// Spec id.
    pub spec_id: Option<String>,
    /// Attribute name → value (`颜色` → `红色`), in the platform's order.
    pub attributes: Vec<(String, String)>,
    /// Unit price of this SKU (quote type 1) or the first tier's (otherwise).
    pub price: Option<Decimal>,
    /// Promotion price.
    pub promotion_price: Option<Decimal>,
    /// Stock.
    pub stock: Option<i64>,
    /// Image of the SKU's colour.
    pub image: Option<String>,
}

/// A fully described offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Offer {
    /// Offer id.
    pub id: i64,
    /// Chinese title.
    pub title: String,
    /// English (or requested language) title.
    pub title_en: Option<String>,
    /// Category.
    pub category: CategoryPath,
    /// Image URLs, main first.
    pub images: Vec<String>,
    /// Selling unit.
    pub unit: Unit,
    /// Minimum order quantity.
    pub moq: Option<i64>,
    /// Order in multiples of this; `None` when the platform sets none (0).
    pub batch_number: Option<i64>,
    /// The quantity ladder (`None` when the offer shows no prices).
    pub ladder: Option<PriceLadder>,
    /// How prices are set.
    pub quote_type: Option<QuoteType>,
    /// SKUs.
    pub skus: Vec<Sku>,
    /// Total stock.
    pub stock: Option<i64>,
    /// Units sold in the last 30 days.
    pub monthly_sales: Option<i64>,
    /// Repurchase rate as a fraction (0.13 for 13 %).
    pub repurchase_rate: Option<Decimal>,
    /// Package and dispatch.
    pub shipping: Shipping,
    /// Mixed-batch rule.
    pub mix: Option<MixRule>,
    /// The seller.
    pub supplier: SupplierRef,
    /// Certificates (`CE`, `FCC`…).
    pub certificates: Vec<String>,
    /// Attributes name → value.
    pub attributes: Vec<(String, String)>,
    /// Detail page.
    pub detail_url: Option<String>,
    /// `published`, `expired`…
    pub status: Option<String>,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Fields the model does not name, as the platform sent them.
    pub raw: serde_json::Map<String, serde_json::Value>,
}

impl Offer {
    /// A hand-built offer with nothing but an id and a title (fill in the fields you know).
    pub fn new(id: i64, title: impl Into<String>) -> Self {
        Self {
            id,
            title: title.into(),
            title_en: None,
            category: CategoryPath::default(),
            images: Vec::new(),
            unit: Unit::default(),
            moq: None,
            batch_number: None,
            ladder: None,
            quote_type: None,
            skus: Vec::new(),
            stock: None,
            monthly_sales: None,
            repurchase_rate: None,
            shipping: Shipping::default(),
            mix: None,
            supplier: SupplierRef::default(),
            certificates: Vec::new(),
            attributes: Vec::new(),
            detail_url: None,
            status: None,
            fetched_at: DateTime::<Utc>::UNIX_EPOCH,
            raw: serde_json::Map::new(),
        }
    }

    /// Fills what the detail API does not carry (monthly sales, repurchase rate) from the
    /// offer's search result.
    pub fn complete_from(&mut self, summary: &OfferSummary) {
        if summary.id != self.id {
            return;
        }
        self.monthly_sales = self.monthly_sales.or(summary.monthly_sales);
        self.repurchase_rate = self.repurchase_rate.or(summary.repurchase_rate);
        self.title_en = self.title_en.take().or_else(|| summary.title_en.clone());
    }

    /// Units on sale of what would be bought: the SKU's stock when a SKU is named, else the
    /// offer's, else the sum of its SKUs' when every SKU says; `None` when the platform did not
    /// say (then no stock limit is applied).
    pub fn available(&self, sku: Option<i64>) -> Option<i64> {
        // A negative figure from the gateway means none on sale.
        if let Some(id) = sku {
            return self.skus.iter().find(|s| s.id == id).and_then(|s| s.stock).or(self.stock).map(|u| u.max(0));
        }
        if self.stock.is_some() {
            return self.stock.map(|u| u.max(0));
        }
        if self.skus.is_empty() {
            return None;
        }
        self.skus.iter().try_fold(0_i64, |sum, s| s.stock.map(|units| sum.saturating_add(units.max(0))))
    }

    /// Whether the offer can be bought (published and in stock).
    pub fn is_available(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s == "published") && self.stock != Some(0)
    }
}

/// Service scores on the platform's 0–5 scale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ServiceScores {
    /// Composite.
    pub composite: Option<Decimal>,
    /// Logistics.
    pub logistics: Option<Decimal>,
    /// Disputes and complaints (higher is better).
    pub dispute: Option<Decimal>,
    /// Offer experience.
    pub offer: Option<Decimal>,
    /// After-sales.
    pub after_sales: Option<Decimal>,
    /// Consulting.
    pub consulting: Option<Decimal>,
}

/// What is known about a supplier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Supplier {
    /// `sellerOpenId`.
    pub open_id: Option<String>,
    /// Login id.
    pub login_id: Option<String>,
    /// Company name.
    pub company: Option<String>,
    /// Where it is.
    pub location: Option<String>,
    /// Years on the platform (`tpYear`).
    pub years_on_platform: Option<i64>,
    /// Identities (`super_factory`…).
    pub identities: Vec<String>,
    /// Service scores.
    pub scores: ServiceScores,
    /// Repeat-purchase rate as a fraction.
    pub repurchase_rate: Option<Decimal>,
    /// Perfect fulfilment rate, 30 days, as a fraction.
    pub fulfillment_rate: Option<Decimal>,
    /// Picked up within 24 h, 30 days, as a fraction.
    pub pickup_rate: Option<Decimal>,
    /// Quality returns, 30 days, as a fraction.
    pub quality_return_rate: Option<Decimal>,
    /// Trade medal level.
    pub trade_medal: Option<i64>,
    /// Certificates.
    pub certificates: Vec<String>,
    /// Number of offers listed (from a seller listing's total).
    pub offer_count: Option<i64>,
}

impl Supplier {
    /// Fills unknown fields from another description of the same supplier (a search item, an
    /// account profile); known fields are kept.
    pub fn merge(&mut self, other: &Supplier) {
        fn fill<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        fill(&mut self.open_id, &other.open_id);
        fill(&mut self.login_id, &other.login_id);
        fill(&mut self.company, &other.company);
        fill(&mut self.location, &other.location);
        fill(&mut self.years_on_platform, &other.years_on_platform);
        fill(&mut self.scores.composite, &other.scores.composite);
        fill(&mut self.scores.logistics, &other.scores.logistics);
        fill(&mut self.scores.dispute, &other.scores.dispute);
        fill(&mut self.scores.offer, &other.scores.offer);
        fill(&mut self.scores.after_sales, &other.scores.after_sales);
        fill(&mut self.scores.consulting, &other.scores.consulting);
        fill(&mut self.repurchase_rate, &other.repurchase_rate);
        fill(&mut self.fulfillment_rate, &other.fulfillment_rate);
        fill(&mut self.pickup_rate, &other.pickup_rate);
        fill(&mut self.quality_return_rate, &other.quality_return_rate);
        fill(&mut self.trade_medal, &other.trade_medal);
        fill(&mut self.offer_count, &other.offer_count);
        for identity in &other.identities {
            if !self.identities.contains(identity) {
                self.identities.push(identity.clone());
            }
        }
        for cert in &other.certificates {
            if !self.certificates.contains(cert) {
                self.certificates.push(cert.clone());
            }
        }
    }
}

/// A search result: less than an [`Offer`], enough to rank and pick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferSummary {
    /// Offer id.
    pub id: i64,
    /// Chinese title.
    pub title: String,
    /// Translated title.
    pub title_en: Option<String>,
    /// Main image.
    pub image: Option<String>,
    /// Wholesale price (first tier).
    pub price: Option<Decimal>,
    /// Promotion price.
    pub promotion_price: Option<Decimal>,
    /// Dropshipping price.
    pub consign_price: Option<Decimal>,
    /// Minimum order quantity.
    pub moq: Option<i64>,
    /// Units sold in 30 days.
    pub monthly_sales: Option<i64>,
    /// Repurchase rate as a fraction.
    pub repurchase_rate: Option<Decimal>,
    /// Category ids top to leaf.
    pub category_ids: Vec<i64>,
    /// The seller as the search item describes it.
    pub supplier: Supplier,
    /// Detail page.
    pub detail_url: Option<String>,
}

//! The catalog's records: offers with SKUs and price ladders, and the suppliers who list them.
//! These are the sandbox's own truth; the API handlers render them into each API's wire shape.

use rust_decimal::Decimal;

use super::image::Design;
use super::vocabulary::{CATEGORIES, CategorySpec};

/// One listing on the platform.
#[derive(Clone, Debug)]
pub struct Offer {
    /// Offer id (12 digits, as on 1688).
    pub id: i64,
    /// Index into [`CATEGORIES`].
    pub category: u16,
    /// Index of the listing supplier in [`super::Catalog::suppliers`].
    pub supplier: u32,
    /// Same-factory group: listings of one factory item by several suppliers share it.
    pub group: u32,
    /// Chinese title.
    pub subject: String,
    /// English title (`subjectTrans`).
    pub subject_en: String,
    /// 0 = priced by quantity without SKUs, 1 = priced per SKU, 2 = SKUs priced by quantity.
    pub quote_type: u8,
    /// Minimum order quantity at creation (drift may change it).
    pub moq: i64,
    /// Order in multiples of this; 0 = no constraint.
    pub batch_number: i64,
    /// Base price ladder: (start quantity, unit price), prices falling with quantity.
    pub ladder: Vec<(i64, Decimal)>,
    /// One-piece dropshipping price (`consignPrice`).
    pub consign_price: Decimal,
    /// Promotion discount in percent off, if the offer runs one.
    pub promotion_pct: Option<u8>,
    /// SKUs; empty for quote type 0.
    pub skus: Vec<Sku>,
    /// Stock when the offer has no SKUs.
    pub stock: i64,
    /// Gross weight per unit in grams.
    pub weight_g: u32,
    /// Package length, width, height in cm.
    pub dims_cm: [u16; 3],
    /// `shipIn24Hours`, `shipIn48Hours` or `shipIn72Hours`.
    pub ship_guarantee: &'static str,
    /// Units sold in the last 30 days.
    pub month_sold: i64,
    /// Units sold in the last 7 days.
    pub sales_7d: i64,
    /// Repurchase rate in percent.
    pub repurchase_pct: u8,
    /// Creation time (epoch seconds).
    pub created: i64,
    /// Last modification time (epoch seconds).
    pub modified: i64,
    /// The main image design; gallery images derive from it.
    pub design: Design,
    /// Number of images in the gallery (main included).
    pub gallery: u8,
    /// Index into the category's materials.
    pub material: u8,
    /// Offer-level identities (`yx`, …).
    pub offer_identities: Vec<&'static str>,
    /// One-piece dropshipping supported.
    pub one_piece: bool,
    /// Listed in the 精选货源 programme.
    pub jxhy: bool,
    /// Patent product flag.
    pub patent: bool,
    /// Offer experience score, tenths (45 = "4.5").
    pub trade_score_tenths: u8,
    /// Seller's item number.
    pub cargo_number: String,
}

impl Offer {
    /// The category spec this offer belongs to.
    pub fn category(&self) -> &'static CategorySpec {
        &CATEGORIES[usize::from(self.category)]
    }
}

/// One stock-keeping unit of an offer.
#[derive(Clone, Debug)]
pub struct Sku {
    /// SKU id (13 digits).
    pub id: i64,
    /// Spec id: 32 hex characters.
    pub spec_id: String,
    /// Value index per category axis (same order as the category's `axes`).
    pub values: Vec<u8>,
    /// Base price of this SKU.
    pub price: Decimal,
    /// Stock at creation.
    pub stock: i64,
}

/// A seller on the platform (a member with a shop).
#[derive(Clone, Debug)]
pub struct Supplier {
    /// Open id used by the cross-border APIs (`sellerOpenId`).
    pub open_id: String,
    /// Login id (`loginId`).
    pub login_id: String,
    /// Numeric user id; the member id is `b2b-{user_id}`.
    pub user_id: i64,
    /// Company name.
    pub company: String,
    /// Province.
    pub province: &'static str,
    /// City.
    pub city: &'static str,
    /// Main category (index into [`CATEGORIES`]).
    pub category: u16,
    /// Years on the platform (`tpYear`).
    pub tp_year: i64,
    /// Seller identities (`super_factory`, `powerful_merchants`, `tp_member`…).
    pub identities: Vec<&'static str>,
    /// Certificates held.
    pub certificates: Vec<&'static str>,
    /// Trade medal level 1–5.
    pub trade_medal: u8,
    /// Service scores in tenths: composite, logistics, dispute, offer, after-sales, consulting.
    pub scores_tenths: [u8; 6],
    /// Repeat-purchase share in percent.
    pub repeat_purchase_pct: u8,
    /// Shipping rates in basis points: perfect fulfilment 30d, pickup 24h 30d, quality return 30d,
    /// perfect fulfilment 7d, pickup 24h 7d, delayed shipping 7d.
    pub rates_bp: [u16; 6],
    /// Mixed-batch rule (混批): minimum amount in yuan and minimum pieces, when allowed.
    pub mix: Option<(i64, i64)>,
    /// When the member joined (epoch seconds).
    pub joined: i64,
    /// Business type (`ENTERPRISE`, `SELF_EMPLOYED`…).
    pub biz_type: &'static str,
}

impl Supplier {
    /// Member id as the platform writes it.
    pub fn member_id(&self) -> String {
        format!("b2b-{}", self.user_id)
    }

    /// Shop domain (`xinda8866.1688.com`).
    pub fn domain(&self) -> String {
        format!("{}.1688.com", self.login_id)
    }
}

/// Formats tenths as a one-decimal string (45 → "4.5").
pub fn tenths(v: u8) -> String {
    format!("{}.{}", v / 10, v % 10)
}

/// Formats basis points as a percentage string (9912 → "99.12%").
pub fn percent_bp(v: u16) -> String {
    format!("{}.{:02}%", v / 100, v % 100)
}

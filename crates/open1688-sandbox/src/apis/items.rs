//! Search result items (ProductInfoModelV2, spec §6.4) and their variants in the seller list
//! (`isSelect` a string) and image search (company fields, `offerDataInfo`, no AIGC/white image).

use serde::Serialize;

use super::wire::{image_path, image_url, live_price, money, promotion, search_date};
use crate::catalog::drift::LiveOffer;
use crate::catalog::model::{percent_bp, tenths};
use crate::catalog::{Catalog, Offer};

/// Which API the item is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemFlavor {
    /// keywordQuery.
    Keyword,
    /// querySellerOfferList (`isSelect` is a string).
    Seller,
    /// imageQuery.
    Image,
}

#[derive(Serialize)]
#[serde(untagged)]
enum BoolOrString {
    Bool(bool),
    Str(&'static str),
}

/// One result item.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchItem<'a> {
    offer_id: i64,
    subject: &'a str,
    subject_trans: &'a str,
    image_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    aigc_image_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    white_image: Option<&'static str>,
    is_jxhy: bool,
    price_info: PriceInfo,
    repurchase_rate: String,
    month_sold: i64,
    trace_info: String,
    is_one_psale: bool,
    seller_identities: &'a [&'static str],
    offer_identities: &'a [&'static str],
    trade_score: String,
    promotion_model: PromotionModel,
    top_category_id: i64,
    second_category_id: i64,
    third_category_id: i64,
    is_patent_product: bool,
    create_date: String,
    modify_date: String,
    is_select: BoolOrString,
    min_order_quantity: i64,
    seller_data_info: SellerDataInfo,
    product_simple_shipping_info: ShippingInfo,
    #[serde(rename = "promotionURL")]
    promotion_url: String,
    sales7d: String,
    product_trade_info: TradeInfo,
    invoice_info: InvoiceInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offer_data_info: Option<OfferDataInfo>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PriceInfo {
    price: String,
    jxhy_price: String,
    pf_jxhy_price: String,
    consign_price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotion_price: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PromotionModel {
    has_promotion: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotion_type: Option<&'static str>,
}

/// The seller's service scores (shared with the detail API).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SellerDataInfo {
    trade_medal_level: String,
    composite_service_score: String,
    logistics_experience_score: String,
    dispute_complaint_score: String,
    offer_experience_score: String,
    after_sales_experience_score: String,
    consulting_experience_score: String,
    repeat_purchase_percent: String,
    tp_year: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    collect30_day_within48_h_percent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quality_refund_within30_day: Option<String>,
}

impl SellerDataInfo {
    /// Scores of a supplier; `detail` adds the two fields only the detail API has.
    pub fn of(catalog: &Catalog, supplier: u32, detail: bool) -> Self {
        let s = &catalog.suppliers[supplier as usize];
        let [composite, logistics, dispute, offer, after_sales, consulting] = s.scores_tenths;
        Self {
            trade_medal_level: s.trade_medal.to_string(),
            composite_service_score: tenths(composite),
            logistics_experience_score: tenths(logistics),
            dispute_complaint_score: tenths(dispute),
            offer_experience_score: tenths(offer),
            after_sales_experience_score: tenths(after_sales),
            consulting_experience_score: tenths(consulting),
            repeat_purchase_percent: format!("0.{:02}", s.repeat_purchase_pct.min(99)),
            tp_year: s.tp_year,
            collect30_day_within48_h_percent: detail.then(|| percent_bp(s.rates_bp[1])),
            quality_refund_within30_day: detail.then(|| percent_bp(s.rates_bp[2])),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ShippingInfo {
    shipping_time_guarantee: &'static str,
    perfect_fulfillment_rate30d: String,
    pickup_within24h_rate30d: String,
    quality_return_rate30d: String,
    perfect_fulfillment_rate7d: String,
    pickup_within24h_rate7d: String,
    delayed_shipping_rate7d: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TradeInfo {
    add_cart_count7d: String,
    pay_buyer_count7d: String,
    add_cart_count30d: String,
    pay_buyer_count30d: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InvoiceInfo {
    support_online_invoice: bool,
    support_fast_invoice: bool,
    invoice_types: Vec<&'static str>,
    taxpayer_type: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OfferDataInfo {
    offer_applause_rate: String,
    /// A string in captured answers (`"C"`), not a list.
    kj_featured_services: &'static str,
    quality_rfd_rate30d: String,
    repurchase_rate30d: String,
    pickup_rate24h30d: String,
}

/// Renders one offer as a search item.
pub fn search_item<'a>(
    catalog: &'a Catalog,
    offer: &'a Offer,
    live: &LiveOffer,
    base_url: &str,
    flavor: ItemFlavor,
) -> SearchItem<'a> {
    let supplier = &catalog.suppliers[offer.supplier as usize];
    let spec = offer.category();
    let price = live_price(offer, live);
    let rates = supplier.rates_bp;
    let enterprise = supplier.biz_type == "ENTERPRISE";
    SearchItem {
        offer_id: offer.id,
        subject: &offer.subject,
        subject_trans: &offer.subject_en,
        image_url: image_url(base_url, &image_path(offer, 0)),
        aigc_image_url: (flavor == ItemFlavor::Keyword).then(|| image_url(base_url, &image_path(offer, 1))),
        white_image: (flavor == ItemFlavor::Keyword).then_some(""),
        is_jxhy: offer.jxhy,
        price_info: PriceInfo {
            price: money(price),
            jxhy_price: String::new(),
            pf_jxhy_price: String::new(),
            consign_price: money(live.price(offer.consign_price)),
            promotion_price: promotion(price, offer.promotion_pct).map(money),
        },
        repurchase_rate: format!("{}%", offer.repurchase_pct),
        month_sold: offer.month_sold,
        trace_info: format!("object_id@{}^object_type@offer", offer.id),
        is_one_psale: offer.one_piece,
        seller_identities: &supplier.identities,
        offer_identities: &offer.offer_identities,
        trade_score: tenths(offer.trade_score_tenths),
        promotion_model: PromotionModel {
            has_promotion: offer.promotion_pct.is_some(),
            promotion_type: offer.promotion_pct.map(|_| "plus"),
        },
        top_category_id: spec.top_id,
        second_category_id: spec.second_id,
        third_category_id: spec.id,
        is_patent_product: offer.patent,
        create_date: search_date(offer.created),
        modify_date: search_date(offer.modified),
        is_select: match flavor {
            ItemFlavor::Seller => BoolOrString::Str(if offer.jxhy { "true" } else { "false" }),
            _ => BoolOrString::Bool(offer.jxhy),
        },
        min_order_quantity: live.moq,
        seller_data_info: SellerDataInfo::of(catalog, offer.supplier, false),
        product_simple_shipping_info: ShippingInfo {
            shipping_time_guarantee: offer.ship_guarantee,
            perfect_fulfillment_rate30d: percent_bp(rates[0]),
            pickup_within24h_rate30d: percent_bp(rates[1]),
            quality_return_rate30d: percent_bp(rates[2]),
            perfect_fulfillment_rate7d: percent_bp(rates[3]),
            pickup_within24h_rate7d: percent_bp(rates[4]),
            delayed_shipping_rate7d: percent_bp(rates[5]),
        },
        promotion_url: format!("https://detail.1688.com/offer/{}.html", offer.id),
        sales7d: offer.sales_7d.to_string(),
        product_trade_info: TradeInfo {
            add_cart_count7d: (offer.sales_7d * 3 / 2).to_string(),
            pay_buyer_count7d: (offer.sales_7d / 4).to_string(),
            add_cart_count30d: (offer.month_sold * 3 / 2).to_string(),
            pay_buyer_count30d: (offer.month_sold / 4).to_string(),
        },
        invoice_info: InvoiceInfo {
            support_online_invoice: enterprise,
            support_fast_invoice: enterprise && supplier.tp_year >= 3,
            invoice_types: if enterprise { vec!["normal", "special"] } else { Vec::new() },
            taxpayer_type: if enterprise { "general" } else { "small" },
        },
        company_name: (flavor == ItemFlavor::Image).then_some(supplier.company.as_str()),
        company_address: (flavor == ItemFlavor::Image).then(|| format!("{} {}", supplier.province, supplier.city)),
        offer_data_info: (flavor == ItemFlavor::Image).then(|| OfferDataInfo {
            offer_applause_rate: format!("{}%", 90 + offer.trade_score_tenths / 10),
            kj_featured_services: if offer.one_piece { "C" } else { "" },
            quality_rfd_rate30d: percent_bp(rates[2]),
            repurchase_rate30d: format!("{}%", offer.repurchase_pct),
            pickup_rate24h30d: percent_bp(rates[1]),
        }),
    }
}

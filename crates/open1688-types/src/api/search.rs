//! `com.alibaba.fenxiao.crossborder:product.search.keywordQuery-1` (spec §6.4).

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::business::CrossBorderResponse;
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

/// The namespace of the buyer-side cross-border APIs.
pub const CROSSBORDER: &str = "com.alibaba.fenxiao.crossborder";
/// `product.search.keywordQuery`.
pub const KEYWORD_QUERY: ApiId = ApiId::new(CROSSBORDER, "product.search.keywordQuery", 1);
/// The largest page the platform serves.
pub const MAX_PAGE_SIZE: u32 = 50;
/// A search never returns more than this many items in total.
pub const MAX_TOTAL_RECORDS: u32 = 2000;

/// The `offerQueryParam` JSON of a keyword search. Field order is the wire order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OfferQueryParam {
    /// Search words (Chinese or the `country` language).
    pub keyword: String,
    /// 1-based page number.
    pub begin_page: u32,
    /// Items per page, at most [`MAX_PAGE_SIZE`].
    pub page_size: u32,
    /// Language code of translated fields: `en`, `ja`, `ko`, …
    pub country: String,
    /// Comma-separated filters such as `shipInToday,ksCiphertext`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// A JSON string such as `{"price":"asc"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// The buyer's own member id on the caller's platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_member_id: Option<String>,
    /// Lowest price (a decimal string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_start: Option<String>,
    /// Highest price (a decimal string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_end: Option<String>,
    /// Restrict to one category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    /// Restrict to several categories: `"2,45"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id_list: Option<String>,
    /// Whether the platform should translate the keyword.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword_translate: Option<bool>,
    /// Sales-volume filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_filter_list: Option<Vec<SaleFilter>>,
}

/// One `saleFilterList` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleFilter {
    /// `sales7`, `sales14`, `sales30` or `totalSales`.
    pub sale_type: String,
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_start: Option<i64>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_end: Option<i64>,
}

/// A keyword search request (one page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeywordQuery {
    /// The `offerQueryParam` object.
    pub query: OfferQueryParam,
}

impl ApiRequest for KeywordQuery {
    type Output = CrossBorderResponse<SearchPage>;

    fn api(&self) -> ApiId {
        KEYWORD_QUERY
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("offerQueryParam", &self.query)?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// One page of search results (PageInfoV3).
    pub struct SearchPage {
        /// Total matches, capped at [`MAX_TOTAL_RECORDS`].
        total_records: Option<i64> = "totalRecords",
        /// Number of pages.
        total_page: Option<i64> = "totalPage",
        /// Items per page.
        page_size: Option<i64> = "pageSize",
        /// This page's number.
        current_page: Option<i64> = "currentPage",
        /// The items.
        data: Vec<SearchItem> = "data",
    }
}

crate::wire_struct! {
    /// One search result (ProductInfoModelV2). Unnamed fields (`traceInfo`, `promotionModel`,
    /// `productTradeInfo`, …) stay in `extra`.
    pub struct SearchItem {
        /// The offer id.
        offer_id: Option<i64> = "offerId",
        /// Chinese title.
        subject: Option<String> = "subject",
        /// Translated title.
        subject_trans: Option<String> = "subjectTrans",
        /// Main image.
        image_url: Option<String> = "imageUrl",
        /// Prices (strings on the wire).
        price_info: Option<PriceInfo> = "priceInfo",
        /// Repurchase rate, for example `"13%"`.
        repurchase_rate: Option<String> = "repurchaseRate",
        /// Units sold in the last month.
        month_sold: Option<i64> = "monthSold",
        /// Whether one piece can be bought (`onePsale` in captured and recommended items).
        is_one_psale: Option<bool> = "isOnePsale" | "onePsale",
        /// Seller identities such as `super_factory`.
        seller_identities: Vec<String> = "sellerIdentities",
        /// Offer identities such as `yx`.
        offer_identities: Vec<String> = "offerIdentities",
        /// Trade score, for example `"5.0"`.
        trade_score: Option<Decimal> = "tradeScore",
        /// Top-level category.
        top_category_id: Option<i64> = "topCategoryId",
        /// Second-level category.
        second_category_id: Option<i64> = "secondCategoryId",
        /// Third-level category.
        third_category_id: Option<i64> = "thirdCategoryId",
        /// Listing date (`yyyy-MM-dd HH:mm:ss`, China time).
        create_date: Option<DateTime<FixedOffset>> = "createDate",
        /// Last change.
        modify_date: Option<DateTime<FixedOffset>> = "modifyDate",
        /// Boolean here, a string in detail and seller lists (`select` in some answers).
        is_select: Option<bool> = "isSelect" | "select",
        /// Whether it is 精选货源 (`jxhy` in some answers).
        is_jxhy: Option<bool> = "isJxhy" | "jxhy",
        /// Minimum order quantity.
        min_order_quantity: Option<i64> = "minOrderQuantity",
        /// Supplier signals.
        seller_data_info: Option<SellerDataInfo> = "sellerDataInfo",
        /// Shipping performance.
        product_simple_shipping_info: Option<SimpleShippingInfo> = "productSimpleShippingInfo",
        /// Detail page link (`promotionURL`, upper-case `URL`, in search).
        promotion_url: Option<String> = "promotionURL",
        /// Units sold in 7 days (a string on the wire).
        sales7d: Option<i64> = "sales7d",
        /// Company name (image search and seller lists).
        company_name: Option<String> = "companyName",
    }
}

crate::wire_struct! {
    /// `priceInfo`: all strings on the wire; empty strings decode as absent.
    pub struct PriceInfo {
        /// Wholesale price.
        price: Option<Decimal> = "price",
        /// Dropshipping price.
        consign_price: Option<Decimal> = "consignPrice",
        /// Promotion price.
        promotion_price: Option<Decimal> = "promotionPrice",
        /// 精选货源 price.
        jxhy_price: Option<Decimal> = "jxhyPrice",
        /// 精选货源 wholesale price.
        pf_jxhy_price: Option<Decimal> = "pfJxhyPrice",
    }
}

crate::wire_struct! {
    /// `sellerDataInfo`: service scores as strings, `tpYear` as an integer.
    pub struct SellerDataInfo {
        /// Trade medal level.
        trade_medal_level: Option<i64> = "tradeMedalLevel",
        /// Composite service score (0–5).
        composite_service_score: Option<Decimal> = "compositeServiceScore",
        /// Logistics experience (0–5).
        logistics_experience_score: Option<Decimal> = "logisticsExperienceScore",
        /// Dispute and complaint score (0–5).
        dispute_complaint_score: Option<Decimal> = "disputeComplaintScore",
        /// Offer experience (0–5).
        offer_experience_score: Option<Decimal> = "offerExperienceScore",
        /// After-sales experience (0–5).
        after_sales_experience_score: Option<Decimal> = "afterSalesExperienceScore",
        /// Consulting experience (0–5).
        consulting_experience_score: Option<Decimal> = "consultingExperienceScore",
        /// Repeat-purchase share as a fraction (`"0.46"`).
        repeat_purchase_percent: Option<Decimal> = "repeatPurchasePercent",
        /// Years on the platform.
        tp_year: Option<i64> = "tpYear",
        /// Share of orders collected within 48 h (detail only).
        collect_30_day_within_48h_percent: Option<String> = "collect30DayWithin48HPercent",
        /// Quality refunds within 30 days (detail only).
        quality_refund_within_30_day: Option<String> = "qualityRefundWithin30Day",
    }
}

crate::wire_struct! {
    /// `productSimpleShippingInfo`: rates as percent strings.
    pub struct SimpleShippingInfo {
        /// For example `shipIn48Hours`.
        shipping_time_guarantee: Option<String> = "shippingTimeGuarantee",
        /// For example `"99.12%"`.
        perfect_fulfillment_rate_30d: Option<String> = "perfectFulfillmentRate30d",
        /// Share picked up within 24 h (30 days).
        pickup_within_24h_rate_30d: Option<String> = "pickupWithin24hRate30d",
        /// Quality-return share (30 days).
        quality_return_rate_30d: Option<String> = "qualityReturnRate30d",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_param_field_order_matches_the_wire() {
        let q = KeywordQuery {
            query: OfferQueryParam {
                keyword: "饼干".into(),
                begin_page: 1,
                page_size: 20,
                country: "en".into(),
                ..Default::default()
            },
        };
        assert_eq!(
            q.params().unwrap().get("offerQueryParam"),
            Some(r#"{"keyword":"饼干","beginPage":1,"pageSize":20,"country":"en"}"#)
        );
    }
}

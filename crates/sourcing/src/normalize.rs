//! From the platform's wire structs to the domain model. Pure: no IO, no clock (the fetch time is
//! an argument).

use chrono::{DateTime, Utc};
use open1688_types::api::account::AccountInfo;
use open1688_types::api::detail::ProductDetail;
use open1688_types::api::search::{SearchItem, SellerDataInfo, SimpleShippingInfo};
use open1688_types::lenient::parse_rate;
use rust_decimal::Decimal;

use crate::ladder::{LadderError, PriceLadder};
use crate::model::{
    CategoryPath, MixRule, Offer, OfferSummary, QuoteType, ServiceScores, Shipping, Sku, Supplier, SupplierRef, Unit,
};

/// Why an offer could not be normalized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NormalizeError {
    /// The answer has no offer id.
    #[error("the offer has no offerId")]
    MissingId,
    /// The price ladder is broken.
    #[error("offer {offer_id}: {source}")]
    Ladder {
        /// The offer.
        offer_id: i64,
        /// What is wrong.
        source: LadderError,
    },
}

fn category_ids(top: Option<i64>, second: Option<i64>, third: Option<i64>) -> Vec<i64> {
    [top, second, third].into_iter().flatten().filter(|&id| id > 0).collect()
}

/// A full offer from `product.search.queryProductDetail`.
pub fn offer_from_detail(d: &ProductDetail, fetched_at: DateTime<Utc>) -> Result<Offer, NormalizeError> {
    let id = d.offer_id.ok_or(NormalizeError::MissingId)?;
    let sale = d.product_sale_info.as_ref();
    let quote_type = sale.and_then(|s| s.quote_type).map(QuoteType::from_wire);
    // `priceRangeList`, or the older model's `priceRanges` when the list is absent.
    let tiers: Vec<(i64, Decimal)> = sale
        .map(|s| if s.price_range_list.is_empty() { &s.price_ranges } else { &s.price_range_list })
        .map(|ranges| ranges.iter().filter_map(|t| Some((t.start_quantity?, t.price?))).collect())
        .unwrap_or_default();
    let ladder = if tiers.is_empty() {
        // Quote type 1 without a ladder: the cheapest SKU from the MOQ on.
        let cheapest = d.product_sku_infos.iter().filter_map(|s| s.price).min();
        cheapest.map(|price| PriceLadder::flat(d.min_order_quantity.unwrap_or(1).max(1), price))
    } else {
        Some(PriceLadder::new(tiers))
    };
    let ladder = ladder.transpose().map_err(|source| NormalizeError::Ladder { offer_id: id, source })?;
    let skus = d
        .product_sku_infos
        .iter()
        .filter_map(|s| {
            Some(Sku {
                id: s.sku_id?,
                spec_id: s.spec_id.clone(),
                attributes: s
                    .sku_attributes
                    .iter()
                    .filter_map(|a| Some((a.attribute_name.clone()?, a.value.clone()?)))
                    .collect(),
                price: s.price,
                promotion_price: s.promotion_price,
                stock: s.amount_on_sale,
                image: s.sku_attributes.iter().find_map(|a| a.sku_image_url.clone()),
            })
        })
        .collect();
    let shipping = d.product_shipping_info.as_ref();
    let dims = shipping.and_then(|s| Some([s.length?, s.width?, s.height?]));
    let unit = sale.and_then(|s| s.unit_info.as_ref());
    Ok(Offer {
        id,
        title: d.subject.clone().unwrap_or_default(),
        title_en: d.subject_trans.clone(),
        category: CategoryPath {
            ids: {
                let ids = category_ids(d.top_category_id, d.second_category_id, d.third_category_id);
                if ids.is_empty() { d.category_id.into_iter().collect() } else { ids }
            },
            leaf_name: d.category_name.clone(),
        },
        images: d.product_image.as_ref().map(|i| i.images.clone()).unwrap_or_default(),
        unit: Unit { name: unit.and_then(|u| u.unit.clone()), name_en: unit.and_then(|u| u.trans_unit.clone()) },
        moq: d.min_order_quantity,
        batch_number: d.batch_number.filter(|&b| b > 1),
        ladder,
        quote_type,
        skus,
        stock: sale.and_then(|s| s.amount_on_sale),
        monthly_sales: None,
        repurchase_rate: d.seller_data_info.as_ref().and_then(|s| s.repeat_purchase_percent),
        shipping: Shipping {
            weight_kg: shipping.and_then(|s| s.weight),
            dimensions_cm: dims,
            ship_from: shipping.and_then(|s| s.send_goods_address_text.clone()),
            dispatch_guarantee: shipping.and_then(|s| s.shipping_time_guarantee.clone()),
        },
        mix: d.seller_mix_setting.as_ref().map(|m| MixRule {
            allowed: m.general_hunpi.or(m.is_general_hunpi).unwrap_or(false),
            min_amount: m.mix_amount.filter(|a| !a.is_zero()),
            min_pieces: m.mix_number.filter(|&n| n > 0),
        }),
        supplier: SupplierRef { open_id: d.seller_open_id.clone(), company: d.company_name.clone() },
        certificates: d.certificate_list.iter().filter_map(|c| c.certificate_name.clone()).collect(),
        attributes: d
            .product_attribute
            .iter()
            .filter_map(|a| Some((a.attribute_name.clone()?, a.value.clone()?)))
            .collect(),
        detail_url: d.promotion_url.clone(),
        status: d.status.clone(),
        fetched_at,
        raw: d.extra.clone(),
    })
}

fn scores(s: Option<&SellerDataInfo>) -> ServiceScores {
    let Some(s) = s else { return ServiceScores::default() };
    ServiceScores {
        composite: s.composite_service_score,
        logistics: s.logistics_experience_score,
        dispute: s.dispute_complaint_score,
        offer: s.offer_experience_score,
        after_sales: s.after_sales_experience_score,
        consulting: s.consulting_experience_score,
    }
}

fn rate(s: Option<&String>) -> Option<Decimal> {
    s.and_then(|s| parse_rate(s))
}

fn supplier_from_signals(
    data: Option<&SellerDataInfo>,
    shipping: Option<&SimpleShippingInfo>,
    identities: &[String],
    company: Option<&String>,
) -> Supplier {
    Supplier {
        company: company.cloned(),
        years_on_platform: data.and_then(|d| d.tp_year),
        identities: identities.to_vec(),
        scores: scores(data),
        repurchase_rate: data.and_then(|d| d.repeat_purchase_percent),
        fulfillment_rate: rate(shipping.and_then(|s| s.perfect_fulfillment_rate_30d.as_ref())),
        pickup_rate: rate(shipping.and_then(|s| s.pickup_within_24h_rate_30d.as_ref())),
        quality_return_rate: rate(shipping.and_then(|s| s.quality_return_rate_30d.as_ref())),
        trade_medal: data.and_then(|d| d.trade_medal_level),
        ..Supplier::default()
    }
}

/// The supplier as an offer's detail describes it.
pub fn supplier_from_detail(d: &ProductDetail) -> Supplier {
    let mut s = supplier_from_signals(d.seller_data_info.as_ref(), None, &[], d.company_name.as_ref());
    s.open_id = d.seller_open_id.clone();
    s.location = d.product_shipping_info.as_ref().and_then(|x| x.send_goods_address_text.clone());
    s.certificates = d.certificate_list.iter().filter_map(|c| c.certificate_name.clone()).collect();
    s
}

/// The supplier as a member profile (`alibaba.account.*`) describes it.
pub fn supplier_from_account(a: &AccountInfo) -> Supplier {
    Supplier {
        login_id: a.login_id.clone(),
        company: a.company_name.clone().or_else(|| a.supplier_name.clone()),
        location: a.address_location.clone(),
        years_on_platform: a.tp_year,
        ..Supplier::default()
    }
}

/// A search result (keyword, image or seller listing).
pub fn summary_from_search_item(item: &SearchItem) -> Result<OfferSummary, NormalizeError> {
    let id = item.offer_id.ok_or(NormalizeError::MissingId)?;
    let price = item.price_info.as_ref();
    Ok(OfferSummary {
        id,
        title: item.subject.clone().unwrap_or_default(),
        title_en: item.subject_trans.clone(),
        image: item.image_url.clone(),
        price: price.and_then(|p| p.price),
        promotion_price: price.and_then(|p| p.promotion_price),
        consign_price: price.and_then(|p| p.consign_price),
        moq: item.min_order_quantity,
        monthly_sales: item.month_sold,
        repurchase_rate: rate(item.repurchase_rate.as_ref()),
        category_ids: category_ids(item.top_category_id, item.second_category_id, item.third_category_id),
        supplier: supplier_from_signals(
            item.seller_data_info.as_ref(),
            item.product_simple_shipping_info.as_ref(),
            &item.seller_identities,
            item.company_name.as_ref(),
        ),
        detail_url: item.promotion_url.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detail_without_an_id_is_an_error_not_a_zero() {
        let d = ProductDetail::default();
        assert_eq!(offer_from_detail(&d, Utc::now()).unwrap_err(), NormalizeError::MissingId);
    }

    #[test]
    fn the_official_models_spellings_are_read_too() {
        // The older `priceRanges`, quote type 3 and `isGeneralHunpi` (spec: accept either).
        let d: ProductDetail = serde_json::from_value(serde_json::json!({
            "offerId": 1,
            "productSaleInfo": {
                "quoteType": 3,
                "priceRanges": [{"startQuantity": 3, "price": 445.0}, {"startQuantity": 100, "price": 420.0}]
            },
            "sellerMixSetting": {"isGeneralHunpi": true, "mixAmount": "100", "mixNumber": 10}
        }))
        .unwrap();
        let o = offer_from_detail(&d, Utc::now()).unwrap();
        assert_eq!(o.quote_type, Some(QuoteType::SkuPriceRange));
        assert!(o.quote_type.is_some_and(QuoteType::is_priced_per_sku));
        let tiers = o.ladder.unwrap();
        assert_eq!(
            tiers.tiers().iter().map(|t| (t.min_qty, t.unit_price)).collect::<Vec<_>>(),
            [(3, Decimal::from(445)), (100, Decimal::from(420))]
        );
        assert!(o.mix.unwrap().allowed);
    }
}

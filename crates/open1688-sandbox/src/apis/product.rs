//! `alibaba.product.get` and `alibaba.product.getByIdList` (spec §6.1–6.2): owner-scoped, so only
//! the authorized member's own offers come back. Prices are doubles and dates
//! `yyyyMMddHHmmssSSS+0800` in these models.

use serde::Serialize;

use super::wire::{image_path, live_ladder, money, money_f64, platform_date_ms, sku_image_path};
use crate::call::Call;
use crate::catalog::drift::LiveOffer;
use crate::catalog::{Catalog, Offer};
use crate::reply::Reply;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductInfo<'a> {
    #[serde(rename = "productID")]
    product_id: i64,
    product_type: &'static str,
    #[serde(rename = "categoryID")]
    category_id: i64,
    category_name: &'static str,
    #[serde(rename = "groupID")]
    group_id: Vec<i64>,
    status: &'static str,
    subject: &'a str,
    description: String,
    language: &'static str,
    period_of_validity: i64,
    biz_type: i64,
    picture_auth: bool,
    image: Images,
    attributes: Vec<Attribute>,
    sku_infos: Vec<SkuInfo>,
    sale_info: SaleInfo,
    shipping_info: ShippingInfo,
    extend_infos: Vec<ExtendInfo>,
    supplier_user_id: String,
    supplier_login_id: &'a str,
    seller_login_id: &'a str,
    quality_level: i64,
    product_cargo_number: &'a str,
    cross_border_offer: bool,
    reference_price: String,
    booked_count: String,
    create_time: String,
    last_update_time: String,
    expire_time: String,
}

#[derive(Serialize)]
struct Images {
    images: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Attribute {
    #[serde(rename = "attributeID")]
    attribute_id: i64,
    attribute_name: &'static str,
    #[serde(rename = "valueID")]
    value_id: i64,
    value: &'static str,
    is_custom: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SkuInfo {
    attributes: Vec<SkuAttribute>,
    cargo_number: String,
    amount_on_sale: i64,
    retail_price: f64,
    price: f64,
    sku_id: i64,
    spec_id: String,
    consign_price: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SkuAttribute {
    #[serde(rename = "attributeID")]
    attribute_id: i64,
    attribute_value: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku_image_url: Option<String>,
    attribute_display_name: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SaleInfo {
    support_online_trade: bool,
    mix_whole_sale: bool,
    sale_type: &'static str,
    price_auth: bool,
    price_ranges: Vec<PriceRange>,
    amount_on_sale: f64,
    unit: &'static str,
    min_order_quantity: i64,
    batch_number: i64,
    quote_type: u8,
    consign_price: f64,
    inv_reduce_type: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PriceRange {
    start_quantity: i64,
    price: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ShippingInfo {
    #[serde(rename = "freightTemplateID")]
    freight_template_id: i64,
    unit_weight: f64,
    suttle_weight: f64,
    send_goods_address_id: i64,
    send_goods_address_text: String,
    width: f64,
    height: f64,
    length: f64,
}

#[derive(Serialize)]
struct ExtendInfo {
    key: &'static str,
    value: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BizGroup {
    support: bool,
    description: &'static str,
    code: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GetResponse<'a> {
    success: bool,
    product_info: ProductInfo<'a>,
    biz_group_infos: Vec<BizGroup>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GetFailure {
    success: bool,
    err_msg: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListResponse<'a> {
    product_list: Vec<ProductInfo<'a>>,
    success: bool,
    message: Option<String>,
}

/// `alibaba.product.get`.
pub fn get(call: &Call<'_>) -> Reply {
    let fail = |code: &str, msg: String| Reply::business(code, &GetFailure { success: false, err_msg: msg });
    let raw = call.params.get("productID").unwrap_or("");
    let Ok(id) = raw.trim().parse::<i64>() else {
        return fail("400", format!("productID must be an integer, got {raw:?}"));
    };
    let web_site = call.params.get("webSite").unwrap_or("");
    if web_site != "1688" && web_site != "alibaba" {
        return fail("400", format!("webSite must be 1688 or alibaba, got {web_site:?}"));
    }
    let catalog = &call.state.catalog;
    let owned = catalog.offer_index(id).filter(|&i| Some(catalog.offers[i].supplier as usize) == call.member);
    let Some(index) = owned else {
        return fail("404", format!("product {id} does not exist or does not belong to the authorized member"));
    };
    let live = call.state.live();
    Reply::ok(&GetResponse {
        success: true,
        product_info: product_info(catalog, &catalog.offers[index], &live.offers[index]),
        biz_group_infos: vec![BizGroup { support: false, description: "微供市场", code: "weigong" }],
    })
}

/// `alibaba.product.getByIdList`: the member's own offers among the ids, others left out.
pub fn get_by_id_list(call: &Call<'_>) -> Reply {
    let fail = |msg: String| {
        Reply::business("400", &ListResponse { product_list: Vec::new(), success: false, message: Some(msg) })
    };
    let raw = call.params.get("productIdList").unwrap_or("");
    let ids: Vec<i64> = match serde_json::from_str::<Vec<serde_json::Value>>(raw) {
        Ok(values) => {
            match values.iter().map(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok())).collect::<Option<_>>() {
                Some(ids) => ids,
                None => return fail(format!("productIdList must hold integer ids, got {raw}")),
            }
        }
        Err(_) => return fail(format!("productIdList must be a JSON array such as [584051070147], got {raw:?}")),
    };
    if ids.len() > 100 {
        return fail(format!("productIdList holds {} ids; at most 100", ids.len()));
    }
    let catalog = &call.state.catalog;
    let live = call.state.live();
    let list = ids
        .iter()
        .filter_map(|&id| catalog.offer_index(id))
        .filter(|&i| Some(catalog.offers[i].supplier as usize) == call.member)
        .map(|i| product_info(catalog, &catalog.offers[i], &live.offers[i]))
        .collect();
    Reply::ok(&ListResponse { product_list: list, success: true, message: None })
}

fn product_info<'a>(catalog: &'a Catalog, offer: &'a Offer, live: &LiveOffer) -> ProductInfo<'a> {
    let spec = offer.category();
    let supplier = &catalog.suppliers[offer.supplier as usize];
    let ladder = live_ladder(offer, live);
    let tier1 = ladder[0].1;
    let last = ladder.last().map_or(tier1, |t| t.1);
    let [l, w, h] = offer.dims_cm;
    let weight = f64::from(offer.weight_g) / 1000.0;
    ProductInfo {
        product_id: offer.id,
        product_type: "wholesale",
        category_id: spec.id,
        category_name: spec.name,
        group_id: vec![i64::from(offer.group) + 100_000_000],
        status: if live.delisted { "expired" } else { "published" },
        subject: &offer.subject,
        description: format!("<p>{}</p>", offer.subject),
        language: "CHINESE",
        period_of_validity: 3650,
        biz_type: 1,
        picture_auth: false,
        image: Images { images: (0..offer.gallery).map(|n| image_path(offer, n)).collect() },
        attributes: vec![Attribute {
            attribute_id: 1398,
            attribute_name: "品牌",
            value_id: 0,
            value: "其他",
            is_custom: false,
        }],
        sku_infos: offer
            .skus
            .iter()
            .zip(&live.stock)
            .map(|(sku, &stock)| {
                let price = if offer.quote_type == 1 { live.price(sku.price) } else { tier1 };
                SkuInfo {
                    attributes: sku
                        .values
                        .iter()
                        .zip(spec.axes)
                        .map(|(&v, axis)| SkuAttribute {
                            attribute_id: axis.attribute_id,
                            attribute_value: axis.values[usize::from(v)].0,
                            sku_image_url: (axis.name == "颜色").then(|| sku_image_path(offer, v)),
                            attribute_display_name: axis.name,
                        })
                        .collect(),
                    cargo_number: offer.cargo_number.clone(),
                    amount_on_sale: stock,
                    retail_price: money_f64(price * rust_decimal::Decimal::new(15, 1)),
                    price: money_f64(price),
                    sku_id: sku.id,
                    spec_id: sku.spec_id.clone(),
                    consign_price: money_f64(live.price(offer.consign_price)),
                }
            })
            .collect(),
        sale_info: SaleInfo {
            support_online_trade: true,
            mix_whole_sale: supplier.mix.is_some(),
            sale_type: if offer.ladder.len() > 1 { "batch" } else { "normal" },
            price_auth: false,
            price_ranges: ladder
                .iter()
                .map(|&(start, price)| PriceRange { start_quantity: start, price: money_f64(price) })
                .collect(),
            amount_on_sale: live.total_stock() as f64,
            unit: spec.unit.0,
            min_order_quantity: live.moq,
            batch_number: offer.batch_number,
            quote_type: offer.quote_type,
            consign_price: money_f64(live.price(offer.consign_price)),
            inv_reduce_type: 1,
        },
        shipping_info: ShippingInfo {
            freight_template_id: 100_000 + i64::from(offer.supplier),
            unit_weight: weight,
            suttle_weight: (weight * 0.9 * 1000.0).round() / 1000.0,
            send_goods_address_id: 200_000 + i64::from(offer.supplier),
            send_goods_address_text: format!("{} {}", supplier.province, supplier.city),
            width: f64::from(w),
            height: f64::from(h),
            length: f64::from(l),
        },
        extend_infos: vec![ExtendInfo { key: "buyerProtection", value: "[\"psbj\",\"swtwlybt\"]" }],
        supplier_user_id: supplier.user_id.to_string(),
        supplier_login_id: &supplier.login_id,
        seller_login_id: &supplier.login_id,
        quality_level: i64::from(offer.trade_score_tenths / 10),
        product_cargo_number: &offer.cargo_number,
        cross_border_offer: offer.one_piece,
        reference_price: if last == tier1 { money(tier1) } else { format!("{}-{}", money(last), money(tier1)) },
        booked_count: offer.month_sold.to_string(),
        create_time: platform_date_ms(offer.created * 1000),
        last_update_time: platform_date_ms(offer.modified * 1000),
        expire_time: platform_date_ms((offer.modified + 3650 * 86_400) * 1000),
    }
}

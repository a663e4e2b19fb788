//! `product.search.queryProductDetail` (ProductDetailModel, spec §6.7).

use serde::Serialize;

use super::items::SellerDataInfo;
use super::wire::{
    SuccessType, crossborder_fail, crossborder_ok, get_i64, get_str, image_path, image_url, json_object, live_ladder,
    money, promotion, search_date, sku_image_path,
};
use crate::call::Call;
use crate::catalog::drift::LiveOffer;
use crate::catalog::model::tenths;
use crate::catalog::{Catalog, Offer};
use crate::reply::Reply;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Detail<'a> {
    offer_id: i64,
    category_id: i64,
    category_name: &'static str,
    subject: &'a str,
    subject_trans: &'a str,
    description: String,
    description_trans: String,
    product_image: ProductImage,
    product_attribute: Vec<Attribute>,
    product_sku_infos: Vec<SkuInfo>,
    product_sale_info: SaleInfo,
    product_shipping_info: ShippingInfo,
    is_jxhy: bool,
    seller_open_id: &'a str,
    min_order_quantity: i64,
    batch_number: i64,
    status: &'static str,
    tag_info_list: Vec<Tag>,
    trace_info: String,
    seller_mix_setting: MixSetting,
    sold_out: String,
    trade_score: String,
    top_category_id: i64,
    second_category_id: i64,
    third_category_id: i64,
    selling_point: Vec<&'static str>,
    offer_identities: &'a [&'static str],
    create_date: String,
    is_select: &'static str,
    certificate_list: Vec<Certificate>,
    promotion_url: String,
    company_name: &'a str,
    seller_data_info: SellerDataInfo,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductImage {
    images: Vec<String>,
    white_image: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Attribute {
    attribute_id: String,
    attribute_name: &'static str,
    value: String,
    attribute_name_trans: &'static str,
    value_trans: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SkuInfo {
    amount_on_sale: i64,
    price: String,
    sku_id: i64,
    spec_id: String,
    sku_attributes: Vec<SkuAttribute>,
    consign_price: String,
    cargo_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotion_price: Option<String>,
    fenxiao_price_info: FenxiaoPrice,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SkuAttribute {
    attribute_id: i64,
    attribute_name: &'static str,
    attribute_name_trans: &'static str,
    value: &'static str,
    value_trans: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku_image_url: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FenxiaoPrice {
    one_piece_price: String,
    offer_price: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SaleInfo {
    amount_on_sale: i64,
    price_range_list: Vec<PriceRange>,
    quote_type: u8,
    unit_info: UnitInfo,
    fenxiao_sale_info: FenxiaoSaleInfo,
    consign_price: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PriceRange {
    start_quantity: i64,
    price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotion_price: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UnitInfo {
    unit: &'static str,
    trans_unit: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FenxiaoSaleInfo {
    one_piece_free_postage: bool,
    start_quantity: i64,
    one_piece_price: String,
    offer_price: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ShippingInfo {
    send_goods_address_text: String,
    weight: f64,
    width: f64,
    height: f64,
    length: f64,
    sku_shipping_info_list: Vec<SkuShipping>,
    shipping_time_guarantee: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SkuShipping {
    spec_id: String,
    sku_id: i64,
    width: f64,
    length: f64,
    height: f64,
    weight: i64,
}

#[derive(Serialize)]
struct Tag {
    key: &'static str,
    value: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MixSetting {
    general_hunpi: bool,
    mix_amount: i64,
    mix_number: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Certificate {
    certificate_name: &'static str,
    certificate_code: String,
    certificate_photo_list: Vec<String>,
}

/// `product.search.queryProductDetail`.
pub fn query_product_detail(call: &Call<'_>) -> Reply {
    let fail = |code: &str, msg: &str| crossborder_fail(SuccessType::Bool, code, msg);
    let map = match json_object(call.params.get("offerDetailParam").unwrap_or(""), "offerDetailParam") {
        Ok(map) => map,
        Err(e) => return fail("400", &e),
    };
    let offer_id = match get_i64(&map, "offerId") {
        Ok(Some(id)) => id,
        Ok(None) => return fail("400", "offerId is required"),
        Err(e) => return fail("400", &e),
    };
    if get_str(&map, "country").is_none() {
        return fail("400", "country is required (a language code such as en)");
    }
    let catalog = &call.state.catalog;
    let Some(index) = catalog.offer_index(offer_id) else {
        return fail("404", &format!("offer {offer_id} does not exist"));
    };
    let live = call.state.live();
    crossborder_ok(
        SuccessType::Bool,
        detail(catalog, &catalog.offers[index], &live.offers[index], &call.state.base_url),
    )
}

fn detail<'a>(catalog: &'a Catalog, offer: &'a Offer, live: &LiveOffer, base: &str) -> Detail<'a> {
    let spec = offer.category();
    let supplier = &catalog.suppliers[offer.supplier as usize];
    let ladder = live_ladder(offer, live);
    let tier1 = ladder[0].1;
    let (material, material_en) = spec.materials[usize::from(offer.material)];
    let images: Vec<String> = (0..offer.gallery).map(|n| image_url(base, &image_path(offer, n))).collect();
    let skus = offer
        .skus
        .iter()
        .zip(&live.stock)
        .map(|(sku, &stock)| {
            let price = if offer.quote_type == 1 { live.price(sku.price) } else { tier1 };
            SkuInfo {
                amount_on_sale: stock,
                price: money(price),
                sku_id: sku.id,
                spec_id: sku.spec_id.clone(),
                sku_attributes: sku
                    .values
                    .iter()
                    .zip(spec.axes)
                    .map(|(&v, axis)| {
                        let (value, value_trans) = axis.values[usize::from(v)];
                        SkuAttribute {
                            attribute_id: axis.attribute_id,
                            attribute_name: axis.name,
                            attribute_name_trans: axis.name_en,
                            value,
                            value_trans,
                            sku_image_url: (axis.name == "颜色").then(|| image_url(base, &sku_image_path(offer, v))),
                        }
                    })
                    .collect(),
                consign_price: money(live.price(offer.consign_price)),
                cargo_number: format!(
                    "{}-{}",
                    offer.cargo_number,
                    sku.values.iter().map(u8::to_string).collect::<Vec<_>>().join("")
                ),
                promotion_price: promotion(price, offer.promotion_pct).map(money),
                fenxiao_price_info: FenxiaoPrice {
                    one_piece_price: money(live.price(offer.consign_price)),
                    offer_price: money(price),
                },
            }
        })
        .collect();
    let [l, w, h] = offer.dims_cm;
    let mix = supplier.mix;
    Detail {
        offer_id: offer.id,
        category_id: spec.id,
        category_name: spec.name,
        subject: &offer.subject,
        subject_trans: &offer.subject_en,
        description: format!(
            "<p>{}</p><p>材质：{material}</p><p>产地：{}{}</p><img src=\"{}\"/>",
            offer.subject,
            supplier.province,
            supplier.city,
            image_url(base, &image_path(offer, 0))
        ),
        description_trans: format!("<p>{}</p><p>Material: {material_en}</p>", offer.subject_en),
        product_image: ProductImage { images, white_image: "" },
        product_attribute: vec![
            Attribute {
                attribute_id: "1398".into(),
                attribute_name: "品牌",
                value: "其他".into(),
                attribute_name_trans: "Brand",
                value_trans: "Other".into(),
            },
            Attribute {
                attribute_id: "287".into(),
                attribute_name: "材质",
                value: material.into(),
                attribute_name_trans: "Material",
                value_trans: material_en.into(),
            },
            Attribute {
                attribute_id: "1957".into(),
                attribute_name: "产地",
                value: supplier.city.into(),
                attribute_name_trans: "Origin",
                value_trans: format!("{} (China)", supplier.city),
            },
            Attribute {
                attribute_id: "3151".into(),
                attribute_name: "货号",
                value: offer.cargo_number.clone(),
                attribute_name_trans: "Item No.",
                value_trans: offer.cargo_number.clone(),
            },
        ],
        product_sku_infos: skus,
        product_sale_info: SaleInfo {
            amount_on_sale: live.total_stock(),
            price_range_list: ladder
                .iter()
                .map(|&(start, price)| PriceRange {
                    start_quantity: start,
                    price: money(price),
                    promotion_price: promotion(price, offer.promotion_pct).map(money),
                })
                .collect(),
            quote_type: offer.quote_type,
            unit_info: UnitInfo { unit: spec.unit.0, trans_unit: spec.unit.1 },
            fenxiao_sale_info: FenxiaoSaleInfo {
                one_piece_free_postage: offer.one_piece && offer.ship_guarantee == "shipIn24Hours",
                start_quantity: 1,
                one_piece_price: money(live.price(offer.consign_price)),
                offer_price: money(tier1),
            },
            consign_price: money(live.price(offer.consign_price)),
        },
        product_shipping_info: ShippingInfo {
            send_goods_address_text: format!("{} {}", supplier.province, supplier.city),
            weight: f64::from(offer.weight_g) / 1000.0,
            width: f64::from(w),
            height: f64::from(h),
            length: f64::from(l),
            sku_shipping_info_list: offer
                .skus
                .iter()
                .map(|s| SkuShipping {
                    spec_id: s.spec_id.clone(),
                    sku_id: s.id,
                    width: f64::from(w),
                    length: f64::from(l),
                    height: f64::from(h),
                    weight: i64::from(offer.weight_g),
                })
                .collect(),
            shipping_time_guarantee: offer.ship_guarantee,
        },
        is_jxhy: offer.jxhy,
        seller_open_id: &supplier.open_id,
        min_order_quantity: live.moq,
        batch_number: offer.batch_number,
        status: if live.delisted { "expired" } else { "published" },
        tag_info_list: vec![
            Tag { key: "isOnePsale", value: offer.one_piece },
            Tag { key: "isPatentProduct", value: offer.patent },
        ],
        trace_info: format!("object_id@{}^object_type@offer", offer.id),
        seller_mix_setting: MixSetting {
            general_hunpi: mix.is_some(),
            mix_amount: mix.map_or(0, |m| m.0),
            mix_number: mix.map_or(0, |m| m.1),
        },
        sold_out: (offer.month_sold * 12 + offer.sales_7d).to_string(),
        trade_score: tenths(offer.trade_score_tenths),
        top_category_id: spec.top_id,
        second_category_id: spec.second_id,
        third_category_id: spec.id,
        selling_point: vec![spec.adjectives[usize::from(offer.material) % spec.adjectives.len()].0],
        offer_identities: &offer.offer_identities,
        create_date: search_date(offer.created),
        is_select: if offer.jxhy { "true" } else { "false" },
        certificate_list: supplier
            .certificates
            .iter()
            .map(|&name| Certificate {
                certificate_name: name,
                certificate_code: format!("{name}-{}", supplier.user_id % 1_000_000),
                certificate_photo_list: Vec::new(),
            })
            .collect(),
        promotion_url: format!("https://detail.1688.com/offer/{}.html", offer.id),
        company_name: &supplier.company,
        seller_data_info: SellerDataInfo::of(catalog, offer.supplier, true),
    }
}

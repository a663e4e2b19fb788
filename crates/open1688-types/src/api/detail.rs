//! `com.alibaba.fenxiao.crossborder:product.search.queryProductDetail-1` (spec §6.7).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::search::{CROSSBORDER, SellerDataInfo};
use crate::business::CrossBorderResponse;
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

/// `product.search.queryProductDetail`.
pub const QUERY_PRODUCT_DETAIL: ApiId = ApiId::new(CROSSBORDER, "product.search.queryProductDetail", 1);

/// The `offerDetailParam` JSON. Field order is the wire order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OfferDetailParam {
    /// The offer.
    pub offer_id: i64,
    /// Language of translated fields (`en`, `ja`, …).
    pub country: String,
    /// The buyer's own member id on the caller's platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_member_id: Option<String>,
    /// Currency for the `foreignCurrency*` prices (`USD`, `HKD`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A detail request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductDetailQuery {
    /// The `offerDetailParam` object.
    pub param: OfferDetailParam,
}

impl ApiRequest for ProductDetailQuery {
    type Output = CrossBorderResponse<ProductDetail>;

    fn api(&self) -> ApiId {
        QUERY_PRODUCT_DETAIL
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("offerDetailParam", &self.param)?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// ProductDetailModel: the full offer as the cross-border detail API returns it.
    pub struct ProductDetail {
        /// The offer id.
        offer_id: Option<i64> = "offerId",
        /// Leaf category id.
        category_id: Option<i64> = "categoryId",
        /// Leaf category name.
        category_name: Option<String> = "categoryName",
        /// Chinese title.
        subject: Option<String> = "subject",
        /// Translated title.
        subject_trans: Option<String> = "subjectTrans",
        /// Images.
        product_image: Option<ProductImage> = "productImage",
        /// Attributes (brand, material…).
        product_attribute: Vec<ProductAttribute> = "productAttribute",
        /// SKUs.
        product_sku_infos: Vec<SkuInfo> = "productSkuInfos",
        /// Prices, ladder, unit, stock.
        product_sale_info: Option<SaleInfo> = "productSaleInfo",
        /// Weight, size, ship-from.
        product_shipping_info: Option<ShippingInfo> = "productShippingInfo",
        /// The seller's open id.
        seller_open_id: Option<String> = "sellerOpenId",
        /// Minimum order quantity.
        min_order_quantity: Option<i64> = "minOrderQuantity",
        /// Order in multiples of this (0: none).
        batch_number: Option<i64> = "batchNumber",
        /// `published`, `expired`…
        status: Option<String> = "status",
        /// Mixed-batch rule of the seller.
        seller_mix_setting: Option<MixSetting> = "sellerMixSetting",
        /// Total sold, a string on the wire.
        sold_out: Option<i64> = "soldOut",
        /// Offer experience score.
        trade_score: Option<Decimal> = "tradeScore",
        /// Top-level category.
        top_category_id: Option<i64> = "topCategoryId",
        /// Second-level category.
        second_category_id: Option<i64> = "secondCategoryId",
        /// Third-level category.
        third_category_id: Option<i64> = "thirdCategoryId",
        /// Certificates.
        certificate_list: Vec<Certificate> = "certificateList",
        /// Detail page (`promotionUrl`, lower-case `rl` here).
        promotion_url: Option<String> = "promotionUrl",
        /// Seller company.
        company_name: Option<String> = "companyName",
        /// Supplier signals.
        seller_data_info: Option<SellerDataInfo> = "sellerDataInfo",
        /// A string `"true"`/`"false"` here.
        is_select: Option<bool> = "isSelect",
    }
}

crate::wire_struct! {
    /// `productImage`.
    pub struct ProductImage {
        /// Image URLs.
        images: Vec<String> = "images",
        /// White-background image.
        white_image: Option<String> = "whiteImage",
    }
}

crate::wire_struct! {
    /// One `productAttribute` entry.
    pub struct ProductAttribute {
        /// Attribute id (a string here).
        attribute_id: Option<String> = "attributeId",
        /// Name.
        attribute_name: Option<String> = "attributeName",
        /// Value.
        value: Option<String> = "value",
        /// Translated name.
        attribute_name_trans: Option<String> = "attributeNameTrans",
        /// Translated value.
        value_trans: Option<String> = "valueTrans",
    }
}

crate::wire_struct! {
    /// One SKU.
    pub struct SkuInfo {
        /// Stock.
        amount_on_sale: Option<i64> = "amountOnSale",
        /// Price (a string).
        price: Option<Decimal> = "price",
        /// SKU id.
        sku_id: Option<i64> = "skuId",
        /// Spec id.
        spec_id: Option<String> = "specId",
        /// Attribute values.
        sku_attributes: Vec<SkuAttribute> = "skuAttributes",
        /// Dropshipping price.
        consign_price: Option<Decimal> = "consignPrice",
        /// Seller's item number.
        cargo_number: Option<String> = "cargoNumber",
        /// Promotion price.
        promotion_price: Option<Decimal> = "promotionPrice",
    }
}

crate::wire_struct! {
    /// One SKU attribute value.
    pub struct SkuAttribute {
        /// Attribute id.
        attribute_id: Option<i64> = "attributeId",
        /// Name (`颜色`).
        attribute_name: Option<String> = "attributeName",
        /// Translated name.
        attribute_name_trans: Option<String> = "attributeNameTrans",
        /// Value (`红色`).
        value: Option<String> = "value",
        /// Translated value.
        value_trans: Option<String> = "valueTrans",
        /// Image of this value.
        sku_image_url: Option<String> = "skuImageUrl",
    }
}

crate::wire_struct! {
    /// `productSaleInfo`.
    pub struct SaleInfo {
        /// Total stock.
        amount_on_sale: Option<i64> = "amountOnSale",
        /// The price ladder.
        price_range_list: Vec<PriceRange> = "priceRangeList",
        /// The ladder under its older name (`priceRanges`), read when `priceRangeList` is absent.
        price_ranges: Vec<PriceRange> = "priceRanges",
        /// 0: by quantity, no SKUs; 1: per SKU; 2: SKUs priced by quantity; 3: per-SKU ranges.
        quote_type: Option<i64> = "quoteType",
        /// Unit.
        unit_info: Option<UnitInfo> = "unitInfo",
        /// Dropshipping price.
        consign_price: Option<Decimal> = "consignPrice",
    }
}

crate::wire_struct! {
    /// One ladder tier.
    pub struct PriceRange {
        /// From this quantity on.
        start_quantity: Option<i64> = "startQuantity",
        /// Unit price.
        price: Option<Decimal> = "price",
        /// Promotion unit price.
        promotion_price: Option<Decimal> = "promotionPrice",
    }
}

crate::wire_struct! {
    /// `unitInfo`.
    pub struct UnitInfo {
        /// Chinese unit (`件`).
        unit: Option<String> = "unit",
        /// Translated unit.
        trans_unit: Option<String> = "transUnit",
    }
}

crate::wire_struct! {
    /// `productShippingInfo`.
    pub struct ShippingInfo {
        /// Ship-from (`浙江省 金华市`).
        send_goods_address_text: Option<String> = "sendGoodsAddressText",
        /// Weight in kg.
        weight: Option<Decimal> = "weight",
        /// Width in cm.
        width: Option<Decimal> = "width",
        /// Height in cm.
        height: Option<Decimal> = "height",
        /// Length in cm.
        length: Option<Decimal> = "length",
        /// Dispatch guarantee (`shipIn48Hours`).
        shipping_time_guarantee: Option<String> = "shippingTimeGuarantee",
    }
}

crate::wire_struct! {
    /// `sellerMixSetting` (混批).
    pub struct MixSetting {
        /// Mixing allowed.
        general_hunpi: Option<bool> = "generalHunpi",
        /// The same flag as the official model names it; either may come.
        is_general_hunpi: Option<bool> = "isGeneralHunpi",
        /// Minimum order amount in yuan.
        mix_amount: Option<Decimal> = "mixAmount",
        /// Minimum pieces.
        mix_number: Option<i64> = "mixNumber",
    }
}

crate::wire_struct! {
    /// One certificate.
    pub struct Certificate {
        /// Name (`CE`).
        certificate_name: Option<String> = "certificateName",
        /// Number.
        certificate_code: Option<String> = "certificateCode",
    }
}

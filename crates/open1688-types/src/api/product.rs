//! `alibaba.product.get` and `alibaba.product.getByIdList` (spec §6.1–6.2): the authorized
//! member's own products. Prices are doubles here, dates `yyyyMMddHHmmssSSS+0800`.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use crate::business::{BusinessFailure, ResponseFamily};
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest, ApiResponse};

/// The product namespace.
pub const PRODUCT: &str = "com.alibaba.product";
/// `alibaba.product.get`.
pub const PRODUCT_GET: ApiId = ApiId::new(PRODUCT, "alibaba.product.get", 1);
/// `alibaba.product.getByIdList`.
pub const PRODUCT_GET_BY_ID_LIST: ApiId = ApiId::new(PRODUCT, "alibaba.product.getByIdList", 1);

/// One own product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductGet {
    /// The product id.
    pub product_id: i64,
}

impl ApiRequest for ProductGet {
    type Output = ProductGetResponse;

    fn api(&self) -> ApiId {
        PRODUCT_GET
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set("productID", self.product_id)?;
        p.set("webSite", "1688")?;
        p.set("scene", "1688")?;
        Ok(p)
    }
}

/// Several own products (at most 100 ids).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductGetByIdList {
    /// The product ids.
    pub product_ids: Vec<i64>,
}

impl ApiRequest for ProductGetByIdList {
    type Output = ProductListResponse;

    fn api(&self) -> ApiId {
        PRODUCT_GET_BY_ID_LIST
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("productIdList", &self.product_ids)?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// The `alibaba.product.get` answer: top-level `errMsg` on failure.
    pub struct ProductGetResponse {
        /// Present in samples.
        success: Option<bool> = "success",
        /// The product.
        product_info: Option<ProductInfo> = "productInfo",
        /// Failure message.
        err_msg: Option<String> = "errMsg",
    }
}

impl ApiResponse for ProductGetResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        // An empty `errMsg` beside the product is not a failure.
        let err_msg = self.err_msg.as_deref().is_some_and(|m| !m.trim().is_empty());
        (self.success == Some(false) || err_msg).then(|| BusinessFailure {
            family: ResponseFamily::ProductGet,
            code: None,
            message: self.err_msg.clone(),
        })
    }
}

crate::wire_struct! {
    /// The `alibaba.product.getByIdList` answer.
    pub struct ProductListResponse {
        /// The member's products among the ids.
        product_list: Vec<ProductInfo> = "productList",
        /// `false` on failure.
        success: Option<bool> = "success",
        /// Failure message.
        message: Option<String> = "message",
    }
}

impl ApiResponse for ProductListResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success == Some(false)).then(|| BusinessFailure {
            family: ResponseFamily::ProductList,
            code: None,
            message: self.message.clone(),
        })
    }
}

crate::wire_struct! {
    /// ProductInfo (the fields open1688 reads; the rest stays in `extra`).
    pub struct ProductInfo {
        /// Product id.
        product_id: Option<i64> = "productID",
        /// Category id.
        category_id: Option<i64> = "categoryID",
        /// Category name.
        category_name: Option<String> = "categoryName",
        /// `published`…
        status: Option<String> = "status",
        /// Title.
        subject: Option<String> = "subject",
        /// Sale terms.
        sale_info: Option<ProductSaleInfo> = "saleInfo",
        /// Seller login id.
        seller_login_id: Option<String> = "sellerLoginId",
        /// Created.
        create_time: Option<DateTime<FixedOffset>> = "createTime",
        /// Last updated.
        last_update_time: Option<DateTime<FixedOffset>> = "lastUpdateTime",
    }
}

crate::wire_struct! {
    /// ProductSaleInfo.
    pub struct ProductSaleInfo {
        /// The ladder (doubles on the wire, decoded exactly).
        price_ranges: Vec<ProductPriceRange> = "priceRanges",
        /// Stock (a double on the wire).
        amount_on_sale: Option<Decimal> = "amountOnSale",
        /// Minimum order quantity.
        min_order_quantity: Option<i64> = "minOrderQuantity",
        /// Quote type.
        quote_type: Option<i64> = "quoteType",
        /// Unit.
        unit: Option<String> = "unit",
        /// Mixed batches allowed.
        mix_whole_sale: Option<bool> = "mixWholeSale",
    }
}

crate::wire_struct! {
    /// One ladder tier.
    pub struct ProductPriceRange {
        /// From this quantity.
        start_quantity: Option<i64> = "startQuantity",
        /// Unit price.
        price: Option<Decimal> = "price",
    }
}

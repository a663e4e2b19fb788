//! `product.image.upload` and `product.search.imageQuery` (spec §6.5–6.6).

use serde::{Deserialize, Serialize};

use super::search::{CROSSBORDER, SaleFilter, SearchItem};
use crate::business::CrossBorderResponse;
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

/// `product.image.upload`.
pub const IMAGE_UPLOAD: ApiId = ApiId::new(CROSSBORDER, "product.image.upload", 1);
/// `product.search.imageQuery`.
pub const IMAGE_QUERY: ApiId = ApiId::new(CROSSBORDER, "product.search.imageQuery", 1);

/// The `uploadImageParam` JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UploadImageParam {
    /// Raw base64 of the image bytes, without a `data:` prefix.
    pub image_base64: String,
    /// The buyer's own member id on the caller's platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_member_id: Option<String>,
}

/// An upload request; the answer's payload is the imageId.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageUpload {
    /// The `uploadImageParam` object.
    pub param: UploadImageParam,
}

impl ApiRequest for ImageUpload {
    type Output = CrossBorderResponse<String>;

    fn api(&self) -> ApiId {
        IMAGE_UPLOAD
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("uploadImageParam", &self.param)?;
        Ok(p)
    }
}

/// The `offerQueryParam` JSON of an image search. Field order is the wire order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ImageQueryParam {
    /// From `product.image.upload`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// A platform image URL instead of an imageId (only 1688 images are reliable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_address: Option<String>,
    /// 1-based page.
    pub begin_page: u32,
    /// Items per page (at most 50).
    pub page_size: u32,
    /// Language code.
    pub country: String,
    /// Crop `x1,x2,y1,y2` in the image's pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Search within the results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// Comma-separated filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// A JSON string such as `{"price":"asc"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Lowest price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_start: Option<String>,
    /// Highest price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_end: Option<String>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    /// Sales-volume filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_filter_list: Option<Vec<SaleFilter>>,
}

/// An image search request (one page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImageQuery {
    /// The `offerQueryParam` object.
    pub query: ImageQueryParam,
}

impl ApiRequest for ImageQuery {
    type Output = CrossBorderResponse<ImagePage>;

    fn api(&self) -> ApiId {
        IMAGE_QUERY
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("offerQueryParam", &self.query)?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// One page of image results (PageInfoV4).
    pub struct ImagePage {
        /// Total matches.
        total_records: Option<i64> = "totalRecords",
        /// Number of pages.
        total_page: Option<i64> = "totalPage",
        /// Items per page.
        page_size: Option<i64> = "pageSize",
        /// This page's number.
        current_page: Option<i64> = "currentPage",
        /// The items (search items plus company fields).
        data: Vec<SearchItem> = "data",
        /// The region searched and the regions the platform detected.
        pic_region_info: Option<PicRegionInfo> = "picRegionInfo",
    }
}

crate::wire_struct! {
    /// `picRegionInfo`.
    pub struct PicRegionInfo {
        /// `x1,x2,y1,y2` searched.
        current_region: Option<String> = "currentRegion",
        /// Detected object regions, `;`-separated.
        yolo_crop_region: Option<String> = "yoloCropRegion",
    }
}

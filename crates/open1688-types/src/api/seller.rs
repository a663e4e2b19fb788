//! `product.search.querySellerOfferList` (spec §6.8): a seller's offers, in the search shape.

use serde::{Deserialize, Serialize};

use super::search::{CROSSBORDER, SearchPage};
use crate::business::CrossBorderResponse;
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

/// `product.search.querySellerOfferList`.
pub const SELLER_OFFER_LIST: ApiId = ApiId::new(CROSSBORDER, "product.search.querySellerOfferList", 1);

/// The `offerQueryParam` JSON of a seller listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SellerOfferParam {
    /// The seller (`sellerOpenId` from the detail API).
    pub seller_open_id: String,
    /// 1-based page.
    pub begin_page: u32,
    /// Items per page (at most 50).
    pub page_size: u32,
    /// Language code.
    pub country: String,
    /// Search within the seller's offers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// A JSON string such as `{"price":"asc"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

/// A seller listing request (one page).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SellerOfferQuery {
    /// The `offerQueryParam` object.
    pub query: SellerOfferParam,
}

impl ApiRequest for SellerOfferQuery {
    type Output = CrossBorderResponse<SearchPage>;

    fn api(&self) -> ApiId {
        SELLER_OFFER_LIST
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("offerQueryParam", &self.query)?;
        Ok(p)
    }
}

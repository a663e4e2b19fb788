//! The APIs behind the gateway, each answering in its documented shape (spec §6).

mod account;
mod detail;
pub mod image;
mod items;
mod logistics;
mod oauth;
mod payment;
mod product;
mod search;
mod system;
pub mod trade;
pub mod wire;

use crate::api::Api;
use crate::call::Call;
use crate::reply::Reply;

/// Runs an API for a call that passed the gateway.
pub fn dispatch(api: Api, call: &Call<'_>) -> Reply {
    match api {
        Api::CurrentTimeMillis => system::current_time_millis(call),
        Api::CurrentTime => system::current_time(call),
        Api::GetToken => oauth::get_token(call),
        Api::PostponeToken => oauth::postpone_token(call),
        Api::KeywordQuery => search::keyword_query(call),
        Api::ImageUpload => image::upload(call),
        Api::ImageQuery => image::image_query(call),
        Api::ProductDetail => detail::query_product_detail(call),
        Api::SellerOfferList => search::seller_offer_list(call),
        Api::ProductGet => product::get(call),
        Api::ProductGetByIdList => product::get_by_id_list(call),
        Api::AccountBasic => account::account_basic(call),
        Api::AccountCrossBasic => account::cross_basic(call),
        Api::OrderPreview => trade::preview(call),
        Api::CreateCrossOrder => trade::create_cross_order(call),
        Api::AlipayUrl => trade::alipay_url(call),
        Api::BuyerView => trade::buyer_view(call),
        Api::BuyerOrderList => trade::buyer_order_list(call),
        Api::CancelOrder => trade::cancel(call),
        Api::ReceiveAddresses => payment::receive_addresses(call),
        Api::CrossBorderPayUrl => payment::cross_border_pay_url(call),
        Api::AddressCodeParse => payment::address_code(call),
        Api::LogisticsInfos => logistics::infos(call),
        Api::LogisticsTrace => logistics::trace(call),
    }
}

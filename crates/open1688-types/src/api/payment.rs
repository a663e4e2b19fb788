//! The buyer's saved delivery addresses (`alibaba.trade.receiveAddress.get`, whose ids an order's
//! `addressParam` may name), an address turned into its district code
//! (`alibaba.trade.addresscode.parse`, for the code form of `addressParam`) and the Kuajingbao
//! (跨境宝) payment link (`alibaba.crossBorderPay.url.get`, trade spec §A.6). The platform's
//! documentation examples (`fixtures/responses/docs/`) put the saved addresses under
//! `result.receiveAddressItems` beside a top-level `success`, each with `townCode`/`townName`, and
//! the parsed address's code under `result.addressCode` with `postCode`, `isDefault` and `latest`.
//! Older relayed answers put the list straight under `result` and the code under `result.code`;
//! both are still read. A refused address call says `success:false` with `code` and `message`
//! (not `errorCode`/`errorMessage`, which are read too).

use crate::business::{ApiResponse, BusinessFailure, ResponseFamily};
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

use super::order::TRADE;

/// `alibaba.trade.receiveAddress.get`.
pub const RECEIVE_ADDRESSES: ApiId = ApiId::new(TRADE, "alibaba.trade.receiveAddress.get", 1);
/// `alibaba.crossBorderPay.url.get`.
pub const CROSS_BORDER_PAY_URL: ApiId = ApiId::new(TRADE, "alibaba.crossBorderPay.url.get", 1);
/// The most orders one Kuajingbao link covers.
pub const MAX_CROSS_BORDER_PAY_ORDERS: usize = 30;

/// `alibaba.trade.receiveAddress.get`: the authorized buyer's saved addresses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReceiveAddresses;

impl ApiRequest for ReceiveAddresses {
    type Output = ReceiveAddressesResponse;

    fn api(&self) -> ApiId {
        RECEIVE_ADDRESSES
    }

    fn params(&self) -> Result<Params, EncodeError> {
        Ok(Params::new())
    }
}

crate::wire_struct! {
    /// One saved address.
    pub struct SavedAddress {
        /// Its id (for `addressParam.addressId`).
        id: Option<i64> = "id",
        /// The receiver.
        full_name: Option<String> = "fullName",
        /// Street and number.
        address: Option<String> = "address",
        /// Post code.
        post_code: Option<String> = "post",
        /// Landline.
        phone: Option<String> = "phone",
        /// Mobile.
        mobile: Option<String> = "mobilePhone",
        /// The district's code.
        address_code: Option<String> = "addressCode",
        /// Province, city and district as text.
        address_code_text: Option<String> = "addressCodeText",
        /// Whether it is the buyer's default.
        is_default: Option<bool> = "isDefault",
        /// The town's (street's) code.
        town_code: Option<String> = "townCode",
        /// The town's (street's) name.
        town_name: Option<String> = "townName",
    }
}

impl SavedAddress {
    /// The address as one line a person reads: district, town, street (what is known of them).
    pub fn one_line(&self) -> String {
        [self.address_code_text.as_deref(), self.town_name.as_deref(), self.address.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

crate::wire_struct! {
    /// `result` when it is an object holding the list.
    pub struct AddressItems {
        /// The addresses.
        items: Vec<SavedAddress> = "receiveAddressItems",
    }
}

/// The saved addresses' answer: `result` is the list, or an object holding it.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ReceiveAddressesResponse {
    /// The answer as received.
    #[serde(default)]
    result: Option<serde_json::Value>,
    /// The documented flag: `false` on a refusal.
    #[serde(default, deserialize_with = "crate::lenient::tolerant::opt_bool")]
    pub success: Option<bool>,
    /// The documented failure code.
    #[serde(default, deserialize_with = "crate::lenient::tolerant::opt_string")]
    pub code: Option<String>,
    /// The documented failure message.
    #[serde(default, deserialize_with = "crate::lenient::tolerant::opt_string")]
    pub message: Option<String>,
    /// A failure code, as other trade answers spell it.
    #[serde(default, rename = "errorCode", deserialize_with = "crate::lenient::tolerant::opt_string")]
    pub error_code: Option<String>,
    /// A failure message, as other trade answers spell it.
    #[serde(default, rename = "errorMessage", deserialize_with = "crate::lenient::tolerant::opt_string")]
    pub error_message: Option<String>,
}

impl ReceiveAddressesResponse {
    /// The addresses, whichever shape the answer took (entries that do not read are left out).
    pub fn addresses(&self) -> Vec<SavedAddress> {
        match &self.result {
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|i| serde_json::from_value(i.clone()).ok()).collect()
            }
            Some(object @ serde_json::Value::Object(_)) => {
                serde_json::from_value::<AddressItems>(object.clone()).map(|a| a.items).unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }
}

impl ApiResponse for ReceiveAddressesResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        let code = self.code.clone().or_else(|| self.error_code.clone()).filter(|c| !c.is_empty());
        (self.result.is_none()
            || self.success == Some(false)
            || self.error_code.as_deref().is_some_and(|c| !c.is_empty()))
        .then(|| BusinessFailure {
            family: ResponseFamily::Trade,
            code,
            message: self
                .message
                .clone()
                .or_else(|| self.error_message.clone())
                .filter(|m| !m.is_empty())
                .or_else(|| Some("no addresses in the answer".to_owned())),
        })
    }
}

/// `alibaba.trade.addresscode.parse`.
pub const ADDRESS_CODE_PARSE: ApiId = ApiId::new(TRADE, "alibaba.trade.addresscode.parse", 1);

/// `alibaba.trade.addresscode.parse`: an address as written (`浙江省金华市义乌市福田街道1号`) to its
/// district code, for `addressParam.districtCode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressCodeParse {
    /// The address as a person writes it.
    pub address: String,
}

impl ApiRequest for AddressCodeParse {
    type Output = AddressCodeResponse;

    fn api(&self) -> ApiId {
        ADDRESS_CODE_PARSE
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set("addressInfo", self.address.as_str())?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// The parsed address (the documented fields, and the older `code`/`province`/… form).
    pub struct ParsedAddress {
        /// The district code.
        address_code: Option<String> = "addressCode",
        /// Province, city and district as text.
        address_code_text: Option<String> = "addressCodeText",
        /// Post code.
        post_code: Option<String> = "postCode",
        /// Whether it is the buyer's default address.
        is_default: Option<bool> = "isDefault",
        /// Whether it is the address the buyer used last.
        latest: Option<bool> = "latest",
        /// The saved address it matched, if any.
        address_id: Option<i64> = "addressId",
        /// The code, where the answer calls it `code`.
        code: Option<String> = "code",
        /// Province.
        province: Option<String> = "province",
        /// City.
        city: Option<String> = "city",
        /// District.
        area: Option<String> = "area",
        /// Town.
        town: Option<String> = "town",
        /// What is left of the address (street and number).
        address: Option<String> = "address",
    }
}

impl ParsedAddress {
    /// The district code, whichever key held it.
    pub fn district_code(&self) -> Option<&str> {
        self.address_code.as_deref().or(self.code.as_deref()).filter(|c| !c.is_empty())
    }
}

crate::wire_struct! {
    /// The parse's answer.
    pub struct AddressCodeResponse {
        /// The address, parsed.
        result: Option<ParsedAddress> = "result",
        /// The documented flag, when sent.
        success: Option<bool> = "success",
        /// A failure code.
        error_code: Option<String> = "errorCode" | "code",
        /// A failure message.
        error_message: Option<String> = "errorMessage" | "message",
    }
}

impl ApiResponse for AddressCodeResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        self.result.as_ref().and_then(ParsedAddress::district_code).is_none().then(|| BusinessFailure {
            family: ResponseFamily::Trade,
            code: self.error_code.clone(),
            message: self
                .error_message
                .clone()
                .or_else(|| Some("the address could not be given a district code".into())),
        })
    }
}

/// `alibaba.crossBorderPay.url.get`: the Kuajingbao cashier link for up to 30 unpaid orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossBorderPayUrl {
    /// The orders to pay.
    pub order_ids: Vec<i64>,
}

impl ApiRequest for CrossBorderPayUrl {
    type Output = CrossBorderPayUrlResponse;

    fn api(&self) -> ApiId {
        CROSS_BORDER_PAY_URL
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("orderIdList", &self.order_ids)?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// The Kuajingbao link's answer (`success` is a String here; read either way).
    pub struct CrossBorderPayUrlResponse {
        /// Whether a link was made.
        success: Option<bool> = "success",
        /// The cashier's address.
        pay_url: Option<String> = "payUrl",
        /// A failure code (`400_4`: no order payable by Kuajingbao).
        error_code: Option<String> = "errorCode",
        /// A failure message.
        error_msg: Option<String> = "errorMsg",
    }
}

impl ApiResponse for CrossBorderPayUrlResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success == Some(false) || self.pay_url.is_none()).then(|| BusinessFailure {
            family: ResponseFamily::Trade,
            code: self.error_code.clone(),
            message: self.error_msg.clone().or_else(|| Some("the platform made no Kuajingbao link".to_owned())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_from_either_shape_and_links_from_string_flags() {
        let list: ReceiveAddressesResponse = serde_json::from_str(
            r#"{"result":[{"id":593861699,"fullName":"张三","address":"福田街道 1 号","isDefault":"true"},{"id":"x"}]}"#,
        )
        .unwrap();
        let read = list.addresses();
        assert_eq!(read[0].id, Some(593_861_699));
        assert_eq!(read[0].is_default, Some(true));
        assert!(list.business_failure().is_none());
        let nested: ReceiveAddressesResponse =
            serde_json::from_str(r#"{"result":{"receiveAddressItems":[{"id":7,"mobilePhone":"138"}]}}"#).unwrap();
        assert_eq!(nested.addresses()[0].mobile.as_deref(), Some("138"));
        let none: ReceiveAddressesResponse =
            serde_json::from_str(r#"{"errorCode":"401","errorMessage":"no"}"#).unwrap();
        assert!(none.business_failure().is_some());

        let parsed: AddressCodeResponse =
            serde_json::from_str(r#"{"result":{"code":"330782","province":"浙江省","address":"福田街道1号"}}"#)
                .unwrap();
        assert_eq!(parsed.result.as_ref().and_then(ParsedAddress::district_code), Some("330782"));
        assert!(parsed.business_failure().is_none());
        let unknown: AddressCodeResponse = serde_json::from_str(r#"{"result":{"addressCode":""}}"#).unwrap();
        assert!(unknown.business_failure().is_some());

        let link: CrossBorderPayUrlResponse =
            serde_json::from_str(r#"{"success":"true","payUrl":"https://x","cantPayOrderList":[2237938826932135493]}"#)
                .unwrap();
        assert!(link.business_failure().is_none());
        assert_eq!(link.pay_url.as_deref(), Some("https://x"));
        let refused: CrossBorderPayUrlResponse =
            serde_json::from_str(r#"{"success":"false","errorCode":"400_4","errorMsg":"无可用跨境宝支付的订单"}"#)
                .unwrap();
        assert_eq!(refused.business_failure().unwrap().code.as_deref(), Some("400_4"));
    }
}

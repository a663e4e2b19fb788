//! The APIs the sandbox serves and what the gateway demands of each (spec §3, §4, §6).

/// An API the sandbox serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    /// `system:currentTimeMillis`: bare integer, unsigned.
    CurrentTimeMillis,
    /// `system:currentTime`: quoted date string, signed.
    CurrentTime,
    /// `system.oauth2:getToken`.
    GetToken,
    /// `system.oauth2:postponeToken`.
    PostponeToken,
    /// `com.alibaba.fenxiao.crossborder:product.search.keywordQuery`.
    KeywordQuery,
    /// `com.alibaba.fenxiao.crossborder:product.image.upload`.
    ImageUpload,
    /// `com.alibaba.fenxiao.crossborder:product.search.imageQuery`.
    ImageQuery,
    /// `com.alibaba.fenxiao.crossborder:product.search.queryProductDetail`.
    ProductDetail,
    /// `com.alibaba.fenxiao.crossborder:product.search.querySellerOfferList`.
    SellerOfferList,
    /// `com.alibaba.product:alibaba.product.get`.
    ProductGet,
    /// `com.alibaba.product:alibaba.product.getByIdList`.
    ProductGetByIdList,
    /// `com.alibaba.account:alibaba.account.basic`.
    AccountBasic,
    /// `com.alibaba.account:alibaba.account.agent.crossBasic`.
    AccountCrossBasic,
    /// `com.alibaba.trade:alibaba.createOrder.preview`.
    OrderPreview,
    /// `com.alibaba.trade:alibaba.trade.createCrossOrder`.
    CreateCrossOrder,
    /// `com.alibaba.trade:alibaba.alipay.url.get`.
    AlipayUrl,
    /// `com.alibaba.trade:alibaba.trade.get.buyerView`.
    BuyerView,
    /// `com.alibaba.trade:alibaba.trade.getBuyerOrderList`.
    BuyerOrderList,
    /// `com.alibaba.trade:alibaba.trade.cancel`.
    CancelOrder,
    /// `com.alibaba.trade:alibaba.trade.receiveAddress.get`.
    ReceiveAddresses,
    /// `com.alibaba.trade:alibaba.crossBorderPay.url.get`.
    CrossBorderPayUrl,
    /// `com.alibaba.trade:alibaba.trade.addresscode.parse`.
    AddressCodeParse,
    /// `com.alibaba.logistics:alibaba.trade.getLogisticsInfos.buyerView`.
    LogisticsInfos,
    /// `com.alibaba.logistics:alibaba.trade.getLogisticsTraceInfo.buyerView`.
    LogisticsTrace,
}

/// What the gateway checks before an API runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Nothing (server time).
    Open,
    /// OAuth: credentials are parameters; a signature is optional.
    OAuth,
    /// Signature only.
    Signed,
    /// Signature and an access token, ACL and quotas.
    Business,
}

const CROSSBORDER: &str = "com.alibaba.fenxiao.crossborder";
const TRADE: &str = "com.alibaba.trade";
const LOGISTICS: &str = "com.alibaba.logistics";

impl Api {
    /// Every served API.
    pub const ALL: [Api; 24] = [
        Api::CurrentTimeMillis,
        Api::CurrentTime,
        Api::GetToken,
        Api::PostponeToken,
        Api::KeywordQuery,
        Api::ImageUpload,
        Api::ImageQuery,
        Api::ProductDetail,
        Api::SellerOfferList,
        Api::ProductGet,
        Api::ProductGetByIdList,
        Api::AccountBasic,
        Api::AccountCrossBasic,
        Api::OrderPreview,
        Api::CreateCrossOrder,
        Api::AlipayUrl,
        Api::BuyerView,
        Api::BuyerOrderList,
        Api::CancelOrder,
        Api::ReceiveAddresses,
        Api::CrossBorderPayUrl,
        Api::AddressCodeParse,
        Api::LogisticsInfos,
        Api::LogisticsTrace,
    ];

    /// (namespace, name).
    pub fn id(self) -> (&'static str, &'static str) {
        match self {
            Api::CurrentTimeMillis => ("system", "currentTimeMillis"),
            Api::CurrentTime => ("system", "currentTime"),
            Api::GetToken => ("system.oauth2", "getToken"),
            Api::PostponeToken => ("system.oauth2", "postponeToken"),
            Api::KeywordQuery => (CROSSBORDER, "product.search.keywordQuery"),
            Api::ImageUpload => (CROSSBORDER, "product.image.upload"),
            Api::ImageQuery => (CROSSBORDER, "product.search.imageQuery"),
            Api::ProductDetail => (CROSSBORDER, "product.search.queryProductDetail"),
            Api::SellerOfferList => (CROSSBORDER, "product.search.querySellerOfferList"),
            Api::ProductGet => ("com.alibaba.product", "alibaba.product.get"),
            Api::ProductGetByIdList => ("com.alibaba.product", "alibaba.product.getByIdList"),
            Api::AccountBasic => ("com.alibaba.account", "alibaba.account.basic"),
            Api::AccountCrossBasic => ("com.alibaba.account", "alibaba.account.agent.crossBasic"),
            Api::OrderPreview => (TRADE, "alibaba.createOrder.preview"),
            Api::CreateCrossOrder => (TRADE, "alibaba.trade.createCrossOrder"),
            Api::AlipayUrl => (TRADE, "alibaba.alipay.url.get"),
            Api::BuyerView => (TRADE, "alibaba.trade.get.buyerView"),
            Api::BuyerOrderList => (TRADE, "alibaba.trade.getBuyerOrderList"),
            Api::CancelOrder => (TRADE, "alibaba.trade.cancel"),
            Api::ReceiveAddresses => (TRADE, "alibaba.trade.receiveAddress.get"),
            Api::CrossBorderPayUrl => (TRADE, "alibaba.crossBorderPay.url.get"),
            Api::AddressCodeParse => (TRADE, "alibaba.trade.addresscode.parse"),
            Api::LogisticsInfos => (LOGISTICS, "alibaba.trade.getLogisticsInfos.buyerView"),
            Api::LogisticsTrace => (LOGISTICS, "alibaba.trade.getLogisticsTraceInfo.buyerView"),
        }
    }

    /// The API name (statistics and fault plans key on it).
    pub fn name(self) -> &'static str {
        self.id().1
    }

    /// Finds an API by namespace and name.
    pub fn lookup(namespace: &str, name: &str) -> Option<Api> {
        Self::ALL.into_iter().find(|api| api.id() == (namespace, name))
    }

    /// What the gateway checks.
    pub fn guard(self) -> Guard {
        match self {
            Api::CurrentTimeMillis => Guard::Open,
            Api::CurrentTime => Guard::Signed,
            Api::GetToken | Api::PostponeToken => Guard::OAuth,
            _ => Guard::Business,
        }
    }

    /// Whether the URL protocol segment is accepted (`http` only for OAuth, spec §1.1).
    pub fn accepts_protocol(self, protocol: &str) -> bool {
        protocol == "param2" || (self.guard() == Guard::OAuth && protocol == "http")
    }

    /// Parameters the gateway requires before the API runs (`gw.ParamMissing`).
    pub fn required_params(self) -> &'static [&'static str] {
        match self {
            Api::KeywordQuery | Api::ImageQuery | Api::SellerOfferList => &["offerQueryParam"],
            Api::ImageUpload => &["uploadImageParam"],
            Api::ProductDetail => &["offerDetailParam"],
            Api::ProductGet => &["productID", "webSite"],
            Api::ProductGetByIdList => &["productIdList"],
            Api::GetToken => &["grant_type", "client_id", "client_secret"],
            Api::PostponeToken => &["client_id", "client_secret", "refresh_token", "access_token"],
            Api::OrderPreview => &["addressParam", "cargoParamList"],
            Api::CreateCrossOrder => &["addressParam", "cargoParamList", "flow"],
            Api::AlipayUrl | Api::CrossBorderPayUrl => &["orderIdList"],
            Api::AddressCodeParse => &["addressInfo"],
            Api::BuyerView | Api::LogisticsInfos | Api::LogisticsTrace => &["orderId", "webSite"],
            Api::CancelOrder => &["tradeID", "webSite", "cancelReason"],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_round_trips_and_rejects_dotted_oauth_names() {
        for api in Api::ALL {
            let (ns, name) = api.id();
            assert_eq!(Api::lookup(ns, name), Some(api));
        }
        assert_eq!(Api::lookup("system", "oauth2.getToken"), None);
        assert!(Api::GetToken.accepts_protocol("http"));
        assert!(!Api::KeywordQuery.accepts_protocol("http"));
    }
}

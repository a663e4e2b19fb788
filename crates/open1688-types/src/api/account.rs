//! `alibaba.account.basic` and `alibaba.account.agent.crossBasic` (spec §6.8).

use chrono::{DateTime, FixedOffset};

use crate::business::AccountResponse;
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

/// The account namespace.
pub const ACCOUNT: &str = "com.alibaba.account";
/// `alibaba.account.basic`.
pub const ACCOUNT_BASIC: ApiId = ApiId::new(ACCOUNT, "alibaba.account.basic", 1);
/// `alibaba.account.agent.crossBasic`.
pub const ACCOUNT_CROSS_BASIC: ApiId = ApiId::new(ACCOUNT, "alibaba.account.agent.crossBasic", 1);

/// The authorized member's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccountBasic;

impl ApiRequest for AccountBasic {
    type Output = AccountResponse<AccountInfo>;

    fn api(&self) -> ApiId {
        ACCOUNT_BASIC
    }

    fn params(&self) -> Result<Params, EncodeError> {
        Ok(Params::new())
    }
}

/// Another member, by login id or shop domain (at least one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountCrossBasic {
    /// Login id.
    pub login_id: Option<String>,
    /// Shop domain such as `trgm66666.1688.com`.
    pub domain: Option<String>,
}

impl ApiRequest for AccountCrossBasic {
    type Output = AccountResponse<AccountInfo>;

    fn api(&self) -> ApiId {
        ACCOUNT_CROSS_BASIC
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_opt("loginId", self.login_id.as_deref())?;
        p.set_opt("domain", self.domain.as_deref())?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// simpleAccountInfo (both APIs; crossBasic fills fewer fields).
    pub struct AccountInfo {
        /// Login id.
        login_id: Option<String> = "loginId",
        /// Numeric user id.
        user_id: Option<i64> = "userId",
        /// `b2b-…`.
        member_id: Option<String> = "memberId",
        /// Company.
        company_name: Option<String> = "companyName",
        /// Supplier name.
        supplier_name: Option<String> = "supplierName",
        /// Main category name.
        category_name: Option<String> = "categoryName",
        /// Registered.
        create_date: Option<DateTime<FixedOffset>> = "createDate",
        /// Years on the platform.
        tp_year: Option<i64> = "tpYear",
        /// `ENTERPRISE`, `SELF_EMPLOYED`…
        member_biz_type: Option<String> = "memberBizType",
        /// Shop address.
        shop_url: Option<String> = "shopUrl",
        /// Where the member is.
        address_location: Option<String> = "addressLocation",
    }
}

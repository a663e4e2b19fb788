//! `system/currentTimeMillis` and `system/currentTime` (spec §4).

use serde::{Deserialize, Serialize};

use crate::business::BusinessFailure;
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest, ApiResponse};

/// `system:currentTimeMillis-1`: the gateway clock, unsigned and without a token.
pub const CURRENT_TIME_MILLIS: ApiId = ApiId::new("system", "currentTimeMillis", 1);
/// `system:currentTime-1`: the gateway clock as `"yyyyMMddHHmmssSSS+0800"`, signed.
pub const CURRENT_TIME: ApiId = ApiId::new("system", "currentTime", 1);

/// Asks for the gateway clock in epoch milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct CurrentTimeMillis;

/// The bare integer body of `currentTimeMillis`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServerTimeMillis(#[serde(deserialize_with = "crate::lenient::opt_i64")] pub Option<i64>);

impl ApiResponse for ServerTimeMillis {
    fn business_failure(&self) -> Option<BusinessFailure> {
        None
    }
}

impl ApiRequest for CurrentTimeMillis {
    type Output = ServerTimeMillis;

    fn api(&self) -> ApiId {
        CURRENT_TIME_MILLIS
    }

    fn params(&self) -> Result<Params, EncodeError> {
        Ok(Params::new())
    }

    fn needs_access_token(&self) -> bool {
        false
    }

    fn needs_signature(&self) -> bool {
        false
    }
}

//! The [`ApiRequest`] trait: what one platform API needs to be called and decoded.

use std::borrow::Cow;
use std::fmt;

use serde::de::DeserializeOwned;

// The response side of a request lives with the business-failure shapes it detects.
pub use crate::business::ApiResponse;
use crate::params::{EncodeError, Params};
use crate::signing::{PROTOCOL_PARAM2, sign_path};

/// Identifies one platform API as `namespace:name-version` (the doc id form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiId {
    /// For example `com.alibaba.fenxiao.crossborder`.
    pub namespace: Cow<'static, str>,
    /// For example `product.search.keywordQuery`.
    pub name: Cow<'static, str>,
    /// Practically always 1.
    pub version: u32,
}

impl ApiId {
    /// An API id known at compile time.
    pub const fn new(namespace: &'static str, name: &'static str, version: u32) -> Self {
        Self { namespace: Cow::Borrowed(namespace), name: Cow::Borrowed(name), version }
    }

    /// An API id built at run time (for raw calls).
    pub fn dynamic(namespace: impl Into<String>, name: impl Into<String>, version: u32) -> Self {
        Self { namespace: Cow::Owned(namespace.into()), name: Cow::Owned(name.into()), version }
    }

    /// The `param2` sign path for `app_key`: `param2/{version}/{namespace}/{name}/{appKey}`.
    pub fn sign_path(&self, app_key: &str) -> String {
        sign_path(PROTOCOL_PARAM2, self.version, &self.namespace, &self.name, app_key)
    }

    /// The request path on the gateway: `/openapi/` followed by the sign path.
    pub fn request_path(&self, app_key: &str) -> String {
        format!("/openapi/{}", self.sign_path(app_key))
    }
}

impl fmt::Display for ApiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}-{}", self.namespace, self.name, self.version)
    }
}

/// A typed request to one platform API.
pub trait ApiRequest {
    /// The decoded response body.
    type Output: ApiResponse + DeserializeOwned + serde::Serialize;

    /// Which API this request calls.
    fn api(&self) -> ApiId;

    /// The business parameters as wire strings (system parameters are added by the transport).
    fn params(&self) -> Result<Params, EncodeError>;

    /// Whether the API requires the user's `access_token` (true for every business API).
    fn needs_access_token(&self) -> bool {
        true
    }

    /// Whether the request carries `_aop_signature` (every business API; not the clock API).
    fn needs_signature(&self) -> bool {
        true
    }

    /// Whether sending the request twice does no more than sending it once (every read). A
    /// request that acts on the platform (placing an order) answers `false`: the client then
    /// repeats it only when the gateway refused it before acting (throttled, a token or clock
    /// rejection), never after a timeout or a server error, when it may have acted.
    fn repeatable(&self) -> bool {
        true
    }
}

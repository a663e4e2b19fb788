//! Business-level failures (spec §5.2): HTTP 200 bodies whose payload says the call failed.
//!
//! Each API family wraps results differently; the envelope types here decode each family
//! leniently and report a failure in one shape, [`BusinessFailure`].

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A decoded response that may report a business failure inside an HTTP 200 body (spec §5.2).
pub trait ApiResponse {
    /// The failure the body reports, if any.
    fn business_failure(&self) -> Option<BusinessFailure>;
}

impl ApiResponse for serde_json::Value {
    fn business_failure(&self) -> Option<BusinessFailure> {
        BusinessFailure::detect(self)
    }
}

/// Which family's failure shape a body used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ResponseFamily {
    /// `{"result":{"success":false,"code":…,"message":…}}` (cross-border `product.*`).
    CrossBorder,
    /// `{"success":false,"errorCode":…,"errorMessage":…}` (`alibaba.account.*`).
    Account,
    /// Top-level `errMsg` (`alibaba.product.get`).
    ProductGet,
    /// `{"success":false,"message":…}` (`alibaba.product.getByIdList`, `alibaba.cross.productInfo`).
    ProductList,
    /// `{"success":"false","errorCode":…,"errorMsg":…}` (`alibaba.product.suggest.crossBorder`).
    Suggest,
    /// The trade APIs' answers (order preview and creation, spec trade §A).
    Trade,
}

/// A failure reported inside an HTTP 200 body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessFailure {
    /// The family whose shape carried it.
    pub family: ResponseFamily,
    /// The business code, when the body has one.
    pub code: Option<String>,
    /// The message, when the body has one.
    pub message: Option<String>,
}

impl fmt::Display for BusinessFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.message) {
            (Some(c), Some(m)) => write!(f, "{c}: {m}"),
            (Some(c), None) => f.write_str(c),
            (None, Some(m)) => f.write_str(m),
            (None, None) => f.write_str("the API reported failure without a message"),
        }
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_false(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(false))) || matches!(v, Some(Value::String(s)) if s.eq_ignore_ascii_case("false"))
}

impl BusinessFailure {
    /// Finds a failure in any family's shape, for raw calls whose family is not known.
    pub fn detect(body: &Value) -> Option<Self> {
        let top = body.as_object()?;
        if let Some(Value::Object(inner)) = top.get("result")
            && is_false(inner.get("success"))
        {
            return Some(Self {
                family: ResponseFamily::CrossBorder,
                code: text(inner.get("code")),
                message: text(inner.get("message")),
            });
        }
        if let Some(msg) = text(top.get("errMsg")) {
            return Some(Self { family: ResponseFamily::ProductGet, code: None, message: Some(msg) });
        }
        if !is_false(top.get("success")) {
            return None;
        }
        let family = if top.contains_key("errorMsg") {
            ResponseFamily::Suggest
        } else if top.contains_key("errorCode") || top.contains_key("errorMessage") {
            ResponseFamily::Account
        } else {
            ResponseFamily::ProductList
        };
        Some(Self {
            family,
            code: text(top.get("errorCode")),
            message: text(top.get("errorMessage")).or(text(top.get("errorMsg"))).or(text(top.get("message"))),
        })
    }
}

crate::envelope! {
    /// The cross-border wrapper: `{"result":{"success","code","message","result":T}}`.
    pub struct CrossBorderResponse<T> {
        /// The inner result model (the wrapper has no other documented field).
        payload result: Option<CrossBorderResult<T>> = "result",
    }
}

crate::envelope! {
    /// The inner `ResultModel` of a cross-border response.
    pub struct CrossBorderResult<T> {
        /// The payload.
        payload result: Option<T> = "result",
        /// `true` or `"true"` depending on the API.
        success: Option<bool> = "success",
        /// `"200"` on success.
        code: Option<String> = "code",
        /// `"成功"` on success.
        message: Option<String> = "message",
    }
}

impl<T> CrossBorderResponse<T> {
    /// The payload, if the call succeeded and carried one.
    pub fn into_payload(self) -> Option<T> {
        self.result.and_then(|r| r.result)
    }
}

impl<T> ApiResponse for CrossBorderResponse<T> {
    fn business_failure(&self) -> Option<BusinessFailure> {
        let inner = self.result.as_ref()?;
        let failed = inner.success == Some(false)
            || inner.code.as_deref().is_some_and(|c| c != "200" && inner.success != Some(true));
        failed.then(|| BusinessFailure {
            family: ResponseFamily::CrossBorder,
            code: inner.code.clone(),
            message: inner.message.clone(),
        })
    }
}

crate::envelope! {
    /// The `alibaba.account.*` wrapper: `{"result":T,"success","errorCode","errorMessage"}`.
    pub struct AccountResponse<T> {
        /// The payload.
        payload result: Option<T> = "result",
        /// Absent in the documented samples; `false` on failure.
        success: Option<bool> = "success",
        /// Failure code.
        error_code: Option<String> = "errorCode",
        /// Failure message.
        error_message: Option<String> = "errorMessage",
    }
}

impl<T> ApiResponse for AccountResponse<T> {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success == Some(false)).then(|| BusinessFailure {
            family: ResponseFamily::Account,
            code: self.error_code.clone(),
            message: self.error_message.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn detects_every_family() {
        let cases = [
            (
                json!({"result":{"success":false,"code":"500","message":"boom"}}),
                ResponseFamily::CrossBorder,
                Some("500"),
                Some("boom"),
            ),
            (
                json!({"result":{"success":"false","code":"400","message":"not an image"}}),
                ResponseFamily::CrossBorder,
                Some("400"),
                Some("not an image"),
            ),
            (
                json!({"success":false,"errorCode":"E1","errorMessage":"no member"}),
                ResponseFamily::Account,
                Some("E1"),
                Some("no member"),
            ),
            (json!({"errMsg":"not your product"}), ResponseFamily::ProductGet, None, Some("not your product")),
            (json!({"success":false,"message":"bad ids"}), ResponseFamily::ProductList, None, Some("bad ids")),
            (
                json!({"success":"false","errorCode":"E2","errorMsg":"limited"}),
                ResponseFamily::Suggest,
                Some("E2"),
                Some("limited"),
            ),
        ];
        for (body, family, code, message) in cases {
            let f = BusinessFailure::detect(&body).unwrap_or_else(|| panic!("no failure in {body}"));
            assert_eq!(f.family, family, "{body}");
            assert_eq!(f.code.as_deref(), code, "{body}");
            assert_eq!(f.message.as_deref(), message, "{body}");
        }
    }

    #[test]
    fn successes_are_not_failures() {
        for body in [
            json!({"result":{"success":true,"code":"200","message":"成功","result":{}}}),
            json!({"result":{"success":"true","code":"200","result":"123"}}),
            json!({"result":{"loginId":"x"}}),
            json!({"success":true,"productInfo":{}}),
            json!({"productList":[],"success":true,"message":null}),
            json!(1484033752883_i64),
        ] {
            assert_eq!(BusinessFailure::detect(&body), None, "{body}");
        }
    }

    #[test]
    fn cross_border_envelope() {
        let ok: CrossBorderResponse<String> =
            serde_json::from_value(json!({"result":{"success":"true","code":"200","message":"成功","result":"42"}}))
                .unwrap();
        assert!(ok.business_failure().is_none());
        assert_eq!(ok.into_payload().as_deref(), Some("42"));
        let bad: CrossBorderResponse<String> =
            serde_json::from_value(json!({"result":{"success":false,"code":"404","message":"offer not found"}}))
                .unwrap();
        assert_eq!(bad.business_failure().unwrap().to_string(), "404: offer not found");
    }

    #[test]
    fn wrappers_keep_the_fields_they_do_not_name() {
        let body = json!({"result":{"success":true,"code":"200","result":"42","traceId":"t1"},"requestId":"r1"});
        let ok: CrossBorderResponse<String> = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(ok.extra["requestId"], "r1");
        assert_eq!(ok.result.as_ref().unwrap().extra["traceId"], "t1");
        assert_eq!(serde_json::to_value(&ok).unwrap(), body, "written back as received");
        let account: AccountResponse<String> =
            serde_json::from_value(json!({"result":"x","success":"maybe","errorCode":7,"hint":[1]})).unwrap();
        assert_eq!((account.success, account.error_code.as_deref()), (None, Some("7")));
        assert_eq!(account.extra["hint"], json!([1]));
    }
}

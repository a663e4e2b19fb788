//! The one table of what a key's scope allows, by the service's route: reading needs `read` (the
//! computations sent as POST — quote, compare, plan, split, image search, an order preview, a payment
//! link — included), anything that changes state or starts a background job needs `write`, keys
//! themselves need `admin`. The API's routes are checked against it, and every MCP tool names the
//! route it does the work of, so the same work needs the same scope however it is asked for.

use crate::api_keys::Scope;

/// Routes taking a POST body that only compute an answer and change nothing.
pub const COMPUTATIONS: &[&str] = &[
    "/v1/quote",
    "/v1/compare",
    "/v1/plan",
    "/v1/split",
    "/v1/recommend",
    "/v1/image-search",
    "/v1/orders/preview",
    "/v1/orders/pay-url",
];

/// The scope a request with `method` (upper case, as HTTP writes it) to `path` needs. `/mcp`
/// itself needs any key: each tool is then checked by the route it stands for.
pub fn required_scope(method: &str, path: &str) -> Scope {
    if path == "/v1/keys" || path.starts_with("/v1/keys/") {
        return Scope::Admin;
    }
    if path == "/mcp" {
        return Scope::Read;
    }
    let reads = matches!(method, "GET" | "HEAD" | "OPTIONS") || (method == "POST" && COMPUTATIONS.contains(&path));
    if reads { Scope::Read } else { Scope::Write }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_and_computing_need_read_and_everything_else_write() {
        assert_eq!(required_scope("GET", "/v1/watches"), Scope::Read);
        assert_eq!(required_scope("POST", "/v1/quote"), Scope::Read);
        assert_eq!(required_scope("POST", "/v1/image-search"), Scope::Read);
        for m in ["POST", "PUT", "PATCH", "DELETE"] {
            assert_eq!(required_scope(m, "/v1/watches"), Scope::Write, "{m}");
        }
        assert_eq!(required_scope("POST", "/v1/jobs/source"), Scope::Write);
        assert_eq!(required_scope("POST", "/v1/orders/{id}/track"), Scope::Write);
        assert_eq!(required_scope("POST", "/v1/quote/../watches"), Scope::Write);
        assert_eq!(required_scope("GET", "/v1/keys"), Scope::Admin);
        assert_eq!(required_scope("DELETE", "/v1/keys/3"), Scope::Admin);
        assert_eq!(required_scope("GET", "/metrics"), Scope::Read);
        assert_eq!(required_scope("POST", "/mcp"), Scope::Read);
        assert_eq!(required_scope("get", "/v1/watches"), Scope::Write, "methods are upper case, as HTTP writes them");
    }
}

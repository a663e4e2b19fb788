//! The service's OpenAPI 3.1 document, generated from the types that serve the requests: every
//! handler carries its `#[utoipa::path]`, and the router is built from those same handlers
//! (`utoipa_axum::routes!`), so a route cannot exist without its description or the other way
//! round. Served at `/v1/openapi.json`; a copy is kept in `docs/openapi.json` and a test fails
//! when the two differ.

use std::collections::BTreeMap;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi};

use crate::problem::Problem;

/// The document's fixed parts: title, version, security schemes, tags and shared schemas; the
/// paths are added by the router.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "open1688 service",
        description = "Sourcing on 1688 for business systems: search, offer detail, quotes, comparisons, \
            plans, the sourcing job, watches, alerts and history. Money is a decimal string (CNY), \
            ids are 64-bit integers, errors are RFC 9457 problem documents.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    modifiers(&SharedParts),
    security(("bearer" = []), ("api_key" = [])),
    components(schemas(Problem)),
    tags(
        (name = "lookup", description = "Searches and offer details (calls the gateway or its cache)."),
        (name = "catalog", description = "The stored catalog: searched with facets without calling the gateway, and its data age."),
        (name = "decide", description = "Quotes, comparisons, plans and recommendations."),
        (name = "watch", description = "Watches, alerts, history and the monitor's runs (from the store)."),
        (name = "orders", description = "Plans previewed and placed as 1688 orders (only with confirm), tracked, cancelled, paid by link."),
        (name = "jobs", description = "Long jobs: submit, poll, fetch, cancel."),
        (name = "keys", description = "API keys (admin scope)."),
        (name = "ops", description = "Health, readiness, metrics and platform pushes (no key)."),
    )
)]
pub struct ApiDoc;

/// The failures every `/v1` route can answer with: (status, what it means).
const FAILURES: &[(&str, &str)] = &[
    ("400", "The request is malformed; `field` names what was wrong."),
    ("401", "No API key, or an unknown or revoked one."),
    ("403", "The key's scope does not allow this."),
    ("404", "No such thing (offer, watch, job, file)."),
    ("408", "The request took longer than the service allows."),
    ("409", "Not possible in the thing's current state (a job still running)."),
    ("413", "The body is larger than the service accepts."),
    ("415", "The body's content type is not one this route reads."),
    ("422", "The request is well-formed but cannot be met."),
    ("429", "The key's request rate or its share of gateway calls, or the app's quota, is spent; see `Retry-After`."),
    ("500", "The service failed."),
    ("502", "The platform refused or failed; `platform_code` says how."),
    ("503", "The store is not reachable, or pushes are not configured."),
];

/// Declares the two ways a key is presented (`Authorization: Bearer o1688_…` or `X-Api-Key`)
/// and the shared failure responses the routes refer to.
struct SharedParts;

impl Modify for SharedParts {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (status, description) in FAILURES {
            components.responses.insert(failure_name(status), RefOr::T(problem_response(description)));
        }
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("o1688_<id>_<secret>").build(),
            ),
        );
        components
            .add_security_scheme("api_key", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))));
    }
}

/// The failures every `/v1` route can answer with, each an `application/problem+json`
/// [`Problem`]: a bad request, a missing or unknown key, a key of too small a scope, an unknown
/// thing, a body too large or of the wrong type, a request the application layer refused, the
/// rate limit or the quota, a failure of the service, the platform refusing, the store away.
pub struct Failures;

impl IntoResponses for Failures {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        FAILURES
            .iter()
            .map(|(status, _)| {
                let reference = Ref::new(format!("#/components/responses/{}", failure_name(status)));
                ((*status).to_owned(), RefOr::Ref(reference))
            })
            .collect()
    }
}

/// The shared response's name for a failure status (`Failure400`).
fn failure_name(status: &str) -> String {
    format!("Failure{status}")
}

/// Gives every operation an id made of its method and path (`get_v1_offers_id_history_png`):
/// unique by construction, where the handlers' names (`list`, `add`) repeat across families.
pub fn name_operations(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let words: Vec<String> = path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let operations = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                operation.operation_id = Some(format!("{method}_{}", words.join("_")));
            }
        }
    }
}

/// A response carrying a [`Problem`].
fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .build()
}

/// The document as JSON text, pretty-printed the way `docs/openapi.json` holds it.
pub fn to_json(doc: &utoipa::openapi::OpenApi) -> String {
    let mut text = doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

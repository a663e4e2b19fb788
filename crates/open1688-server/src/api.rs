//! The route table: every route registered from its documented handler (`utoipa_axum::routes!`),
//! so the router and the OpenAPI document are built from the same list and cannot drift. The
//! layers around the routes (keys, limits, logs, CORS) are added in [`crate::app`].

use std::sync::OnceLock;

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::openapi::ApiDoc;
use crate::routes::{alerts, catalog, decide, jobs, keys, lookup, metrics, ops, orders, picture, push, watch};
use crate::state::ServiceState;

/// The `/v1` routes, each registered from its documented handler.
pub(crate) fn v1_routes() -> OpenApiRouter<ServiceState> {
    OpenApiRouter::new()
        .routes(routes!(lookup::search))
        .routes(routes!(lookup::offer))
        .routes(routes!(lookup::same_item))
        .routes(routes!(lookup::seller))
        .routes(routes!(lookup::analyze))
        .routes(routes!(picture::image_search).layer(DefaultBodyLimit::max(picture::MAX_PICTURE_BYTES)))
        .routes(routes!(catalog::search))
        .routes(routes!(catalog::age))
        .routes(routes!(watch::offer_history))
        .routes(routes!(watch::history_png))
        .routes(routes!(watch::history_svg))
        .routes(routes!(decide::quote))
        .routes(routes!(decide::compare))
        .routes(routes!(decide::plan))
        .routes(routes!(decide::split))
        .routes(routes!(decide::recommend))
        .routes(routes!(watch::list, watch::add))
        .routes(routes!(watch::replace, watch::remove))
        .routes(routes!(watch::snooze))
        .routes(routes!(watch::alerts))
        .routes(routes!(watch::runs))
        .routes(routes!(alerts::list))
        .routes(routes!(alerts::acknowledge))
        .routes(routes!(alerts::stream))
        .routes(routes!(keys::list, keys::add))
        .routes(routes!(keys::revoke))
        .routes(routes!(orders::preview))
        .routes(routes!(orders::place, orders::list))
        .routes(routes!(orders::show))
        .routes(routes!(orders::track))
        .routes(routes!(orders::cancel))
        .routes(routes!(orders::pay_url))
        .routes(routes!(orders::addresses))
        .routes(routes!(jobs::submit_source))
        .routes(routes!(jobs::status, jobs::cancel))
        .routes(routes!(jobs::result))
        .routes(routes!(jobs::file))
        .routes(routes!(openapi_json))
}

/// The routes outside `/v1` that need no key: health, readiness, platform pushes.
pub(crate) fn open_routes() -> OpenApiRouter<ServiceState> {
    OpenApiRouter::new()
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(push::receive).layer(DefaultBodyLimit::max(push::MAX_PUSH_BYTES)))
}

/// The routes outside `/v1` that need a key: the metrics.
pub(crate) fn keyed_routes() -> OpenApiRouter<ServiceState> {
    OpenApiRouter::new().routes(routes!(metrics::metrics))
}

/// The service's OpenAPI 3.1 document, built from the same handlers as [`router`].
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (_, mut doc) = OpenApiRouter::<ServiceState>::with_openapi(ApiDoc::openapi())
            .merge(open_routes())
            .merge(keyed_routes())
            .nest("/v1", v1_routes())
            .split_for_parts();
        crate::openapi::name_operations(&mut doc);
        open1688_jobs::schema::merge_flattening(&mut doc);
        doc
    })
}

/// `GET /v1/openapi.json`: this document.
#[utoipa::path(get, path = "/openapi.json", tag = "ops",
    responses((status = 200, description = "The OpenAPI 3.1 document of this service.", body = serde_json::Value),
        crate::openapi::Failures))]
async fn openapi_json() -> Response {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(|| crate::openapi::to_json(document()));
    ([(header::CONTENT_TYPE, "application/json")], text.as_str()).into_response()
}

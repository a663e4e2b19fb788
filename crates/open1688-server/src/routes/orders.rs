//! Orders over HTTP: a plan previewed as one 1688 order per supplier, placed only when the body
//! says `"confirm": true` (a `write` key, under the service's spending cap, each order once),
//! listed, read with its timeline, tracked, cancelled, and the payment link. Nothing pays.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use open1688_jobs::{
    AddressBook, OrderPreviewReport, OrderRequest, PayLink, PlaceOptions, PlaceReport, PlanRequest, Progress, ShipTo,
    TrackedOrder,
};
use open1688_store::{OrderQuery, StoredOrder};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::extract::{self, Id};
use crate::problem::Problem;
use crate::state::ServiceState;

/// What to order: the plan, where it goes (default: the service's `[order] ship_to`), a batch.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// The purchase plan.
    pub plan: PlanRequest,
    /// Where the goods go (default: the service's configured address).
    #[serde(default)]
    pub ship_to: Option<ShipTo>,
    /// A name for the batch (default: a digest of the plan's lines).
    #[serde(default)]
    pub batch: Option<String>,
    /// A note to every seller.
    #[serde(default)]
    pub message: Option<String>,
    /// Place the orders (placing answers the preview and places nothing without it).
    #[serde(default)]
    pub confirm: bool,
    /// A lower spending cap for this call (CNY); the service's own cap always applies.
    #[serde(default)]
    pub spending_cap: Option<Decimal>,
}

impl OrderBody {
    fn request(&self, state: &ServiceState) -> Result<OrderRequest, Problem> {
        let ship_to = state.order_policy.ship_to_or(self.ship_to.clone()).ok_or_else(|| {
            Problem::invalid("ship_to", "where should the goods go? Send ship_to (the service has no default address)")
        })?;
        Ok(OrderRequest { plan: self.plan.clone(), ship_to, batch: self.batch.clone(), message: self.message.clone() })
    }
}

/// `POST /v1/orders/preview`: each supplier's order priced by the platform, every difference from
/// the plan named, every refusal explained. Places nothing.
#[utoipa::path(post, path = "/orders/preview", tag = "orders", request_body = OrderBody,
    responses((status = 200, description = "The orders as the platform previews them.", body = OrderPreviewReport),
        crate::openapi::Failures))]
pub async fn preview(
    State(state): State<ServiceState>,
    body: Result<Json<OrderBody>, JsonRejection>,
) -> Result<Json<OrderPreviewReport>, Problem> {
    let body = extract::json(body)?;
    let request = body.request(&state)?;
    Ok(Json(state.jobs.preview_orders(&request, &Progress::silent()).await?))
}

/// `POST /v1/orders`: places the plan's orders when `confirm` is true (else only previews), under
/// the spending cap, each exactly once; answers what happened and the payment link.
#[utoipa::path(post, path = "/orders", tag = "orders", request_body = OrderBody,
    responses((status = 200, description = "What was placed (nothing without confirm), and where to pay.", body = PlaceReport),
        crate::openapi::Failures))]
pub async fn place(
    State(state): State<ServiceState>,
    body: Result<Json<OrderBody>, JsonRejection>,
) -> Result<Json<PlaceReport>, Problem> {
    let body = extract::json(body)?;
    let request = body.request(&state)?;
    let options = PlaceOptions { confirmed: body.confirm, spending_cap: state.order_policy.cap(body.spending_cap) };
    Ok(Json(state.jobs.place_orders(&state.store, &request, &options, &Progress::silent()).await?))
}

/// `GET /v1/orders` parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only this batch's orders.
    pub batch: Option<String>,
    /// Only orders still moving.
    pub open: Option<bool>,
    /// At most this many (default 50, at most 1,000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// `GET /v1/orders`: the orders placed from here, newest first.
#[utoipa::path(get, path = "/orders", tag = "orders", params(ListParams),
    responses((status = 200, description = "The orders.", body = [StoredOrder]), crate::openapi::Failures))]
pub async fn list(
    State(state): State<ServiceState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<Vec<StoredOrder>>, Problem> {
    let params = extract::query(params)?;
    let limit = params.limit.unwrap_or(50);
    if !(1..=1_000).contains(&limit) {
        return Err(Problem::invalid("limit", format!("limit must be 1 to 1000, not {limit}")));
    }
    let query = OrderQuery { batch: params.batch, open_only: params.open.unwrap_or(false), limit };
    Ok(Json(state.store.orders(&query).await?))
}

/// `GET /v1/orders/{id}`: one order as the store keeps it, with its timeline (no platform call).
#[utoipa::path(get, path = "/orders/{id}", tag = "orders",
    params(("id" = i64, Path, description = "The platform's order id.", minimum = 1)),
    responses((status = 200, description = "The order and its timeline.", body = TrackedOrder), crate::openapi::Failures))]
pub async fn show(State(state): State<ServiceState>, Id(id): Id) -> Result<Json<TrackedOrder>, Problem> {
    let order = state.store.order_by_platform_id(id).await?.ok_or_else(|| not_here(id))?;
    let timeline = state.store.order_events(order.id).await?;
    Ok(Json(TrackedOrder::new(order, timeline, None)))
}

fn not_here(id: i64) -> Problem {
    Problem::new(axum::http::StatusCode::NOT_FOUND, format!("no order {id} was placed from here"))
}

/// `POST /v1/orders/{id}/track`: reads the order from the platform now and records what changed.
#[utoipa::path(post, path = "/orders/{id}/track", tag = "orders",
    params(("id" = i64, Path, description = "The platform's order id.", minimum = 1)),
    responses((status = 200, description = "The order after the read, its timeline and the change found.", body = TrackedOrder),
        crate::openapi::Failures))]
pub async fn track(State(state): State<ServiceState>, Id(id): Id) -> Result<Json<TrackedOrder>, Problem> {
    Ok(Json(state.jobs.track_order(&state.store, id, "track").await?))
}

/// The reason a cancel gives.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// `buyerCancel` (default), `sellerGoodsLack` or `other`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /v1/orders/{id}/cancel`: cancels an unpaid order.
#[utoipa::path(post, path = "/orders/{id}/cancel", tag = "orders", request_body = CancelBody,
    params(("id" = i64, Path, description = "The platform's order id.", minimum = 1)),
    responses((status = 200, description = "The order, cancelled.", body = TrackedOrder), crate::openapi::Failures))]
pub async fn cancel(
    State(state): State<ServiceState>,
    Id(id): Id,
    body: Result<Json<CancelBody>, JsonRejection>,
) -> Result<Json<TrackedOrder>, Problem> {
    let body = extract::json(body)?;
    let reason = body.reason.as_deref().unwrap_or("buyerCancel");
    Ok(Json(state.jobs.cancel_order(&state.store, id, reason).await?))
}

/// The orders a payment link covers.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayBody {
    /// The platform's order ids (1 to 100).
    pub order_ids: Vec<i64>,
}

/// `POST /v1/orders/pay-url`: the cashier link for unpaid orders; nothing is paid.
#[utoipa::path(post, path = "/orders/pay-url", tag = "orders", request_body = PayBody,
    responses((status = 200, description = "Where the buyer pays.", body = PayLink), crate::openapi::Failures))]
pub async fn pay_url(
    State(state): State<ServiceState>,
    body: Result<Json<PayBody>, JsonRejection>,
) -> Result<Json<PayLink>, Problem> {
    let body = extract::json(body)?;
    Ok(Json(state.jobs.pay_url(&state.store, &body.order_ids).await?))
}

/// `GET /v1/orders/addresses`: the buyer's saved delivery addresses, with the ids `ship_to`
/// takes (one gateway call).
#[utoipa::path(get, path = "/orders/addresses", tag = "orders",
    responses((status = 200, description = "The saved addresses.", body = AddressBook), crate::openapi::Failures))]
pub async fn addresses(State(state): State<ServiceState>) -> Result<Json<AddressBook>, Problem> {
    Ok(Json(state.jobs.saved_addresses().await?))
}

//! `POST /push/1688`: message pushes from the 1688 Open Platform. No API key — the platform signs
//! each push with the app secret instead, and only a verified push is stored. Each `msgId` is
//! stored once (pushes arrive more than once and out of order); the answer is 204 only once the
//! message is stored, so a push that could not be stored is delivered again. A product message
//! makes the watches of the offers it names due now. Real pushes are small and few: a body over
//! [`MAX_PUSH_BYTES`] is refused unread, and more than [`PUSHES_PER_SECOND`] a second (bursts of
//! ten times as many) get 429 with `Retry-After`, which the platform retries.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use chrono::Utc;
use open1688::types::{Params, PushError, verify_push};

use crate::key_limits::KeyLimits;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The largest push body read (the platform's messages are a few hundred bytes).
pub const MAX_PUSH_BYTES: usize = 64 * 1024;
/// Pushes a second this process takes.
pub const PUSHES_PER_SECOND: u32 = 50;

/// One limit for every push (they carry no key; the signature is checked after the limit).
static PUSHES: std::sync::LazyLock<KeyLimits> = std::sync::LazyLock::new(|| {
    let rate = std::num::NonZeroU32::new(PUSHES_PER_SECOND).unwrap_or(std::num::NonZeroU32::MIN);
    KeyLimits::new(rate, rate.saturating_mul(std::num::NonZeroU32::new(10).unwrap_or(std::num::NonZeroU32::MIN)))
});

/// `POST /push/1688`.
#[utoipa::path(post, path = "/push/1688", tag = "ops", security(()),
    request_body(description = "The platform's form: `message` (the JSON envelope) and `_aop_signature`.",
        content_type = "application/x-www-form-urlencoded", content = std::collections::HashMap<String, String>),
    responses((status = 204, description = "Stored (or already stored)."),
        (status = 400, description = "Not a push message.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The signature does not verify.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than a push is.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "More pushes than the service takes now; retry after `Retry-After`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The app secret is not configured.", body = Problem, content_type = "application/problem+json")))]
pub async fn receive(State(state): State<ServiceState>, uri: Uri, body: Bytes) -> Result<StatusCode, Problem> {
    let Some(secret) = state.push_secret.as_deref() else {
        return Err(Problem::new(StatusCode::SERVICE_UNAVAILABLE, "pushes need the app secret configured"));
    };
    if let Err(wait) = PUSHES.check(0).await {
        let seconds = wait.as_secs().max(1);
        return Err(Problem {
            retry_after: Some(seconds),
            ..Problem::new(StatusCode::TOO_MANY_REQUESTS, format!("too many pushes; retry in {seconds} s"))
        });
    }
    let params = Params::from_form_bodies(&[uri.query().unwrap_or_default().as_bytes(), &body]);
    let push = verify_push(&params, secret).map_err(|e| match e {
        PushError::Signature => Problem::new(StatusCode::UNAUTHORIZED, e.to_string()),
        other => Problem::invalid("message", other.to_string()),
    })?;
    let now = Utc::now().timestamp_millis();
    let new = state.store.record_push(&push, now).await?;
    // An order message is a notice, not the truth (messages arrive out of order): the order is
    // read again from the platform, off the request, so the platform's push is answered at once.
    if new
        && let Some(order_id) = push.order_id
        && state.store.order_by_platform_id(order_id).await?.is_some()
    {
        let (jobs, store) = (state.jobs.clone(), state.store.clone());
        tokio::spawn(async move {
            match jobs.track_order(&store, order_id, "push").await {
                Ok(tracked) => {
                    tracing::info!(order = order_id, change = ?tracked.change.map(|c| c.to), "order push: order read again")
                }
                Err(e) => tracing::warn!(order = order_id, error = %e, "order push: the order could not be read"),
            }
        });
    }
    if new && !push.offer_ids.is_empty() {
        let due = state.store.make_due(&push.offer_ids, now).await?;
        tracing::info!(msg = %push.msg_id, topic = %push.topic, offers = ?push.offer_ids, watches = due, "product push: watches due now");
    }
    Ok(StatusCode::NO_CONTENT)
}

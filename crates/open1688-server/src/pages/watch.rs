//! `/watches/{id}`: one watch — its state and why it fails, its rules to edit, its offer's
//! history as charts of tier prices and stock (zoomed to 7, 30, 90 or 365 days), and the changes
//! it alerted on; snoozing and removing it.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use maud::{Markup, html};
use open1688_jobs::watches;
use open1688_store::{Scope, Store, Watch};
use serde::Deserialize;

use super::chart_lines::{Series, line_chart, tier_series};
use super::dates::time_element;
use super::form::FieldErrors;
use super::layout::page;
use super::session::{Viewer, local_path};
use super::text::Text;
use super::trouble::Trouble;
use super::watch_form::{FIELDS, WatchForm, watch_form};
use super::watch_rows;
use super::watch_words::rule_kind;
use super::watches::{state_cell, target};
use crate::problem::Problem;
use crate::state::ServiceState;

/// The zooms a history chart offers, in days.
pub const ZOOMS: [i64; 4] = [7, 30, 90, 365];

/// `GET /watches/{id}` parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WatchQuery {
    /// Days of history to draw (one of [`ZOOMS`]; 30 otherwise).
    days: String,
}

fn watch_id(text: &str) -> Result<i64, Trouble> {
    super::trouble::positive_id(text, "watch")
}

async fn load(state: &ServiceState, id: i64) -> Result<Watch, Trouble> {
    state.store.watch(id).await?.ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, format!("no watch {id}")).into())
}

/// `GET /watches/{id}`.
pub async fn show(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
    Query(query): Query<WatchQuery>,
) -> Result<Response, Trouble> {
    let watch = load(&state, watch_id(&id)?).await?;
    let days = query.days.trim().parse::<i64>().ok().filter(|d| ZOOMS.contains(d)).unwrap_or(30);
    render(&viewer, &state, &watch, days, &WatchForm::from_watch(&watch), &FieldErrors::default(), StatusCode::OK).await
}

/// `POST /watches/{id}`: replaces the watch's rules; a bad field comes back to the form.
pub async fn edit(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
    Form(form): Form<WatchForm>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    let watch = load(&state, watch_id(&id)?).await?;
    let outcome = match form.to_request() {
        Ok(request) => watches::replace_watch(&*state.store, watch.id, &request, Utc::now())
            .await
            .map_err(|e| FieldErrors::from_problem(&Problem::from(e), FIELDS)),
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/watches/{}", watch.id)).into_response()),
        Err(errors) => render(&viewer, &state, &watch, 30, &form, &errors, StatusCode::BAD_REQUEST).await,
    }
}

/// `POST /watches/{id}/snooze` form.
#[derive(Debug, Deserialize)]
pub struct SnoozeForm {
    hours: String,
    next: Option<String>,
}

/// `POST /watches/{id}/snooze`: silences the watch for the hours chosen.
pub async fn snooze(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
    Form(form): Form<SnoozeForm>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    let id = watch_id(&id)?;
    let hours = form
        .hours
        .trim()
        .parse::<i64>()
        .map_err(|_| Problem::invalid("hours", format!("{:?} is not a number of hours", form.hours)))?;
    watches::snooze_watch(&*state.store, id, hours, Utc::now()).await?;
    let own = format!("/watches/{id}");
    let back = local_path(form.next.as_deref()).filter(|_| form.next.is_some()).map_or(own, |p| p.into_owned());
    Ok(Redirect::to(&back).into_response())
}

async fn render(
    viewer: &Viewer,
    state: &ServiceState,
    watch: &Watch,
    days: i64,
    form: &WatchForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let now = Utc::now();
    let since = now - Duration::days(days);
    let points = match watch.offer_id {
        Some(offer) => state.store.price_history(offer, since.timestamp_millis()).await?,
        None => Vec::new(),
    };
    let mut changes = state.store.alerts(watch.id, since.timestamp_millis()).await?;
    changes.reverse();
    let can_change = viewer.key.scope >= Scope::Write;
    let label = match watch.offer_id {
        Some(offer) => state.store.offer_labels(&[offer]).await?.remove(&offer),
        None => None,
    };
    let title = format!("{} #{} · {}", t.watch, watch.id, target(t, watch, label.as_ref().map(|l| l.title.as_str())));
    let body = html! {
        h1 { (title) }
        section.card aria-labelledby="state" {
            h2 #state { (t.state) }
            div { (state_cell(t, watch, now.timestamp_millis())) }
            h3 { (t.rules) }
            (watch_rows::rules(t, watch))
            @if let Some(offer) = watch.offer_id { p { a href=(format!("/offers/{offer}")) { (t.open) " " (offer) } } }
            @if can_change {
                div.row.actions {
                    form.inline method="post" action=(format!("/watches/{}/snooze", watch.id)) {
                        div.field {
                            label for="hours" { (t.snooze_hours) }
                            input #hours name="hours" type="number" min="1" max="8784" value="24" required;
                        }
                        div.field.action { button.secondary type="submit" { (t.snooze) } }
                    }
                    form.inline method="post" action=(format!("/watches/{}/remove", watch.id)) {
                        div.field.action { button.danger type="submit" { (t.remove) } }
                    }
                }
            }
        }
        @if watch.offer_id.is_some() {
            section.card aria-labelledby="history" {
                h2 #history { (t.history) }
                nav.zoom aria-label=(t.zoom) {
                    @for d in ZOOMS {
                        a href=(format!("/watches/{}?days={d}", watch.id)) aria-current=[(d == days).then_some("true")] { (d) " " (t.days) }
                    }
                }
                @if points.is_empty() { p.muted { (t.no_history) } }
                @else { (history_charts(t, &points, since, now)) }
            }
        }
        section.card aria-labelledby="changes" {
            h2 #changes { (t.changes) " (" (changes.len()) ")" }
            @if changes.is_empty() { p.muted { (t.none_yet) } }
            ul.list {
                @for a in &changes {
                    li {
                        (time_element(t, a.at)) " "
                        span.badge { (rule_kind(&a.rule, t.language)) } " " (a.text(t.language))
                    }
                }
            }
        }
        @if can_change {
            section.card aria-labelledby="edit" {
                h2 #edit { (t.edit_rules) }
                (watch_form(t, &format!("/watches/{}", watch.id), t.save, form, errors))
            }
        }
    };
    Ok((status, page(viewer, &title, body)).into_response())
}

/// The offer's tier prices and its stock over the span, as two charts.
fn history_charts(
    t: &Text,
    points: &[open1688_store::HistoryPoint],
    since: chrono::DateTime<Utc>,
    now: chrono::DateTime<Utc>,
) -> Markup {
    let (tiers, to) = tier_series(points, now);
    let stock = vec![Series {
        name: t.stock.to_owned(),
        points: points.iter().filter_map(|p| p.stock.map(|s| (p.at, rust_decimal::Decimal::from(s)))).collect(),
    }];
    html! {
        h3 { (t.unit_price) }
        (line_chart(t, "tiers", t.unit_price, &tiers, since, to, "¥"))
        h3 { (t.stock) }
        (line_chart(t, "stock", t.stock, &stock, since, to, ""))
    }
}

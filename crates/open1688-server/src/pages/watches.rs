//! `/watches`: every watch with its state (active, snoozed, paused with why), a page at a time;
//! the form that adds one; snoozing and removing from the list; and the alerts arriving live.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use open1688_store::{AlertQuery, LoggedAlert, Scope, Store, Watch, WatchState};
use serde::Deserialize;

use super::dates::{short_time, short_time_ms, time_element};
use super::form::FieldErrors;
use super::layout::page;
use super::overview::alert_target;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use super::watch_form::{FIELDS, WatchForm, watch_form};
use super::watch_rows::{self, WatchRow};
use crate::problem::Problem;
use crate::state::ServiceState;

/// Watches on one page of the list.
const PAGE_SIZE: i64 = 50;

/// `GET /watches` parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// The page, from 1.
    page: String,
}

/// `GET /watches`.
pub async fn list(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Query(query): Query<ListQuery>,
) -> Result<Response, Trouble> {
    let form = WatchForm { every: "60".into(), at: "1".into(), ..WatchForm::default() };
    render(&viewer, &state, &query, &form, &FieldErrors::default(), None, StatusCode::OK).await
}

/// `POST /watches/{id}/remove`: removes the watch (its history stays) and shows the list with a
/// way to undo it (the removed watch's rules, ready to add again).
pub async fn remove(
    viewer: Viewer,
    State(state): State<ServiceState>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    let id = super::trouble::positive_id(&id, "watch")?;
    let Some(watch) = state.store.watch(id).await? else {
        return Err(Problem::new(StatusCode::NOT_FOUND, format!("no watch {id}")).into());
    };
    open1688_jobs::watches::remove_watch(&*state.store, id).await?;
    let form = WatchForm { every: "60".into(), at: "1".into(), ..WatchForm::default() };
    render(&viewer, &state, &ListQuery::default(), &form, &FieldErrors::default(), Some(&watch), StatusCode::OK).await
}

/// `POST /watches`: adds the watch and opens it; a bad field comes back to the form.
pub async fn add(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Form(form): Form<WatchForm>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    let outcome = match form.to_request() {
        Ok(request) => state
            .jobs
            .add_watch(&*state.store, &request, Utc::now())
            .await
            .map_err(|e| FieldErrors::from_problem(&Problem::from(e), FIELDS)),
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok(added) => Ok(Redirect::to(&format!("/watches/{}", added.id)).into_response()),
        Err(errors) => {
            render(&viewer, &state, &ListQuery::default(), &form, &errors, None, StatusCode::BAD_REQUEST).await
        }
    }
}

async fn render(
    viewer: &Viewer,
    state: &ServiceState,
    query: &ListQuery,
    form: &WatchForm,
    errors: &FieldErrors,
    removed: Option<&Watch>,
    status: StatusCode,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let now = Utc::now();
    let now_ms = now.timestamp_millis();
    let summary = state.store.watch_summary(now_ms).await?;
    let pages = (summary.total() + PAGE_SIZE - 1) / PAGE_SIZE;
    let page_no = query.page.trim().parse::<i64>().unwrap_or(1).clamp(1, pages.max(1));
    let shown = state.store.watch_page((page_no - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let rows = watch_rows::load(&state.store, shown, now).await?;
    let alerts =
        state.store.alert_log(&AlertQuery { since_ms: 0, watch_id: None, unacknowledged: false, limit: 10 }).await?;
    let can_change = viewer.key.scope >= Scope::Write;
    let body = html! {
        h1 { (t.nav_watches) }
        @if let Some(gone) = removed { (undo_notice(t, gone)) }
        p.muted {
            (t.active) " " (summary.active) " · " (t.snoozed) " " (summary.snoozed) " · " (t.paused) " " (summary.paused)
        }
        section.card aria-labelledby="watch-list" {
            h2 #watch-list { (t.watches) " (" (summary.total()) ")" }
            @if rows.is_empty() { p.muted { (t.none_yet) } }
            @else {
                div.scroll tabindex="0" { (table(t, &rows, now_ms, can_change)) }
                @if pages > 1 { (pager(t, page_no, pages)) }
            }
        }
        section.card aria-labelledby="live" {
            h2 #live { (t.live_alerts) }
            p.muted.small #live-status role="status" data-open=(t.live_on) { (t.live_recent) }
            ul.list #live-alerts data-stream="/alerts/live" {
                @for a in &alerts {
                    li { (alert_line(t, a)) }
                }
            }
        }
        @if can_change {
            section.card aria-labelledby="add-watch" {
                h2 #add-watch { (t.add_watch) }
                (watch_form(t, "/watches", t.add_watch, form, errors))
            }
        }
    };
    Ok((status, page(viewer, t.nav_watches, body)).into_response())
}

/// One alert as a line of the live list (the script builds the same from the stream): its
/// watch and its message, leading to the offer; an alert about an order names the order in its
/// message and leads to it.
pub fn alert_line(t: &Text, a: &LoggedAlert) -> Markup {
    html! {
        (time_element(t, a.alert.at))
        " "
        @if a.alert.order_id.is_none() {
            a href=(format!("/watches/{}", a.watch_id)) { "#" (a.watch_id) }
            " "
        }
        a href=(alert_target(a)) { (a.alert.text(t.language)) }
    }
}

/// What a watch watches, in words: its offer's title when known, else the offer's number or
/// the keyword.
pub fn target(t: &Text, watch: &Watch, title: Option<&str>) -> String {
    match (title, &watch.offer_id, &watch.keyword) {
        (Some(title), _, _) => title.to_owned(),
        (None, Some(id), _) => format!("{} {id}", t.offer),
        (None, None, Some(k)) => format!("「{k}」"),
        (None, None, None) => "—".to_owned(),
    }
}

/// Said after a removal: which watch went, and a button that adds it back with its rules.
fn undo_notice(t: &Text, gone: &Watch) -> Markup {
    let form = WatchForm::from_watch(gone);
    html! {
        div.notice role="status" {
            span { (t.watch_removed) " #" (gone.id) " · " (target(t, gone, None)) }
            form method="post" action="/watches" {
                @for (name, value) in form.fields() {
                    input type="hidden" name=(name) value=(value);
                }
                button.secondary type="submit" { (t.undo) }
            }
        }
    }
}

/// A watch's state in words, with why a paused or failing watch fails.
pub fn state_cell(t: &Text, watch: &Watch, now_ms: i64) -> Markup {
    let (word, class) = match watch.state(now_ms) {
        WatchState::Active => (t.active, "state active"),
        WatchState::Snoozed => (t.snoozed, "state snoozed"),
        WatchState::Paused => (t.paused, "state paused"),
    };
    let until = match watch.state(now_ms) {
        WatchState::Snoozed => watch.snooze_until_ms,
        WatchState::Paused => watch.paused_until_ms,
        WatchState::Active => None,
    };
    html! {
        span class=(class) { (word) }
        @if let Some(until) = until.and_then(DateTime::<Utc>::from_timestamp_millis) {
            " " span.muted.small { (t.until) " " (short_time(t, until)) }
        }
        @if let Some(error) = &watch.last_error {
            p.small.error-text { (t.last_error) ": " (error) " (" (watch.failures) "×)" }
        }
    }
}

fn table(t: &Text, rows: &[WatchRow], now_ms: i64, can_change: bool) -> Markup {
    let time = |ms: Option<i64>| short_time_ms(t, ms);
    html! {
        table.watches.stack {
            thead { tr {
                th.text scope="col" { (t.what_to_watch) } th scope="col" { (t.price_now) }
                th.text scope="col" { (t.trend_30_days) } th.text scope="col" { (t.last_change) }
                th.text scope="col" { (t.rules) } th.text scope="col" { (t.state) }
                @if can_change { th scope="col" { span.visually-hidden { (t.actions) } } }
            } }
            tbody {
                @for row in rows {
                    @let w = &row.watch;
                    tr {
                        td data-label=(t.what_to_watch) { (watch_rows::subject(t, row)) }
                        td.num data-label=(t.price_now) { (watch_rows::price_now(t, row)) }
                        td data-label=(t.trend_30_days) { (watch_rows::trend(t, row)) }
                        td data-label=(t.last_change) { (watch_rows::last_change(t, row)) }
                        td data-label=(t.rules) { (watch_rows::rules(t, w)) }
                        td.state-cell data-label=(t.state) {
                            (state_cell(t, w, now_ms))
                            div.muted.small { (t.last_check) " " (time(w.last_run_ms)) }
                        }
                        @if can_change {
                            td.actions data-label=(t.actions) {
                                form method="post" action=(format!("/watches/{}/snooze", w.id)) {
                                    input type="hidden" name="hours" value="24";
                                    input type="hidden" name="next" value="/watches";
                                    button.secondary type="submit" aria-label=(format!("{} #{}", t.snooze_day, w.id)) { (t.snooze_day) }
                                }
                                form method="post" action=(format!("/watches/{}/remove", w.id)) {
                                    button.danger type="submit" aria-label=(format!("{} #{}", t.remove, w.id)) { (t.remove) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn pager(t: &Text, page_no: i64, pages: i64) -> Markup {
    html! {
        nav.pager aria-label=(t.pages) {
            @if page_no > 1 { a href=(format!("/watches?page={}", page_no - 1)) rel="prev" { "← " (t.previous) } }
            span { (page_no) " / " (pages) }
            @if page_no < pages { a href=(format!("/watches?page={}", page_no + 1)) rel="next" { (t.next) " →" } }
        }
    }
}

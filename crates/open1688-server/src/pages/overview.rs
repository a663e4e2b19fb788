//! `/`: the service at a glance — the gateway's health against its targets, calls left today,
//! watches by state and their data age, recent alerts, running jobs.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use maud::{Markup, html};
use open1688_store::{AlertQuery, LoggedAlert, Store};

use super::dates::time_element;
use super::health::GatewayHealth;
use super::layout::page;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::job_board::JobStatus;
use crate::state::ServiceState;

/// The targets the seed architecture sets the service, as the overview checks them.
pub mod targets {
    /// Gateway attempts that succeed.
    pub const SUCCESS_RATE: f64 = 0.99;
    /// Seconds within which 95 % of gateway attempts finish.
    pub const P95_SECONDS: f64 = 2.0;
    /// Lookups the cache answers.
    pub const HIT_RATE: f64 = 0.5;
    /// The oldest watched offer's data, in seconds (the 10-minute freshness target).
    pub const DATA_AGE_SECONDS: i64 = 600;
}

/// A figure on the overview: its name, its value in words, its target in words, whether it
/// meets it (`None`: no figure yet).
struct Figure {
    name: &'static str,
    value: String,
    target: Option<String>,
    good: Option<bool>,
}

fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// Seconds as the largest whole unit (`42 s`, `7 min`, `3 h`, `2 d`).
pub fn age_words(seconds: i64) -> String {
    match seconds.max(0) {
        s if s < 120 => format!("{s} s"),
        s if s < 7_200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3_600),
        s => format!("{} d", s / 86_400),
    }
}

fn figures(t: &Text, health: &GatewayHealth, oldest_age: Option<i64>, quota: Option<(u64, u64)>) -> Vec<Figure> {
    let target = |text: String| Some(format!("{} {text}", t.target));
    vec![
        Figure {
            name: t.success_rate,
            value: health.success_rate().map_or_else(|| t.no_data.to_owned(), percent),
            target: target(format!("≥ {}", percent(targets::SUCCESS_RATE))),
            good: health.success_rate().map(|r| r >= targets::SUCCESS_RATE),
        },
        Figure {
            name: t.latency_p95,
            value: health.p95_seconds.map_or_else(|| t.no_data.to_owned(), |s| format!("≤ {:.0} ms", s * 1000.0)),
            target: target(format!("≤ {:.0} ms", targets::P95_SECONDS * 1000.0)),
            good: health.p95_seconds.map(|s| s <= targets::P95_SECONDS),
        },
        Figure {
            name: t.cache_hit_rate,
            value: health.hit_rate().map_or_else(|| t.no_data.to_owned(), percent),
            target: target(format!("≥ {}", percent(targets::HIT_RATE))),
            good: health.hit_rate().map(|r| r >= targets::HIT_RATE),
        },
        Figure {
            name: t.throttles,
            value: health.throttled.to_string(),
            target: target("0".into()),
            good: (health.calls > 0).then_some(health.throttled == 0),
        },
        Figure {
            name: t.data_age,
            value: oldest_age.map_or_else(|| t.no_data.to_owned(), age_words),
            target: target(format!("≤ {}", age_words(targets::DATA_AGE_SECONDS))),
            good: oldest_age.map(|a| a <= targets::DATA_AGE_SECONDS),
        },
        Figure {
            name: t.quota_left,
            value: quota.map_or_else(|| t.no_cap.to_owned(), |(left, cap)| format!("{left} / {cap}")),
            target: None,
            good: quota.map(|(left, cap)| left * 10 >= cap),
        },
    ]
}

/// `GET /`.
pub async fn overview(viewer: Viewer, State(state): State<ServiceState>) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let now = Utc::now();
    let health = GatewayHealth::from_prometheus(
        &state.metrics.as_ref().map(metrics_exporter_prometheus::PrometheusHandle::render).unwrap_or_default(),
    );
    // Counted by the store: reading 10,000 watches to count them would cost most of the page.
    let now_ms = now.timestamp_millis();
    let watches = state.store.watch_summary(now_ms).await?;
    let oldest_age = watches.oldest_run_ms.map(|ms| now_ms.saturating_sub(ms) / 1000);
    let by_state = [(t.active, watches.active), (t.snoozed, watches.snoozed), (t.paused, watches.paused)];
    let quota = state.jobs.client().quota();
    let quota = quota.limits().daily_quota.zip(quota.remaining_today(now)).map(|(cap, left)| (left, cap));
    let alerts =
        state.store.alert_log(&AlertQuery { since_ms: 0, watch_id: None, unacknowledged: false, limit: 8 }).await?;
    let running = state.board.with_status(JobStatus::Running, &viewer.key).await?;
    let body = html! {
        h1 { (t.nav_overview) }
        section aria-labelledby="health" {
            h2 #health { (t.health) }
            ul.figures {
                @for figure in figures(t, &health, oldest_age, quota) {
                    (figure_card(&figure))
                }
            }
        }
        div.columns {
            section.card aria-labelledby="alerts" {
                h2 #alerts { (t.recent_alerts) }
                @if alerts.is_empty() { p.muted { (t.none_yet) } }
                ul.list {
                    @for a in &alerts {
                        li {
                            (time_element(t, a.alert.at))
                            " "
                            a href=(alert_target(a)) { (a.alert.text(t.language)) }
                        }
                    }
                }
            }
            section.card aria-labelledby="jobs" {
                h2 #jobs { (t.running_jobs) }
                @if running.is_empty() { p.muted { (t.none_yet) } }
                ul.list {
                    @for job in &running {
                        li { a href=(format!("/source/{}", job.id)) { (job.kind) " " (job.id) } " " (super::stages::job_stage(t, job).unwrap_or_default()) }
                    }
                }
            }
            section.card aria-labelledby="watches" {
                h2 #watches { a href="/watches" { (t.watches) " (" (watches.total()) ")" } }
                @if watches.total() == 0 { p.muted { (t.none_yet) } }
                @else {
                    ul.list {
                        @for (name, n) in by_state { li { (name) ": " (n) } }
                    }
                }
            }
        }
    };
    Ok(page(&viewer, t.nav_overview, body).into_response())
}

fn figure_card(figure: &Figure) -> Markup {
    let class = match figure.good {
        Some(true) => "figure good",
        Some(false) => "figure bad",
        None => "figure",
    };
    html! {
        li class=(class) {
            span.name { (figure.name) }
            strong.value { (figure.value) }
            @if let Some(target) = &figure.target { span.target { (target) } }
        }
    }
}

/// Where an alert leads: its order's page for an alert about an order, else its offer's.
pub fn alert_target(alert: &LoggedAlert) -> String {
    match alert.alert.order_id {
        Some(order) => format!("/orders/{order}"),
        None => format!("/offers/{}", alert.alert.offer_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::text::EN;

    #[test]
    fn figures_meet_or_miss_their_targets() {
        let health =
            GatewayHealth { calls: 100, ok: 98, throttled: 1, p95_seconds: Some(0.25), cache_hits: 6, cache_misses: 4 };
        let f = figures(&EN, &health, Some(900), Some((50, 1000)));
        let good: Vec<Option<bool>> = f.iter().map(|f| f.good).collect();
        assert_eq!(good, vec![Some(false), Some(true), Some(true), Some(false), Some(false), Some(false)]);
        assert_eq!(f[0].value, "98.0 %");
        assert_eq!(f[4].value, "15 min");
        let empty = figures(&EN, &GatewayHealth::default(), None, None);
        assert!(empty.iter().all(|f| f.good.is_none()), "no figures, no verdicts");
        assert_eq!(empty[0].value, "no data yet");
    }

    #[test]
    fn ages_read_in_the_largest_whole_unit() {
        assert_eq!(age_words(42), "42 s");
        assert_eq!(age_words(600), "10 min");
        assert_eq!(age_words(7_200), "2 h");
        assert_eq!(age_words(200_000), "2 d");
        assert_eq!(age_words(-5), "0 s");
    }
}

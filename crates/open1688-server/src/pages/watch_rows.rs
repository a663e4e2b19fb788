//! The watch list's rows as a buyer tells watches apart: each offer's picture and title, its
//! price now at the watched quantity, a 30-day line of that price, its last change, and the
//! rules in words. One page of rows is read at once: the labels in one statement, the histories
//! one per watched offer (at most a page's worth).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use maud::{Markup, html};
use open1688_store::{OfferLabel, SqlStore, Store, Watch};
use rust_decimal::Decimal;
use sourcing::Language;

use super::chart_lines::sparkline;
use super::comparison::yuan;
use super::dates::short_time;
use super::text::Text;
use super::watch_words::{rule_words, watched_quantity};
use crate::problem::Problem;

/// Days of history a row's line covers.
pub const TREND_DAYS: i64 = 30;

/// One watch as its row shows it.
#[derive(Debug, Clone)]
pub struct WatchRow {
    /// The watch.
    pub watch: Watch,
    /// Its offer's title and picture, when the store has recorded the offer.
    pub label: Option<OfferLabel>,
    /// The quantity prices are read at.
    pub quantity: i64,
    /// The unit price at that quantity over the last [`TREND_DAYS`] days, oldest first.
    pub prices: Vec<(DateTime<Utc>, Decimal)>,
}

impl WatchRow {
    /// The price now (the newest observation's).
    pub fn price_now(&self) -> Option<Decimal> {
        self.prices.last().map(|(_, p)| *p)
    }

    /// The newest change of the price: before, after and when.
    pub fn last_change(&self) -> Option<(Decimal, Decimal, DateTime<Utc>)> {
        self.prices.windows(2).rev().find(|w| w[0].1 != w[1].1).map(|w| (w[0].1, w[1].1, w[1].0))
    }
}

/// The rows of `watches` (a page of the list), read from the store.
pub async fn load(store: &SqlStore, watches: Vec<Watch>, now: DateTime<Utc>) -> Result<Vec<WatchRow>, Problem> {
    let ids: Vec<i64> = watches.iter().filter_map(|w| w.offer_id).collect();
    let mut labels: HashMap<i64, OfferLabel> = store.offer_labels(&ids).await?;
    let since = (now - Duration::days(TREND_DAYS)).timestamp_millis();
    let mut rows = Vec::with_capacity(watches.len());
    for watch in watches {
        let quantity = watched_quantity(&watch.rules);
        let prices = match watch.offer_id {
            Some(offer) => store
                .price_history(offer, since)
                .await?
                .iter()
                .filter_map(|point| point.price_at(quantity).map(|price| (point.at, price)))
                .collect(),
            None => Vec::new(),
        };
        let label = watch.offer_id.and_then(|id| labels.remove(&id));
        rows.push(WatchRow { watch, label, quantity, prices });
    }
    Ok(rows)
}

/// What the row watches: the offer's picture and title (else its number), or the keyword.
pub fn subject(t: &Text, row: &WatchRow) -> Markup {
    let watch = &row.watch;
    let link = format!("/watches/{}", watch.id);
    html! {
        div.item {
            @if let Some(picture) = row.label.as_ref().and_then(|l| l.picture.as_deref()) {
                img.thumb src=(picture) alt="" loading="lazy" width="48" height="48";
            }
            div {
                @match (&row.label, watch.offer_id, &watch.keyword) {
                    (Some(label), _, _) => { a href=(link) { (label.title) } }
                    (None, Some(id), _) => { a href=(link) { (t.offer) " " (id) } }
                    (None, None, Some(keyword)) => { a href=(link) { "「" (keyword) "」" } }
                    (None, None, None) => { a href=(link) { "#" (watch.id) } }
                }
                div.muted.small {
                    "#" (watch.id)
                    @if let (Some(id), Some(_)) = (watch.offer_id, &row.label) { " · " (t.offer) " " (id) }
                    @if watch.keyword.is_some() { " · " (t.keyword) }
                }
            }
        }
    }
}

/// The price now at the watched quantity (`¥9.50`, `100 件`).
pub fn price_now(t: &Text, row: &WatchRow) -> Markup {
    html! {
        @match row.price_now() {
            Some(price) => {
                span.price { (yuan(price)) }
                " " span.muted.small { (at_units(t.language, row.quantity)) }
            }
            None => { span.muted { "—" } }
        }
    }
}

/// The 30-day line, named for a screen reader by its first and last price.
pub fn trend(t: &Text, row: &WatchRow) -> Markup {
    let (Some((_, first)), Some((_, last))) = (row.prices.first(), row.prices.last()) else {
        return html! { span.muted { "—" } };
    };
    let label = format!("{}: {} → {}", t.trend_30_days, yuan(*first), yuan(*last));
    if row.prices.len() < 2 {
        return html! { span.muted.small { (t.no_change_in_span) } };
    }
    sparkline(&row.prices, &label)
}

/// The newest price change (`¥10.00 → ¥9.50 · 12-05 08:00`), or that there was none.
pub fn last_change(t: &Text, row: &WatchRow) -> Markup {
    html! {
        @match row.last_change() {
            Some((before, after, at)) => {
                span class=(if after < before { "ok-text" } else { "error-text" }) { (yuan(before)) " → " (yuan(after)) }
                " " span.muted.small { (short_time(t, at)) }
            }
            None if row.prices.is_empty() => { span.muted { "—" } }
            None => { span.muted.small { (t.no_change_in_span) } }
        }
    }
}

/// The rules in words, one to a line.
pub fn rules(t: &Text, watch: &Watch) -> Markup {
    html! {
        ul.rules.small {
            @for rule in &watch.rules { li { (rule_words(rule, t.language)) } }
        }
    }
}

/// `at 100 units` / `100 件`.
fn at_units(language: Language, quantity: i64) -> String {
    match language {
        Language::En => format!("at {} units", super::comparison::units(quantity)),
        Language::Zh => format!("{} 件", super::comparison::units(quantity)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(prices: &[(i64, i64)]) -> WatchRow {
        let watch: Watch = serde_json::from_value(serde_json::json!({
            "id": 1, "offer_id": 7, "keyword": null, "interval_secs": 60, "rules": [], "snooze_until_ms": null,
            "max_per_day": null, "next_due_ms": 0, "last_run_ms": null, "failures": 0, "paused_until_ms": null
        }))
        .unwrap();
        let day = |d: i64| DateTime::<Utc>::from_timestamp(1_790_000_000 + d * 86_400, 0).unwrap();
        WatchRow {
            watch,
            label: None,
            quantity: 1,
            prices: prices.iter().map(|&(d, p)| (day(d), Decimal::new(p, 2))).collect(),
        }
    }

    #[test]
    fn the_last_change_is_the_newest_move_of_the_price() {
        let r = row(&[(1, 1000), (2, 950), (3, 950), (4, 980), (5, 980)]);
        let (before, after, at) = r.last_change().unwrap();
        assert_eq!((before, after), (Decimal::new(950, 2), Decimal::new(980, 2)));
        assert_eq!(at, r.prices[3].0);
        assert_eq!(r.price_now(), Some(Decimal::new(980, 2)));
        assert!(row(&[(1, 1000), (2, 1000)]).last_change().is_none());
        assert!(row(&[]).price_now().is_none());
    }
}

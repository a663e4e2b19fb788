//! Moments as a reader reads them. Every page tells time in Beijing time (UTC+8, no summer
//! time): 1688, its sellers and most of our buyers keep that clock, and one alert then shows
//! the same hour in both languages. Chinese reads `12月7日 21:24`, English `7 Dec 21:24`; the
//! `<time>` element carries the exact instant for programs and the time zone in its title.

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use maud::{Markup, html};

use sourcing::Language;

use super::text::Text;

/// Beijing time.
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3_600).expect("eight hours is a valid offset")
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// Day and time, without the year: `12月7日 21:24`, `7 Dec 21:24`.
pub fn short_time(t: &Text, at: DateTime<Utc>) -> String {
    let at = at.with_timezone(&beijing());
    let (month, day, hour, minute) = (at.month(), at.day(), at.hour(), at.minute());
    match t.language {
        Language::Zh => format!("{month}月{day}日 {hour:02}:{minute:02}"),
        Language::En => format!("{day} {} {hour:02}:{minute:02}", month_name(month)),
    }
}

/// Day and time with the year: `2026年12月7日 21:24`, `7 Dec 2026 21:24`.
pub fn long_time(t: &Text, at: DateTime<Utc>) -> String {
    let at = at.with_timezone(&beijing());
    let (year, month, day, hour, minute) = (at.year(), at.month(), at.day(), at.hour(), at.minute());
    match t.language {
        Language::Zh => format!("{year}年{month}月{day}日 {hour:02}:{minute:02}"),
        Language::En => format!("{day} {} {year} {hour:02}:{minute:02}", month_name(month)),
    }
}

/// A date on a chart's time axis: the day (`12月7日`, `7 Dec`), or the month over a long span
/// (`2026年12月`, `Dec 2026`).
pub fn axis_date(t: &Text, at: DateTime<Utc>, by_month: bool) -> String {
    let at = at.with_timezone(&beijing());
    let (year, month, day) = (at.year(), at.month(), at.day());
    match (t.language, by_month) {
        (Language::Zh, false) => format!("{month}月{day}日"),
        (Language::Zh, true) => format!("{year}年{month}月"),
        (Language::En, false) => format!("{day} {}", month_name(month)),
        (Language::En, true) => format!("{} {year}", month_name(month)),
    }
}

/// A `<time>` element: the short form, the instant in `datetime`, the zone in its title.
pub fn time_element(t: &Text, at: DateTime<Utc>) -> Markup {
    html! { time datetime=(at.to_rfc3339()) title=(t.beijing_time) { (short_time(t, at)) } }
}

/// A moment stored as milliseconds, in the short form; "—" for none or one out of range.
pub fn short_time_ms(t: &Text, ms: Option<i64>) -> String {
    ms.and_then(DateTime::<Utc>::from_timestamp_millis).map_or_else(|| "—".to_owned(), |at| short_time(t, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::text::{EN, ZH};

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn each_language_reads_beijing_time_its_own_way() {
        // 21:24 UTC on 7 December is 05:24 on the 8th in Beijing.
        let late = at("2026-12-07T21:24:00Z");
        assert_eq!(short_time(&ZH, late), "12月8日 05:24");
        assert_eq!(short_time(&EN, late), "8 Dec 05:24");
        assert_eq!(long_time(&ZH, late), "2026年12月8日 05:24");
        assert_eq!(long_time(&EN, late), "8 Dec 2026 05:24");
        // New Year's Eve in UTC is already the new year in Beijing.
        let eve = at("2026-12-31T17:00:00Z");
        assert_eq!(axis_date(&ZH, eve, true), "2027年1月");
        assert_eq!(axis_date(&EN, eve, false), "1 Jan");
        let html = time_element(&ZH, late).into_string();
        assert!(html.contains("datetime=\"2026-12-07T21:24:00+00:00\""), "{html}");
        assert!(html.contains(ZH.beijing_time), "{html}");
        assert_eq!(short_time_ms(&EN, None), "—");
        assert_eq!(short_time_ms(&EN, Some(i64::MAX)), "—");
    }
}

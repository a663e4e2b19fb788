//! Lines over time (a watched offer's tier prices, its stock), drawn as inline SVG like the
//! other charts: dates across, values up, one line per series, each named in a legend and in the
//! description a screen reader reads.

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use rust_decimal::Decimal;

use super::chart::{BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, at, axes, f, ticks};
use super::dates::axis_date;
use super::text::Text;

/// One line: its name and its points, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend's word for it (`≥ 100`).
    pub name: String,
    /// Moments and values.
    pub points: Vec<(DateTime<Utc>, Decimal)>,
}

/// A price history as one series per tier (named by its first quantity), and the moment the
/// chart should end: now, or the last snapshot when the platform's clock runs ahead of ours.
pub fn tier_series(points: &[open1688_store::HistoryPoint], now: DateTime<Utc>) -> (Vec<Series>, DateTime<Utc>) {
    let starts: std::collections::BTreeSet<i64> = points.iter().flat_map(|p| p.tiers.keys().copied()).collect();
    let series = starts
        .into_iter()
        .map(|start| Series {
            name: format!("≥ {start}"),
            points: points.iter().filter_map(|p| p.tiers.get(&start).map(|price| (p.at, *price))).collect(),
        })
        .collect();
    (series, points.last().map_or(now, |p| p.at.max(now)))
}

/// How many colours the lines take in turn (classes `s0`–`s4` in the style sheet, each 3:1 or
/// more against white; colours by class, since the pages' CSP refuses inline styles).
const COLOURS: usize = 5;

/// `series` drawn over the span from `from` to `to`; `id` keeps the title ids of two charts on
/// one page apart; `unit` prefixes values (`¥`, or nothing for stock).
pub fn line_chart(
    t: &Text,
    id: &str,
    title: &str,
    series: &[Series],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    unit: &str,
) -> Markup {
    let values = || series.iter().flat_map(|s| s.points.iter().map(|(_, v)| f(*v)));
    if values().next().is_none() {
        return html! {};
    }
    let highest = values().fold(f64::MIN, f64::max);
    let lowest = values().fold(f64::MAX, f64::min);
    let y_max = if highest > 0.0 { highest * 1.08 } else { 1.0 };
    let y_min = ticks(lowest * 0.8).last().copied().filter(|v| *v < lowest).unwrap_or(0.0);
    let span_ms = (to - from).num_milliseconds().max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |t: DateTime<Utc>| LEFT + ((t - from).num_milliseconds() as f64 / span_ms).clamp(0.0, 1.0) * plot_w;
    let y = |v: f64| TOP + plot_h - (v - y_min) / (y_max - y_min) * plot_h;
    let days = (to - from).num_days();
    let by_month = days > 180;
    let date_ticks: Vec<DateTime<Utc>> = (0..=4).map(|i| from + (to - from) * i / 4).collect();
    let description: Vec<String> = series
        .iter()
        .map(|s| {
            let first = s.points.first().map(|(_, v)| *v);
            let last = s.points.last().map(|(_, v)| *v);
            match (first, last) {
                (Some(a), Some(b)) => {
                    format!("{}: {unit}{a} → {unit}{b} ({} {})", s.name, s.points.len(), t.data_points)
                }
                _ => format!("{}: —", s.name),
            }
        })
        .collect();
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
                aria-labelledby=(format!("{id}-title {id}-desc")) preserveAspectRatio="xMidYMid meet" {
                title id=(format!("{id}-title")) { (title) }
                desc id=(format!("{id}-desc")) { (description.join("; ")) }
                (axes("", ""))
                @for tick in std::iter::once(y_min).chain(ticks(y_max).into_iter().filter(|t| *t > y_min)) {
                    line.grid x1=(at(LEFT)) x2=(at(WIDTH - RIGHT)) y1=(at(y(tick))) y2=(at(y(tick))) {}
                    text.tick x=(at(LEFT - 6.0)) y=(at(y(tick) + 4.0)) text-anchor="end" { (unit) (tick_label(t, tick)) }
                }
                @for (i, moment) in date_ticks.iter().enumerate() {
                    @let anchor = match i { 0 => "start", 4 => "end", _ => "middle" };
                    text.tick x=(at(x(*moment))) y=(at(HEIGHT - BOTTOM + 18.0)) text-anchor=(anchor) { (axis_date(t, *moment, by_month)) }
                }
                @for (i, s) in series.iter().enumerate() {
                    @let colour = format!("s{}", i % COLOURS);
                    @if s.points.len() == 1 {
                        @let (when, v) = s.points[0];
                        circle class=(format!("dot {colour}")) cx=(at(x(when))) cy=(at(y(f(v)))) r="4" {}
                    } @else {
                        path class=(format!("line {colour}")) d=(polyline(&s.points, &x, &y)) {}
                    }
                }
            }
            @if series.len() > 1 {
                figcaption.legend {
                    @for (i, s) in series.iter().enumerate() {
                        span.key { span class=(format!("swatch s{}", i % COLOURS)) {} (s.name) }
                    }
                }
            }
        }
    }
}

/// A small line of `points` (oldest first) for a list row, named for a screen reader by
/// `label`; nothing for fewer than two points.
pub fn sparkline(points: &[(DateTime<Utc>, Decimal)], label: &str) -> Markup {
    const W: f64 = 120.0;
    const H: f64 = 32.0;
    let (Some((first, _)), Some((last, _))) = (points.first(), points.last()) else { return html! {} };
    if points.len() < 2 {
        return html! {};
    }
    let values = || points.iter().map(|(_, v)| f(*v));
    let (low, high) = (values().fold(f64::MAX, f64::min), values().fold(f64::MIN, f64::max));
    let span_ms = (*last - *first).num_milliseconds().max(1) as f64;
    let x = |t: DateTime<Utc>| 1.0 + (t - *first).num_milliseconds() as f64 / span_ms * (W - 2.0);
    // A flat price is a line across the middle.
    let y = |v: f64| if high > low { H - 3.0 - (v - low) / (high - low) * (H - 6.0) } else { H / 2.0 };
    html! {
        svg.spark viewBox=(format!("0 0 {W} {H}")) width=(W) height=(H) role="img" aria-label=(label) {
            path.line.s0 d=(polyline(points, &x, &y)) {}
        }
    }
}

/// A series as a step line: a price holds until the next snapshot changes it.
fn polyline(points: &[(DateTime<Utc>, Decimal)], x: &impl Fn(DateTime<Utc>) -> f64, y: &impl Fn(f64) -> f64) -> String {
    let mut d = String::new();
    for (i, (t, v)) in points.iter().enumerate() {
        if i == 0 {
            d.push_str(&format!("M{} {}", at(x(*t)), at(y(f(*v)))));
        } else {
            d.push_str(&format!(" H{} V{}", at(x(*t)), at(y(f(*v)))));
        }
    }
    d
}

/// A grid value short enough for the left margin at phone size, as its reader counts: `60k` in
/// English, `6万` in Chinese (not `60000`).
fn tick_label(t: &Text, v: f64) -> String {
    if v.abs() >= 10_000.0 && t.language == sourcing::Language::Zh {
        let wan = v / 10_000.0;
        if wan.fract() == 0.0 { format!("{wan:.0}万") } else { format!("{wan:.1}万") }
    } else if v.abs() >= 10_000.0 {
        let k = v / 1000.0;
        if k.fract() == 0.0 { format!("{k:.0}k") } else { format!("{k:.1}k") }
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::text::{EN, ZH};

    fn day(d: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_790_000_000 + d * 86_400, 0).unwrap()
    }

    #[test]
    fn each_series_is_a_line_named_in_the_legend_and_the_description() {
        let series = vec![
            Series {
                name: "≥ 1".into(),
                points: vec![(day(1), Decimal::new(1250, 2)), (day(3), Decimal::new(1190, 2))],
            },
            Series { name: "≥ 100".into(), points: vec![(day(1), Decimal::from(11)), (day(3), Decimal::from(10))] },
        ];
        let svg = line_chart(&ZH, "h", "价格", &series, day(0), day(7), "¥").into_string();
        assert_eq!(svg.matches("class=\"line s").count(), 2, "{svg}");
        assert!(!svg.contains("style="), "the pages' CSP refuses inline styles: {svg}");
        assert!(svg.contains("class=\"swatch s1\""), "{svg}");
        assert!(svg.contains("≥ 1: ¥12.50 → ¥11.90 (2 个数据点)"), "{svg}");
        assert!(svg.contains(">¥12<") || svg.contains(">¥10<"), "money ticks carry ¥: {svg}");
        assert!(svg.contains("月") && svg.contains("日<"), "dates in Chinese: {svg}");
        assert!(svg.contains("class=\"legend\""));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn a_sparkline_needs_two_points_and_stays_inside_its_box() {
        let flat = [(day(1), Decimal::TEN), (day(2), Decimal::TEN)];
        let svg = sparkline(&flat, "30 天").into_string();
        assert!(svg.contains("M1.0 16.0") && svg.contains("aria-label=\"30 天\""), "{svg}");
        assert!(sparkline(&flat[..1], "x").into_string().is_empty());
        let moving = [(day(1), Decimal::TEN), (day(2), Decimal::new(950, 2)), (day(9), Decimal::from(11))];
        let svg = sparkline(&moving, "x").into_string();
        assert!(svg.contains("M1.0 20.3 H15.8 V29.0 H119.0 V3.0"), "lowest at the bottom, highest at the top: {svg}");
    }

    #[test]
    fn large_grid_values_are_shortened() {
        assert_eq!(tick_label(&EN, 60_000.0), "60k");
        assert_eq!(tick_label(&EN, 12_500.0), "12.5k");
        assert_eq!(tick_label(&ZH, 60_000.0), "6万");
        assert_eq!(tick_label(&ZH, 125_000.0), "12.5万");
        assert_eq!(tick_label(&ZH, 250.0), "250");
        assert_eq!(tick_label(&EN, 6.1), "6.10");
    }

    #[test]
    fn one_point_is_a_dot_and_no_points_draw_nothing() {
        let one = vec![Series { name: "stock".into(), points: vec![(day(1), Decimal::from(0))] }];
        let svg = line_chart(&ZH, "s", "库存", &one, day(1), day(1), "").into_string();
        assert!(svg.contains("<circle") && !svg.contains("NaN"), "{svg}");
        assert!(line_chart(&ZH, "s", "t", &[], day(0), day(1), "").into_string().is_empty());
    }
}

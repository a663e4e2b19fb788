//! Charts drawn as inline SVG by the server: they scale to the screen (a `viewBox`, no fixed
//! size), render Chinese with the browser's own fonts, need no script, and carry a title and a
//! description for screen readers. Prices are exact decimals everywhere else; here they become
//! positions on a drawing and nothing more.

use maud::{Markup, html};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub(super) const WIDTH: f64 = 640.0;
pub(super) const HEIGHT: f64 = 300.0;
pub(super) const LEFT: f64 = 64.0;
pub(super) const RIGHT: f64 = 24.0;
pub(super) const TOP: f64 = 20.0;
pub(super) const BOTTOM: f64 = 44.0;

/// A decimal as a drawing position.
pub(super) fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

/// A number for an SVG attribute, to a tenth of a unit.
pub(super) fn at(x: f64) -> String {
    format!("{:.1}", if x.is_finite() { x } else { 0.0 })
}

/// One step of a price ladder: from this quantity on, this unit price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// The first quantity of the step.
    pub from: i64,
    /// The unit price from there on.
    pub price: Decimal,
}

/// A price ladder as a step chart: quantity across, unit price up, each tier a level that drops
/// at the next tier's first quantity; `mark` draws a dot at a chosen quantity.
pub fn step_chart(title: &str, quantity_word: &str, price_word: &str, steps: &[Step], mark: Option<i64>) -> Markup {
    if steps.is_empty() {
        return html! {};
    }
    let last = steps.last().map_or(1, |s| s.from);
    let x_max = ((last.max(1) as f64) * 1.5).max(mark.unwrap_or(0) as f64 * 1.1).max(10.0);
    let highest = steps.iter().map(|s| f(s.price)).fold(0.0_f64, f64::max);
    let lowest = steps.iter().map(|s| f(s.price)).fold(f64::INFINITY, f64::min);
    let y_max = if highest > 0.0 { highest * 1.08 } else { 1.0 };
    // Tiers a few percent apart would look flat on an axis from zero: the axis starts at a
    // round value below the lowest price instead, and its labels say where.
    let y_min = ticks(lowest * 0.8).last().copied().filter(|v| *v < lowest).unwrap_or(0.0);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |q: f64| LEFT + q / x_max * plot_w;
    let y = |p: f64| TOP + plot_h - (p - y_min) / (y_max - y_min) * plot_h;
    let mut path = String::new();
    for (i, step) in steps.iter().enumerate() {
        let end = steps.get(i + 1).map_or(x_max, |next| next.from as f64);
        let (x0, x1, yy) = (x(step.from as f64), x(end), y(f(step.price)));
        if i == 0 {
            path.push_str(&format!("M{} {}", at(x0), at(yy)));
        } else {
            path.push_str(&format!(" V{}", at(yy)));
        }
        path.push_str(&format!(" H{}", at(x1)));
    }
    let description: Vec<String> =
        steps.iter().map(|s| format!("{quantity_word} ≥ {}: {price_word} ¥{}", s.from, s.price)).collect();
    let marked = mark.and_then(|q| {
        let step = steps.iter().rev().find(|s| s.from <= q)?;
        Some((q, step.price))
    });
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-labelledby="ladder-title ladder-desc"
                preserveAspectRatio="xMidYMid meet" {
                title #ladder-title { (title) }
                desc #ladder-desc { (description.join("; ")) }
                (axes(quantity_word, price_word))
                @for tick in std::iter::once(y_min).chain(ticks(y_max).into_iter().filter(|t| *t > y_min)) {
                    line.grid x1=(at(LEFT)) x2=(at(WIDTH - RIGHT)) y1=(at(y(tick))) y2=(at(y(tick))) {}
                    text.tick x=(at(LEFT - 6.0)) y=(at(y(tick) + 4.0)) text-anchor="end" { (format!("{tick:.2}")) }
                }
                path.series d=(path) {}
                @for step in steps {
                    circle.point cx=(at(x(step.from as f64))) cy=(at(y(f(step.price)))) r="4" {}
                    text.tick x=(at(x(step.from as f64))) y=(at(HEIGHT - BOTTOM + 16.0)) text-anchor="middle" { (step.from) }
                    text.value x=(at(x(step.from as f64) + 6.0)) y=(at(y(f(step.price)) - 8.0)) { "¥" (step.price) }
                }
                @if let Some((q, price)) = marked {
                    circle.mark cx=(at(x(q as f64))) cy=(at(y(f(price)))) r="6" {}
                }
            }
        }
    }
}

/// The axes and their names.
pub(super) fn axes(x_word: &str, y_word: &str) -> Markup {
    html! {
        line.axis x1=(at(LEFT)) x2=(at(WIDTH - RIGHT)) y1=(at(HEIGHT - BOTTOM)) y2=(at(HEIGHT - BOTTOM)) {}
        line.axis x1=(at(LEFT)) x2=(at(LEFT)) y1=(at(TOP)) y2=(at(HEIGHT - BOTTOM)) {}
        text.label x=(at(WIDTH - RIGHT)) y=(at(HEIGHT - 6.0)) text-anchor="end" { (x_word) }
        text.label x="4" y=(at(TOP - 6.0)) { (y_word) }
    }
}

/// Three to six round values between 0 and `max` for grid lines.
pub(super) fn ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return Vec::new();
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| max / s <= 5.0).unwrap_or(raw);
    (1..).map(|i| i as f64 * step).take_while(|v| *v <= max).collect()
}

/// One axis of a radar: its name and a value from 0 to 100 (`None`: missing, drawn at 0 and
/// named so).
#[derive(Debug, Clone, PartialEq)]
pub struct Spoke {
    /// What the axis measures.
    pub name: String,
    /// 0–100, or missing.
    pub value: Option<Decimal>,
}

/// A radar of 0–100 values (a supplier's sub-scores), with rings at 25, 50, 75 and 100; the
/// tips are numbered 1…n in the spokes' order (show the names in a numbered table beside it).
pub fn radar(title: &str, missing_word: &str, spokes: &[Spoke]) -> Markup {
    if spokes.len() < 3 {
        return html! {};
    }
    let (cx, cy, r) = (WIDTH / 2.0, HEIGHT / 2.0 + 6.0, HEIGHT / 2.0 - 44.0);
    let n = spokes.len() as f64;
    let point = |i: usize, v: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n;
        (cx + r * v / 100.0 * angle.cos(), cy + r * v / 100.0 * angle.sin())
    };
    let ring = |v: f64| {
        (0..spokes.len())
            .map(|i| point(i, v))
            .map(|(x, y)| format!("{},{}", at(x), at(y)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let shape = spokes
        .iter()
        .enumerate()
        .map(|(i, s)| point(i, s.value.map_or(0.0, f).clamp(0.0, 100.0)))
        .map(|(x, y)| format!("{},{}", at(x), at(y)))
        .collect::<Vec<_>>()
        .join(" ");
    let description: Vec<String> = spokes
        .iter()
        .map(|s| match s.value {
            Some(v) => format!("{} {}", s.name, v.round_dp(0)),
            None => format!("{} {missing_word}", s.name),
        })
        .collect();
    html! {
        figure.chart {
            // A square around the radar, so that it fills a phone's width.
            svg.radar viewBox=(format!("{} 0 {HEIGHT} {HEIGHT}", at(cx - HEIGHT / 2.0))) role="img" aria-labelledby="radar-title radar-desc" {
                title #radar-title { (title) }
                desc #radar-desc { (description.join("; ")) }
                @for v in [25.0, 50.0, 75.0, 100.0] {
                    polygon.ring points=(ring(v)) {}
                }
                @for i in 0..spokes.len() {
                    @let (x, y) = point(i, 100.0);
                    line.axis x1=(at(cx)) y1=(at(cy)) x2=(at(x)) y2=(at(y)) {}
                }
                polygon.area points=(shape) {}
                // The tips carry numbers, not names: names of any length stay readable in the
                // numbered table beside the chart, even on a phone.
                @for i in 0..spokes.len() {
                    @let (x, y) = point(i, 114.0);
                    text.label x=(at(x)) y=(at(y + 5.0)) text-anchor="middle" { (i + 1) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ladder_draws_one_level_per_tier_and_names_every_price() {
        let steps = [
            Step { from: 2, price: Decimal::new(1250, 2) },
            Step { from: 100, price: Decimal::from(11) },
            Step { from: 500, price: Decimal::new(98, 1) },
        ];
        let svg = step_chart("阶梯价", "数量", "单价", &steps, Some(300)).into_string();
        assert_eq!(svg.matches(" H").count(), 3, "{svg}");
        assert_eq!(svg.matches(" V").count(), 2);
        for price in ["¥12.50", "¥11", "¥9.8"] {
            assert!(svg.contains(price), "{price} in {svg}");
        }
        assert!(svg.contains("数量 ≥ 100: 单价 ¥11"), "the description reads the ladder out");
        assert!(svg.contains("class=\"mark\""), "the chosen quantity is marked");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn a_ladder_of_one_free_tier_still_draws() {
        let svg = step_chart("t", "q", "p", &[Step { from: 1, price: Decimal::ZERO }], None).into_string();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(step_chart("t", "q", "p", &[], None).into_string().is_empty());
    }

    #[test]
    fn grid_lines_fall_on_round_values() {
        assert_eq!(ticks(10.0), vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.0), Vec::<f64>::new());
        assert!(ticks(13.8).iter().all(|t| *t <= 13.8));
        assert!(ticks(f64::NAN).is_empty());
    }

    #[test]
    fn a_radar_names_missing_values_instead_of_drawing_them_as_zero_silently() {
        let spokes = vec![
            Spoke { name: "回头率".into(), value: Some(Decimal::from(80)) },
            Spoke { name: "响应".into(), value: None },
            Spoke { name: "年限".into(), value: Some(Decimal::from(150)) },
        ];
        let svg = radar("评分", "缺失", &spokes).into_string();
        assert!(svg.contains("响应 缺失"), "the description names a missing value: {svg}");
        assert!(svg.contains("回头率 80"));
        assert!(svg.contains(">3</text>"), "each tip is numbered");
        assert!(!svg.contains("NaN"));
        assert!(radar("t", "m", &spokes[..2]).into_string().is_empty(), "two spokes are no radar");
    }
}

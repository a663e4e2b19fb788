//! The comparison's trade-off as a scatter: landed cost per unit across (cheaper to the left),
//! supplier score up (safer higher), the Pareto front joined by a line and the pick marked.

use maud::{Markup, html};
use rust_decimal::Decimal;

use super::chart::{BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, at, axes, f, ticks};

/// One offer on the scatter.
#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    /// Its number in the table beside the chart (1…n).
    pub number: usize,
    /// Landed cost per unit.
    pub cost: Decimal,
    /// Supplier score, 0–100.
    pub score: Decimal,
    /// On the Pareto front (no other offer is both cheaper and safer).
    pub pareto: bool,
    /// The pick.
    pub chosen: bool,
}

/// The scatter; dots carry their table numbers so the names stay in the table.
pub fn pareto_scatter(title: &str, cost_word: &str, score_word: &str, dots: &[Dot]) -> Markup {
    if dots.is_empty() {
        return html! {};
    }
    let highest = dots.iter().map(|d| f(d.cost)).fold(f64::MIN, f64::max);
    let lowest = dots.iter().map(|d| f(d.cost)).fold(f64::MAX, f64::min);
    let x_max = if highest > 0.0 { highest * 1.08 } else { 1.0 };
    let x_min = ticks(lowest * 0.8).last().copied().filter(|v| *v < lowest).unwrap_or(0.0);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |c: f64| LEFT + (c - x_min) / (x_max - x_min) * plot_w;
    let y = |s: f64| TOP + plot_h - s.clamp(0.0, 100.0) / 100.0 * plot_h;
    let mut front: Vec<&Dot> = dots.iter().filter(|d| d.pareto).collect();
    front.sort_by_key(|d| d.cost);
    let front_line: Vec<String> = front.iter().map(|d| format!("{},{}", at(x(f(d.cost))), at(y(f(d.score))))).collect();
    let description: Vec<String> = dots
        .iter()
        .map(|d| {
            let mut text = format!("{}: ¥{:.2} / {:.1}", d.number, d.cost.round_dp(2), d.score.round_dp(1));
            if d.pareto {
                text.push_str(" (Pareto)");
            }
            if d.chosen {
                text.push_str(" ✓");
            }
            text
        })
        .collect();
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-labelledby="pareto-title pareto-desc"
                preserveAspectRatio="xMidYMid meet" {
                title #pareto-title { (title) }
                desc #pareto-desc { (description.join("; ")) }
                (axes(cost_word, score_word))
                @for tick in [25.0, 50.0, 75.0, 100.0] {
                    line.grid x1=(at(LEFT)) x2=(at(WIDTH - RIGHT)) y1=(at(y(tick))) y2=(at(y(tick))) {}
                    text.tick x=(at(LEFT - 6.0)) y=(at(y(tick) + 4.0)) text-anchor="end" { (tick) }
                }
                @for tick in std::iter::once(x_min).chain(ticks(x_max).into_iter().filter(|t| *t > x_min)) {
                    text.tick x=(at(x(tick))) y=(at(HEIGHT - BOTTOM + 18.0)) text-anchor="middle" { (format!("{tick:.2}")) }
                }
                @if front_line.len() > 1 {
                    polyline.front points=(front_line.join(" ")) {}
                }
                @for d in dots {
                    @let (cx, cy) = (x(f(d.cost)), y(f(d.score)));
                    circle class=(if d.chosen { "mark" } else if d.pareto { "point" } else { "other" })
                        cx=(at(cx)) cy=(at(cy)) r=(if d.chosen { "8" } else { "6" }) {}
                    text.value x=(at(cx + 9.0)) y=(at(cy - 7.0)) { (d.number) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_front_is_joined_and_the_pick_marked() {
        let dot = |number, cost: i64, score: i64, pareto, chosen| Dot {
            number,
            cost: Decimal::from(cost),
            score: Decimal::from(score),
            pareto,
            chosen,
        };
        let dots = [dot(1, 10, 60, true, false), dot(2, 12, 90, true, true), dot(3, 14, 70, false, false)];
        let svg = pareto_scatter("取舍", "到岸单价", "供应商评分", &dots).into_string();
        assert!(svg.contains("class=\"front\""), "{svg}");
        assert_eq!(svg.matches("class=\"mark\"").count(), 1);
        assert_eq!(svg.matches("class=\"other\"").count(), 1);
        assert!(svg.contains("2: ¥12.00 / 90.0 (Pareto) ✓"), "{svg}");
        assert!(!svg.contains("NaN"));
        assert!(pareto_scatter("t", "c", "s", &[]).into_string().is_empty());
    }
}

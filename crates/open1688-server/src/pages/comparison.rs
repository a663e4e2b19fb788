//! A comparison as the pages show it (the sourcing job's answer and the compare page): the Pareto
//! scatter of landed cost against supplier score, the ranked table numbered as the dots are, and
//! the offers left out with why.

use maud::{Markup, html};
use sourcing::{Comparison, Figure};

use super::cart::add_button;
use super::chart_scatter::{Dot, pareto_scatter};
use super::text::Text;

/// Digits grouped by thousands (`15170` → `15,170`).
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Money as the pages show it: yuan with two decimals and thousands separated (`¥15,170.00`).
pub fn yuan(amount: rust_decimal::Decimal) -> String {
    let text = format!("{:.2}", amount.round_dp(2).abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if amount.round_dp(2).is_sign_negative() && !amount.round_dp(2).is_zero() { "-" } else { "" };
    format!("{sign}¥{}.{cents}", grouped(whole))
}

/// A count of units as the pages show it: thousands separated (`95,431`).
pub fn units(count: i64) -> String {
    let sign = if count < 0 { "-" } else { "" };
    format!("{sign}{}", grouped(&count.unsigned_abs().to_string()))
}

/// A supplier's score as every page shows it: one decimal, then what its band advises, in the
/// reader's language (the band's class colours it).
pub fn score_badge(t: &Text, score: rust_decimal::Decimal, action: sourcing::Action) -> Markup {
    html! {
        span.score { (format!("{:.1}", score.round_dp(1))) }
        " "
        span class=(format!("band {action}")) { (t.action(action)) }
    }
}

/// Why the pick, in the reader's language (a report stored before reasons were figures keeps
/// its English `fallback`).
pub fn pick_reason(t: &Text, decision: Option<&sourcing::Decision>, fallback: &str) -> String {
    decision.and_then(|d| d.why.as_ref()).map_or_else(|| fallback.to_owned(), |why| why.render(t.language))
}

/// Why the recommended quantity, in the reader's language (an old report: its English `fallback`).
pub fn quantity_reason(t: &Text, advice: &sourcing::QuantityAdvice) -> String {
    advice.why.as_ref().map_or_else(|| advice.reason.clone(), |why| why.render(t.language))
}

/// The comparison; `fallback_pick` is marked when the comparison names no best value.
pub fn comparison_view(t: &Text, comparison: &Comparison, fallback_pick: i64) -> Markup {
    let chosen = comparison.best_value.as_ref().map_or(fallback_pick, |(id, _)| *id);
    let dots: Vec<Dot> = comparison
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| Dot {
            number: i + 1,
            cost: row.cost.landed_per_unit_needed,
            score: row.score,
            pareto: row.pareto,
            chosen: row.offer_id == chosen,
        })
        .collect();
    html! {
        section.card aria-labelledby="comparison" {
            h2 #comparison { (t.comparison) }
            @if let Some((_, why)) = &comparison.best_value {
                p { strong { (t.recommended) ": " } (pick_reason(t, comparison.decision.as_ref(), why)) }
            }
            p.muted.small { (t.pareto_explained) }
            (pareto_scatter(t.comparison, t.figure(Figure::LandedPerUnitNeeded), t.supplier_score, &dots))
            div.scroll tabindex="0" {
                table.stack {
                    thead { tr {
                        th scope="col" { "#" } th.text scope="col" { (t.supplier) } th scope="col" { (t.figure(Figure::QuantityBought)) }
                        th scope="col" { (t.figure(Figure::UnitPrice)) } th scope="col" { (t.figure(Figure::Freight)) }
                        th scope="col" { (t.figure(Figure::LandedTotal)) } th scope="col" { (t.figure(Figure::LandedPerUnitNeeded)) }
                        th scope="col" { (t.supplier_score) }
                        th scope="col" { (t.pareto) }
                        th scope="col" { span.visually-hidden { (t.add_to_plan) } }
                    } }
                    tbody {
                        @for (i, row) in comparison.rows.iter().enumerate() {
                            tr class=[(row.offer_id == chosen).then_some("chosen")] {
                                td data-label="#" { (i + 1) }
                                td data-label=(t.supplier) { a href=(format!("/offers/{}", row.offer_id)) { (row.supplier) } }
                                td.num data-label=(t.figure(Figure::QuantityBought)) { (units(row.cost.quantity_bought)) }
                                td.num data-label=(t.figure(Figure::UnitPrice)) { (yuan(row.cost.unit_price)) }
                                td.num data-label=(t.figure(Figure::Freight)) { (yuan(row.cost.freight)) " " span.muted.small { (t.freight_source(row.cost.freight_source)) } }
                                td.num data-label=(t.figure(Figure::LandedTotal)) { (yuan(row.cost.landed_total)) }
                                td.num data-label=(t.figure(Figure::LandedPerUnitNeeded)) { (yuan(row.cost.landed_per_unit_needed)) }
                                td.num data-label=(t.supplier_score) { (score_badge(t, row.score, row.action)) }
                                td data-label=(t.pareto) { @if row.pareto { "✓" } @else { "—" } }
                                td data-label=(t.add_to_plan) { (add_button(t, row.offer_id, row.sku_id, row.cost.quantity_bought)) }
                            }
                        }
                    }
                }
            }
            @if !comparison.excluded.is_empty() {
                h3 { (t.left_out) }
                ul.list { @for e in &comparison.excluded { li.small { (e.offer_id) ": " (e.reason) } } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{units, yuan};

    fn dec(text: &str) -> rust_decimal::Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn money_has_two_decimals_and_separated_thousands() {
        assert_eq!(yuan(dec("15170")), "¥15,170.00");
        assert_eq!(yuan(dec("1065")), "¥1,065.00");
        assert_eq!(yuan(dec("6883.284")), "¥6,883.28");
        assert_eq!(yuan(dec("999.995")), "¥1,000.00");
        assert_eq!(yuan(dec("0")), "¥0.00");
        assert_eq!(yuan(dec("12.5")), "¥12.50");
        assert_eq!(yuan(dec("1234567.891")), "¥1,234,567.89");
        assert_eq!(yuan(dec("-138.34")), "-¥138.34");
        assert_eq!(yuan(dec("-0.001")), "¥0.00");
        assert_eq!(units(95431), "95,431");
        assert_eq!(units(500), "500");
        assert_eq!(units(1_000_000), "1,000,000");
        assert_eq!(units(-1200), "-1,200");
    }
}

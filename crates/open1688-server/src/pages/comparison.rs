//! A comparison as the pages show it (the sourcing job's answer and the compare page): the Pareto
//! scatter of landed cost against supplier score, the ranked table numbered as the dots are, and
//! the offers left out with why.

use maud::{Markup, html};
use sourcing::{Comparison, Figure};

use super::chart_scatter::{Dot, pareto_scatter};
use super::text::Text;

/// Money as the pages show it: yuan with two decimals.
pub fn yuan(amount: rust_decimal::Decimal) -> String {
    format!("¥{:.2}", amount.round_dp(2))
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
            @if let Some((_, why)) = &comparison.best_value { p { strong { (t.recommended) ": " } (why) } }
            p.muted.small { (t.pareto_explained) }
            (pareto_scatter(t.comparison, t.figure(Figure::LandedPerUnitNeeded), t.supplier_score, &dots))
            div.scroll {
                table {
                    thead { tr {
                        th scope="col" { "#" } th.text scope="col" { (t.supplier) } th scope="col" { (t.figure(Figure::QuantityBought)) }
                        th scope="col" { (t.figure(Figure::UnitPrice)) } th scope="col" { (t.figure(Figure::Freight)) }
                        th scope="col" { (t.figure(Figure::LandedTotal)) } th scope="col" { (t.figure(Figure::LandedPerUnitNeeded)) }
                        th scope="col" { (t.supplier_score) }
                        th scope="col" { "Pareto" }
                    } }
                    tbody {
                        @for (i, row) in comparison.rows.iter().enumerate() {
                            tr class=[(row.offer_id == chosen).then_some("chosen")] {
                                td { (i + 1) }
                                td { a href=(format!("/offers/{}", row.offer_id)) { (row.supplier) } }
                                td.num { (row.cost.quantity_bought) }
                                td.num { (yuan(row.cost.unit_price)) }
                                td.num { (yuan(row.cost.freight)) " " span.muted.small { (t.freight_source(row.cost.freight_source)) } }
                                td.num { (yuan(row.cost.landed_total)) }
                                td.num { (yuan(row.cost.landed_per_unit_needed)) }
                                td.num { (row.score.round_dp(0)) " " span class=(format!("band {}", row.action.to_string().to_lowercase())) { (row.action) } }
                                td { @if row.pareto { "✓" } }
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

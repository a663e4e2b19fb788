//! `/offers/{id}`: one offer — its price ladder as a step chart and a table, its SKUs with stock,
//! its supplier's scorecard as a radar with the explanation, and, for a need typed in, the
//! options table with the recommended quantity and buying now versus in batches.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use open1688_jobs::{NeedRequest, Progress, QuoteReport, QuoteRequest};
use open1688_store::Store;
use serde::Deserialize;
use sourcing::{Offer, ScoreReport};
use sourcing::{band_name, criterion_name};

use super::cart::add_form;
use super::chart::{Spoke, Step, radar, step_chart};
use super::chart_lines::{line_chart, tier_series};
use super::comparison::{quantity_reason, score_badge, units, yuan};
use super::form::{FieldErrors, field_error, parse_optional};
use super::layout::page;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /offers/{id}` parameters: the need to quote, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OfferQuery {
    need: String,
}

/// `GET /offers/{id}`.
pub async fn offer(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
    Query(query): Query<OfferQuery>,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let id: i64 = id
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Problem::invalid("id", format!("{id:?} is not an offer id (a positive whole number)")))?;
    let mut errors = FieldErrors::default();
    let need = parse_optional::<i64>(&query.need, "need", &mut errors);
    let report = state.jobs.offers(&[id], &Progress::silent()).await?;
    let Some(detail) = report.offers.into_iter().next() else {
        return Err(Problem::new(StatusCode::NOT_FOUND, format!("offer {id} could not be read")).into());
    };
    let score = Some(&detail.score);
    let quote = match need {
        Some(need) if errors.get("need").is_none() => {
            let request = QuoteRequest { offer_id: id, need: NeedRequest::units(need), sku: None, batches: 3 };
            match state.jobs.quote(&request, &Progress::silent()).await {
                Ok(report) => Some(report),
                Err(e) => {
                    errors = FieldErrors::from_problem(&Problem::from(e), &["need"]);
                    None
                }
            }
        }
        _ => None,
    };
    let now = chrono::Utc::now();
    let since = now - chrono::Duration::days(30);
    let history = state.store.price_history(id, since.timestamp_millis()).await.unwrap_or_default();
    let offer = &detail.offer;
    let body = html! {
        article.offer-page {
            header.offer-head {
                @if let Some(image) = offer.images.first() {
                    img.main-picture src=(image) alt=(offer.title) width="240" height="240";
                }
                div {
                    h1 { (offer.title) }
                    @if let (Some(en), sourcing::Language::En) = (&offer.title_en, t.language) { p.muted lang="en" { (en) } }
                    (facts(t, offer, &detail.supplier))
                }
            }
            (ladder(t, offer, quote.as_ref().map(|q| q.advice.best().quantity)))
            (quote_section(t, id, &query.need, &errors, quote.as_ref()))
            (skus(t, offer, quote.as_ref().map_or_else(|| offer.moq.unwrap_or(1).max(1), |q| q.advice.best().quantity)))
            @if let Some(score) = score { (scorecard(t, score)) }
            (history_section(t, &history, since, now))
            section.card aria-labelledby="same-item" {
                h2 #same-item { (t.same_item_listings) }
                p { a href=(format!("/compare?same_as={id}&quantity={}", need.unwrap_or(1).max(1))) { (t.compare) " →" } }
                form method="post" action="/watches" {
                    input type="hidden" name="offer" value=(id);
                    button.secondary type="submit" { (t.watch) }
                }
            }
        }
    };
    let status = if errors.get("need").is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok((status, page(&viewer, &offer.title, body)).into_response())
}

fn facts(t: &Text, offer: &Offer, supplier: &sourcing::Supplier) -> Markup {
    let dash = || "—".to_owned();
    html! {
        dl.facts {
            dt { (t.moq) } dd { (offer.moq.map_or_else(dash, units)) }
            @if let Some(batch) = offer.batch_number.filter(|b| *b > 1) {
                dt { (t.batch_size) } dd { (batch) " " (t.units_each) }
            }
            dt { (t.stock) } dd { (offer.stock.map_or_else(dash, units)) }
            dt { (t.monthly_sales) } dd { (offer.monthly_sales.map_or_else(dash, units)) }
            dt { (t.supplier) } dd {
                (supplier.company.as_deref().or(supplier.login_id.as_deref()).unwrap_or("—"))
                @if let Some(place) = &supplier.location { " · " (place) }
            }
        }
        @if let Some(url) = offer.detail_url.as_deref().filter(|u| u.starts_with("https://")) {
            p { a href=(url) rel="noopener noreferrer" target="_blank" { (t.on_1688) " ↗" } }
        }
    }
}

fn ladder(t: &Text, offer: &Offer, mark: Option<i64>) -> Markup {
    let Some(ladder) = &offer.ladder else {
        return html! {};
    };
    let steps: Vec<Step> =
        ladder.tiers().iter().map(|tier| Step { from: tier.min_qty, price: tier.unit_price }).collect();
    html! {
        section.card aria-labelledby="ladder" {
            h2 #ladder { (t.price_ladder) }
            (step_chart(t.price_ladder, t.quantity, t.unit_price, &steps, mark))
            table.ladder {
                caption.visually-hidden { (t.price_ladder) }
                thead { tr { th scope="col" { (t.from_units) } th scope="col" { (t.unit_price) } } }
                tbody {
                    @for tier in ladder.tiers() {
                        tr {
                            td { (tier.min_qty) @if let Some(max) = tier.max_qty { "–" (max) } @else { "+" } }
                            td.num { (yuan(tier.unit_price)) }
                        }
                    }
                }
            }
        }
    }
}

fn quote_section(t: &Text, id: i64, typed: &str, errors: &FieldErrors, quote: Option<&QuoteReport>) -> Markup {
    html! {
        section.card aria-labelledby="quantity" {
            h2 #quantity { (t.optimal_quantity) }
            form.inline method="get" action=(format!("/offers/{id}")) {
                (errors.summary(t))
                div.field {
                    label for="need" { (t.need) }
                    input #need name="need" type="number" min="1" inputmode="numeric" value=(typed) required
                        aria-invalid=[errors.get("need").map(|_| "true")] aria-describedby=[errors.get("need").map(|_| "need-error")];
                    (field_error(t, "need", errors))
                }
                div.field.action { button type="submit" { (t.work_out) } }
            }
            @if let Some(quote) = quote {
                p.answer { strong { (t.recommended) ": " (quote.advice.best().quantity) } " — " (quantity_reason(t, &quote.advice)) }
                div.scroll tabindex="0" {
                    table {
                        thead { tr {
                            th scope="col" { (t.quantity) } th scope="col" { (t.unit_price) } th scope="col" { (t.total) }
                        } }
                        tbody {
                            @for (i, option) in quote.advice.options.iter().enumerate() {
                                tr class=[(i == quote.advice.recommended).then_some("chosen")] {
                                    td { (option.quantity) } td.num { (yuan(option.unit_price)) } td.num { (yuan(option.total)) }
                                }
                            }
                        }
                    }
                }
                @if let Some(batches) = &quote.batches {
                    h3 { (t.batches) }
                    div.scroll tabindex="0" {
                        table {
                            thead { tr {
                                th scope="col" { (t.batch_count) } th scope="col" { (t.quantity) } th scope="col" { (t.unit_price) }
                                th scope="col" { (t.total) } th scope="col" { (t.extra_cost) } th scope="col" { (t.risk) }
                            } }
                            tbody {
                                @for b in batches {
                                    tr { td { (b.batches) } td { (b.per_batch) } td.num { (yuan(b.unit_price)) } td.num { (yuan(b.total)) } td.num { (yuan(b.extra_cost)) } td { (b.risk) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The SKUs, each with its price, stock and a form that adds it to the plan cart at `quantity`
/// (the recommended quantity when a need was worked out, else the offer's minimum); an offer
/// without SKUs gets one such form for the offer itself.
fn skus(t: &Text, offer: &Offer, quantity: i64) -> Markup {
    if offer.skus.is_empty() {
        return html! {
            section.card aria-labelledby="skus" {
                h2 #skus { (t.add_to_plan) }
                (add_form(t, offer.id, None, quantity, &offer.title))
            }
        };
    }
    html! {
        section.card aria-labelledby="skus" {
            h2 #skus { (t.skus) " (" (offer.skus.len()) ")" }
            table.stack {
                thead { tr {
                    th.text scope="col" { (t.skus) } th scope="col" { (t.unit_price) } th scope="col" { (t.stock) }
                    th scope="col" { span.visually-hidden { (t.add_to_plan) } }
                } }
                tbody {
                    @for sku in &offer.skus {
                        @let name = sku.attributes.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(" · ");
                        tr {
                            td data-label=(t.skus) { (name) }
                            td.num data-label=(t.unit_price) { @if let Some(p) = sku.price { (yuan(p)) } @else { "—" } }
                            td.num data-label=(t.stock) { (sku.stock.map_or_else(|| "—".to_owned(), units)) }
                            td data-label=(t.add_to_plan) { (add_form(t, offer.id, Some(sku.id), quantity, &name)) }
                        }
                    }
                }
            }
        }
    }
}

fn scorecard(t: &Text, score: &ScoreReport) -> Markup {
    let spokes: Vec<Spoke> = score
        .criteria
        .iter()
        .map(|c| Spoke { name: criterion_name(&c.name, t.language).to_owned(), value: c.sub_score })
        .collect();
    html! {
        section.card aria-labelledby="scorecard" {
            h2 #scorecard { (t.scorecard) ": " (score_badge(t, score.score, score.action)) " · " (band_name(&score.band, t.language)) }
            (radar(t.scorecard, t.no_data, &spokes))
            div.scroll tabindex="0" {
                table {
                    thead { tr {
                        th scope="col" { (t.name) } th scope="col" { (t.signal) } th scope="col" { (t.sub_score) }
                        th scope="col" { (t.weight) } th scope="col" { (t.contribution) }
                    } }
                    tbody {
                        @for (i, c) in score.criteria.iter().enumerate() {
                            tr {
                                td { (i + 1) ". " (criterion_name(&c.name, t.language)) }
                                td.num { (c.signal.map_or_else(|| t.no_data.to_owned(), |s| s.to_string())) }
                                td.num { (c.sub_score.map_or_else(|| "—".to_owned(), |s| s.round_dp(0).to_string())) }
                                td.num { (c.effective_weight.round_dp(1)) }
                                td.num { (c.contribution.round_dp(1)) }
                            }
                        }
                    }
                }
            }
            @if let Some(note) = &score.missing_note { p.muted { (note) } }
        }
    }
}

/// The offer's last 30 days as the store recorded them (every read of it, and the monitor's
/// checks), when there are any.
fn history_section(
    t: &Text,
    points: &[open1688_store::HistoryPoint],
    since: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Markup {
    if points.len() < 2 {
        return html! {};
    }
    let (series, to) = tier_series(points, now);
    html! {
        section.card aria-labelledby="price-history" {
            h2 #price-history { (t.history) " · 30 " (t.days) }
            (line_chart(t, "offer-history", t.unit_price, &series, since, to, "¥"))
        }
    }
}

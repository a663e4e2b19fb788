//! `/search`: a keyword search with the CLI's filters and sorts, as cards. With a quantity, the
//! results are also compared at that quantity (the `compare` job), so each card shows the unit
//! price the ladder gives there and the supplier's score band.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use open1688::ImageSource;
use open1688_jobs::{CompareRequest, CompareTarget, ImageSearchRequest, NeedRequest, Progress, SearchRequest, Sort};
use rust_decimal::Decimal;
use serde::Deserialize;
use sourcing::comparison_row::ComparisonRow;
use sourcing::{Figure, OfferSummary};

use super::comparison::{score_badge, yuan};
use super::form::{FieldErrors, FieldProblem, field_error, parse_optional};
use super::layout::page;
use super::session::Viewer;
use super::text::Text;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The search form as sent (every field text, so a wrong value is shown back, not refused).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchForm {
    keyword: String,
    quantity: String,
    price_min: String,
    price_max: String,
    sort: String,
    /// The page of results, from 1.
    page: String,
}

/// Results on one page of the search.
const PER_PAGE: usize = 20;

/// The form read into a search, or what was wrong with it, field by field.
fn read(form: &SearchForm) -> Result<(SearchRequest, Option<i64>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let keyword = form.keyword.trim();
    if keyword.is_empty() {
        errors.add("keyword", FieldProblem::Missing);
    }
    let quantity = parse_optional::<i64>(&form.quantity, "quantity", &mut errors);
    if quantity.is_some_and(|q| !(1..=open1688_jobs::MAX_UNITS).contains(&q)) {
        errors.add("quantity", FieldProblem::Between(1, open1688_jobs::MAX_UNITS));
    }
    let price_min = parse_optional::<Decimal>(&form.price_min, "price_min", &mut errors);
    let price_max = parse_optional::<Decimal>(&form.price_max, "price_max", &mut errors);
    let sort = match form.sort.as_str() {
        "" => None,
        "price" => Some(Sort::Price),
        "price-desc" => Some(Sort::PriceDesc),
        "sales" => Some(Sort::Sales),
        "newest" => Some(Sort::Newest),
        other => {
            errors.add("sort", FieldProblem::NotAChoice(other.to_owned()));
            None
        }
    };
    // 1688 answers the first 2,000 results of a search: 100 pages of 20.
    let last_page = 2_000 / PER_PAGE as u32;
    let page = parse_optional::<u32>(&form.page, "page", &mut errors).unwrap_or(1);
    if !(1..=last_page).contains(&page) {
        errors.add("page", FieldProblem::Between(1, i64::from(last_page)));
    }
    errors.into_result((
        SearchRequest {
            keyword: keyword.to_owned(),
            price_min,
            price_max,
            sort,
            limit: Some(PER_PAGE),
            page,
            ..SearchRequest::default()
        },
        quantity,
    ))
}

/// `GET /search`.
pub async fn search(viewer: Viewer, State(state): State<ServiceState>, Query(form): Query<SearchForm>) -> Response {
    let t = viewer.lang.text();
    if form.keyword.is_empty() && form.quantity.is_empty() {
        let body = html! {
            (search_form(t, &form, &FieldErrors::default()))
            (picture_form(t, "", &FieldErrors::default()))
        };
        return page(&viewer, t.nav_search, body).into_response();
    }
    let (request, quantity) = match read(&form) {
        Ok(read) => read,
        Err(errors) => {
            let body = search_form(t, &form, &errors);
            return (StatusCode::BAD_REQUEST, page(&viewer, t.nav_search, body)).into_response();
        }
    };
    match results(&state, &request, quantity).await {
        Ok((offers, rows, total)) => {
            let body = html! {
                (search_form(t, &form, &FieldErrors::default()))
                (result_cards(t, &offers, &rows, quantity))
                (pager(t, &form, request.page, total))
            };
            page(&viewer, &format!("{} · {}", request.keyword, t.nav_search), body).into_response()
        }
        Err(problem) => {
            let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_GATEWAY);
            let errors =
                FieldErrors::from_problem(&problem, &["keyword", "quantity", "price_min", "price_max", "sort", "page"]);
            (status, page(&viewer, t.nav_search, search_form(t, &form, &errors))).into_response()
        }
    }
}

/// The way to the pages before and after this one (the platform answers 2,000 results at most).
fn pager(t: &Text, form: &SearchForm, page: u32, total: Option<u64>) -> Markup {
    let shown = u64::from(page) * PER_PAGE as u64;
    let has_next = total.is_some_and(|total| shown < total.min(2_000));
    let pages = total.map(|total| total.min(2_000).div_ceil(PER_PAGE as u64));
    let link = |to: u32| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("keyword", &form.keyword),
            ("quantity", &form.quantity),
            ("price_min", &form.price_min),
            ("price_max", &form.price_max),
            ("sort", &form.sort),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        query.append_pair("page", &to.to_string());
        format!("/search?{}", query.finish())
    };
    html! {
        @if page > 1 || has_next {
            nav.pager aria-label=(t.pages) {
                @if page > 1 { a href=(link(page - 1)) rel="prev" { "← " (t.previous) } }
                span { (page) @if let Some(pages) = pages { " / " (pages) } }
                @if has_next { a href=(link(page + 1)) rel="next" { (t.next) " →" } }
            }
        }
    }
}

/// The results as cards, with the form that compares the ones ticked.
fn result_cards(
    t: &Text,
    offers: &[OfferSummary],
    rows: &HashMap<i64, ComparisonRow>,
    quantity: Option<i64>,
) -> Markup {
    html! {
        form #compare-form.compare-bar method="get" action="/compare" {
            p.muted aria-live="polite" { (offers.len()) " " (t.results) }
            input type="hidden" name="quantity" value=(quantity.unwrap_or(1));
            button.secondary type="submit" { (t.compare_ticked) }
        }
        ul.cards { @for offer in offers { (card(t, offer, rows.get(&offer.id), quantity)) } }
    }
}

/// `POST /search/picture`: offers that look like a picture (a URL, or a file uploaded).
pub async fn by_picture(viewer: Viewer, State(state): State<ServiceState>, mut multipart: Multipart) -> Response {
    let t = viewer.lang.text();
    let mut url = String::new();
    let mut bytes = None;
    let mut failure = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("url") => url = field.text().await.unwrap_or_default().trim().to_owned(),
                Some("picture") => match field.bytes().await {
                    Ok(b) if !b.is_empty() => bytes = Some(b.to_vec()),
                    Ok(_) => {}
                    Err(e) => failure = Some(Problem::invalid("picture", e.body_text())),
                },
                _ => {}
            },
            Ok(None) => break,
            Err(e) => {
                failure = Some(Problem::new(e.status(), e.body_text()));
                break;
            }
        }
    }
    let gave_file = bytes.is_some();
    let source = match (failure, bytes, url.is_empty()) {
        (Some(problem), _, _) => Err(problem),
        (None, Some(bytes), _) => Ok(ImageSource::Bytes(bytes)),
        (None, None, false) if url.starts_with("https://") || url.starts_with("http://") => {
            Ok(ImageSource::Url(url.clone()))
        }
        (None, None, false) => Err(Problem::invalid("url", "only http and https picture URLs are fetched")),
        (None, None, true) => Err(Problem::invalid("url", "give a picture URL or choose a picture file")),
    };
    let request = ImageSearchRequest { limit: 20, keyword: None };
    let found = match source {
        Ok(source) => state.jobs.image_search(&source, &request, &Progress::silent()).await.map_err(Problem::from),
        Err(problem) => Err(problem),
    };
    let form = SearchForm::default();
    match found {
        Ok(found) => {
            let body = html! {
                (search_form(t, &form, &FieldErrors::default()))
                (picture_form(t, &url, &FieldErrors::default()))
                (result_cards(t, &found.offers, &HashMap::new(), None))
            };
            page(&viewer, &format!("{} · {}", t.image_search, t.nav_search), body).into_response()
        }
        Err(problem) => {
            let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST);
            // Whatever the failure names (the picture, its address, the platform), it is about
            // what was given: the URL typed or the file chosen.
            let mut errors = FieldErrors::default();
            errors.add(if gave_file || url.is_empty() { "picture" } else { "url" }, FieldProblem::of(&problem));
            let body = html! { (search_form(t, &form, &FieldErrors::default())) (picture_form(t, &url, &errors)) };
            (status, page(&viewer, t.nav_search, body)).into_response()
        }
    }
}

fn picture_form(t: &Text, url: &str, errors: &FieldErrors) -> Markup {
    html! {
        details.card open[!url.is_empty() || errors.get("url").is_some() || errors.get("picture").is_some()] {
            summary { (t.image_search) }
            form method="post" action="/search/picture" enctype="multipart/form-data" {
                (errors.summary(t))
                div.row {
                    div.field.grow {
                        label for="url" { (t.picture_url) }
                        input #url name="url" type="url" value=(url)
                            aria-invalid=[errors.get("url").map(|_| "true")] aria-describedby=[errors.get("url").map(|_| "url-error")];
                        (field_error(t, "url", errors))
                    }
                    div.field {
                        label for="picture" { (t.picture_file) }
                        input #picture name="picture" type="file" accept="image/*"
                            aria-invalid=[errors.get("picture").map(|_| "true")] aria-describedby=[errors.get("picture").map(|_| "picture-error")];
                        (field_error(t, "picture", errors))
                    }
                    div.field.action { button type="submit" { (t.search) } }
                }
            }
        }
    }
}

/// The search's summaries and, with a quantity, the comparison's rows by offer id.
async fn results(
    state: &ServiceState,
    request: &SearchRequest,
    quantity: Option<i64>,
) -> Result<(Vec<OfferSummary>, HashMap<i64, ComparisonRow>, Option<u64>), Problem> {
    let found = state.jobs.search(request, &Progress::silent()).await?;
    let mut rows = HashMap::new();
    // The first page compares the keyword's results as every surface does; a later page compares
    // the offers it shows (two or more).
    let target = match (request.page, found.offers.len()) {
        (_, 0) => None,
        (1, _) => Some(CompareTarget::Keyword(request.keyword.clone())),
        (_, 1) => None,
        _ => Some(CompareTarget::Offers(found.offers.iter().map(|o| o.id).collect())),
    };
    if let (Some(quantity), Some(target)) = (quantity, target) {
        let compare = CompareRequest {
            target,
            need: NeedRequest::units(quantity),
            candidates: Some(found.offers.len().max(1)),
            strategy: None,
        };
        let report = state.jobs.compare(&compare, &Progress::silent()).await?;
        rows = report.comparison.rows.into_iter().map(|r| (r.offer_id, r)).collect();
    }
    Ok((found.offers, rows, found.total))
}

fn search_form(t: &Text, form: &SearchForm, errors: &FieldErrors) -> Markup {
    let sorts = [
        ("", t.sort_relevance),
        ("price", t.sort_price),
        ("price-desc", t.sort_price_desc),
        ("sales", t.sort_sales),
        ("newest", t.sort_newest),
    ];
    html! {
        form.card.search method="get" action="/search" role="search" data-busy=(t.searching) {
            (errors.summary(t))
            // The page number comes from the pager's links, not from a field of the form.
            (field_error(t, "page", errors))
            div.row {
                div.field.grow {
                    label for="keyword" { (t.keyword) }
                    input #keyword type="search" name="keyword" value=(form.keyword) required
                        aria-invalid=[errors.get("keyword").map(|_| "true")] aria-describedby=[errors.get("keyword").map(|_| "keyword-error")];
                    (field_error(t, "keyword", errors))
                }
                div.field {
                    label for="quantity" { (t.quantity) }
                    input #quantity type="number" name="quantity" min="1" inputmode="numeric" value=(form.quantity)
                        aria-invalid=[errors.get("quantity").map(|_| "true")] aria-describedby=[errors.get("quantity").map(|_| "quantity-error")];
                    (field_error(t, "quantity", errors))
                }
                div.field {
                    label for="price_min" { (t.price_min) }
                    input #price_min name="price_min" inputmode="decimal" value=(form.price_min)
                        aria-invalid=[errors.get("price_min").map(|_| "true")] aria-describedby=[errors.get("price_min").map(|_| "price_min-error")];
                    (field_error(t, "price_min", errors))
                }
                div.field {
                    label for="price_max" { (t.price_max) }
                    input #price_max name="price_max" inputmode="decimal" value=(form.price_max)
                        aria-invalid=[errors.get("price_max").map(|_| "true")] aria-describedby=[errors.get("price_max").map(|_| "price_max-error")];
                    (field_error(t, "price_max", errors))
                }
                div.field {
                    label for="sort" { (t.sort) }
                    select #sort name="sort" {
                        @for (value, word) in sorts {
                            option value=(value) selected[form.sort == value] { (word) }
                        }
                    }
                    (field_error(t, "sort", errors))
                }
                div.field.action { button type="submit" { (t.search) } }
            }
        }
    }
}

fn card(t: &Text, offer: &OfferSummary, row: Option<&ComparisonRow>, quantity: Option<i64>) -> Markup {
    let href = format!("/offers/{}{}", offer.id, quantity.map_or_else(String::new, |q| format!("?need={q}")));
    html! {
        li.offer {
            a.picture href=(href) tabindex="-1" aria-hidden="true" {
                @if let Some(image) = &offer.image { img src=(image) alt="" loading="lazy" width="160" height="160"; }
            }
            div.body {
                h3 { a href=(href) { (offer.title) } }
                // The platform's translated title helps an English reader; a Chinese one reads
                // the title itself.
                @if let (Some(en), sourcing::Language::En) = (&offer.title_en, t.language) { p.muted.small lang="en" { (en) } }
                dl.facts {
                    @if let (Some(row), Some(q)) = (row, quantity) {
                        dt { (t.figure(Figure::LandedPerUnitNeeded)) " (" (q) ")" } dd.price { (yuan(row.cost.landed_per_unit_needed)) }
                        dt { (t.figure(Figure::UnitPrice)) " (" (row.cost.quantity_bought) ")" } dd { (yuan(row.cost.unit_price)) }
                        dt { (t.scorecard) } dd { (score_badge(t, row.score, row.action)) }
                    } @else {
                        dt { (t.unit_price) } dd.price { @if let Some(p) = offer.price { (yuan(p)) } @else { "—" } }
                    }
                    dt { (t.moq) } dd { (offer.moq.map_or_else(|| "—".to_owned(), super::comparison::units)) }
                    dt { (t.monthly_sales) } dd { (offer.monthly_sales.map_or_else(|| "—".to_owned(), super::comparison::units)) }
                }
                // A keyword search names no supplier; a comparison at the quantity does. On a line
                // of its own: a company name does not fit the facts' value column.
                p.small.supplier {
                    (t.supplier) ": "
                    (offer.supplier.company.as_deref().or(offer.supplier.login_id.as_deref()).or(row.map(|r| r.supplier.as_str())).unwrap_or("—"))
                }
                div.card-actions {
                    div.check {
                        input id=(format!("pick-{}", offer.id)) type="checkbox" name="offer" value=(offer.id) form="compare-form";
                        label for=(format!("pick-{}", offer.id)) { (t.compare) }
                    }
                    form method="post" action="/watches" {
                        input type="hidden" name="offer" value=(offer.id);
                        @if let Some(q) = quantity { input type="hidden" name="at" value=(q); }
                        button.secondary type="submit" aria-label=(format!("{} {}", t.watch, offer.id)) { (t.watch) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_keeps_the_search_and_stops_at_the_last_page() {
        let form = SearchForm { keyword: "保温杯".into(), quantity: "300".into(), ..Default::default() };
        let first = pager(&crate::pages::text::EN, &form, 1, Some(45)).into_string();
        assert!(
            first.contains("href=\"/search?keyword=%E4%BF%9D%E6%B8%A9%E6%9D%AF&amp;quantity=300&amp;page=2\""),
            "{first}"
        );
        assert!(!first.contains("rel=\"prev\"") && first.contains("1 / 3"), "{first}");
        let last = pager(&crate::pages::text::EN, &form, 3, Some(45)).into_string();
        assert!(last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""), "{last}");
        let capped = pager(&crate::pages::text::EN, &form, 100, Some(90_000)).into_string();
        assert!(!capped.contains("rel=\"next\"") && capped.contains("100 / 100"), "1688 answers 2,000: {capped}");
        assert!(pager(&crate::pages::text::EN, &form, 1, Some(12)).into_string().is_empty(), "one page: no pager");
    }

    proptest::proptest! {
        /// Whatever is typed, the search form is read or its errors named, never a panic.
        #[test]
        fn any_typing_is_read_without_panicking(
            keyword in ".{0,20}", quantity in ".{0,24}", price_min in ".{0,24}", price_max in ".{0,24}", sort in ".{0,12}",
            page in ".{0,12}",
        ) {
            if let Ok((request, _)) = read(&SearchForm { keyword, quantity, price_min, price_max, sort, page }) {
                proptest::prop_assert!((1..=100).contains(&request.page), "a page 1688 can answer: {}", request.page);
            }
        }
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let form = SearchForm {
            keyword: " ".into(),
            quantity: "many".into(),
            price_min: "1,5".into(),
            price_max: "20".into(),
            sort: "cheapest".into(),
            page: "101".into(),
        };
        let errors = read(&form).unwrap_err();
        for field in ["keyword", "quantity", "price_min", "sort", "page"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(errors.get("price_max").is_none());
    }

    #[test]
    fn a_good_form_is_a_search_and_a_quantity() {
        let form =
            SearchForm {
                keyword: "保温杯".into(), quantity: "300".into(), sort: "price".into(), ..Default::default()
            };
        let (request, quantity) = read(&form).unwrap();
        assert_eq!(request.keyword, "保温杯");
        assert_eq!(request.sort, Some(Sort::Price));
        assert_eq!(quantity, Some(300));
        let zero = SearchForm { keyword: "x".into(), quantity: "0".into(), ..Default::default() };
        assert!(read(&zero).unwrap_err().get("quantity").is_some());
    }
}

//! `/catalog`: the offers crawled into the store, searched without calling the gateway — words,
//! filters, a sort, the hits as a table and the facets as links that narrow the search.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use open1688_jobs::CatalogSearchReport;
use open1688_store::{CatalogQuery, CatalogSort, CatalogStore, DataAge};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::comparison::yuan;
use super::form::{FieldErrors, FieldProblem, field_error, parse_optional};
use super::layout::page;
use super::session::Viewer;
use super::text::Text;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The form's fields that a problem can name.
const FIELDS: &[&str] = &["q", "at", "price_min", "price_max", "moq_max", "province", "identity", "band", "sort"];

/// The search form as sent (every field text, so a wrong value is shown back, not refused).
/// Facet links set `city` and `category`, which have no input of their own.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct CatalogForm {
    q: String,
    at: String,
    price_min: String,
    price_max: String,
    moq_max: String,
    province: String,
    city: String,
    identity: String,
    band: String,
    category: String,
    sort: String,
    /// The page of hits, from 1.
    page: String,
}

/// Hits on one page of the catalog.
const PER_PAGE: usize = 50;

/// The form read into a catalog query, or what was wrong with it, field by field.
fn read(form: &CatalogForm) -> Result<CatalogQuery, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut query = CatalogQuery::text(form.q.trim());
    query.at = parse_optional::<i64>(&form.at, "at", &mut errors);
    if query.at.is_some_and(|at| at < 1) {
        errors.add("at", FieldProblem::AtLeast(1));
    }
    query.price_min = parse_optional::<Decimal>(&form.price_min, "price_min", &mut errors);
    query.price_max = parse_optional::<Decimal>(&form.price_max, "price_max", &mut errors);
    if let (Some(lo), Some(hi)) = (query.price_min, query.price_max)
        && lo > hi
    {
        errors.add("price_min", FieldProblem::AboveHighest { lowest: lo.to_string(), highest: hi.to_string() });
    }
    query.moq_max = parse_optional::<i64>(&form.moq_max, "moq_max", &mut errors);
    if query.moq_max.is_some_and(|m| m < 1) {
        errors.add("moq_max", FieldProblem::AtLeast(1));
    }
    let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    query.province = text(&form.province);
    query.city = text(&form.city);
    query.identity = text(&form.identity);
    query.band = text(&form.band);
    query.category = parse_optional::<i64>(&form.category, "category", &mut errors);
    query.sort = match form.sort.as_str() {
        "" | "relevance" => CatalogSort::Relevance,
        "price" => CatalogSort::Price,
        "score" => CatalogSort::Score,
        "moq" => CatalogSort::Moq,
        other => {
            errors.add("sort", FieldProblem::NotAChoice(other.to_owned()));
            CatalogSort::Relevance
        }
    };
    query.limit = PER_PAGE;
    // As far as a search may pass over hits (open1688_jobs::MAX_OFFSET).
    let last_page = open1688_jobs::catalog_search::MAX_OFFSET / PER_PAGE + 1;
    let page = parse_optional::<usize>(&form.page, "page", &mut errors).unwrap_or(1);
    if !(1..=last_page).contains(&page) {
        errors.add("page", FieldProblem::Between(1, i64::try_from(last_page).unwrap_or(i64::MAX)));
    }
    query.offset = (page.clamp(1, last_page) - 1) * PER_PAGE;
    errors.into_result(query)
}

/// `GET /catalog`: the whole catalog at first, narrowed as words and filters are given.
pub async fn catalog(viewer: Viewer, State(state): State<ServiceState>, Query(form): Query<CatalogForm>) -> Response {
    let t = viewer.lang.text();
    let now = chrono::Utc::now().timestamp_millis();
    let age = state.store.catalog_age(now).await.ok();
    let query = match read(&form) {
        Ok(query) => query,
        Err(errors) => {
            let body = html! { (search_form(t, &form, &errors, None)) };
            return (StatusCode::BAD_REQUEST, page(&viewer, t.nav_catalog, body)).into_response();
        }
    };
    match state.catalog.search(state.store.as_ref(), &query).await.map_err(Problem::from) {
        Ok(report) => {
            let body = html! {
                (search_form(t, &form, &FieldErrors::default(), Some(&report.results.facets)))
                @if let Some(age) = &age { (age_line(t, age, report.engine)) }
                @if age.as_ref().is_some_and(|a| a.entries == 0) {
                    section.card { p { (t.catalog_empty) } }
                } @else {
                    div.columns.wide-first {
                        div {
                            (hits(t, &report, query.at))
                            (pager(t, &form, query.offset / PER_PAGE + 1, report.results.total))
                        }
                        (facets(t, &form, &report))
                    }
                }
            };
            let title = if query.text.is_empty() {
                t.nav_catalog.to_owned()
            } else {
                format!("{} · {}", query.text, t.nav_catalog)
            };
            page(&viewer, &title, body).into_response()
        }
        Err(problem) => {
            let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let errors = FieldErrors::from_problem(&problem, FIELDS);
            (status, page(&viewer, t.nav_catalog, search_form(t, &form, &errors, None))).into_response()
        }
    }
}

/// How many offers the catalog holds, how old the oldest is, and that no call was made.
fn age_line(t: &Text, age: &DataAge, engine: &str) -> Markup {
    html! {
        p.muted {
            (age.entries) " " (t.offers_stored)
            @if let Some(ms) = age.oldest_ms { " · " (t.oldest_entry) " " (human_age(ms)) }
            " · " (t.no_gateway_call) " (" (if engine == "postgres" { t.engine_postgres } else { t.engine_embedded }) ")"
        }
    }
}

/// An age in the largest whole unit (`3 d`, `5 h`, `12 min`, `40 s`).
fn human_age(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        ..60 => format!("{s} s"),
        60..3_600 => format!("{} min", s / 60),
        3_600..86_400 => format!("{} h", s / 3_600),
        _ => format!("{} d", s / 86_400),
    }
}

/// The hits as a table, priced at `at`, or each at its MOQ when no quantity was typed.
fn hits(t: &Text, report: &CatalogSearchReport, at: Option<i64>) -> Markup {
    let results = &report.results;
    html! {
        section.card aria-labelledby="hits-title" {
            h2 #hits-title { (results.total) " " (t.results) }
            @if results.hits.is_empty() {
                p { (t.none_yet) }
            } @else {
                div.scroll tabindex="0" {
                    table {
                        thead { tr {
                            th.text scope="col" { (t.offer) }
                            th scope="col" {
                                @if let Some(at) = at { (t.unit_price) " @" (super::comparison::units(at)) } @else { (t.price_at_moq) }
                            }
                            th scope="col" { (t.moq) }
                            th scope="col" { (t.score) }
                        } }
                        tbody {
                            @for hit in &results.hits {
                                tr {
                                    td {
                                        a href=(offer_link(hit.offer_id, at.or(hit.moq))) { (hit.title) }
                                        @if hit.province.is_some() || hit.city.is_some() {
                                            br;
                                            span.muted.small title=(t.ships_from) {
                                                (hit.province.as_deref().unwrap_or("")) " " (hit.city.as_deref().unwrap_or(""))
                                            }
                                        }
                                    }
                                    td.num { @if let Some(p) = hit.price { (yuan(p)) } @else { "—" } }
                                    td.num { (hit.moq.map_or_else(|| "—".to_owned(), super::comparison::units)) }
                                    td.num { (hit.score.map_or_else(|| "—".to_owned(), |s| format!("{:.1}", s.round_dp(1)))) }
                                }
                            }
                        }
                    }
                }

            }
        }
    }
}

/// The way to the pages of hits before and after this one.
/// The offer's page, its prices read at `need` when known.
fn offer_link(offer_id: i64, need: Option<i64>) -> String {
    match need {
        Some(need) => format!("/offers/{offer_id}?need={need}"),
        None => format!("/offers/{offer_id}"),
    }
}

fn pager(t: &Text, form: &CatalogForm, page: usize, total: u64) -> Markup {
    let last = usize::try_from(total)
        .unwrap_or(usize::MAX)
        .div_ceil(PER_PAGE)
        .min(open1688_jobs::catalog_search::MAX_OFFSET / PER_PAGE + 1);
    let link = |to: usize| {
        let mut next = form.clone();
        next.page = to.to_string();
        format!("/catalog?{}", query_string(&next))
    };
    html! {
        @if last > 1 {
            nav.pager aria-label=(t.pages) {
                @if page > 1 { a href=(link(page - 1)) rel="prev" { "← " (t.previous) } }
                span { (page) " / " (last) }
                @if page < last { a href=(link(page + 1)) rel="next" { (t.next) " →" } }
            }
        }
    }
}

/// A facet's values with how many matching offers have each.
type FacetCounts = [(String, u64)];

/// The facets: each value links to the same search narrowed to it; a set filter links to the
/// search without it.
fn facets(t: &Text, form: &CatalogForm, report: &CatalogSearchReport) -> Markup {
    let f = &report.results.facets;
    // (field set by the link, heading, counts); bands of MOQ and price are shown, not links.
    let linked: [(&str, &str, &FacetCounts); 5] = [
        ("identity", t.identity, &f.identity),
        ("band", t.score_band, &f.band),
        ("province", t.province, &f.province),
        ("city", t.city, &f.city),
        ("category", t.category, &f.category),
    ];
    let shown: [(&str, &FacetCounts); 2] = [(t.price_band, &f.price), (t.moq, &f.moq)];
    html! {
        aside.card aria-labelledby="facets-title" {
            h2 #facets-title { (t.refine) }
            @for (field, heading, values) in linked {
                @let set = current(form, field);
                @if !values.is_empty() || !set.is_empty() {
                    h3.small { (heading) }
                    ul.list.small {
                        @if !set.is_empty() {
                            li { (value_name(field, set, t.language)) " · " a href=(href(form, field, "")) { (t.remove_filter) } }
                        } @else {
                            @for (value, n) in values.iter().take(8) {
                                li { a href=(href(form, field, value)) { (value_name(field, value, t.language)) } " " span.muted { "(" (n) ")" } }
                            }
                        }
                    }
                }
            }
            @for (heading, values) in shown {
                @if !values.is_empty() {
                    h3.small { (heading) }
                    ul.list.small { @for (value, n) in values { li { (value) " " span.muted { "(" (n) ")" } } } }
                }
            }
        }
    }
}

/// The value of the form's filter `field`.
fn current<'a>(form: &'a CatalogForm, field: &str) -> &'a str {
    match field {
        "identity" => &form.identity,
        "band" => &form.band,
        "province" => &form.province,
        "city" => &form.city,
        "category" => &form.category,
        _ => "",
    }
}

/// The address of this search with `field` set to `value` (empty: removed).
fn href(form: &CatalogForm, field: &str, value: &str) -> String {
    let mut next = form.clone();
    let slot = match field {
        "identity" => &mut next.identity,
        "band" => &mut next.band,
        "province" => &mut next.province,
        "city" => &mut next.city,
        "category" => &mut next.category,
        _ => return "/catalog".to_owned(),
    };
    *slot = value.to_owned();
    // Other filters, other hits: the narrowed search starts at its first page.
    next.page = String::new();
    format!("/catalog?{}", query_string(&next))
}

/// The form's filled fields as a query string.
fn query_string(next: &CatalogForm) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    let fields = [
        ("q", &next.q),
        ("at", &next.at),
        ("price_min", &next.price_min),
        ("price_max", &next.price_max),
        ("moq_max", &next.moq_max),
        ("province", &next.province),
        ("city", &next.city),
        ("identity", &next.identity),
        ("band", &next.band),
        ("category", &next.category),
        ("sort", &next.sort),
        ("page", &next.page),
    ];
    for (name, value) in fields {
        if !value.trim().is_empty() {
            query.append_pair(name, value.trim());
        }
    }
    query.finish()
}

fn input(t: &Text, id: &str, label: &str, value: &str, mode: &str, errors: &FieldErrors) -> Markup {
    let invalid = errors.get(id).is_some();
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) name=(id) inputmode=(mode) value=(value)
                aria-invalid=[invalid.then_some("true")] aria-describedby=[invalid.then(|| format!("{id}-error"))];
            (field_error(t, id, errors))
        }
    }
}

/// A filter's value as a person reads it: a supplier identity or a default score band in
/// `language`; a province, a city, a band named in the scorecard as they are.
fn value_name(field: &str, value: &str, language: sourcing::Language) -> String {
    use sourcing::Language::{En, Zh};
    let known = match (field, value, language) {
        ("identity", "tp_member", En) => "TrustPass member",
        ("identity", "tp_member", Zh) => "诚信通会员",
        ("identity", "super_factory", En) => "Super factory",
        ("identity", "super_factory", Zh) => "超级工厂",
        ("identity", "powerful_merchants", En) => "Powerful merchant",
        ("identity", "powerful_merchants", Zh) => "实力商家",
        ("identity", "verified_supplier", En) => "Verified supplier",
        ("identity", "verified_supplier", Zh) => "认证供应商",
        ("band", band, language) => sourcing::band_name(band, language),
        _ => return value.to_owned(),
    };
    known.to_owned()
}

/// A filter as a choice among the values the matching offers have (with how many have each),
/// or a text box when they are not known (the form came back with an error).
fn choice(t: &Text, field: &str, label: &str, set: &str, values: Option<&FacetCounts>, errors: &FieldErrors) -> Markup {
    let Some(values) = values else { return input(t, field, label, set, "text", errors) };
    let listed = values.iter().any(|(v, _)| v == set);
    html! {
        div.field {
            label for=(field) { (label) }
            select id=(field) name=(field) {
                option value="" selected[set.is_empty()] { (t.any_value) }
                @if !set.is_empty() && !listed { option value=(set) selected { (value_name(field, set, t.language)) } }
                @for (value, n) in values {
                    option value=(value) selected[value == set] { (value_name(field, value, t.language)) " (" (n) ")" }
                }
            }
            (field_error(t, field, errors))
        }
    }
}

fn search_form(t: &Text, form: &CatalogForm, errors: &FieldErrors, facets: Option<&open1688_store::Facets>) -> Markup {
    let sorts =
        [("relevance", t.sort_relevance), ("price", t.sort_price), ("score", t.sort_score), ("moq", t.sort_moq)];
    html! {
        h1 { (t.nav_catalog) }
        p.muted { (t.catalog_intro) }
        form.card.search method="get" action="/catalog" role="search" {
            (errors.summary(t))
            // The page number comes from the pager's links, not from a field of the form.
            (field_error(t, "page", errors))
            // Filters set from the facets, kept when the words change.
            @if !form.city.is_empty() { input type="hidden" name="city" value=(form.city); }
            @if !form.category.is_empty() { input type="hidden" name="category" value=(form.category); }
            div.row {
                div.field.grow {
                    label for="q" { (t.keyword) }
                    input #q type="search" name="q" value=(form.q)
                        aria-invalid=[errors.get("q").map(|_| "true")] aria-describedby=[errors.get("q").map(|_| "q-error")];
                    (field_error(t, "q", errors))
                }
                (input(t, "at", t.price_at_quantity, &form.at, "numeric", errors))
                (input(t, "price_min", t.price_min, &form.price_min, "decimal", errors))
                (input(t, "price_max", t.price_max, &form.price_max, "decimal", errors))
            }
            div.row {
                (input(t, "moq_max", t.moq_max, &form.moq_max, "numeric", errors))
                (choice(t, "province", t.province, &form.province, facets.map(|f| f.province.as_slice()), errors))
                (choice(t, "identity", t.identity, &form.identity, facets.map(|f| f.identity.as_slice()), errors))
                (choice(t, "band", t.score_band, &form.band, facets.map(|f| f.band.as_slice()), errors))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_keeps_the_filters_and_a_new_filter_starts_at_page_one() {
        let form =
            CatalogForm { q: "保温杯".into(), province: "浙江省".into(), page: "2".into(), ..Default::default() };
        let t = &crate::pages::text::EN;
        let pages = pager(t, &form, 2, 120).into_string();
        assert!(pages.contains("page=1") && pages.contains("page=3") && pages.contains("2 / 3"), "{pages}");
        assert!(pages.contains("province=%E6%B5%99%E6%B1%9F%E7%9C%81"), "{pages}");
        assert!(!href(&form, "band", "excellent").contains("page="), "narrowed: back to the first page");
        assert!(pager(t, &form, 1, 50).into_string().is_empty(), "one page: no pager");
        let query = read(&form).unwrap();
        assert_eq!((query.offset, query.limit), (50, 50));
        let far = CatalogForm { page: "999".into(), ..Default::default() };
        assert!(read(&far).unwrap_err().get("page").is_some(), "past what a search may pass over");
    }

    proptest::proptest! {
        /// Whatever is typed, the catalog form is read or its errors named, never a panic.
        #[test]
        fn any_typing_is_read_without_panicking(
            q in ".{0,20}", at in ".{0,24}", price_min in ".{0,24}", price_max in ".{0,24}", moq_max in ".{0,24}",
            category in ".{0,24}", sort in ".{0,12}",
        ) {
            let form = CatalogForm { q, at, price_min, price_max, moq_max, category, sort, ..CatalogForm::default() };
            let _ = read(&form);
            let _ = href(&form, "province", "浙江省 & =?");
        }
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let form = CatalogForm {
            at: "0".into(),
            price_min: "30".into(),
            price_max: "20".into(),
            moq_max: "few".into(),
            sort: "cheapest".into(),
            ..CatalogForm::default()
        };
        let errors = read(&form).unwrap_err();
        for field in ["at", "price_min", "moq_max", "sort"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_good_form_is_a_query() {
        let form = CatalogForm {
            q: " 保温杯 ".into(),
            at: "100".into(),
            price_max: "20".into(),
            identity: "super_factory".into(),
            sort: "price".into(),
            ..CatalogForm::default()
        };
        let query = read(&form).unwrap();
        assert_eq!(query.text, "保温杯");
        assert_eq!((query.at, query.price_max, query.moq_max), (Some(100), Some(Decimal::from(20)), None));
        assert_eq!(query.identity.as_deref(), Some("super_factory"));
        assert_eq!(query.sort, CatalogSort::Price);
        assert_eq!(read(&CatalogForm::default()).unwrap(), CatalogQuery { limit: 50, ..CatalogQuery::text("") });
    }

    #[test]
    fn facet_links_narrow_and_widen_the_same_search() {
        let form =
            CatalogForm { q: "杯".into(), at: "100".into(), province: "浙江省".into(), ..CatalogForm::default() };
        assert_eq!(
            href(&form, "identity", "super_factory"),
            "/catalog?q=%E6%9D%AF&at=100&province=%E6%B5%99%E6%B1%9F%E7%9C%81&identity=super_factory"
        );
        assert_eq!(href(&form, "province", ""), "/catalog?q=%E6%9D%AF&at=100");
    }

    #[test]
    fn ages_read_in_their_largest_unit() {
        assert_eq!(human_age(-5), "0 s");
        assert_eq!(human_age(59_999), "59 s");
        assert_eq!(human_age(600_000), "10 min");
        assert_eq!(human_age(7_200_000), "2 h");
        assert_eq!(human_age(3 * 86_400_000), "3 d");
    }
}

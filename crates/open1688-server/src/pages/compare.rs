//! `/compare?offer=…&offer=…&quantity=…`: offers picked on the search page (or a keyword, or the
//! same item as one offer) compared for a quantity — the Pareto scatter and the ranked table.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use open1688_jobs::{CompareRequest, CompareTarget, NeedRequest, Progress};

use super::comparison::comparison_view;
use super::form::{FieldErrors, FieldProblem};
use super::layout::page;
use super::session::Viewer;
use super::trouble::Trouble;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The compare request a query names: every `offer` picked, or a `keyword`, or `same_as` one
/// offer; and the `quantity` (default 1).
fn read(query: &str) -> Result<CompareRequest, FieldErrors> {
    let mut errors = FieldErrors::default();
    let (mut offers, mut keyword, mut same_as, mut quantity) = (Vec::new(), None, None, 1);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim().to_owned();
        match key.as_ref() {
            "offer" => match value.parse::<i64>() {
                Ok(id) if id > 0 => offers.push(id),
                _ => errors.add("offer", FieldProblem::NotAnOfferId(value.clone())),
            },
            "keyword" if !value.is_empty() => keyword = Some(value),
            "same_as" => match value.parse::<i64>() {
                Ok(id) if id > 0 => same_as = Some(id),
                _ => errors.add("same_as", FieldProblem::NotAnOfferId(value.clone())),
            },
            "quantity" if !value.is_empty() => match value.parse::<i64>() {
                Ok(q) => quantity = q,
                Err(_) => errors.add("quantity", FieldProblem::NotANumber(value.clone())),
            },
            _ => {}
        }
    }
    let target = match (offers.is_empty(), keyword, same_as) {
        (false, None, None) => CompareTarget::Offers(offers),
        (true, Some(k), None) => CompareTarget::Keyword(k),
        (true, None, Some(id)) => CompareTarget::SameItemAs(id),
        _ => {
            errors.add("offer", FieldProblem::PickOffers);
            CompareTarget::Offers(Vec::new())
        }
    };
    errors.into_result(CompareRequest { target, need: NeedRequest::units(quantity), candidates: None, strategy: None })
}

/// `GET /compare`.
pub async fn compare(
    viewer: Viewer,
    State(state): State<ServiceState>,
    RawQuery(query): RawQuery,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let request = read(query.as_deref().unwrap_or_default()).map_err(|errors| {
        let (field, message) = ["offer", "same_as", "quantity"]
            .iter()
            .find_map(|f| errors.get(f).map(|m| (*f, m.render(t.language))))
            .unwrap_or(("offer", FieldProblem::PickOffers.render(t.language)));
        Problem::invalid(field, message)
    })?;
    let report = state.jobs.compare(&request, &Progress::silent()).await?;
    let title = format!("{} · {} {}", t.comparison, t.quantity, request.need.need);
    let body = html! {
        h1 { (title) }
        (comparison_view(t, &report.comparison, 0))
    };
    Ok((StatusCode::OK, page(&viewer, &title, body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picked_offers_a_keyword_or_one_offer_are_compared() {
        let picked = read("offer=11&offer=12&quantity=300").unwrap();
        assert_eq!((picked.target, picked.need.need), (CompareTarget::Offers(vec![11, 12]), 300));
        assert_eq!(read("keyword=%E6%9D%AF%E5%AD%90").unwrap().target, CompareTarget::Keyword("杯子".into()));
        assert_eq!(read("same_as=7").unwrap().target, CompareTarget::SameItemAs(7));
        assert!(read("offer=x").unwrap_err().get("offer").is_some());
        assert!(read("offer=1&keyword=k").is_err(), "one kind of target");
        assert!(read("").is_err());
        assert!(read("offer=1&offer=2&quantity=lots").unwrap_err().get("quantity").is_some());
    }

    proptest::proptest! {
        /// Any query string is read into a request or named errors, never a panic.
        #[test]
        fn any_query_is_read_without_panicking(query in ".{0,80}") {
            let _ = read(&query);
        }
    }
}

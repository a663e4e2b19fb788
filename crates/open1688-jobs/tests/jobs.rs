//! The application layer against an in-process sandbox (the default catalog, quotas off): each
//! job's report, its sheets and files, progress events, cancellation, the policy, and errors that
//! name the field at fault.

use std::sync::{Arc, Mutex};

use open1688_jobs::{
    CompareRequest, CompareTarget, ErrorKind, JobError, NeedRequest, PlanRequest, Progress, ProgressEvent,
    QuoteRequest, SearchRequest, SourceRequest, SourcingPolicy,
};
use sourcing::PlanLine;

mod common;
use common::sandbox_jobs;

/// An offer of the default catalog (seed 1688): tiers 50–499 at ¥8.20 and 500+ at ¥7.95.
const OFFER: i64 = 630526089341;

fn recording() -> (Progress, Arc<Mutex<Vec<ProgressEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = events.clone();
    (Progress::new(move |e| log.lock().unwrap().push(e.clone())), events)
}

#[tokio::test]
async fn quote_matches_the_documented_answer_and_renders_its_sheets() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let request = QuoteRequest {
        offer_id: OFFER,
        need: NeedRequest { daily_sales: Some(5.into()), ..NeedRequest::units(95) },
        sku: None,
        batches: 2,
    };
    let report = jobs.quote(&request, &Progress::silent()).await.unwrap();
    let best = report.advice.best();
    assert_eq!((best.quantity, best.total.to_string()), (95, "934.00".to_owned()), "README's quote example");
    let sheets = report.sheets();
    assert_eq!(sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["options", "batches"]);
    assert_eq!(sheets[1].rows.len(), 2, "buy now and two batches");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["advice"]["options"][0]["total"], "934.00", "money serializes as a decimal string");
}

#[tokio::test]
async fn bad_requests_name_the_field_before_any_call() {
    let (sandbox, jobs) = sandbox_jobs().await;
    let before = sandbox.stats().total.calls;
    let quote = QuoteRequest { offer_id: OFFER, need: NeedRequest::units(-5), sku: None, batches: 3 };
    match jobs.quote(&quote, &Progress::silent()).await {
        Err(e @ JobError::Invalid { .. }) => {
            let JobError::Invalid { field, .. } = &e else { unreachable!() };
            let message = e.to_string();
            assert_eq!(field, "need");
            assert!(message.contains("got -5"), "{message}");
        }
        other => panic!("expected an invalid need, got {other:?}"),
    }
    let search = SearchRequest { keyword: "  ".into(), ..SearchRequest::default() };
    let err = jobs.search(&search, &Progress::silent()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let err = jobs.analyze(&SearchRequest::keyword("保温杯", 5), 0, &Progress::silent()).await.unwrap_err();
    assert!(matches!(err, JobError::Invalid { ref field, .. } if field == "quantity"), "{err}");
    assert_eq!(sandbox.stats().total.calls, before, "nothing was sent");
}

#[tokio::test]
async fn plan_errors_name_the_line_of_an_unknown_offer() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let request =
        PlanRequest { lines: vec![PlanLine::new(OFFER, None, 60), PlanLine::new(1, None, 10)], optimize: false };
    let err = jobs.plan(&request, &Progress::silent()).await.unwrap_err();
    assert!(err.to_string().starts_with("plan line 2: offer 1"), "{err}");
    let ok = PlanRequest { lines: request.lines[..1].to_vec(), optimize: true };
    let report = jobs.plan(&ok, &Progress::silent()).await.unwrap();
    assert_eq!(report.plan.orders.len(), 1);
    let by_supplier = &report.sheets()[0];
    assert_eq!(by_supplier.rows.last().unwrap()[0], open1688_jobs::Cell::Text("TOTAL".into()));
}

#[tokio::test]
async fn source_reports_stages_and_every_detail_and_writes_its_files() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let (progress, events) = recording();
    let request = SourceRequest {
        keyword: "保温杯".into(),
        need: NeedRequest::units(300),
        candidates: Some(12),
        strategy: None,
        same_item: false,
        max_suppliers: None,
        confirm_freight: None,
        file_language: None,
    };
    let report = jobs.source(&request, &progress).await.unwrap();
    assert!(report.candidates.len() <= 12 && !report.candidates.is_empty());
    assert!(report.pick().is_some(), "the decision is one of the candidates");
    assert!(report.decision.as_ref().unwrap().cost.quantity_bought >= 300);
    assert!(report.summary_line().starts_with(&format!(
        "buy {} × offer {}",
        report.decision.as_ref().unwrap().cost.quantity_bought,
        report.decision.as_ref().unwrap().offer_id
    )));

    let dir = tempfile::tempdir().unwrap();
    // The workbook's sentences are said in its reader's language; the figures are the same.
    let why = |language| {
        let summary = report.summary_sheet_in(language);
        let at = summary.columns.iter().position(|c| *c == "why").unwrap();
        match &summary.rows[0][at] {
            open1688_jobs::sheet::Cell::Text(text) => text.clone(),
            other => panic!("why is {other:?}"),
        }
    };
    assert_eq!(why(open1688_jobs::Language::En), report.decision.as_ref().unwrap().why);
    let chinese = why(open1688_jobs::Language::Zh);
    assert!(chinese.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{chinese}");
    assert!(!chinese.contains("landed"), "{chinese}");
    let files = report.write_outputs(dir.path(), &progress, open1688_jobs::Language::Zh).unwrap();
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for name in ["sourcing.xlsx", "price-histogram.png", "suppliers.png", "scorecard.png"] {
        assert!(names.contains(&name.to_owned()), "{name} in {names:?}");
        assert!(std::fs::metadata(dir.path().join(name)).unwrap().len() > 1_000, "{name} has content");
    }

    let events = events.lock().unwrap();
    let stages: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            ProgressEvent::Stage { step, of: 4, .. } => Some(*step),
            _ => None,
        })
        .collect();
    assert_eq!(stages, [1, 2, 3, 4]);
    let details = events.iter().filter(|e| matches!(e, ProgressEvent::Advance { task: "offer details" })).count();
    assert_eq!(details, 12, "one advance per detail read");
}

#[tokio::test]
async fn a_cancelled_job_stops_with_cancelled_and_fetches_nothing_more() {
    let (sandbox, jobs) = sandbox_jobs().await;
    let progress = Progress::silent();
    progress.cancellation().cancel();
    let request = SourceRequest {
        keyword: "保温杯".into(),
        need: NeedRequest::units(10),
        candidates: Some(20),
        strategy: None,
        same_item: false,
        max_suppliers: None,
        confirm_freight: None,
        file_language: None,
    };
    let before = sandbox.stats().total.calls;
    let err = jobs.source(&request, &progress).await.unwrap_err();
    assert!(matches!(err, JobError::Cancelled), "{err}");
    assert_eq!(err.kind(), ErrorKind::Cancelled);
    assert_eq!(sandbox.stats().total.calls, before, "no call after the cancellation");

    // Cancelled while reading details: the job returns promptly instead of finishing the batch.
    let (progress, _) = recording();
    let cancel = progress.cancellation().clone();
    let watcher = Progress::new(move |e| {
        if matches!(e, ProgressEvent::Advance { task: "offer details" }) {
            cancel.cancel();
        }
    })
    .with_cancellation(progress.cancellation().clone());
    let err = jobs.source(&request, &watcher).await.unwrap_err();
    assert!(matches!(err, JobError::Cancelled), "{err}");
}

#[tokio::test]
async fn the_policy_decides_candidate_counts_and_the_same_item_group() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let jobs =
        jobs.policy(SourcingPolicy { compare_candidates: 6, same_item_threshold: 1.0, ..SourcingPolicy::default() });
    let keyword = CompareRequest {
        target: CompareTarget::Keyword("保温杯".into()),
        need: NeedRequest::units(100),
        candidates: None,
        strategy: None,
    };
    let report = jobs.compare(&keyword, &Progress::silent()).await.unwrap();
    assert!(report.comparison.rows.len() <= 6, "the policy's candidate count");
    // A threshold of 1.0 keeps only listings with the very same title: the reference itself.
    let same = CompareRequest {
        target: CompareTarget::SameItemAs(OFFER),
        need: NeedRequest::units(100),
        candidates: None,
        strategy: None,
    };
    let report = jobs.compare(&same, &Progress::silent()).await.unwrap();
    assert!(report.comparison.rows.iter().any(|r| r.offer_id == OFFER));
    assert!(report.comparison.rows.len() < 6);
}

#[tokio::test]
async fn quotes_respect_the_stock_of_what_is_bought_and_name_skus_by_attributes() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let quote = |need: i64, spec: &[(&str, &str)]| QuoteRequest {
        offer_id: OFFER,
        need: NeedRequest {
            spec: spec.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            ..NeedRequest::units(need)
        },
        sku: None,
        batches: 3,
    };
    // The issue's case: more than the offer has on sale across its SKUs.
    let e = jobs.quote(&quote(200_000, &[]), &Progress::silent()).await.unwrap_err();
    assert_eq!(e.kind(), open1688_jobs::ErrorKind::NoAnswer);
    assert!(e.to_string().contains("95431 in stock, 200000 wanted: 104569 short"), "{e}");
    // One SKU by its attributes: its own stock bounds the answer.
    let red = [("容量", "750ml"), ("颜色", "红色")];
    let report = jobs.quote(&quote(300, &red), &Progress::silent()).await.unwrap();
    assert!(report.advice.options.iter().all(|o| o.quantity <= 12_713));
    let e = jobs.quote(&quote(13_000, &red), &Progress::silent()).await.unwrap_err();
    assert!(e.to_string().contains("SKU 5267991913173 has 12713 in stock"), "{e}");
    let e = jobs.quote(&quote(300, &[("颜色", "红色")]), &Progress::silent()).await.unwrap_err();
    assert_eq!(e.kind(), open1688_jobs::ErrorKind::Invalid, "{e}");
    let both = QuoteRequest { sku: Some(1), ..quote(300, &red) };
    assert!(
        matches!(jobs.quote(&both, &Progress::silent()).await, Err(JobError::Invalid { field, .. }) if field == "spec")
    );
}

#[tokio::test]
async fn with_cross_border_terms_a_quote_is_also_delivered_abroad_in_the_buyers_currency() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let policy: SourcingPolicy = toml::from_str(
        r#"
        [cross_border]
        rates = { currency = "USD", rates = [["2026-01-01", "0.14"]] }
        freight = { by = "kg", rate = "35" }
        duty_percent = "5"
        vat_percent = "20"
        agent_fee_percent = "3"
        "#,
    )
    .unwrap();
    policy.validate().unwrap();
    let jobs = jobs.policy(policy);
    // The sourcing job delivers its pick abroad too (or says what the pick lacks for it).
    let source = SourceRequest {
        keyword: "保温杯".into(),
        need: NeedRequest::units(300),
        candidates: Some(6),
        strategy: None,
        same_item: false,
        max_suppliers: None,
        confirm_freight: None,
        file_language: None,
    };
    let sourced = jobs.source(&source, &Progress::silent()).await.unwrap();
    match (&sourced.cross_border, &sourced.cross_border_missing) {
        (Some(c), None) => {
            assert_eq!(
                (c.quantity, c.currency.as_str()),
                (sourced.decision.as_ref().unwrap().cost.quantity_bought, "USD")
            );
            assert!(sourced.summary_line().contains("delivered abroad: ¥"), "{}", sourced.summary_line());
            assert!(sourced.sheets().iter().any(|s| s.name == "cross-border"));
        }
        (None, Some(missing)) => assert!(missing.contains("needed for cross-border freight"), "{missing}"),
        other => panic!("terms are set, so one of the two: {other:?}"),
    }
    let request = QuoteRequest { offer_id: OFFER, need: NeedRequest::units(300), sku: None, batches: 3 };
    let report = jobs.quote(&request, &Progress::silent()).await.unwrap();
    let abroad = report.cross_border.as_ref().expect("the cost delivered abroad");
    let best = report.advice.best();
    assert_eq!(abroad.quantity, best.quantity);
    assert_eq!(abroad.currency, "USD");
    // 0.521 kg a cup is 156.3 kg for 300, but the boxes' volume weighs more: that is charged.
    assert_eq!(abroad.actual_kg, "156.300".parse().unwrap());
    let volumetric = abroad.volumetric_kg.expect("the sandbox's detail gives package dimensions");
    assert_eq!(abroad.chargeable_kg, Some(volumetric.max(abroad.actual_kg)));
    assert_eq!(abroad.international_freight, abroad.chargeable_kg.unwrap() * rust_decimal::Decimal::from(35));
    assert!(abroad.total_cny > best.total && abroad.total == abroad.total_cny * rust_decimal::Decimal::new(14, 2));
    assert!(report.sheets().iter().any(|s| s.name == "cross-border"));
    let bad: SourcingPolicy = toml::from_str(
        "[cross_border]\nrates = { currency = \"USD\", rates = [] }\nfreight = { by = \"cubic_metre\", rate = \"800\" }",
    )
    .unwrap();
    assert!(matches!(bad.validate(), Err(JobError::Invalid { field, .. }) if field == "sourcing.cross_border.rates"));
}

#[tokio::test]
async fn a_variant_need_is_priced_by_its_sku_in_every_offer_and_the_pick_names_it() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let spec = |terms: &[(&str, &str)]| terms.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let need = NeedRequest { spec: spec(&[("容量", "750ml"), ("颜色", "红色")]), ..NeedRequest::units(300) };
    let request = SourceRequest {
        keyword: "保温杯".into(),
        need,
        candidates: Some(30),
        strategy: None,
        same_item: false,
        max_suppliers: None,
        confirm_freight: None,
        file_language: None,
    };
    let report = jobs.source(&request, &Progress::silent()).await.unwrap();
    let sku_id = report.decision.as_ref().unwrap().sku_id.expect("the pick names the SKU");
    let pick = report.pick().unwrap();
    let sku = pick.offer.skus.iter().find(|s| s.id == sku_id).unwrap();
    assert!(
        sku.attributes.contains(&("容量".into(), "750ml".into()))
            && sku.attributes.contains(&("颜色".into(), "红色".into()))
    );
    assert!(
        sku.stock.is_none_or(|units| units >= report.decision.as_ref().unwrap().cost.quantity_bought),
        "never more than the SKU's stock"
    );
    assert_eq!(report.plan.orders[0].lines[0].sku_id, Some(sku_id));
    assert!(!report.comparison.excluded.is_empty(), "offers without that variant are left out, with the reason");
    // Half a variant names several SKUs of every offer: nothing can be priced, and it says why.
    let need = NeedRequest { spec: spec(&[("容量", "750ml")]), ..NeedRequest::units(300) };
    let request = SourceRequest {
        keyword: "保温杯".into(),
        need,
        candidates: Some(10),
        strategy: None,
        same_item: false,
        max_suppliers: None,
        confirm_freight: None,
        file_language: None,
    };
    let e = jobs.source(&request, &Progress::silent()).await.unwrap_err();
    assert_eq!(e.kind(), open1688_jobs::ErrorKind::NoAnswer);
    assert!(e.to_string().contains("can meet the need") && e.to_string().contains("name more attributes"), "{e}");
}

#[tokio::test]
async fn quote_shows_the_trend_of_a_watched_offer_from_the_store() {
    use open1688_store::{Observation, Snapshot, SqlStore, Store};
    let (_sandbox, jobs) = sandbox_jobs().await;
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap();
    // A month of snapshots: ¥9.00, then ¥8.40, then back up to ¥8.80 at 95 units.
    let now = chrono::Utc::now();
    for (days_ago, price, stock) in [(28, "9.00", 5_000), (14, "8.40", 4_800), (7, "8.60", 4_700), (0, "8.80", 4_600)] {
        let mut offer = sourcing::Offer::new(OFFER, "保温杯");
        offer.ladder = Some(sourcing::PriceLadder::new([(1, price.parse().unwrap())]).unwrap());
        offer.stock = Some(stock);
        offer.fetched_at = now - chrono::Duration::days(days_ago);
        store.record(&Observation::new(&offer, &Snapshot::of(&offer, None))).await.unwrap();
    }
    let request = QuoteRequest { offer_id: OFFER, need: NeedRequest::units(95), sku: None, batches: 1 };
    let plain = jobs.quote(&request, &Progress::silent()).await.unwrap();
    assert!(plain.trend.is_none(), "no store, no trend");
    let with_history = jobs.clone().store(std::sync::Arc::new(store));
    let report = with_history.quote(&request, &Progress::silent()).await.unwrap();
    let trend = report.trend.clone().expect("the stored history gives a trend");
    assert_eq!((trend.low_30d.to_string(), trend.current.to_string()), ("8.40".into(), "8.80".into()));
    assert_eq!(trend.timing, sourcing::Timing::BuyNow, "rising: {}", trend.why);
    assert!(trend.why.starts_with("price rising"), "{}", trend.why);
    assert!(trend.basis.starts_with("4 observations over 28 days"), "{}", trend.basis);
    assert_eq!(trend.units_per_day.map(|u| u.round_dp(1).to_string()), Some("14.3".into()), "400 units in 28 days");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["trend"]["timing"], "buy_now");
}

#[tokio::test]
async fn source_with_same_item_also_weighs_other_sellers_of_the_picks_item() {
    let (sandbox, jobs) = sandbox_jobs().await;
    let request = SourceRequest {
        keyword: "保温杯".into(),
        need: NeedRequest::units(300),
        candidates: Some(8),
        strategy: None,
        same_item: true,
        max_suppliers: None,
        confirm_freight: None,
        file_language: None,
    };
    let report = jobs.source(&request, &Progress::silent()).await.unwrap();
    let catalog = sandbox.catalog();
    let group_of = |id: i64| catalog.offer(id).unwrap().group;
    let searched: Vec<i64> =
        report.candidates.iter().map(|c| c.offer.id).filter(|id| !report.same_item_added.contains(id)).collect();
    assert_eq!(searched.len(), 8);
    for added in &report.same_item_added {
        assert!(report.candidates.iter().any(|c| c.offer.id == *added), "read as a candidate");
        assert!(searched.iter().any(|s| group_of(*s) == group_of(*added)), "the same item as a searched offer");
    }
    let plain = jobs.source(&SourceRequest { same_item: false, ..request }, &Progress::silent()).await.unwrap();
    assert!(plain.same_item_added.is_empty());
    // More candidates can only lower the pick's risk-adjusted cost.
    let adjusted = |r: &open1688_jobs::SourceReport| r.comparison.decision.as_ref().unwrap().risk_adjusted;
    assert!(adjusted(&report) <= adjusted(&plain), "{} > {}", adjusted(&report), adjusted(&plain));
}

#[tokio::test]
async fn a_split_respects_the_supplier_limit() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let request = SourceRequest {
        keyword: "保温杯".into(),
        need: NeedRequest::units(200_000),
        candidates: Some(30),
        strategy: None,
        same_item: false,
        max_suppliers: None,
        confirm_freight: None,
        file_language: None,
    };
    // No single offer holds 200,000: the split is the answer, and the answer's plan.
    let report = jobs.source(&request, &Progress::silent()).await.unwrap();
    assert!(report.decision.is_none() && report.advice.is_none());
    let split = report.split.as_ref().expect("the split is the answer");
    assert!(split.saving.is_none(), "nothing to save against");
    assert!(split.allocation.units >= 200_000 && split.cost.quantity_bought == split.allocation.units);
    assert_eq!(report.plan, split.allocation.plan, "plan.csv holds the split");
    assert!(report.summary_line().starts_with("no single offer holds the need of 200000; split across"));
    // One supplier cannot hold 200,000: no split to offer.
    let one = SourceRequest { max_suppliers: Some(1), ..request.clone() };
    let err = jobs.source(&one, &Progress::silent()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoAnswer);
    assert!(!err.to_string().contains("split across"), "{err}");
    let zero = SourceRequest { max_suppliers: Some(0), ..request };
    let err = jobs.source(&zero, &Progress::silent()).await.unwrap_err();
    assert!(matches!(err, JobError::Invalid { ref field, .. } if field == "max_suppliers"), "{err}");
}

/// One supplier, one score: the pick's supplier scores the same in the sourcing job, in a keyword
/// comparison, beside the same item found by picture, among offers picked by hand, on its offer
/// and as a seller — each job scores from the supplier's full profile, never from what its own
/// answer happened to carry.
#[tokio::test]
async fn a_supplier_scores_the_same_in_every_job() {
    let (_sandbox, jobs) = sandbox_jobs().await;
    let p = Progress::silent();
    let source = jobs.source(&SourceRequest::new("保温杯", 300), &p).await.unwrap();
    let pick = source.pick().unwrap();
    let open_id = pick.offer.supplier.open_id.clone().expect("the pick names its seller");
    let expected = (pick.score.score, pick.score.band.clone());
    let row_score = |rows: &[sourcing::ComparisonRow], id: i64| rows.iter().find(|r| r.offer_id == id).map(|r| r.score);

    let mut seen = vec![("source", Some(expected.0))];
    let need = NeedRequest::units(300);
    for (name, target) in [
        ("compare keyword", CompareTarget::Keyword("保温杯".into())),
        ("compare same item", CompareTarget::SameItemAs(source.decision.as_ref().unwrap().offer_id)),
        ("compare picked", CompareTarget::Offers(vec![source.decision.as_ref().unwrap().offer_id, OFFER])),
    ] {
        let request = CompareRequest { target, need: need.clone(), candidates: None, strategy: None };
        let report = jobs.compare(&request, &p).await.unwrap();
        seen.push((name, row_score(&report.comparison.rows, source.decision.as_ref().unwrap().offer_id)));
    }
    let offer = jobs.offers(&[source.decision.as_ref().unwrap().offer_id], &p).await.unwrap();
    assert_eq!(offer.offers[0].score.band, expected.1, "the offer's band");
    seen.push(("offer", Some(offer.offers[0].score.score)));
    let card = open1688_jobs::load_scorecard("default").unwrap();
    let seller = jobs.seller(&open_id, &card, &p).await.unwrap();
    assert_eq!(seller.score.band, expected.1, "the seller's band");
    seen.push(("seller", Some(seller.score.score)));
    for (name, score) in &seen {
        assert_eq!(*score, Some(expected.0), "{name} scores the supplier differently: {seen:?}");
    }
    assert!(seller.supplier.offer_count.is_some(), "the profile counts the seller's offers");
    assert!(
        !seller.supplier.identities.is_empty() || seller.supplier.fulfillment_rate.is_some(),
        "the listing's signals are in"
    );
}

#[tokio::test]
async fn a_plan_and_its_order_preview_read_offers_but_no_suppliers_profile() {
    let (sandbox, jobs) = sandbox_jobs().await;
    let p = Progress::silent();
    let listing =
        |sandbox: &open1688_sandbox::Sandbox| sandbox.stats().api("product.search.querySellerOfferList").calls;
    let sku = sandbox.catalog().offers.iter().find(|o| o.id == OFFER).unwrap().skus[0].id;
    let plan = PlanRequest { lines: vec![PlanLine::new(OFFER, Some(sku), 60)], optimize: false };
    let report = jobs.plan(&plan, &p).await.unwrap();
    let item = report.item(OFFER, Some(sku)).expect("the line's offer is described");
    assert!(!item.title.is_empty() && item.picture.is_some(), "{item:?}");
    assert!(!item.sku_attributes.is_empty(), "the SKU is named by its attributes: {item:?}");
    let ship_to = open1688_jobs::ShipTo { address_id: Some(593_861_699), ..open1688_jobs::ShipTo::default() };
    let request = open1688_jobs::OrderRequest { plan, ship_to, batch: None, message: None };
    let preview = jobs.preview_orders(&request, &p).await.unwrap();
    assert_eq!(preview.orders.len(), 1);
    assert_eq!(listing(&sandbox), 0, "pricing and ordering score no supplier");
    // A job that scores does read the profile.
    jobs.offers(&[OFFER], &p).await.unwrap();
    assert_eq!(listing(&sandbox), 1);
}

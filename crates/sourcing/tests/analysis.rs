//! Comparison, Pareto front, best value, recommendations and market statistics.

use rust_decimal::Decimal;
use sourcing::model::ServiceScores;
use sourcing::{
    Candidate, DecisionPolicy, Filters, Freight, Need, Offer, PriceLadder, PricePoint, Ranking, Scorecard, Strategy,
    Supplier, compare, market_report, recommend,
};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn candidate(id: i64, title: &str, ladder: &str, composite: &str, fulfil: &str, company: &str) -> Candidate {
    let mut offer = Offer::new(id, title);
    offer.ladder = Some(PriceLadder::parse(ladder).unwrap());
    offer.moq = Some(1);
    offer.category.ids = vec![1, 2, 3];
    offer.monthly_sales = Some(id * 100);
    offer.shipping.dispatch_guarantee = Some(if id % 2 == 0 { "shipIn24Hours" } else { "shipIn72Hours" }.into());
    let supplier = Supplier {
        company: Some(company.into()),
        years_on_platform: Some(6),
        scores: ServiceScores { composite: Some(d(composite)), ..ServiceScores::default() },
        fulfillment_rate: Some(d(fulfil)),
        ..Supplier::default()
    };
    Candidate { offer, supplier }
}

fn candidates() -> Vec<Candidate> {
    vec![
        candidate(1, "不锈钢保温杯500ml", "1-99:12.00;100+:10.00", "4.9", "0.995", "A厂"),
        candidate(2, "316不锈钢保温杯500ml批发", "1-99:11.00;100+:9.50", "4.2", "0.95", "B厂"),
        candidate(3, "不锈钢保温杯500ml现货", "1+:8.80", "3.2", "0.90", "C厂"),
        candidate(4, "儿童吸管杯", "1+:6.00", "4.8", "0.99", "D厂"),
    ]
}

#[test]
fn same_item_grouping_ranks_pareto_front_and_best_value() {
    let all = candidates();
    let group = sourcing::compare::same_item_as(&all[0].offer, &all, 0.3);
    let ids: Vec<i64> = group.iter().map(|c| c.offer.id).collect();
    assert_eq!(ids, [1, 2, 3], "the straw cup is another item");
    let card = Scorecard::preset("default").unwrap();
    let safest = DecisionPolicy::of(Strategy::Safest);
    let cmp = compare(&group, &Need::units(120), &Freight::default(), &card, &safest).unwrap();
    let order: Vec<i64> = cmp.rows.iter().map(|r| r.offer_id).collect();
    assert_eq!(order, [3, 2, 1], "cheapest per unit first: 8.80, 9.50, 10.00");
    assert!(cmp.rows.iter().all(|r| r.pareto), "each dearer one is better scored");
    assert_eq!(cmp.rows[2].score_rank, 1);
    let (best, reason) = cmp.best_value.clone().unwrap();
    assert_eq!(best, 1, "{reason}");
    let cheapest = DecisionPolicy::of(Strategy::Cheapest);
    let loose = compare(&group, &Need::units(120), &Freight::default(), &card, &cheapest).unwrap();
    assert_eq!(loose.rows[0].action, sourcing::Action::Block, "C scores in the blocked band");
    assert_eq!(loose.best_value.unwrap().0, 2, "the cheapest unblocked supplier wins");
    assert_eq!(loose.decision.unwrap().blocked, vec![3]);
}

#[test]
fn recommendations_filter_then_rank() {
    let all = candidates();
    let card = Scorecard::preset("default").unwrap();
    let filters = Filters { max_price_at: Some((100, d("10.00"))), ships_within_hours: Some(48), ..Filters::default() };
    let recs = recommend(&all, 100, &filters, &Ranking::default(), &card).unwrap();
    let ids: Vec<i64> = recs.iter().map(|r| r.offer_id).collect();
    assert_eq!(ids, [4, 2], "1 costs 10.00 but ships in 72 h; 3 ships in 72 h");
    assert!(recommend(&all, 0, &Filters::default(), &Ranking::default(), &card).is_err());
}

#[test]
fn market_statistics_at_a_quantity() {
    let all = candidates();
    let points: Vec<PricePoint> = all.iter().filter_map(|c| PricePoint::from_offer(&c.offer, 100)).collect();
    let report = market_report(&points, 4, 2).unwrap();
    assert_eq!(report.price.count, 4);
    assert_eq!((report.price.min, report.price.max), (d("6.00"), d("10.00")));
    assert_eq!(report.price.median, d("9.15"));
    assert_eq!(report.histogram.iter().map(|b| b.count).sum::<usize>(), 4);
    assert_eq!(report.histogram[3].count, 2, "9.50 and 10.00 in the top bin");
    assert_eq!(report.top_by_sales[0], ("offer:4".to_owned(), 400));
    assert_eq!(report.category_mix, [(3, 4)]);
    assert!(market_report(&[], 4, 2).is_err());
}

//! Purchase plans: consolidation reaches cheaper tiers, mixed batches, violations with their
//! fixes, optimize mode, split batches, and the plan total is the sum of its parts.

use proptest::prelude::*;
use rust_decimal::Decimal;
use sourcing::model::{MixRule, QuoteType, Sku};
use sourcing::{
    Freight, FreightModel, Offer, PlanLine, PlanOptions, PriceLadder, RiskThresholds, Violation, plan, split_options,
};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn offer(id: i64, seller: &str, ladder: &str, moq: i64) -> Offer {
    let mut o = Offer::new(id, format!("offer {id}"));
    o.ladder = Some(PriceLadder::parse(ladder).unwrap());
    o.moq = Some(moq);
    o.quote_type = Some(QuoteType::SkusByQuantity);
    o.supplier.open_id = Some(seller.into());
    o.shipping.weight_kg = Some(d("0.2"));
    o.skus = (1..=3)
        .map(|k| Sku {
            id: id * 10 + k,
            spec_id: None,
            attributes: vec![],
            price: None,
            promotion_price: None,
            stock: None,
            image: None,
        })
        .collect();
    o
}

fn line(offer_id: i64, sku_id: Option<i64>, quantity: i64) -> PlanLine {
    PlanLine::new(offer_id, sku_id, quantity)
}

#[test]
fn lines_beyond_stock_are_violations_and_optimize_never_raises_past_it() {
    let mut o = offer(1, "s1", "1-99:10.00;100+:8.00", 1);
    o.skus[0].stock = Some(40);
    o.skus[1].stock = Some(90);
    o.skus[2].stock = Some(5);
    let p = plan(&[line(1, Some(11), 50), line(1, Some(12), 30)], &[o.clone()], &PlanOptions::default()).unwrap();
    let over: Vec<_> = p.orders[0].violations.iter().filter(|v| matches!(v, Violation::OverStock { .. })).collect();
    assert_eq!(over.len(), 1, "{:?}", p.orders[0].violations);
    assert_eq!(over[0].to_string(), "offer 1 SKU 11: 50 exceeds the 40 in stock, remove 10 and buy them elsewhere");
    // 95 units of SKU 12 would reach the ¥8 tier at 100, but only 90 are on sale.
    let options = PlanOptions { optimize: true, ..PlanOptions::default() };
    let p = plan(&[line(1, Some(12), 85)], &[o], &options).unwrap();
    assert!(p.raises.is_empty(), "{:?}", p.raises);
    assert!(p.orders[0].violations.is_empty());
}

#[test]
fn skus_of_one_offer_share_the_tier_and_freight_is_per_supplier() {
    let offers = [offer(1, "s1", "1-99:5.00;100+:4.00", 10), offer(2, "s2", "1+:3.00", 1)];
    let freight = Freight { model: FreightModel::Flat { fee: d("12") }, free_over: None };
    let p = plan(
        &[line(1, Some(11), 60), line(1, Some(12), 40), line(2, None, 5)],
        &offers,
        &PlanOptions { freight, ..Default::default() },
    )
    .unwrap();
    assert_eq!(p.orders.len(), 2);
    let s1 = &p.orders[0];
    assert!(s1.lines.iter().all(|l| l.unit_price == d("4.00")), "60 + 40 = 100 reaches the 100+ tier");
    assert_eq!((s1.goods, s1.freight, s1.total), (d("400.00"), d("12"), d("412.00")));
    assert_eq!(p.total, d("412.00") + d("15.00") + d("12"));
    assert!(s1.violations.is_empty());
}

#[test]
fn mixed_batches_price_at_the_combined_quantity_and_suggest_the_cheapest_top_up() {
    let mut a = offer(1, "s", "1-49:6.00;50+:5.00", 20);
    let mut b = offer(2, "s", "1-49:4.00;50+:3.50", 20);
    let rule = MixRule { allowed: true, min_amount: Some(d("100")), min_pieces: Some(10) };
    a.mix = Some(rule.clone());
    b.mix = Some(rule);
    let p = plan(&[line(1, None, 30), line(2, None, 25)], &[a.clone(), b.clone()], &PlanOptions::default()).unwrap();
    let order = &p.orders[0];
    assert!(order.mixed);
    assert_eq!(order.lines[0].unit_price, d("5.00"), "30 + 25 = 55 pieces reach the 50+ tier of both");
    assert_eq!(order.lines[1].unit_price, d("3.50"));
    assert!(order.violations.is_empty(), "mix minimums met, so MOQs are waived: {:?}", order.violations);

    let p = plan(&[line(1, None, 3), line(2, None, 4)], &[a, b], &PlanOptions::default()).unwrap();
    let v = &p.orders[0].violations;
    match &v[0] {
        Violation::MixMinimum { top_up_offer, top_up_units, top_up_cost, .. } => {
            // 3 × 6 + 4 × 4 = 34 < 100: 66 short at the cheapest unit price 4.00 → 17 units.
            assert_eq!((*top_up_offer, *top_up_units, *top_up_cost), (2, 17, d("68.00")));
        }
        other => panic!("expected a mix minimum, got {other:?}"),
    }
    assert!(v.iter().any(|x| matches!(x, Violation::BelowMoq { offer_id: 1, add_units: 17, .. })));
}

#[test]
fn batch_multiples_unknown_offers_and_bad_quantities() {
    let mut o = offer(1, "s", "1+:2.00", 1);
    o.batch_number = Some(12);
    let p = plan(&[line(1, None, 30)], &[o.clone()], &PlanOptions::default()).unwrap();
    assert_eq!(
        p.orders[0].violations,
        [Violation::NotBatchMultiple { offer_id: 1, quantity: 30, batch: 12, add_units: 6 }]
    );
    assert!(plan(&[line(9, None, 1)], &[o.clone()], &PlanOptions::default()).is_err());
    assert!(plan(&[line(1, None, 0)], &[o.clone()], &PlanOptions::default()).is_err());
    assert!(plan(&[line(1, Some(999), 1)], &[o], &PlanOptions::default()).is_err(), "an inconsistent SKU");
}

#[test]
fn optimize_raises_to_a_cheaper_tier_when_the_total_falls() {
    let offers = [offer(1, "s", "1-9件:¥10.00;10-99件:¥8.50;100件以上:¥7.20", 1)];
    let p = plan(&[line(1, None, 95)], &offers, &PlanOptions { optimize: true, ..Default::default() }).unwrap();
    assert_eq!(p.orders[0].lines[0].quantity, 100);
    assert_eq!(p.total, d("720.00"));
    assert_eq!(p.raises.len(), 1);
    assert_eq!(p.raises[0].saving, d("87.50"));
    let p = plan(&[line(1, None, 50)], &offers, &PlanOptions { optimize: true, ..Default::default() }).unwrap();
    assert!(p.raises.is_empty(), "50 × 8.50 = 425 < 720");
}

#[test]
fn split_batches_trade_price_for_turnover() {
    let mut o = offer(1, "s", "1-99:5.00;100+:4.00", 1);
    o.monthly_sales = Some(60);
    let daily = sourcing::batches::daily_sales(&o).unwrap();
    let freight = Freight { model: FreightModel::Flat { fee: d("10") }, free_over: None };
    let options = split_options(&o, None, 300, daily, 3, &freight, &RiskThresholds::default()).unwrap();
    assert_eq!(options[0].total, d("1210.00"));
    assert_eq!((options[0].turnover_days, options[0].risk), (d("150.0"), sourcing::Risk::High));
    assert_eq!(
        (options[2].per_batch, options[2].turnover_days, options[2].risk),
        (100, d("50.0"), sourcing::Risk::Medium)
    );
    assert_eq!(options[2].extra_cost, d("20.00"), "two more shipments");
}

proptest! {
    /// The plan total is exactly the sum of its lines and freights, whatever the lines.
    #[test]
    fn plan_total_is_the_sum_of_its_parts(
        quantities in proptest::collection::vec((0usize..6, 1i64..400), 1..40),
        optimize in any::<bool>(),
    ) {
        let mut offers: Vec<Offer> = (0..6).map(|i| offer(i as i64 + 1, ["a", "b", "c"][i % 3], "1-49:9.90;50-199:8.80;200+:7.70", 1)).collect();
        offers[0].mix = Some(MixRule { allowed: true, min_amount: Some(d("50")), min_pieces: Some(2) });
        let lines: Vec<PlanLine> = quantities.iter().map(|&(o, q)| line(o as i64 + 1, None, q)).collect();
        let freight = Freight { model: FreightModel::ByWeight { first_kg: d("1"), first_fee: d("8"), additional_per_kg: d("2") }, free_over: Some(d("1000")) };
        let p = plan(&lines, &offers, &PlanOptions { freight, optimize, ..Default::default() }).unwrap();
        let lines_sum: Decimal = p.orders.iter().flat_map(|o| o.lines.iter()).map(|l| l.amount).sum();
        let freight_sum: Decimal = p.orders.iter().map(|o| o.freight).sum();
        prop_assert_eq!(p.total, lines_sum + freight_sum);
        for o in &p.orders {
            let goods: Decimal = o.lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(o.goods, goods);
            for l in &o.lines {
                prop_assert_eq!(l.amount, l.unit_price * Decimal::from(l.quantity));
            }
        }
    }
}

#[test]
fn a_line_names_its_sku_by_attributes_and_the_plan_resolves_it() {
    let mut o = offer(1, "s1", "1-99:10.00;100+:8.00", 1);
    for (sku, colour) in o.skus.iter_mut().zip(["黑色", "白色", "红色"]) {
        sku.attributes = vec![("颜色".into(), colour.into())];
    }
    let by_colour = |colour: &str, quantity| PlanLine {
        spec: [("颜色".to_owned(), colour.to_owned())].into(),
        ..PlanLine::new(1, None, quantity)
    };
    let p = plan(&[by_colour("白色", 60), by_colour("红色", 40)], std::slice::from_ref(&o), &PlanOptions::default())
        .unwrap();
    let skus: Vec<_> = p.orders[0].lines.iter().map(|l| (l.sku_id, l.unit_price)).collect();
    assert_eq!(skus, vec![(Some(12), d("8.00")), (Some(13), d("8.00"))], "resolved, and sharing the 100+ tier");
    let unknown = plan(&[by_colour("绿色", 5)], std::slice::from_ref(&o), &PlanOptions::default()).unwrap_err();
    assert!(unknown.to_string().contains("颜色=绿色") && unknown.to_string().contains("颜色=黑色"), "{unknown}");
    let both = PlanLine { sku_id: Some(11), ..by_colour("黑色", 5) };
    let err = plan(&[both], &[o], &PlanOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "plan line 1 names its SKU both by id and by attributes");
}

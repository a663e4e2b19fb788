//! Optimal order quantity: the golden case older scripts get wrong, edge cases, and a property
//! test against brute force.

use proptest::prelude::*;
use rust_decimal::Decimal;
use sourcing::model::{QuoteType, Sku};
use sourcing::{Freight, FreightModel, Need, Offer, PriceLadder, optimal_quantity};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn offer(ladder: &str, moq: i64, batch: Option<i64>) -> Offer {
    let mut o = Offer::new(1, "test offer");
    o.ladder = Some(PriceLadder::parse(ladder).unwrap());
    o.moq = Some(moq);
    o.batch_number = batch;
    o.quote_type = Some(QuoteType::ByQuantity);
    o.shipping.weight_kg = Some(d("0.25"));
    o
}

#[test]
fn need_95_buys_100_for_720_not_95_for_807_50() {
    let o = offer("1-9件:¥10.00;10-99件:¥8.50;100件以上:¥7.20", 1, None);
    let advice = optimal_quantity(&o, None, &Need::units(95), &Freight::default()).unwrap();
    let first = &advice.options[0];
    assert_eq!((first.quantity, first.total), (95, d("807.50")));
    let best = advice.best();
    assert_eq!((best.quantity, best.total, best.extra_units, best.saving), (100, d("720.00"), 5, d("87.50")));
    assert!(advice.reason.starts_with("buy 100 instead of 95"), "{}", advice.reason);
}

#[test]
fn moq_above_need_batches_open_tiers_and_ties() {
    let o = offer("50件以上:¥3.00", 50, None);
    let a = optimal_quantity(&o, None, &Need::units(7), &Freight::default()).unwrap();
    assert_eq!(a.best().quantity, 50);
    assert!(a.reason.contains("minimum order"), "{}", a.reason);

    let o = offer("1-99:2.00;100+:1.90", 1, Some(12));
    let a = optimal_quantity(&o, None, &Need::units(90), &Freight::default()).unwrap();
    assert!(a.options.iter().all(|x| x.quantity % 12 == 0));
    assert_eq!(a.best().quantity, 96, "96 × 2.00 = 192 < 108 × 1.90 = 205.20");

    // 100 × 1.00 == 50 × 2.00: a tie goes to the smaller quantity.
    let o = offer("1-99:2.00;100+:1.00", 1, None);
    assert_eq!(optimal_quantity(&o, None, &Need::units(50), &Freight::default()).unwrap().best().quantity, 50);
}

#[test]
fn free_shipping_threshold_and_holding_cost() {
    let o = offer("1+:4.00", 1, None);
    let freight = Freight { model: FreightModel::Flat { fee: d("30") }, free_over: Some(d("200")) };
    let a = optimal_quantity(&o, None, &Need::units(45), &freight).unwrap();
    assert_eq!((a.best().quantity, a.best().total), (50, d("200")), "45 × 4 + 30 = 210 > 50 × 4");
    assert!(a.reason.contains("free shipping"), "{}", a.reason);

    // Slow sales make extra units expensive to hold.
    let o = offer("1-99:10.00;100+:9.00", 1, None);
    let slow = Need {
        quantity: 60,
        daily_sales: Some(d("1")),
        holding_cost_per_unit_day: Some(d("0.5")),
        max_overstock: None,
        spec: Default::default(),
    };
    assert_eq!(optimal_quantity(&o, None, &slow, &Freight::default()).unwrap().best().quantity, 60);
    let capped = Need { max_overstock: Some(10), ..Need::units(60) };
    assert_eq!(optimal_quantity(&o, None, &capped, &Freight::default()).unwrap().options.len(), 1);
}

#[test]
fn per_sku_prices_and_bad_input() {
    let mut o = offer("1+:5.00", 1, None);
    o.quote_type = Some(QuoteType::BySku);
    o.skus = vec![Sku {
        id: 7,
        spec_id: None,
        attributes: vec![],
        price: Some(d("6.50")),
        promotion_price: None,
        stock: Some(10),
        image: None,
    }];
    let a = optimal_quantity(&o, Some(7), &Need::units(3), &Freight::default()).unwrap();
    assert_eq!(a.best().total, d("19.50"));
    assert!(optimal_quantity(&o, Some(8), &Need::units(3), &Freight::default()).is_err());
    assert!(optimal_quantity(&o, None, &Need::units(0), &Freight::default()).is_err());
    assert!(optimal_quantity(&o, None, &Need::units(-4), &Freight::default()).is_err());
    let mut empty = Offer::new(2, "no price");
    empty.moq = Some(1);
    assert!(optimal_quantity(&empty, None, &Need::units(3), &Freight::default()).is_err());
}

fn sku(id: i64, stock: Option<i64>) -> Sku {
    Sku { id, spec_id: None, attributes: vec![], price: Some(d("6.50")), promotion_price: None, stock, image: None }
}

#[test]
fn a_need_beyond_the_stock_says_by_how_much_and_no_option_exceeds_the_stock() {
    // The case: 200,000 wanted of an offer with 95,431 on sale across its SKUs.
    let mut o = offer("1-99:10.00;100+:8.00", 1, None);
    o.skus = vec![sku(1, Some(60_000)), sku(2, Some(35_431))];
    assert_eq!(o.available(None), Some(95_431));
    let e = optimal_quantity(&o, None, &Need::units(200_000), &Freight::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "offer 1 has 95431 in stock, 200000 wanted: 104569 short; split the need across offers or lower it"
    );
    // A named SKU's own stock counts, and the MOQ or batch can be what does not fit.
    let e = optimal_quantity(&o, Some(2), &Need::units(40_000), &Freight::default()).unwrap_err();
    assert!(e.to_string().starts_with("offer 1 SKU 2 has 35431 in stock"), "{e}");
    let mut big_moq = offer("1+:5.00", 500, None);
    big_moq.stock = Some(300);
    let e = optimal_quantity(&big_moq, None, &Need::units(10), &Freight::default()).unwrap_err();
    assert!(e.to_string().contains("500 (the need of 10, raised to the MOQ or batch)"), "{e}");
    // A cheaper tier beyond the stock is not offered.
    let mut o = offer("1-99:10.00;100+:8.00", 1, None);
    o.stock = Some(97);
    let advice = optimal_quantity(&o, None, &Need::units(95), &Freight::default()).unwrap();
    assert!(advice.options.iter().all(|x| x.quantity <= 97), "{:?}", advice.options);
    assert_eq!(advice.best().quantity, 95);
    // Unknown stock (one SKU silent) sets no limit.
    let mut o = offer("1+:5.00", 1, None);
    o.skus = vec![sku(1, Some(5)), sku(2, None)];
    assert_eq!(o.available(None), None);
    assert!(optimal_quantity(&o, None, &Need::units(50), &Freight::default()).is_ok());
}

proptest! {
    /// With a stock, every option fits in it, the error comes exactly when the smallest order
    /// does not, and the pick is never worse than any orderable quantity within the stock.
    #[test]
    fn stock_bounds_every_option(
        need in 1i64..200,
        moq in 1i64..50,
        batch in prop_oneof![Just(None), (2i64..7).prop_map(Some)],
        stock in 0i64..400,
    ) {
        let mut o = offer("1-49:9.00;50-149:7.50;150+:6.00", moq, batch);
        o.stock = Some(stock);
        let n = Need::units(need);
        let q0 = sourcing::quantity::smallest_order(&o, need).unwrap();
        match optimal_quantity(&o, None, &n, &Freight::default()) {
            Err(sourcing::EngineError::NotEnoughStock { order, available, .. }) => {
                prop_assert!(q0 > stock);
                prop_assert_eq!((order, available), (q0, stock));
            }
            Err(other) => prop_assert!(false, "unexpected {other}"),
            Ok(advice) => {
                prop_assert!(q0 <= stock);
                prop_assert!(advice.options.iter().all(|x| x.quantity <= stock));
                let step = batch.unwrap_or(1);
                let brute = (0..)
                    .map(|k| q0 + k * step)
                    .take_while(|&q| q <= stock)
                    .map(|q| sourcing::quantity::price_quantity(&o, None, &n, q, &Freight::default()).unwrap().total)
                    .min()
                    .unwrap();
                prop_assert!(advice.best().total <= brute);
            }
        }
    }

    /// The optimizer is never worse than trying every orderable quantity up to 10 × the need.
    #[test]
    fn never_worse_than_brute_force(
        steps in proptest::collection::vec((1i64..60, 0i64..150), 1..5),
        base in 100i64..5_000,
        moq in 1i64..40,
        batch in prop_oneof![Just(None), (2i64..13).prop_map(Some)],
        need in 1i64..150,
        flat in 0i64..3_000,
        threshold in prop_oneof![Just(None), (1i64..50_000).prop_map(Some)],
    ) {
        let mut start = 0;
        let mut price = base;
        let mut tiers = Vec::new();
        for (gap, cut) in steps {
            start += gap;
            price = (price - cut).max(1);
            tiers.push((start, Decimal::new(price, 2)));
        }
        let mut o = Offer::new(1, "p");
        o.ladder = Some(PriceLadder::new(tiers).unwrap());
        o.moq = Some(moq);
        o.batch_number = batch;
        o.shipping.weight_kg = Some(Decimal::new(3, 1));
        let freight = Freight { model: FreightModel::Flat { fee: Decimal::new(flat, 2) }, free_over: threshold.map(|t| Decimal::new(t, 2)) };
        let n = Need::units(need);
        let advice = optimal_quantity(&o, None, &n, &freight).unwrap();
        let q0 = advice.options[0].quantity;
        let step = batch.unwrap_or(1);
        let brute = (0..)
            .map(|k| q0 + k * step)
            .take_while(|&q| q <= (10 * need).max(q0))
            .map(|q| sourcing::quantity::price_quantity(&o, None, &n, q, &freight).unwrap().total)
            .min()
            .unwrap();
        prop_assert!(advice.best().total <= brute, "optimizer {} > brute force {}", advice.best().total, brute);
    }
}

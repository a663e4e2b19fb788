//! Splitting a need across offers and suppliers: hand-checked golden cases for each rule, and
//! property tests against brute force (never worse, never over stock, every MOQ met).

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use sourcing::model::{MixRule, QuoteType, Sku};
use sourcing::{
    Allocation, AllocationRequest, EngineError, Freight, FreightModel, Offer, PlanLine, PlanOptions, PriceLadder,
    Source, allocate, plan,
};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn offer(id: i64, seller: &str, ladder: &str, moq: i64, stock: i64) -> Offer {
    let mut o = Offer::new(id, format!("offer {id}"));
    o.ladder = Some(PriceLadder::parse(ladder).unwrap());
    o.moq = Some(moq);
    o.stock = Some(stock);
    o.supplier.open_id = Some(seller.into());
    o.shipping.weight_kg = Some(d("0.5"));
    o
}

fn with_skus(mut o: Offer, stocks: &[i64]) -> Offer {
    o.quote_type = Some(QuoteType::SkusByQuantity);
    o.stock = None;
    o.skus = stocks
        .iter()
        .enumerate()
        .map(|(k, &stock)| Sku {
            id: o.id * 10 + k as i64 + 1,
            spec_id: None,
            attributes: vec![("颜色".into(), format!("色{k}"))],
            price: None,
            promotion_price: None,
            stock: Some(stock),
            image: None,
        })
        .collect();
    o
}

fn whole(offers: &[Offer]) -> Vec<Source> {
    offers.iter().map(|o| Source { offer_id: o.id, sku_id: None }).collect()
}

fn need(quantity: i64) -> AllocationRequest {
    AllocationRequest { quantity, ..AllocationRequest::default() }
}

fn bought(a: &Allocation) -> Vec<(i64, Option<i64>, i64)> {
    a.lines.iter().map(|l| (l.offer_id, l.sku_id, l.quantity)).collect()
}

#[test]
fn a_need_larger_than_any_single_stock_is_split_at_the_lowest_total() {
    let offers = [
        offer(1, "s1", "1-99:10;100+:9", 1, 120),
        offer(2, "s2", "1+:9.5", 1, 200),
        offer(3, "s3", "1-49:12;50+:8.8", 1, 150),
    ];
    // By hand: all 150 of offer 3 at ¥8.80 (1,320), all 120 of offer 1 at ¥9 (1,080), the last
    // 30 from offer 2 at ¥9.50 (285): 2,685. Taking 100 of offer 1 and 50 of offer 2 costs 2,695.
    let a = allocate(&need(300), &whole(&offers), &offers).unwrap();
    assert_eq!(bought(&a), vec![(1, None, 120), (2, None, 30), (3, None, 150)]);
    assert_eq!(a.plan.total, d("2685"));
    assert_eq!((a.units, a.suppliers), (300, 3));
    // Two suppliers at most: offers 3 and 2 (1,320 + 1,425), not 1 and 2 (1,080 + 1,710).
    let two = AllocationRequest { max_suppliers: Some(2), ..need(300) };
    let a = allocate(&two, &whole(&offers), &offers).unwrap();
    assert_eq!(bought(&a), vec![(2, None, 150), (3, None, 150)]);
    assert_eq!(a.plan.total, d("2745"));
    // One supplier cannot hold 300.
    let one = AllocationRequest { max_suppliers: Some(1), ..need(300) };
    let err = allocate(&one, &whole(&offers), &offers).unwrap_err();
    assert!(matches!(err, EngineError::CannotAllocate { need: 300, .. }), "{err}");
    assert!(err.to_string().contains("supplier limit"), "{err}");
}

#[test]
fn not_enough_stock_in_all_says_by_how_much() {
    let offers = [offer(1, "s1", "1+:5", 1, 40), offer(2, "s2", "1+:6", 1, 50)];
    let err = allocate(&need(100), &whole(&offers), &offers).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no way to buy 100 units from these offers: the 2 sources have 90 units in stock in all, 10 short"
    );
}

#[test]
fn a_mixed_batch_seller_is_bought_only_by_combining_its_offers() {
    // Seller s1 mixes from 100 pieces; its two offers have MOQ 80 but only 60 each in stock, so
    // neither can be bought alone. Together: 120 pieces, the ¥4 tier at the combined quantity.
    let mix = MixRule { allowed: true, min_amount: None, min_pieces: Some(100) };
    let mut x = offer(1, "s1", "1-99:5;100+:4", 80, 60);
    let mut y = offer(2, "s1", "1-99:5;100+:4", 80, 60);
    x.mix = Some(mix.clone());
    y.mix = Some(mix);
    let z = offer(3, "s2", "1+:6", 1, 1000);
    let offers = [x, y, z];
    let a = allocate(&need(120), &whole(&offers), &offers).unwrap();
    assert_eq!(bought(&a), vec![(1, None, 60), (2, None, 60)]);
    assert_eq!(a.plan.total, d("480"));
    assert!(a.plan.orders[0].mixed);
    // Needing 90, combining gives 90 pieces, below the minimum; buying 100 (40 + 60) reaches both
    // the minimum and the ¥4 tier (400) and beats 90 from s2 at ¥6 (540).
    let a = allocate(&need(90), &whole(&offers), &offers).unwrap();
    assert_eq!(a.units, 100);
    assert_eq!(a.plan.total, d("400"));
    // With no overstock allowed, only s2 can fill exactly 90.
    let exact = AllocationRequest { max_overstock: Some(0), ..need(90) };
    let a = allocate(&exact, &whole(&offers), &offers).unwrap();
    assert_eq!(bought(&a), vec![(3, None, 90)]);
}

#[test]
fn the_skus_of_one_offer_combine_to_its_moq_and_tier() {
    // MOQ 100 on the offer; each colour has 70 in stock. Any colour will do: 50 + 50 meets the
    // MOQ and prices both at the 100+ tier.
    let o = with_skus(offer(1, "s1", "1-99:7;100+:6", 100, 0), &[70, 70]);
    let other = offer(2, "s2", "1+:6.5", 1, 1000);
    let offers = [o, other];
    let sources = vec![
        Source { offer_id: 1, sku_id: Some(11) },
        Source { offer_id: 1, sku_id: Some(12) },
        Source { offer_id: 2, sku_id: None },
    ];
    let a = allocate(&need(100), &sources, &offers).unwrap();
    assert_eq!(a.plan.total, d("600"));
    assert_eq!(a.lines.iter().filter(|l| l.offer_id == 1).map(|l| l.quantity).sum::<i64>(), 100);
    assert!(a.lines.iter().all(|l| l.quantity <= 70));
}

#[test]
fn freight_thresholds_batches_and_premiums_are_weighed() {
    // s1 ships free from ¥1,000; s2 charges ¥20 a shipment and is a little cheaper per unit.
    let mut terms = BTreeMap::new();
    terms.insert("s1".to_owned(), Freight { model: FreightModel::Flat { fee: d("20") }, free_over: Some(d("1000")) });
    terms.insert("s2".to_owned(), Freight { model: FreightModel::Flat { fee: d("20") }, free_over: None });
    let offers = [offer(1, "s1", "1+:10", 1, 500), offer(2, "s2", "1+:9.9", 1, 500)];
    let request = AllocationRequest { supplier_freight: terms.clone(), ..need(100) };
    let a = allocate(&request, &whole(&offers), &offers).unwrap();
    assert_eq!((bought(&a), a.plan.total), (vec![(1, None, 100)], d("1000")));
    // Needing 90: s1 would be 900 + 20, s2 891 + 20; or 100 from s1 for 1,000 (free shipping).
    let a = allocate(&AllocationRequest { supplier_freight: terms, ..need(90) }, &whole(&offers), &offers).unwrap();
    assert_eq!((bought(&a), a.plan.total), (vec![(2, None, 90)], d("911")));
    // Batches of 12: 30 needed means 36.
    let mut boxed = offer(3, "s3", "1+:2", 1, 100);
    boxed.batch_number = Some(12);
    let a = allocate(&need(30), &whole(std::slice::from_ref(&boxed)), std::slice::from_ref(&boxed)).unwrap();
    assert_eq!(bought(&a), vec![(3, None, 36)]);
    // A 15 % premium on a supplier ¥10 a unit makes ¥11 elsewhere the better buy; the totals stay
    // real money.
    let offers = [offer(1, "s1", "1+:10", 1, 500), offer(2, "s2", "1+:11", 1, 500)];
    let premiums = BTreeMap::from([("s1".to_owned(), d("15"))]);
    let a = allocate(&AllocationRequest { premiums, ..need(10) }, &whole(&offers), &offers).unwrap();
    assert_eq!((bought(&a), a.plan.total), (vec![(2, None, 10)], d("110")));
}

#[test]
fn freight_by_weight_counts_whole_additional_kilograms() {
    // 0.5 kg a unit; ¥8 for the first kg, ¥3 for each further kg or part of one.
    let freight = Freight {
        model: FreightModel::ByWeight { first_kg: d("1"), first_fee: d("8"), additional_per_kg: d("3") },
        free_over: None,
    };
    let offers = [offer(1, "s1", "1+:1", 1, 100), offer(2, "s2", "1+:1", 1, 100)];
    let request = AllocationRequest { freight, ..need(7) };
    let a = allocate(&request, &whole(&offers), &offers).unwrap();
    // 7 units, 3.5 kg, one supplier: 7 + 8 + 3 × 3 = 24; split, two first fees cost more.
    assert_eq!((a.suppliers, a.plan.total), (1, d("24")));
}

#[test]
fn bad_input_is_refused_with_what_is_wrong() {
    let offers = [offer(1, "s1", "1+:1", 1, 100)];
    assert!(matches!(allocate(&need(0), &whole(&offers), &offers), Err(EngineError::BadQuantity { quantity: 0 })));
    let unknown = [Source { offer_id: 9, sku_id: None }];
    assert!(matches!(allocate(&need(5), &unknown, &offers), Err(EngineError::UnknownOffer { line: 1, offer: 9 })));
    let twice = [Source { offer_id: 1, sku_id: None }, Source { offer_id: 1, sku_id: None }];
    assert!(allocate(&need(5), &twice, &offers).unwrap_err().to_string().contains("twice"));
    let negative = Freight { model: FreightModel::Flat { fee: d("-1") }, free_over: None };
    assert!(allocate(&AllocationRequest { freight: negative, ..need(5) }, &whole(&offers), &offers).is_err());
}

#[test]
fn a_very_large_need_is_searched_in_steps_and_says_so() {
    let offers: Vec<Offer> =
        (1..=6).map(|i| offer(i, &format!("s{i}"), "1-999:5;1000+:4.5", 50, 60_000 + i * 1_000)).collect();
    let a = allocate(&need(200_000), &whole(&offers), &offers).unwrap();
    assert!(!a.exact, "200,000 units over 381,000 in stock is searched in steps");
    assert!(a.units >= 200_000 && a.plan.orders.iter().all(|o| o.violations.is_empty()));
    // Every unit at ¥4.50 is the least it can cost; steps lose little.
    assert!(a.plan.total <= d("4.5") * Decimal::from(a.units));
    // The same shape at a hundredth of the size is exact.
    let small: Vec<Offer> =
        (1..=6).map(|i| offer(i, &format!("s{i}"), "1-999:5;1000+:4.5", 50, 600 + i * 10)).collect();
    assert!(allocate(&need(2_000), &whole(&small), &small).unwrap().exact);
}

/// The cheapest plan brute force finds by trying every quantity of every source.
fn brute_force(request: &AllocationRequest, sources: &[Source], offers: &[Offer]) -> Option<Decimal> {
    let caps: Vec<i64> = sources
        .iter()
        .map(|s| offers.iter().find(|o| o.id == s.offer_id).unwrap().available(s.sku_id).unwrap())
        .collect();
    let options = PlanOptions {
        freight: request.freight.clone(),
        supplier_freight: request.supplier_freight.clone(),
        optimize: false,
    };
    let mut best: Option<Decimal> = None;
    let mut q = vec![0_i64; sources.len()];
    loop {
        let units: i64 = q.iter().sum();
        if units >= request.quantity && request.max_overstock.is_none_or(|o| units - request.quantity <= o) {
            let lines: Vec<PlanLine> = sources
                .iter()
                .zip(&q)
                .filter(|&(_, &n)| n > 0)
                .map(|(s, &quantity)| PlanLine::new(s.offer_id, s.sku_id, quantity))
                .collect();
            let p = plan(&lines, offers, &options).unwrap();
            let ok = p.orders.iter().all(|o| o.violations.is_empty())
                && request.max_suppliers.is_none_or(|k| p.orders.len() <= k);
            if ok && best.is_none_or(|b| p.total < b) {
                best = Some(p.total);
            }
        }
        // Next combination, like an odometer.
        let mut i = 0;
        loop {
            if i == q.len() {
                return best;
            }
            if q[i] < caps[i] {
                q[i] += 1;
                break;
            }
            q[i] = 0;
            i += 1;
        }
    }
}

/// A small random instance: up to three sellers, up to four sources, every rule in play.
fn instance() -> impl Strategy<Value = (AllocationRequest, Vec<Source>, Vec<Offer>)> {
    let offer_strategy = (
        0_usize..3,
        1_i64..=4,
        prop_oneof![Just(None), (2_i64..=6, 1_i64..=3).prop_map(Some)],
        1_i64..=5,
        prop_oneof![Just(1_i64), Just(2), Just(3)],
        0_i64..=9,
        any::<bool>(),
        any::<bool>(),
    );
    (
        prop::collection::vec(offer_strategy, 1..=3),
        1_i64..=14,
        prop_oneof![Just(None), (0_i64..=4).prop_map(Some)],
        prop_oneof![Just(None), (1_usize..=2).prop_map(Some)],
        prop_oneof![
            Just(Freight::default()),
            (1_i64..=6, prop::option::of(5_i64..=30)).prop_map(|(fee, free)| Freight {
                model: FreightModel::Flat { fee: Decimal::from(fee) },
                free_over: free.map(Decimal::from)
            }),
            (1_i64..=4, 1_i64..=3, prop::option::of(5_i64..=30)).prop_map(|(first, per_kg, free)| Freight {
                model: FreightModel::ByWeight {
                    first_kg: Decimal::ONE,
                    first_fee: Decimal::from(first),
                    additional_per_kg: Decimal::from(per_kg)
                },
                free_over: free.map(Decimal::from),
            }),
        ],
        prop::option::of((1_i64..=8, prop::option::of(5_i64..=20))),
    )
        .prop_map(|(specs, quantity, max_overstock, max_suppliers, freight, mix)| {
            let mut offers = Vec::new();
            let mut sources = Vec::new();
            for (i, (seller, price, tier, moq, batch, stock, by_sku, mixes)) in specs.into_iter().enumerate() {
                if sources.len() >= 4 {
                    break;
                }
                let id = i as i64 + 1;
                let ladder = match tier {
                    None => format!("1+:{price}"),
                    Some((at, off)) => format!("1-{}:{};{at}+:{}", at - 1, price + off, price),
                };
                let mut o = offer(id, &format!("s{seller}"), &ladder, moq, stock);
                o.batch_number = Some(batch);
                if mixes && let Some((pieces, amount)) = mix {
                    o.mix = Some(MixRule {
                        allowed: true,
                        min_pieces: Some(pieces),
                        min_amount: amount.map(Decimal::from),
                    });
                }
                if by_sku && sources.len() <= 2 {
                    o = with_skus(o, &[stock / 2 + 1, stock - stock / 2]);
                    sources.push(Source { offer_id: id, sku_id: Some(id * 10 + 1) });
                    sources.push(Source { offer_id: id, sku_id: Some(id * 10 + 2) });
                } else {
                    sources.push(Source { offer_id: id, sku_id: None });
                }
                offers.push(o);
            }
            let request =
                AllocationRequest { quantity, max_overstock, max_suppliers, freight, ..AllocationRequest::default() };
            (request, sources, offers)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_allocation_is_as_cheap_as_brute_force_and_breaks_no_rule((request, sources, offers) in instance()) {
        let best = brute_force(&request, &sources, &offers);
        match allocate(&request, &sources, &offers) {
            Ok(a) => {
                prop_assert!(a.exact, "small instances are solved exactly");
                prop_assert_eq!(Some(a.plan.total), best, "allocation {:?}", a.lines);
                prop_assert!(a.plan.orders.iter().all(|o| o.violations.is_empty()), "MOQ, batch, mix and stock hold");
                prop_assert!(a.units >= request.quantity);
                for line in &a.lines {
                    let o = offers.iter().find(|o| o.id == line.offer_id).unwrap();
                    prop_assert!(line.quantity <= o.available(line.sku_id).unwrap(), "never beyond stock");
                }
            }
            Err(EngineError::CannotAllocate { .. }) => prop_assert_eq!(best, None, "brute force found one"),
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
    }
}

//! Decision engine speed: optimal quantity for one offer (target ≤ 5 µs), a 10,000-line plan
//! across 500 suppliers with mixed batches (≤ 50 ms), scorecards for 10,000 suppliers (≤ 20 ms).
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use sourcing::model::{MixRule, ServiceScores};
use sourcing::{
    Freight, FreightModel, Need, Offer, PlanLine, PlanOptions, PriceLadder, Scorecard, Supplier, optimal_quantity, plan,
};

fn offer(id: i64, supplier: i64) -> Offer {
    let mut o = Offer::new(id, format!("offer {id}"));
    let base = 500 + id % 700;
    o.ladder = Some(
        PriceLadder::new([
            (2, Decimal::new(base, 2)),
            (50, Decimal::new(base - 40, 2)),
            (200, Decimal::new(base - 70, 2)),
            (1000, Decimal::new(base - 90, 2)),
        ])
        .unwrap(),
    );
    o.moq = Some(2);
    o.batch_number = if id % 5 == 0 { Some(6) } else { None };
    o.shipping.weight_kg = Some(Decimal::new(35, 2));
    o.supplier.open_id = Some(format!("seller-{supplier}"));
    if supplier % 3 == 0 {
        o.mix = Some(MixRule { allowed: true, min_amount: Some(Decimal::from(100)), min_pieces: Some(3) });
    }
    o
}

fn freight() -> Freight {
    Freight {
        model: FreightModel::ByWeight {
            first_kg: Decimal::ONE,
            first_fee: Decimal::from(8),
            additional_per_kg: Decimal::from(3),
        },
        free_over: Some(Decimal::from(800)),
    }
}

fn engine(c: &mut Criterion) {
    let one = offer(7, 1);
    let need = Need {
        quantity: 95,
        daily_sales: Some(Decimal::from(3)),
        holding_cost_per_unit_day: Some(Decimal::new(2, 2)),
        max_overstock: None,
        spec: Default::default(),
    };
    c.bench_function("optimal_quantity_one_offer", |b| {
        b.iter(|| optimal_quantity(&one, None, &need, &freight()).unwrap())
    });

    let offers: Vec<Offer> = (0..2_500).map(|i| offer(i, i % 500)).collect();
    let lines: Vec<PlanLine> = (0..10_000).map(|i| PlanLine::new(i % 2_500, None, 1 + (i * 37) % 120)).collect();
    let options = PlanOptions { freight: freight(), ..PlanOptions::default() };
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    group.bench_function("10000_lines_500_suppliers", |b| b.iter(|| plan(&lines, &offers, &options).unwrap()));
    let optimize = PlanOptions { optimize: true, ..options.clone() };
    group
        .bench_function("10000_lines_500_suppliers_optimize", |b| b.iter(|| plan(&lines, &offers, &optimize).unwrap()));
    group.finish();

    let card = Scorecard::preset("default").unwrap();
    let suppliers: Vec<Supplier> = (0..10_000)
        .map(|i| Supplier {
            years_on_platform: Some(i % 15),
            scores: ServiceScores {
                composite: Some(Decimal::new(30 + i % 21, 1)),
                logistics: Some(Decimal::new(35 + i % 16, 1)),
                dispute: if i % 7 == 0 { None } else { Some(Decimal::new(40, 1)) },
                ..ServiceScores::default()
            },
            repurchase_rate: Some(Decimal::new(i % 60, 2)),
            fulfillment_rate: Some(Decimal::new(900 + i % 100, 3)),
            pickup_rate: Some(Decimal::new(800 + i % 200, 3)),
            quality_return_rate: Some(Decimal::new(i % 30, 3)),
            identities: if i % 10 == 0 { vec!["super_factory".into()] } else { vec![] },
            certificates: vec!["CE".into(); (i % 4) as usize],
            ..Supplier::default()
        })
        .collect();
    c.bench_function("scorecards_10000_suppliers", |b| {
        b.iter(|| suppliers.iter().map(|s| card.score(s).score).sum::<Decimal>())
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);

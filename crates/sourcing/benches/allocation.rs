//! Splitting a need across 50 candidate offers (target ≤ 50 ms): four-tier ladders, MOQs,
//! batches, stock that no single offer covers, freight by weight with a free-shipping threshold;
//! 50 suppliers with one offer each, and 35 suppliers of which 15 have two or three offers and
//! some mix batches.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use sourcing::model::MixRule;
use sourcing::{AllocationRequest, Freight, FreightModel, Offer, PriceLadder, Source, allocate};

fn offer(id: i64) -> Offer {
    offer_of(id, if id < 30 { id } else { id - 30 + id % 2 * 5 } % 35)
}

fn offer_of(id: i64, supplier: i64) -> Offer {
    let mut o = Offer::new(id, format!("offer {id}"));
    // Prices spread ¥6.00–¥13.90 with tiers 4–12 % lower; stock 80–570.
    let base = 600 + (id * 379) % 800;
    o.ladder = Some(
        PriceLadder::new([
            (1, Decimal::new(base, 2)),
            (50 + id % 4 * 25, Decimal::new(base * 96 / 100, 2)),
            (200 + id % 3 * 100, Decimal::new(base * 92 / 100, 2)),
            (1000, Decimal::new(base * 88 / 100, 2)),
        ])
        .unwrap(),
    );
    o.moq = Some(2 + id % 5 * 10);
    o.batch_number = if id % 7 == 0 { Some(12) } else { None };
    o.stock = Some(80 + (id * 131) % 500);
    o.shipping.weight_kg = Some(Decimal::new(25 + id % 4 * 10, 2));
    o.supplier.open_id = Some(format!("seller-{supplier}"));
    if supplier % 4 == 0 {
        o.mix = Some(MixRule { allowed: true, min_amount: Some(Decimal::from(300)), min_pieces: Some(60) });
    }
    o
}

fn allocation(c: &mut Criterion) {
    let shared: Vec<Offer> = (0..50).map(offer).collect();
    let distinct: Vec<Offer> = (0..50).map(|id| offer_of(id, id)).collect();
    let freight = Freight {
        model: FreightModel::ByWeight {
            first_kg: Decimal::ONE,
            first_fee: Decimal::from(8),
            additional_per_kg: Decimal::from(3),
        },
        free_over: Some(Decimal::from(800)),
    };
    let mut group = c.benchmark_group("allocate_50_candidates");
    group.sample_size(20);
    for (name, offers, quantity, max_suppliers) in [
        ("50_suppliers/need_300", &distinct, 300, None),
        ("50_suppliers/need_3000", &distinct, 3_000, None),
        ("50_suppliers/need_3000_at_most_8_suppliers", &distinct, 3_000, Some(8)),
        ("35_suppliers_mixing/need_300", &shared, 300, None),
        ("35_suppliers_mixing/need_3000", &shared, 3_000, None),
    ] {
        let sources: Vec<Source> = offers.iter().map(|o| Source { offer_id: o.id, sku_id: None }).collect();
        let request = AllocationRequest { quantity, max_suppliers, freight: freight.clone(), ..Default::default() };
        let first = allocate(&request, &sources, offers).unwrap();
        eprintln!(
            "{name}: {} units from {} suppliers, ¥{}, exact: {}",
            first.units, first.suppliers, first.plan.total, first.exact
        );
        group.bench_function(name, |b| b.iter(|| allocate(&request, &sources, offers).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, allocation);
criterion_main!(benches);

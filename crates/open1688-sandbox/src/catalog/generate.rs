//! Deterministic generation of suppliers and offers from a seed.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::CatalogConfig;
use super::image::Design;
use super::model::{Offer, Sku, Supplier};
use super::rng::{Rng, mix};
use super::vocabulary::{BRAND_WORDS, CATEGORIES, COMPANY_FORMS, TITLE_PREFIXES};

const TAG_SUPPLIER: u64 = 1;
const TAG_ITEM: u64 = 2;
const TAG_LISTING: u64 = 3;
const TAG_IDS: u64 = 4;

/// 2019-01-01T00:00:00+08:00 and 2026-10-01T00:00:00+08:00: the window offers were created in.
const CREATED_FROM: i64 = 1_546_272_000;
const CREATED_TO: i64 = 1_790_784_000;

/// Dispatch guarantees, the common one twice.
const SHIP_GUARANTEES: [&str; 4] = ["shipIn24Hours", "shipIn48Hours", "shipIn48Hours", "shipIn72Hours"];

/// Quantity breakpoints sellers put tiers at.
const BREAKPOINTS: [i64; 12] = [10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000];

/// Generates the suppliers.
pub fn suppliers(config: &CatalogConfig) -> Vec<Supplier> {
    let mut names = HashSet::new();
    let mut logins = HashSet::new();
    let mut open_ids = HashSet::new();
    let mut user_ids = HashSet::new();
    (0..config.suppliers)
        .map(|i| {
            let mut rng = Rng::for_entity(config.seed, TAG_SUPPLIER, i as u64);
            let category = (i % CATEGORIES.len()) as u16;
            let spec = &CATEGORIES[usize::from(category)];
            let (province, city) = *rng.pick(spec.regions);
            let form = *rng.pick(COMPANY_FORMS);
            let mut brand = rng.below(BRAND_WORDS.len() as u64) as usize;
            let city_short = city.trim_end_matches('市');
            let mut company;
            loop {
                company = format!("{city_short}{}{}{form}", BRAND_WORDS[brand].0, spec.industry);
                if names.insert(company.clone()) {
                    break;
                }
                brand = (brand + 1) % BRAND_WORDS.len();
                if brand == 0 {
                    company = format!("{city_short}{}{}{}号{form}", BRAND_WORDS[0].0, spec.industry, names.len());
                    names.insert(company.clone());
                    break;
                }
            }
            let login_id = unique(&mut logins, || format!("{}{}", BRAND_WORDS[brand].1, rng.range(100, 99_999)));
            let open_id = unique(&mut open_ids, || rng.base36(21));
            let user_id = loop {
                let id = rng.range(1_000_000_000, 2_999_999_999);
                if user_ids.insert(id) {
                    break id;
                }
            };
            let tp_year = 1 + (rng.f64().powi(2) * 15.0) as i64;
            let factory = form.ends_with("工厂") || rng.chance(0.25);
            let mut identities = vec!["tp_member"];
            if factory && tp_year >= 3 && rng.chance(0.45) {
                identities.push("super_factory");
            }
            if rng.chance(0.2) {
                identities.push("powerful_merchants");
            }
            if rng.chance(0.3) {
                identities.push("verified_supplier");
            }
            let certificates = spec.certificates.iter().copied().filter(|_| rng.chance(0.6)).collect();
            let quality = rng.f64();
            let score = |rng: &mut Rng| (30.0 + quality * 15.0 + rng.f64() * 5.0).min(50.0) as u8;
            let scores_tenths =
                [score(&mut rng), score(&mut rng), score(&mut rng), score(&mut rng), score(&mut rng), score(&mut rng)];
            let fulfil = (9000.0 + quality * 990.0 + rng.f64() * 9.0) as u16;
            let pickup = (7000.0 + quality * 2900.0 + rng.f64() * 99.0) as u16;
            let returns = (20.0 + (1.0 - quality) * 380.0 * rng.f64()) as u16;
            let rates_bp = [
                fulfil,
                pickup,
                returns,
                fulfil.saturating_sub(rng.below(80) as u16).max(8500),
                pickup.saturating_sub(rng.below(300) as u16),
                ((1.0 - quality) * 600.0 * rng.f64()) as u16,
            ];
            let mix = rng
                .chance(config.mix_share)
                .then(|| (*rng.pick(&[50i64, 100, 100, 200, 300, 500]), *rng.pick(&[2i64, 3, 3, 5, 10])));
            Supplier {
                open_id,
                login_id,
                user_id,
                company,
                province,
                city,
                category,
                tp_year,
                identities,
                certificates,
                trade_medal: (1 + (quality * 4.99) as u8).min(5),
                scores_tenths,
                repeat_purchase_pct: (5.0 + quality * 45.0 + rng.f64() * 10.0) as u8,
                rates_bp,
                mix,
                joined: CREATED_TO - tp_year * 365 * 86_400 - rng.range(0, 300) * 86_400,
                biz_type: if form == "商行" { "SELF_EMPLOYED" } else { "ENTERPRISE" },
            }
        })
        .collect()
}

fn unique(seen: &mut HashSet<String>, mut make: impl FnMut() -> String) -> String {
    loop {
        let candidate = make();
        if seen.insert(candidate.clone()) {
            return candidate;
        }
    }
}

/// What a factory makes; each listing of it is an [`Offer`].
struct FactoryItem {
    category: u16,
    product: usize,
    adjective: usize,
    design_seed: u64,
    base_fen: u32,
    weight_g: u32,
    dims_cm: [u16; 3],
    axis_values: Vec<Vec<u8>>,
    material: u8,
}

/// Generates offers: factory items, each listed by one or (for a share) several suppliers.
pub fn offers(config: &CatalogConfig, suppliers: &[Supplier]) -> Vec<Offer> {
    let mut by_category: Vec<Vec<u32>> = vec![Vec::new(); CATEGORIES.len()];
    for (i, s) in suppliers.iter().enumerate() {
        by_category[usize::from(s.category)].push(i as u32);
    }
    let mut ids = Rng::for_entity(config.seed, TAG_IDS, 0);
    let mut offer_ids = HashSet::new();
    let mut sku_ids = HashSet::new();
    let mut offers = Vec::with_capacity(config.offers + 8);
    let mut group = 0u32;
    while offers.len() < config.offers {
        let mut rng = Rng::for_entity(config.seed, TAG_ITEM, u64::from(group));
        let item = factory_item(&mut rng);
        let sellers = &by_category[usize::from(item.category)];
        let listings = if rng.chance(config.group_share) { 2 + rng.below(4) as usize } else { 1 };
        let first = rng.below(sellers.len() as u64) as usize;
        let stride = 1 + rng.below((sellers.len() as u64 - 1).max(1)) as usize;
        for n in 0..listings.min(sellers.len()) {
            let supplier = sellers[(first + n * stride) % sellers.len()];
            let mut lr = Rng::for_entity(config.seed, TAG_LISTING, mix(u64::from(group), n as u64));
            let id = loop {
                let id = ids.range(520_000_000_000, 799_999_999_999);
                if offer_ids.insert(id) {
                    break id;
                }
            };
            offers.push(listing(&item, &mut lr, &mut ids, &mut sku_ids, id, supplier, group, n as u8));
        }
        group += 1;
    }
    offers
}

fn factory_item(rng: &mut Rng) -> FactoryItem {
    let category = rng.below(CATEGORIES.len() as u64) as u16;
    let spec = &CATEGORIES[usize::from(category)];
    let axis_values = spec
        .axes
        .iter()
        .enumerate()
        .map(|(i, axis)| {
            let n = axis.values.len() as u64;
            let want = if i == 0 { 2 + rng.below(n.min(6) - 1) } else { 2 + rng.below(n.min(5) - 1) };
            let start = rng.below(n);
            let mut values: Vec<u8> = (0..want).map(|k| ((start + k) % n) as u8).collect();
            values.sort_unstable();
            values
        })
        .collect();
    let edge = |rng: &mut Rng| (5 + rng.below(u64::from(spec.max_edge_cm) - 4)) as u16;
    FactoryItem {
        category,
        product: rng.below(spec.products.len() as u64) as usize,
        adjective: rng.below(spec.adjectives.len() as u64) as usize,
        design_seed: rng.next_u64(),
        base_fen: spec.price_fen.0 + (rng.f64().powi(2) * f64::from(spec.price_fen.1 - spec.price_fen.0)) as u32,
        weight_g: spec.weight_g.0 + rng.below(u64::from(spec.weight_g.1 - spec.weight_g.0)) as u32,
        dims_cm: [edge(rng), edge(rng), edge(rng)],
        axis_values,
        material: rng.below(spec.materials.len() as u64) as u8,
    }
}

#[allow(clippy::too_many_arguments)]
fn listing(
    item: &FactoryItem,
    rng: &mut Rng,
    ids: &mut Rng,
    sku_ids: &mut HashSet<i64>,
    id: i64,
    supplier: u32,
    group: u32,
    sibling: u8,
) -> Offer {
    let spec = &CATEGORIES[usize::from(item.category)];
    let (prefix, prefix_en) = *rng.pick(TITLE_PREFIXES);
    let (adj, adj_en) = if sibling == 0 { spec.adjectives[item.adjective] } else { *rng.pick(spec.adjectives) };
    let (product, product_en) = spec.products[item.product];
    let (suffix, suffix_en) = *rng.pick(&[
        ("", ""),
        ("", ""),
        ("批发", " Wholesale"),
        ("现货速发", " Fast Shipping"),
        ("工厂直供", " Factory Supply"),
    ]);
    let subject = format!("{prefix}{adj}{product}{suffix}");
    let subject_en = format!("{prefix_en} {adj_en} {product_en}{suffix_en}");

    let factor = 0.88 + rng.f64() * 0.27;
    let tier1 = Decimal::new(((f64::from(item.base_fen) * factor).round() as i64).max(10), 2);
    let moq = *rng.pick(spec.moqs);
    let batch_number = *rng.pick(spec.batches);
    let quote_type = match rng.below(20) {
        0..=5 => 0,
        6..=12 => 1,
        _ => 2,
    };
    let quote_type = if spec.axes.is_empty() { 0 } else { quote_type };
    let tiers = if quote_type == 1 { 1 } else { 1 + rng.below(4) as usize };
    let ladder = ladder(rng, moq, tier1, tiers);
    let skus = if quote_type == 0 { Vec::new() } else { skus(item, rng, ids, sku_ids, tier1, quote_type) };
    let created = CREATED_FROM + rng.range(0, CREATED_TO - CREATED_FROM);
    let month_sold = (rng.f64().powi(4) * 40_000.0) as i64;
    Offer {
        id,
        category: item.category,
        supplier,
        group,
        subject,
        subject_en,
        quote_type,
        moq,
        batch_number,
        ladder,
        consign_price: (tier1 * Decimal::new(115 + rng.range(0, 20), 2)).round_dp(2),
        promotion_pct: rng.chance(0.25).then(|| 3 + rng.below(8) as u8),
        skus,
        stock: if rng.chance(0.04) { 0 } else { rng.range(100, 99_999) },
        weight_g: (f64::from(item.weight_g) * (0.97 + rng.f64() * 0.06)) as u32,
        dims_cm: item.dims_cm,
        ship_guarantee: SHIP_GUARANTEES[rng.below(SHIP_GUARANTEES.len() as u64) as usize],
        month_sold,
        sales_7d: month_sold * (15 + rng.range(0, 20)) / 100,
        repurchase_pct: (rng.f64() * 45.0) as u8,
        created,
        modified: created + rng.range(0, CREATED_TO - created),
        design: Design { seed: item.design_seed, badge: sibling },
        gallery: 2 + rng.below(4) as u8,
        material: item.material,
        offer_identities: if rng.chance(0.2) { vec!["yx"] } else { Vec::new() },
        one_piece: rng.chance(0.6),
        jxhy: rng.chance(0.1),
        patent: rng.chance(0.03),
        trade_score_tenths: (38 + rng.below(13)) as u8,
        cargo_number: format!("{}{}", (b'A' + rng.below(26) as u8) as char, rng.range(100, 9999)),
    }
}

fn ladder(rng: &mut Rng, moq: i64, tier1: Decimal, tiers: usize) -> Vec<(i64, Decimal)> {
    let mut ladder = vec![(moq, tier1)];
    let mut price = tier1;
    for &start in BREAKPOINTS.iter().filter(|&&b| b > moq * 2) {
        if ladder.len() >= tiers {
            break;
        }
        if !rng.chance(0.5) {
            continue;
        }
        let cut = Decimal::new(3 + rng.range(0, 9), 2);
        let next = (price * (Decimal::ONE - cut)).round_dp(2);
        let next = if next >= price { price - Decimal::new(1, 2) } else { next };
        if next <= Decimal::new(1, 2) {
            break;
        }
        price = next;
        ladder.push((start, price));
    }
    ladder
}

fn skus(
    item: &FactoryItem,
    rng: &mut Rng,
    ids: &mut Rng,
    sku_ids: &mut HashSet<i64>,
    tier1: Decimal,
    quote_type: u8,
) -> Vec<Sku> {
    let mut combos: Vec<Vec<u8>> = vec![Vec::new()];
    for values in &item.axis_values {
        combos = combos.iter().flat_map(|c| values.iter().map(move |&v| [c.as_slice(), &[v]].concat())).collect();
    }
    combos
        .into_iter()
        .map(|values| {
            let id = loop {
                let id = ids.range(1_000_000_000_000, 5_999_999_999_999);
                if sku_ids.insert(id) {
                    break id;
                }
            };
            // Per-SKU prices rise with the last axis (bigger size, larger pack costs more).
            let step = values.last().map_or(0, |&v| i64::from(v));
            let price = if quote_type == 1 { (tier1 * Decimal::new(100 + 6 * step, 2)).round_dp(2) } else { tier1 };
            Sku {
                id,
                spec_id: rng.hex(32),
                values,
                price,
                stock: if rng.chance(0.06) { 0 } else { (rng.f64().powi(2) * 20_000.0) as i64 + 20 },
            }
        })
        .collect()
}

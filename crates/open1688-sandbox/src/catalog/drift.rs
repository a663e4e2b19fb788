//! How the catalog changes with time: prices, MOQ and stock drift, offers sell out, come back
//! and are delisted, deterministically from the seed and the clock. Every change is logged, so a
//! monitor can be checked against the truth.
//!
//! Time is cut into ticks from an epoch (the clock's start). At each tick every drifting offer
//! draws, from (seed, tick, offer), whether and how it changes; the state at an instant therefore
//! does not depend on how often anybody looked.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Catalog;
use super::rng::{Rng, mix};

const TAG_DRIFT: u64 = 11;
const TAG_CHOSEN: u64 = 12;

/// How much and how often the catalog changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DriftConfig {
    /// Share of offers that change at all.
    pub share: f64,
    /// Length of a tick in seconds; changes happen on tick boundaries.
    pub tick_seconds: i64,
    /// Expected changes per drifting offer per day.
    pub events_per_day: f64,
}

impl Default for DriftConfig {
    fn default() -> Self {
        Self { share: 0.1, tick_seconds: 3600, events_per_day: 1.0 }
    }
}

/// What changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    /// A tier's unit price.
    TierPrice {
        /// The tier's start quantity.
        start_quantity: i64,
        /// Price before.
        old: Decimal,
        /// Price after.
        new: Decimal,
    },
    /// A SKU's price as the API shows it (its own for quote type 1, the first tier's otherwise).
    SkuPrice {
        /// The SKU.
        sku_id: i64,
        /// Price before.
        old: Decimal,
        /// Price after.
        new: Decimal,
    },
    /// The minimum order quantity (and with it the first tier's start).
    Moq {
        /// MOQ before.
        old: i64,
        /// MOQ after.
        new: i64,
    },
    /// Stock of a SKU (or of the offer when it has none).
    Stock {
        /// The SKU, if any.
        sku_id: Option<i64>,
        /// Stock before.
        old: i64,
        /// Stock after.
        new: i64,
    },
    /// Every SKU reached zero stock.
    SoldOut,
    /// Stock came back after a sell-out.
    BackInStock,
    /// The offer was taken off the platform.
    Delisted,
    /// A delisted offer was published again.
    Relisted,
}

/// One logged change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// When (epoch ms on the sandbox clock).
    pub at_ms: i64,
    /// Which offer.
    pub offer_id: i64,
    /// What.
    #[serde(flatten)]
    pub kind: ChangeKind,
}

/// Current mutable state of one offer.
#[derive(Clone, Debug)]
pub struct LiveOffer {
    /// Price factor in basis points (10000 = the base ladder).
    pub price_bp: u32,
    /// Current MOQ.
    pub moq: i64,
    /// Stock per SKU, or one entry for an offer without SKUs.
    pub stock: Vec<i64>,
    /// Delisted offers are not searchable and show status `expired`.
    pub delisted: bool,
}

impl LiveOffer {
    /// Total stock.
    pub fn total_stock(&self) -> i64 {
        self.stock.iter().sum()
    }

    /// The offer's ladder now: the first tier starts at the current MOQ, prices scaled.
    pub fn ladder(&self, offer: &super::Offer) -> Vec<(i64, Decimal)> {
        offer
            .ladder
            .iter()
            .enumerate()
            .map(|(n, &(start, price))| (if n == 0 { self.moq } else { start }, self.price(price)))
            .collect()
    }

    /// A base price scaled by the current factor, in cents.
    pub fn price(&self, base: Decimal) -> Decimal {
        (base * Decimal::from(self.price_bp) / Decimal::from(10_000)).round_dp(2).max(Decimal::new(1, 2))
    }
}

/// The state of every offer at the last applied tick, and the log of changes so far.
#[derive(Debug)]
pub struct LiveCatalog {
    config: DriftConfig,
    epoch_ms: i64,
    applied_tick: i64,
    /// Per offer, same index as the catalog.
    pub offers: Vec<LiveOffer>,
    drifting: Vec<u32>,
    changes: Vec<Change>,
}

impl LiveCatalog {
    /// The catalog as created, with changes starting at `epoch_ms`.
    pub fn new(catalog: &Catalog, config: DriftConfig, epoch_ms: i64) -> Self {
        let offers = catalog
            .offers
            .iter()
            .map(|o| LiveOffer {
                price_bp: 10_000,
                moq: o.moq,
                stock: if o.skus.is_empty() { vec![o.stock] } else { o.skus.iter().map(|s| s.stock).collect() },
                delisted: false,
            })
            .collect();
        let drifting = (0..catalog.offers.len() as u32)
            .filter(|&i| Rng::for_entity(catalog.config.seed, TAG_CHOSEN, u64::from(i)).chance(config.share))
            .collect();
        Self { config, epoch_ms, applied_tick: 0, offers, drifting, changes: Vec::new() }
    }

    fn tick_ms(&self) -> i64 {
        self.config.tick_seconds.max(1) * 1000
    }

    /// Whether the state is behind `now_ms`.
    pub fn is_behind(&self, now_ms: i64) -> bool {
        (now_ms - self.epoch_ms).div_euclid(self.tick_ms()) > self.applied_tick
    }

    /// Applies every tick up to `now_ms`.
    pub fn advance_to(&mut self, catalog: &Catalog, now_ms: i64) {
        let target = (now_ms - self.epoch_ms).div_euclid(self.tick_ms());
        let p = (self.config.events_per_day * self.config.tick_seconds as f64 / 86_400.0).min(1.0);
        while self.applied_tick < target {
            self.applied_tick += 1;
            let at_ms = self.epoch_ms + self.applied_tick * self.tick_ms();
            for k in 0..self.drifting.len() {
                let i = self.drifting[k] as usize;
                let mut rng = Rng::for_entity(catalog.config.seed, TAG_DRIFT, mix(self.applied_tick as u64, i as u64));
                if rng.chance(p) {
                    self.apply_event(catalog, i, &mut rng, at_ms);
                }
            }
        }
    }

    /// Changes with `from_ms < at_ms <= to_ms`, in order.
    pub fn changes_between(&self, from_ms: i64, to_ms: i64) -> Vec<Change> {
        let start = self.changes.partition_point(|c| c.at_ms <= from_ms);
        let end = self.changes.partition_point(|c| c.at_ms <= to_ms);
        self.changes[start..end.max(start)].to_vec()
    }

    fn apply_event(&mut self, catalog: &Catalog, i: usize, rng: &mut Rng, at_ms: i64) {
        let offer = &catalog.offers[i];
        let mut log = Vec::new();
        let live = &mut self.offers[i];
        let was_sold_out = live.total_stock() == 0;
        if live.delisted {
            if rng.chance(0.3) {
                live.delisted = false;
                log.push(ChangeKind::Relisted);
            }
        } else {
            match rng.below(100) {
                0..=34 => {
                    let pct = 2 + rng.below(11) as i64;
                    let up = if live.price_bp > 11_000 {
                        rng.chance(0.25)
                    } else if live.price_bp < 9_000 {
                        rng.chance(0.75)
                    } else {
                        rng.chance(0.5)
                    };
                    let delta = i64::from(live.price_bp) * pct / 100;
                    let new_bp =
                        (i64::from(live.price_bp) + if up { delta } else { -delta }).clamp(6_000, 16_000) as u32;
                    let before = live.clone();
                    live.price_bp = new_bp;
                    for (n, &(start, base)) in offer.ladder.iter().enumerate() {
                        let start = if n == 0 { live.moq } else { start };
                        let (old, new) = (before.price(base), live.price(base));
                        if old != new {
                            log.push(ChangeKind::TierPrice { start_quantity: start, old, new });
                        }
                    }
                    // SKUs show their own price (quote type 1) or the first tier's (type 2);
                    // either way the API's SKU price moves, so the log says so.
                    for sku in &offer.skus {
                        let base = if offer.quote_type == 1 { sku.price } else { offer.ladder[0].1 };
                        let (old, new) = (before.price(base), live.price(base));
                        if old != new {
                            log.push(ChangeKind::SkuPrice { sku_id: sku.id, old, new });
                        }
                    }
                }
                35..=44 => {
                    let ceiling = offer.ladder.get(1).map_or(i64::MAX, |t| t.0);
                    let choices: Vec<i64> =
                        offer.category().moqs.iter().copied().filter(|&m| m < ceiling && m != live.moq).collect();
                    if !choices.is_empty() {
                        let new = *rng.pick(&choices);
                        log.push(ChangeKind::Moq { old: live.moq, new });
                        live.moq = new;
                    }
                }
                45..=84 => {
                    for k in 0..live.stock.len() {
                        if !rng.chance(if was_sold_out { 0.8 } else { 0.4 }) {
                            continue;
                        }
                        let old = live.stock[k];
                        let new = if old == 0 || rng.chance(0.3) {
                            old + 50 + rng.below(5_000) as i64
                        } else {
                            old - (old * (5 + rng.below(40) as i64) / 100).max(1)
                        };
                        live.stock[k] = new.max(0);
                        log.push(ChangeKind::Stock { sku_id: offer.skus.get(k).map(|s| s.id), old, new: new.max(0) });
                    }
                }
                85..=93 => {
                    for k in 0..live.stock.len() {
                        if live.stock[k] > 0 {
                            log.push(ChangeKind::Stock {
                                sku_id: offer.skus.get(k).map(|s| s.id),
                                old: live.stock[k],
                                new: 0,
                            });
                            live.stock[k] = 0;
                        }
                    }
                }
                _ => {
                    live.delisted = true;
                    log.push(ChangeKind::Delisted);
                }
            }
        }
        let sold_out = live.total_stock() == 0;
        if sold_out && !was_sold_out {
            log.push(ChangeKind::SoldOut);
        } else if was_sold_out && !sold_out {
            log.push(ChangeKind::BackInStock);
        }
        self.changes.extend(log.into_iter().map(|kind| Change { at_ms, offer_id: offer.id, kind }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogConfig;

    fn catalog() -> Catalog {
        Catalog::build(CatalogConfig { offers: 1_000, suppliers: 100, ..Default::default() })
    }

    #[test]
    fn state_does_not_depend_on_how_often_it_was_advanced() {
        let c = catalog();
        let config = DriftConfig { share: 0.3, ..Default::default() };
        let mut stepwise = LiveCatalog::new(&c, config.clone(), 0);
        for hour in 1..=24 * 10 {
            stepwise.advance_to(&c, hour * 3_600_000 + 5);
        }
        let mut at_once = LiveCatalog::new(&c, config, 0);
        at_once.advance_to(&c, 240 * 3_600_000 + 5);
        assert_eq!(stepwise.changes_between(0, i64::MAX), at_once.changes_between(0, i64::MAX));
        assert!(at_once.changes.len() > 100, "ten days should change something: {}", at_once.changes.len());
        let kinds: std::collections::HashSet<_> =
            at_once.changes.iter().map(|c| std::mem::discriminant(&c.kind)).collect();
        assert!(kinds.len() >= 6, "most kinds of change occur");
    }

    #[test]
    fn changes_between_is_half_open() {
        let c = catalog();
        let mut live = LiveCatalog::new(&c, DriftConfig { share: 1.0, events_per_day: 24.0, ..Default::default() }, 0);
        live.advance_to(&c, 3 * 3_600_000);
        let first = live.changes_between(0, 3_600_000);
        assert!(first.iter().all(|ch| ch.at_ms == 3_600_000));
        let rest = live.changes_between(3_600_000, 3 * 3_600_000);
        assert_eq!(first.len() + rest.len(), live.changes.len());
    }
}

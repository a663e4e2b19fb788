//! Buy now or wait, backtested on the sandbox's drift: every drifting offer of the default
//! catalog is followed for 60 simulated days; from day 30 on, each day the trend of the previous
//! 30 days advises, and the advice is scored against the price 7 days later (waiting was right
//! when the price then was lower; buying now was right when it was not).

use chrono::{DateTime, Duration, Utc};
use open1688_sandbox::catalog::Catalog;
use open1688_sandbox::catalog::drift::{DriftConfig, LiveCatalog};
use rust_decimal::Decimal;
use sourcing::{Observation, Timing, trend};

const DAY_MS: i64 = 86_400_000;

#[test]
fn buy_now_or_wait_against_the_sandbox_drift() {
    let catalog = Catalog::build(Default::default());
    let epoch: DateTime<Utc> = "2026-10-01T00:00:00Z".parse().unwrap();
    let mut live = LiveCatalog::new(&catalog, DriftConfig::default(), epoch.timestamp_millis());
    // Daily first-tier price and stock of every offer, days 0–59.
    let mut days: Vec<Vec<(Decimal, i64)>> = Vec::with_capacity(60);
    for day in 0..60 {
        live.advance_to(&catalog, epoch.timestamp_millis() + day * DAY_MS);
        days.push(
            catalog.offers.iter().zip(&live.offers).map(|(o, l)| (l.price(o.ladder[0].1), l.total_stock())).collect(),
        );
    }
    let moved: Vec<usize> =
        (0..catalog.offers.len()).filter(|&i| days.iter().any(|d| d[i].0 != days[0][i].0)).collect();
    assert!(moved.len() > 500, "the drift moves prices ({} offers)", moved.len());
    let (mut right, mut decided, mut waits, mut waits_right) = (0_u32, 0_u32, 0_u32, 0_u32);
    let (mut always_buy_right, mut saved) = (0_u32, Decimal::ZERO);
    for &i in &moved {
        for t in 30..53 {
            let observations: Vec<Observation> = (t - 30..=t)
                .map(|d| Observation {
                    at: epoch + Duration::days(d as i64),
                    unit_price: days[d][i].0,
                    stock: Some(days[d][i].1),
                })
                .collect();
            let advice = trend(&observations).unwrap();
            let (now, later) = (days[t][i].0, days[t + 7][i].0);
            let wait_pays = later < now;
            decided += 1;
            always_buy_right += u32::from(!wait_pays);
            match advice.timing {
                Timing::BuyNow => right += u32::from(!wait_pays),
                Timing::Wait => {
                    waits += 1;
                    waits_right += u32::from(wait_pays);
                    right += u32::from(wait_pays);
                    saved += now - later;
                }
            }
        }
    }
    let rate = |n: u32, of: u32| f64::from(n) / f64::from(of.max(1));
    eprintln!(
        "backtest: {} offers × 23 days = {decided} decisions; the advice was right {:.1}% (always buying now: {:.1}%); \
         it said wait {waits} times, right {:.1}% of them, ¥{} a unit saved in all by those waits",
        moved.len(),
        100.0 * rate(right, decided),
        100.0 * rate(always_buy_right, decided),
        100.0 * rate(waits_right, waits),
        saved.round_dp(2)
    );
    assert!(waits > 0, "the advice sometimes says wait");
    assert!(rate(right, decided) > 0.5, "better than a coin");
}

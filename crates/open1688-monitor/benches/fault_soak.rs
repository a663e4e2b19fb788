//! The fault soak at full size: 1,000 watched offers over 30 simulated days against a sandbox
//! failing one call in ten, with the SDK's default retry policy, a webhook receiver down for a day
//! and a monitor killed mid-cycle every seventh day. Prints the figures BENCHMARKS.md records;
//! run with `cargo bench -p open1688-monitor --bench fault_soak` (`SOAK_OFFERS`, `SOAK_DAYS`
//! change the size). Exits non-zero when anything was lost, doubled or crashed.
#![allow(missing_docs)]

#[path = "../tests/support/mod.rs"]
mod support;

use support::soak::{SoakSize, soak};

fn main() {
    let env = |name: &str, default: i64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let size = SoakSize {
        offers: usize::try_from(env("SOAK_OFFERS", 1_000)).unwrap_or(1_000),
        days: env("SOAK_DAYS", 30),
        default_retries: true,
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let r = rt.block_on(soak(size));
    println!("fault soak: {} offers x {} days in {:.0} s", size.offers, size.days, r.seconds);
    println!(
        "  gateway calls {} ({} injected faults, {:.1} %); checks {} ({} failed after retries, checked again next day)",
        r.calls,
        r.faults,
        r.faults as f64 * 100.0 / r.calls.max(1) as f64,
        r.checks,
        r.failed_checks
    );
    println!("  crashes {}; cycles killed and resumed {}", r.crashes, r.kills);
    println!("  snapshots {} (lost {}, doubled {})", r.snapshots, r.lost_snapshots, r.duplicated_snapshots);
    println!(
        "  alerts: change log {} / stored {} (missed {}, false {})",
        r.expected_alerts,
        r.stored_alerts,
        r.missed_alerts.len(),
        r.false_alarms.len()
    );
    println!(
        "  webhook: {} deliveries accepted, {} refused while down, {} stored alerts undelivered, {} delivery ids received twice, {} alerts in two deliveries",
        r.deliveries, r.refused, r.undelivered_alerts, r.redelivered, r.alerts_in_two_deliveries
    );
    let clean = r.crashes == 0
        && r.lost_snapshots == 0
        && r.duplicated_snapshots == 0
        && r.missed_alerts.is_empty()
        && r.false_alarms.is_empty()
        && r.undelivered_alerts == 0
        && r.alerts_in_two_deliveries == 0;
    if !clean {
        eprintln!("missed {:?}\nfalse {:?}", r.missed_alerts, r.false_alarms);
        std::process::exit(1);
    }
}

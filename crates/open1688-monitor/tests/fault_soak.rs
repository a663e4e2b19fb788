//! The fault soak, small enough for every test run (the full 1,000 offers × 30 days is the
//! `fault_soak` bench): with one call in ten failing, a receiver down for a day and a monitor
//! killed mid-cycle, no cycle crashes, no snapshot is lost or doubled, the stored alerts are the
//! change log's, and every one reaches the receiver exactly once per delivery id.

mod support;

use support::soak::{SoakSize, soak};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faulty_month_loses_and_doubles_nothing() {
    let r = soak(SoakSize { offers: 60, days: 10, default_retries: false }).await;
    println!("{r:#?}");
    assert!(r.faults * 20 > r.calls, "faults were injected: {} of {}", r.faults, r.calls);
    assert_eq!(r.crashes, 0);
    assert!(r.kills >= 1, "a cycle was killed");
    assert_eq!((r.lost_snapshots, r.duplicated_snapshots), (0, 0));
    assert!(r.expected_alerts > 10, "the month raised alerts: {}", r.expected_alerts);
    assert!(r.missed_alerts.is_empty(), "missed: {:?}", r.missed_alerts);
    assert!(r.false_alarms.is_empty(), "false alarms: {:?}", r.false_alarms);
    assert!(r.refused > 0, "the receiver was down for a day");
    assert_eq!(r.undelivered_alerts, 0);
    assert_eq!(r.alerts_in_two_deliveries, 0);
    assert_eq!(r.redelivered, 0);
}

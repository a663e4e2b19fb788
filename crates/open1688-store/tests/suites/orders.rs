//! Orders in the store, the same on every database: an intent recorded once whatever happens,
//! its answer (placed, failed, unconfirmed), its statuses kept once each as a timeline, money
//! exact, and the open orders listed for tracking; then the alerts about them, queued once each.

use chrono::DateTime;
use open1688_store::{
    Alert, AlertQuery, NewOrder, ORDER_ALERTS, OrderAlert, OrderAlertSubject, OrderChangeKind, OrderLine, OrderQuery,
    OrderReadback, OrderReceiver, OrderState, ReadbackLine, SqlStore, Store,
};
use rust_decimal::Decimal;

fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn order(out: &str, batch: &str) -> NewOrder {
    NewOrder {
        out_order_id: out.to_owned(),
        batch: batch.to_owned(),
        supplier: "b2b-2208".to_owned(),
        lines: vec![
            OrderLine {
                offer_id: 630_526_089_341,
                spec_id: Some("eb81c61de14f4adb405ffcc2c8a4a3fb".into()),
                quantity: 300,
                unit_price: money("8.35"),
                title: Some("保温杯".into()),
            },
            OrderLine {
                offer_id: 9_007_199_254_740_993,
                spec_id: None,
                quantity: 2,
                unit_price: money("0.01"),
                title: None,
            },
        ],
        expected_total: money("2512.0250"),
    }
}

pub async fn order_suite(store: &SqlStore, base: i64) {
    let out = format!("o1688-{base}");
    let batch = format!("plan-{base}");
    let (intent, new) = store.record_order_intent(&order(&out, &batch), 1_000).await.unwrap();
    assert!(new);
    assert_eq!((intent.state, intent.order_id, intent.status.as_deref()), (OrderState::Intent, None, None));
    assert_eq!(intent.lines, order(&out, &batch).lines, "lines, big ids and prices come back exactly");
    assert_eq!(intent.expected_total, money("2512.025"));
    assert_eq!(intent.expected_total.to_string(), "2512.025", "the same scale on every database");

    // Recorded again (a second run of the same plan): the stored order, untouched.
    let (again, new) = store.record_order_intent(&order(&out, &batch), 2_000).await.unwrap();
    assert!(!new);
    assert_eq!(again, intent);
    let empty = NewOrder { lines: Vec::new(), ..order(&format!("{out}-empty"), &batch) };
    assert!(store.record_order_intent(&empty, 1).await.is_err(), "an order without lines is refused");

    // No answer: unconfirmed, with why. Then found on the platform: placed.
    assert!(store.mark_order(&out, OrderState::Unconfirmed, "timed out after 30 s", 3_000).await.unwrap());
    let unconfirmed = store.order_by_out_id(&out).await.unwrap().unwrap();
    assert_eq!(
        (unconfirmed.state, unconfirmed.error.as_deref()),
        (OrderState::Unconfirmed, Some("timed out after 30 s"))
    );
    let order_id = 2_237_938_826_932_135_000 + base % 1_000;
    let placed = store
        .mark_order_placed(&out, order_id, Some(money("2520.50")), "waitbuyerpay", "reconcile", 4_000)
        .await
        .unwrap();
    assert_eq!((placed.state, placed.order_id, placed.error), (OrderState::Placed, Some(order_id), None));
    assert_eq!(placed.platform_total, Some(money("2520.5")));
    assert_eq!(placed.status_ms, Some(4_000));
    // A placed order is never marked failed or unconfirmed afterwards.
    assert!(!store.mark_order(&out, OrderState::Failed, "late", 5_000).await.unwrap());
    assert_eq!(store.order_by_platform_id(order_id).await.unwrap().unwrap().state, OrderState::Placed);

    // Statuses: a change is returned and kept once; the same status again (a push, then a poll)
    // only refreshes the logistics.
    let change = store.set_order_status(order_id, "waitsellersend", "push", None, None, 6_000).await.unwrap().unwrap();
    assert_eq!((change.from.as_deref(), change.to.as_str()), (Some("waitbuyerpay"), "waitsellersend"));
    let trace = serde_json::json!({"carrier": "中通快递", "bill": "ZT1234", "steps": [{"at": "2026-12-03 10:00:00", "remark": "已揽收"}]});
    let shipped =
        store.set_order_status(order_id, "waitbuyerreceive", "poll", Some("中通快递 ZT1234"), Some(&trace), 7_000);
    assert!(shipped.await.unwrap().is_some());
    assert!(store.set_order_status(order_id, "waitbuyerreceive", "push", None, None, 8_000).await.unwrap().is_none());
    let now = store.order_by_platform_id(order_id).await.unwrap().unwrap();
    assert_eq!((now.status.as_deref(), now.status_ms), (Some("waitbuyerreceive"), Some(7_000)), "status time kept");
    assert_eq!(now.logistics, Some(trace), "logistics kept when a later report has none");
    let timeline: Vec<(String, String)> =
        store.order_events(now.id).await.unwrap().into_iter().map(|e| (e.status, e.source)).collect();
    assert_eq!(
        timeline,
        [
            ("waitbuyerpay".to_owned(), "reconcile".to_owned()),
            ("waitsellersend".into(), "push".into()),
            ("waitbuyerreceive".into(), "poll".into())
        ]
    );
    assert!(store.set_order_status(1, "success", "push", None, None, 9_000).await.is_err(), "an unknown order");

    // A refused order, and the lists: by batch, open ones only.
    let refused = format!("{out}-b");
    store.record_order_intent(&order(&refused, &batch), 10_000).await.unwrap();
    store.mark_order(&refused, OrderState::Failed, "500_005: below the MOQ", 10_000).await.unwrap();
    let query = OrderQuery { batch: Some(batch.clone()), ..OrderQuery::default() };
    let listed: Vec<String> = store.orders(&query).await.unwrap().into_iter().map(|o| o.out_order_id).collect();
    assert_eq!(listed, [refused.clone(), out.clone()], "newest first");
    let open = store.orders(&OrderQuery { open_only: true, ..query.clone() }).await.unwrap();
    assert_eq!(open.iter().map(|o| o.out_order_id.as_str()).collect::<Vec<_>>(), [out.as_str()]);
    store.set_order_status(order_id, "success", "poll", None, None, 11_000).await.unwrap();
    assert!(
        store.orders(&OrderQuery { open_only: true, ..query }).await.unwrap().is_empty(),
        "a successful order is done"
    );
    let refused_row = store.order_by_out_id(&refused).await.unwrap().unwrap().id;
    order_alert_suite(store, base, order_id, now.id, refused_row).await;
    split_and_readback_suite(store, base).await;
    reused_number_suite(store, base).await;
}

/// A gateway that forgot its orders (a sandbox restarted) numbers a new order as an old one was:
/// the new order is placed under the number, the old record lets it go (failed, saying why), and
/// nothing is left stuck as an intent.
async fn reused_number_suite(store: &SqlStore, base: i64) {
    let number = 2_237_938_826_934_000_000 + base % 1_000;
    let (old, new) = (format!("o1688-{base}-old"), format!("o1688-{base}-new"));
    store.record_order_intent(&order(&old, "reuse"), 1_000).await.unwrap();
    store.mark_order_placed(&old, number, None, "waitbuyerpay", "create", 1_000).await.unwrap();
    store.record_order_intent(&order(&new, "reuse"), 2_000).await.unwrap();
    let placed = store.mark_order_placed(&new, number, None, "waitbuyerpay", "create", 2_000).await.unwrap();
    assert_eq!((placed.state, placed.order_id), (OrderState::Placed, Some(number)));
    assert_eq!(store.order_by_platform_id(number).await.unwrap().unwrap().out_order_id, new);
    let released = store.order_by_out_id(&old).await.unwrap().unwrap();
    assert_eq!((released.state, released.order_id), (OrderState::Failed, None));
    let why = released.error.unwrap_or_default();
    assert!(why.contains(&number.to_string()) && why.contains(&new), "{why}");
}

/// One create call that made two orders, each recorded and listed; then what the platform says
/// of an order when read back, kept and compared with what was placed.
async fn split_and_readback_suite(store: &SqlStore, base: i64) {
    let out = format!("o1688-{base}-s");
    store.record_order_intent(&order(&out, &format!("split-{base}")), 1_000).await.unwrap();
    let first_id = 2_237_938_826_933_000_000 + base % 1_000 * 10;
    let first =
        store.mark_order_placed(&out, first_id, Some(money("100.50")), "waitbuyerpay", "create", 2_000).await.unwrap();
    assert!(store.split_orders(&out).await.unwrap().is_empty());
    let second = store.record_split_order(&first, 2, first_id + 1, Some(money("48.25")), 2_000).await.unwrap();
    assert_eq!(second.out_order_id, format!("{out}-2"));
    assert_eq!(
        (second.state, second.order_id, second.status.as_deref()),
        (OrderState::Placed, Some(first_id + 1), Some("waitbuyerpay"))
    );
    assert_eq!((second.platform_total, second.split_of.as_deref()), (Some(money("48.25")), Some(out.as_str())));
    assert!(second.lines.is_empty(), "its lines are known once it is read back");
    assert_eq!(
        store.order_by_out_id(&out).await.unwrap().unwrap().split_of.as_deref(),
        Some(out.as_str()),
        "the first is part of the split"
    );
    let again = store.record_split_order(&first, 2, first_id + 1, Some(money("48.25")), 3_000).await.unwrap();
    assert_eq!(again, second, "recorded once");
    assert_eq!(store.split_orders(&out).await.unwrap(), std::slice::from_ref(&second));
    assert_eq!(store.order_events(second.id).await.unwrap().len(), 1, "its making starts its timeline");
    let open =
        store.orders(&OrderQuery { open_only: true, batch: Some(format!("split-{base}")), limit: 0 }).await.unwrap();
    assert_eq!(open.len(), 2, "both are tracked");

    let read = OrderReadback {
        read_ms: 5_000,
        total: Some(money("112.00")),
        goods: Some(money("97.00")),
        freight: Some(money("15")),
        discount: Some(money("-0.5")),
        receiver: Some(OrderReceiver {
            name: Some("义乌仓 张三".into()),
            area: Some("浙江省 金华市 义乌市".into()),
            ..OrderReceiver::default()
        }),
        carrier: Some("中通快递".into()),
        waybill: Some("ZT1234".into()),
        lines: vec![ReadbackLine {
            offer_id: Some(630_526_089_341),
            quantity: Some(300),
            unit_price: Some(money("8.35")),
            ..ReadbackLine::default()
        }],
    };
    store.save_order_readback(first_id, &read, 5_000).await.unwrap();
    let kept = store.order_by_platform_id(first_id).await.unwrap().unwrap();
    assert_eq!(kept.readback.as_ref(), Some(&read), "money and text come back exactly");
    let changes = kept.changes_since_placed();
    assert_eq!(changes.len(), 1, "a split order is compared by its total: {changes:?}");
    assert_eq!(
        (changes[0].kind, changes[0].placed, changes[0].now),
        (OrderChangeKind::Total, Some(money("100.5")), Some(money("112")))
    );
    assert!(store.save_order_readback(1, &read, 5_000).await.is_err(), "an unknown order");
}

fn alert(at_ms: i64, rule: &str, message: &str) -> Alert {
    Alert {
        offer_id: 630_526_089_341,
        at: DateTime::from_timestamp_millis(at_ms).unwrap(),
        rule: rule.to_owned(),
        message: message.to_owned(),
        order_id: None,
        event: None,
    }
}

/// Order `order_id` (row `row`) went waitbuyerpay → waitsellersend → waitbuyerreceive → success;
/// `other_row` is another order of the same offer.
async fn order_alert_suite(store: &SqlStore, base: i64, order_id: i64, row: i64, other_row: i64) {
    // Every change waits to be alerted, whoever saw it; the placing itself does not.
    let changes: Vec<_> = store
        .unalerted_order_changes(1_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.order.order_id == Some(order_id))
        .collect();
    let seen: Vec<(Option<&str>, &str, &str)> =
        changes.iter().map(|c| (c.from.as_deref(), c.to.as_str(), c.source.as_str())).collect();
    assert_eq!(
        seen,
        [
            (Some("waitbuyerpay"), "waitsellersend", "push"),
            (Some("waitsellersend"), "waitbuyerreceive", "poll"),
            (Some("waitbuyerreceive"), "success", "poll")
        ]
    );
    assert_eq!(changes[0].at_ms, 6_000);
    let alerts: Vec<OrderAlert> = changes
        .iter()
        .map(|c| OrderAlert {
            subject: OrderAlertSubject::Change { event_id: c.event_id },
            alert: Alert {
                order_id: Some(order_id),
                ..alert(c.at_ms, "order_status", &format!("order {order_id}: → {}", c.to))
            },
        })
        .collect();
    let channel = format!("orders-{base}");
    let stored = store.save_order_alerts(&alerts, &[&channel], 20_000).await.unwrap();
    assert_eq!(stored.len(), 3);
    // Saved again (a second monitor, or a rerun after a kill): each change is alerted once.
    assert!(store.save_order_alerts(&alerts, &[&channel], 21_000).await.unwrap().is_empty());
    assert!(store.unalerted_order_changes(1_000).await.unwrap().iter().all(|c| c.order.order_id != Some(order_id)));

    // One delivery on the channel, as for a watch's alerts; the log names the order.
    let due = store.claim_deliveries("suite", &[&channel], 22_000, 60_000, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].watch_id, due[0].alerts.len()), (ORDER_ALERTS, 3));
    let log = store
        .alert_log(&AlertQuery { since_ms: 0, watch_id: Some(ORDER_ALERTS), unacknowledged: false, limit: 100 })
        .await
        .unwrap();
    let ours: Vec<_> = log.iter().filter(|a| a.alert.order_id == Some(order_id)).collect();
    assert_eq!(ours.len(), 3);
    assert_eq!(ours[0].alert.message, format!("order {order_id}: → success"), "newest first");

    // Stuck: once per stay in a status, however often the monitor (or another one) finds it.
    let stuck_at = |status_ms: i64, order_row: i64, at_ms: i64| OrderAlert {
        subject: OrderAlertSubject::Stuck { order_row, status_ms },
        alert: Alert { order_id: Some(order_id), ..alert(at_ms, "order_stuck", "unpaid after 25 h") },
    };
    assert_eq!(store.save_order_alerts(&[stuck_at(11_000, row, 30_000)], &[], 30_000).await.unwrap().len(), 1);
    assert!(store.save_order_alerts(&[stuck_at(11_000, row, 31_000)], &[], 31_000).await.unwrap().is_empty());
    assert_eq!(
        store.save_order_alerts(&[stuck_at(12_000, row, 32_000)], &[], 32_000).await.unwrap().len(),
        1,
        "a new stay in a status is alerted again"
    );
    // Two orders of one offer alerted in the same millisecond: both kept, the second a
    // millisecond later (the alerts' key was made for a watch's repeats).
    let pair = [stuck_at(40_000, row, 40_000), stuck_at(40_000, other_row, 40_000)];
    let both = store.save_order_alerts(&pair, &[], 40_000).await.unwrap();
    let times: Vec<i64> = both.iter().map(|a| a.at.timestamp_millis()).collect();
    assert_eq!(times, [40_000, 40_001]);
}

//! Freight confirmed by the platform: the best candidates' orders previewed with the sandbox
//! (nothing placed), the comparison ranked again on the platform's freight, what changed said,
//! and the previews reused when asked again.

use open1688_jobs::{ConfirmFreight, Jobs, Progress, ShipTo, SourceRequest};
use open1688_sandbox::Sandbox;
use open1688_sandbox::orders::OrderConfig;
use rust_decimal::Decimal;

mod common;
use common::sandbox_jobs_from;

async fn jobs_over(orders: OrderConfig) -> (Sandbox, Jobs) {
    sandbox_jobs_from(Sandbox::builder().quotas_off().orders(orders)).await
}

fn warehouse() -> ShipTo {
    ShipTo {
        name: Some("义乌仓 张三".into()),
        mobile: Some("13800000000".into()),
        province: Some("浙江省".into()),
        city: Some("金华市".into()),
        district: Some("义乌市".into()),
        street: Some("福田街道 1 号".into()),
        ..ShipTo::default()
    }
}

/// A seller shipping free above ¥1,000 (the estimate knows nothing of it) turns the cheapest
/// estimate into a dearer order: the platform's figures change the pick, the decision carries
/// them, and the same question again costs no preview call.
#[tokio::test]
async fn the_platforms_freight_changes_the_pick_and_previews_are_reused() {
    let orders = OrderConfig { free_freight_over: Some(Decimal::from(1_000)), ..OrderConfig::default() };
    let (sandbox, jobs) = jobs_over(orders).await;
    let p = Progress::silent();
    let plain = jobs.source(&SourceRequest::new("收纳盒", 300), &p).await.unwrap();
    let estimated_pick = plain.decision.as_ref().unwrap().offer_id;
    assert!(plain.freight_confirmation.is_none(), "nothing is previewed unless asked");

    let mut request = SourceRequest::new("收纳盒", 300);
    request.confirm_freight = Some(ConfirmFreight { ship_to: warehouse(), top: 5 });
    let before = sandbox.stats().total.calls;
    let confirmed = jobs.source(&request, &p).await.unwrap();
    let spent = sandbox.stats().total.calls - before;
    let c = confirmed.freight_confirmation.as_ref().unwrap();
    assert_eq!((c.pick_before, c.preview_calls), (Some(estimated_pick), 5), "{}", c.summary());
    assert!(c.pick_changed && c.pick_after != Some(estimated_pick), "{}", c.summary());
    assert!(c.summary().contains("the pick changed to offer"), "{}", c.summary());
    let d = confirmed.decision.as_ref().unwrap();
    assert_eq!(Some(d.offer_id), c.pick_after);
    assert_eq!(d.cost.freight_source, sourcing::FreightSource::Platform, "the pick's figures are the platform's");
    let after = c.candidates.iter().find(|x| x.offer_id == d.offer_id).unwrap();
    assert_eq!(after.confirmed.as_ref(), Some(&d.cost));
    assert!(
        after.confirmed.as_ref().unwrap().landed_total < after.estimated.landed_total,
        "free shipping above ¥1,000"
    );
    let row = confirmed.comparison.rows.iter().find(|r| r.offer_id == d.offer_id).unwrap();
    assert_eq!(row.cost, d.cost, "the comparison and the decision agree");
    assert!(spent >= 5, "five previews were asked: {spent} calls");
    assert!(sandbox.orders().is_empty(), "a preview places nothing");

    let again = jobs.source(&request, &p).await.unwrap();
    let c = again.freight_confirmation.as_ref().unwrap();
    assert_eq!(c.preview_calls, 0, "previews of the last ten minutes are reused");
    assert_eq!(again.decision.as_ref().unwrap().offer_id, d.offer_id);
}

/// Where the platform charges what the estimate says, the pick stands and says so; a bad count
/// is refused before any call, naming the field.
#[tokio::test]
async fn an_estimate_the_platform_agrees_with_stands_and_a_bad_count_is_refused() {
    let (_sandbox, jobs) = jobs_over(OrderConfig::default()).await;
    let mut request = SourceRequest::new("数据线", 500);
    request.confirm_freight = Some(ConfirmFreight { ship_to: warehouse(), top: 2 });
    let report = jobs.source(&request, &Progress::silent()).await.unwrap();
    let c = report.freight_confirmation.unwrap();
    assert!(!c.pick_changed && c.summary().contains("the pick stands"), "{}", c.summary());
    assert_eq!(c.candidates.len(), 2);
    request.confirm_freight = Some(ConfirmFreight { ship_to: warehouse(), top: 9 });
    let err = jobs.source(&request, &Progress::silent()).await.unwrap_err();
    assert!(matches!(&err, open1688_jobs::JobError::Invalid { field, .. } if field == "confirm_freight.top"), "{err}");
}

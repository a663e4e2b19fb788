//! Orders end to end against the in-process sandbox through the typed requests: every preview
//! refusal the platform documents, with the offer and SKU named; an order created, found again by
//! its `outOrderId`, held stock, paid through the sandbox (never through the API), shipped,
//! traced and received as the clock moves; cancel's rules; and a create whose answer never comes
//! back, which the client never repeats and which the order list then shows. Each step reaches
//! the app as a signed push.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use open1688::types::api::logistics::{LogisticsInfos, LogisticsTrace, NOT_SHIPPED};
use open1688::types::api::order::{AddressParam, CargoParam, CreateCrossOrder, OrderPreview, fen_to_yuan};
use open1688::types::api::order_read::{CancelOrder, OrderDetail, OrderList, PaymentUrl};
use open1688::types::api::payment::{AddressCodeParse, CrossBorderPayUrl, ReceiveAddresses};
use open1688::types::push::{PushMessage, verify_push};
use open1688::{Client, Error, Params, RateLimits, RetryPolicy};
use open1688_sandbox::catalog::Offer;
use open1688_sandbox::orders::OrderConfig;
use open1688_sandbox::push_log::PushTarget;
use open1688_sandbox::{FaultPlan, FaultRates, Sandbox};
use rust_decimal::Decimal;

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
        .rate_limits(RateLimits::unlimited())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn address() -> AddressParam {
    AddressParam {
        full_name: Some("义乌仓 张三".into()),
        mobile: Some("13800000000".into()),
        province_text: Some("浙江省".into()),
        city_text: Some("金华市".into()),
        area_text: Some("义乌市".into()),
        address: Some("福田街道 1 号".into()),
        ..AddressParam::default()
    }
}

/// The first offer `pick` accepts, with its MOQ now.
fn find(sandbox: &Sandbox, pick: impl Fn(&Offer, i64) -> bool) -> (&Offer, i64) {
    let live = sandbox.state().live();
    sandbox
        .catalog()
        .offers
        .iter()
        .enumerate()
        .map(|(n, o)| (o, live.offers[n].moq))
        .find(|(o, moq)| !live.offers[sandbox.catalog().offer_index(o.id).unwrap()].delisted && pick(o, *moq))
        .expect("the catalog has such an offer")
}

fn line(offer: &Offer, quantity: i64) -> CargoParam {
    CargoParam { offer_id: offer.id, spec_id: offer.skus.first().map(|s| s.spec_id.clone()), quantity }
}

async fn refused(client: &Client, cargo: Vec<CargoParam>, flow: Option<&str>) -> (String, String) {
    let preview = OrderPreview { address: address(), cargo, flow: flow.map(str::to_owned) };
    match client.execute(&preview).await.unwrap_err() {
        Error::Business { failure, .. } => (failure.code.unwrap_or_default(), failure.message.unwrap_or_default()),
        other => panic!("a business refusal, not {other}"),
    }
}

#[tokio::test]
async fn every_preview_refusal_names_what_is_wrong() {
    let sandbox = Sandbox::builder().catalog_size(2_000, 160).quotas_off().simulated_clock(None).start().await.unwrap();
    let client = client(&sandbox);
    let suppliers = &sandbox.catalog().suppliers;
    let (with_skus, _) = find(&sandbox, |o, moq| !o.skus.is_empty() && o.batch_number <= 1 && moq <= 10);
    let (other_seller, _) = find(&sandbox, |o, _| o.supplier != with_skus.supplier && o.skus.is_empty());

    let (code, message) = refused(&client, vec![CargoParam { offer_id: 1, spec_id: None, quantity: 5 }], None).await;
    assert_eq!(code, "500_001", "{message}");
    assert!(message.contains("offer 1"), "{message}");
    let two = vec![line(with_skus, 10), line(other_seller, 10)];
    let (code, message) = refused(&client, two, None).await;
    assert_eq!(code, "500_002");
    assert!(message.contains(&other_seller.id.to_string()), "{message}");
    let (code, message) =
        refused(&client, vec![CargoParam { offer_id: with_skus.id, spec_id: None, quantity: 10 }], None).await;
    assert_eq!(code, "500_002");
    assert!(message.contains("specId is missing"), "{message}");
    let wrong = CargoParam { offer_id: with_skus.id, spec_id: Some("0".repeat(32)), quantity: 10 };
    let (code, message) = refused(&client, vec![wrong], None).await;
    assert_eq!(code, "500_003");
    assert!(message.contains(&"0".repeat(32)), "{message}");
    let (code, message) = refused(&client, vec![line(with_skus, 100_000_000)], None).await;
    assert_eq!(code, "500_004");
    assert!(message.contains(&format!("[{}_{}]", with_skus.id, with_skus.skus[0].spec_id)), "{message}");
    let (code, _) = refused(&client, vec![line(with_skus, 10)], Some("saleproxy")).await;
    assert_eq!(code, "500_007");

    let (below, moq) =
        find(&sandbox, |o, moq| moq > 2 && suppliers[o.supplier as usize].mix.is_none() && o.batch_number <= 1);
    let (code, message) = refused(&client, vec![line(below, moq - 1)], None).await;
    assert_eq!(code, "500_005", "{message}");
    assert!(message.contains(&format!("offer {}", below.id)) && message.contains(&format!("MOQ {moq}")), "{message}");
    let (mixed, moq) = find(&sandbox, |o, moq| {
        moq > 2 && o.batch_number <= 1 && suppliers[o.supplier as usize].mix.is_some_and(|(_, pieces)| pieces > moq)
    });
    let (code, message) = refused(&client, vec![line(mixed, moq - 1)], None).await;
    assert_eq!(code, "500_006", "{message}");
    assert!(message.contains("mixed batch"), "{message}");
    let (lots, moq) = find(&sandbox, |o, _| o.batch_number > 1);
    let lot = lots.batch_number;
    let asked = (moq.max(lot) / lot + 1) * lot + 1;
    let (code, message) = refused(&client, vec![line(lots, asked)], None).await;
    assert_eq!(code, "500_009", "{message}");
    assert!(message.contains(&format!("lots of {lot}")), "{message}");
    // The SDK explains the code in words before the platform's message.
    assert!(message.starts_with("below the wholesale minimum"), "{message}");
}

/// A receiver of the platform's pushes: every message whose signature verifies with `secret`.
async fn receiver(secret: String) -> (String, Arc<Mutex<Vec<PushMessage>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = axum::Router::new().route(
        "/push",
        axum::routing::post(move |body: axum::body::Bytes| {
            let (sink, secret) = (sink.clone(), secret.clone());
            async move {
                match verify_push(&Params::from_form_bodies(&[b"", &body]), secret.as_bytes()) {
                    Ok(push) => {
                        sink.lock().unwrap().push(push);
                        axum::http::StatusCode::NO_CONTENT
                    }
                    Err(_) => axum::http::StatusCode::UNAUTHORIZED,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/push", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

#[tokio::test]
async fn an_order_is_created_found_paid_shipped_traced_and_received() {
    let sandbox = Sandbox::builder()
        .catalog_size(2_000, 160)
        .quotas_off()
        .simulated_clock(None)
        .drift_share(0.0)
        .start()
        .await
        .unwrap();
    let (url, pushed) = receiver(sandbox.app_secret().to_owned()).await;
    sandbox.set_push_target(sandbox.app_key(), Some(PushTarget { url, follows: Vec::new() }));
    let client = client(&sandbox);
    let (offer, moq) = find(&sandbox, |o, moq| !o.skus.is_empty() && o.batch_number <= 1 && moq <= 50);
    let cargo = vec![line(offer, moq.max(60))];

    let preview = client.execute(&OrderPreview { address: address(), cargo: cargo.clone(), flow: None }).await.unwrap();
    let entry = &preview.previews[0];
    let (goods, freight, discount) =
        (entry.goods_yuan().unwrap(), entry.freight_yuan().unwrap(), entry.discount_yuan());
    assert_eq!(entry.total_yuan().unwrap(), goods + freight, "sumPayment = goods after promotions + freight");
    assert!(discount.is_none_or(|d| d >= Decimal::ZERO));

    let create = CreateCrossOrder {
        address: address(),
        cargo: cargo.clone(),
        flow: "general".into(),
        out_order_id: "o1688-test-1".into(),
        message: Some("请用纸箱".into()),
    };
    let created = client.execute(&create).await.unwrap().created();
    assert_eq!(created.len(), 1);
    let id = created[0].order_id.unwrap();
    assert!(id > 1 << 53, "order ids pass 2^53 as real ones do: {id}");
    assert_eq!(created[0].amount_yuan(), entry.total_yuan());

    // Found again by our own id; its amounts in yuan agree with the preview's fen.
    let listed = client
        .execute(&OrderList {
            page: 1,
            page_size: 10,
            out_order_id: Some("o1688-test-1".into()),
            ..OrderList::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.result.len(), 1);
    let base = listed.result[0].base_info.clone().unwrap();
    assert_eq!((base.order_id(), base.status.as_deref()), (Some(id), Some("waitbuyerpay")));
    assert_eq!(base.total_amount, entry.total_yuan());
    assert_eq!(fen_to_yuan(1234), Decimal::new(1234, 2));

    // Its stock is held: the rest is all another preview may ask for.
    let stock = sandbox.state().live().offers[sandbox.catalog().offer_index(offer.id).unwrap()].stock[0];
    let held = cargo[0].quantity;
    let (code, _) = refused(&client, vec![line(offer, stock - held + 1)], None).await;
    assert_eq!(code, "500_004", "stock minus what the order holds");

    // A saved address names itself by id; the Kuajingbao link covers the unpaid order.
    let saved = client.execute(&ReceiveAddresses).await.unwrap().addresses();
    assert_eq!(saved.len(), 2);
    let by_id = AddressParam { address_id: saved[0].id, ..AddressParam::default() };
    client.execute(&OrderPreview { address: by_id, cargo: cargo.clone(), flow: None }).await.unwrap();
    let unknown = AddressParam { address_id: Some(1), ..AddressParam::default() };
    let (code, message) =
        match client.execute(&OrderPreview { address: unknown, cargo: cargo.clone(), flow: None }).await {
            Err(Error::Business { failure, .. }) => (failure.code, failure.message.unwrap_or_default()),
            other => panic!("refused, not {other:?}"),
        };
    assert_eq!((code.as_deref(), message.contains("AddressId invalid")), (Some("400"), true), "{message}");
    // Written as a person writes it, an address gets its district code, which the preview takes.
    let place = &sandbox.catalog().suppliers[0];
    let written = format!("{}{}福田街道 1 号", place.province, place.city);
    let parsed = client.execute(&AddressCodeParse { address: written }).await.unwrap().result.unwrap();
    let coded = AddressParam {
        district_code: parsed.district_code().map(str::to_owned),
        address: parsed.address.clone(),
        ..address()
    };
    client.execute(&OrderPreview { address: coded, cargo: cargo.clone(), flow: None }).await.unwrap();
    let kjb = client.execute(&CrossBorderPayUrl { order_ids: vec![id, 42] }).await.unwrap();
    assert!(kjb.pay_url.unwrap().contains(&id.to_string()));

    // The link to pay, never a payment; cancelling too early is refused.
    let link = client.execute(&PaymentUrl { order_ids: vec![id] }).await.unwrap();
    assert_eq!(
        link.pay_url.as_deref(),
        Some(format!("https://trade.1688.com/order/cashier.htm?orderId={id}").as_str())
    );
    let cancel = CancelOrder { order_id: id, reason: "buyerCancel".into(), remark: None };
    let err = client.execute(&cancel).await.unwrap_err();
    assert!(err.to_string().contains("CLOSE_ORDER_TOO_FAST"), "{err}");
    let err = client.execute(&LogisticsTrace { order_id: id }).await.unwrap_err();
    assert!(matches!(&err, Error::Business { failure, .. } if failure.code.as_deref() == Some(NOT_SHIPPED)), "{err}");

    // Paid at the cashier (the sandbox's control), shipped 4 h later, traced, received.
    sandbox.pay_order(id).unwrap();
    let status = |client: Client| async move {
        let detail = client.execute(&OrderDetail { order_id: id }).await.unwrap();
        detail.result.unwrap().base_info.unwrap().status.unwrap()
    };
    assert_eq!(status(client.clone()).await, "waitsellersend");
    assert!(client.execute(&cancel).await.unwrap_err().to_string().contains("ORDER_STATUS_ERROR"), "paid orders stay");
    sandbox.advance(Duration::from_secs(4 * 3600)).unwrap();
    assert_eq!(status(client.clone()).await, "waitbuyerreceive");
    let shipment = client.execute(&LogisticsInfos { order_id: id }).await.unwrap();
    assert_eq!(shipment.result[0].company_name.as_deref(), Some("中通快递"));
    sandbox.advance(Duration::from_secs(13 * 3600)).unwrap();
    let trace = client.execute(&LogisticsTrace { order_id: id }).await.unwrap();
    let remarks: Vec<_> = trace.traces[0].steps.iter().filter_map(|s| s.remark.clone()).collect();
    assert_eq!(remarks, ["卖家已发货", "快递员已揽收", "运输中，已到达转运中心"]);
    sandbox.advance(Duration::from_secs(72 * 3600)).unwrap();
    assert_eq!(status(client.clone()).await, "success");
    assert_eq!(sandbox.orders()[0].trace_reached, 5, "signed for before the trade succeeded");

    // Every step was pushed, signed, in the order it happened, for this order.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let expected = [
        "ORDER_BUYER_VIEW_BUYER_MAKE:waitbuyerpay",
        "ORDER_BUYER_VIEW_ORDER_PAY:waitsellersend",
        "ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS:waitbuyerreceive",
        "LOGISTICS_BUYER_VIEW_TRACE:CONSIGN",
        "LOGISTICS_BUYER_VIEW_TRACE:ACCEPT",
        "LOGISTICS_BUYER_VIEW_TRACE:TRANSPORT",
        "LOGISTICS_BUYER_VIEW_TRACE:DELIVERING",
        "LOGISTICS_BUYER_VIEW_TRACE:SIGN",
        "ORDER_BUYER_VIEW_ORDER_SUCCESS:success",
    ];
    loop {
        let seen: Vec<String> = pushed
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.order_id == Some(id))
            .map(|p| format!("{}:{}", p.topic, p.order_status.clone().or(p.logistics_node.clone()).unwrap_or_default()))
            .collect();
        if seen.len() >= expected.len() || tokio::time::Instant::now() > deadline {
            assert_eq!(seen, expected);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn cancel_releases_stock_and_a_lost_answer_is_never_repeated() {
    let plan = FaultPlan {
        apis: [(
            "alibaba.trade.createCrossOrder".to_owned(),
            FaultRates { stall_after: 1.0, stall_ms: 3_000, ..FaultRates::default() },
        )]
        .into(),
        ..FaultPlan::default()
    };
    let sandbox = Sandbox::builder().catalog_size(2_000, 160).quotas_off().simulated_clock(None).start().await.unwrap();
    let client = client(&sandbox);
    let (offer, moq) = find(&sandbox, |o, moq| o.skus.is_empty() && o.batch_number <= 1 && moq <= 20);
    let create = |out: &str| CreateCrossOrder {
        address: address(),
        cargo: vec![line(offer, moq.max(20))],
        flow: "general".into(),
        out_order_id: out.into(),
        message: None,
    };
    let first = client.execute(&create("o1688-a")).await.unwrap().created()[0].order_id.unwrap();
    sandbox.advance(Duration::from_secs(11)).unwrap();
    client.execute(&CancelOrder { order_id: first, reason: "buyerCancel".into(), remark: None }).await.unwrap();
    let orders = sandbox.orders();
    assert_eq!(orders[0].status, "cancel");
    assert_eq!(sandbox.state().orders.reserved(sandbox.catalog().offer_index(offer.id).unwrap(), None), 0);

    // The platform's outOrderId de-duplication is unknown: by default a second create makes a
    // second order, which is why the client never sends one on its own.
    let again = client.execute(&create("o1688-a")).await.unwrap().created()[0].order_id.unwrap();
    assert_ne!(again, first);

    // The answer never comes back (the sandbox creates, then stalls): the client gives up, says
    // so without sending it again, and the list shows the order that was made.
    sandbox.set_faults(plan);
    let impatient = Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
        .rate_limits(RateLimits::unlimited())
        .request_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = impatient.execute(&create("o1688-lost")).await.unwrap_err();
    assert!(matches!(err, Error::Unconfirmed { .. }), "{err}");
    // Each create that reached the sandbox made an order: one, so it was sent once.
    let lost = sandbox.orders().into_iter().filter(|o| o.out_order_id.as_deref() == Some("o1688-lost")).count();
    assert_eq!(lost, 1, "sent once, never repeated");
    let found = client
        .execute(&OrderList { page: 1, page_size: 10, out_order_id: Some("o1688-lost".into()), ..OrderList::default() })
        .await
        .unwrap();
    assert_eq!(found.result.len(), 1, "made although its answer was lost");

    // A platform that de-duplicates by outOrderId answers the first order again.
    let dedupe = OrderConfig { dedupe_out_order_id: true, ..OrderConfig::default() };
    let strict = Sandbox::builder().catalog_size(2_000, 160).quotas_off().orders(dedupe).start().await.unwrap();
    let client = self::client(&strict);
    let a = client.execute(&create("o1688-b")).await.unwrap().created()[0].order_id.unwrap();
    let b = client.execute(&create("o1688-b")).await.unwrap().created()[0].order_id.unwrap();
    assert_eq!(a, b);
    assert_eq!(strict.orders().len(), 1);
}

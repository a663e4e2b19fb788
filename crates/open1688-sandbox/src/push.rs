//! Message pushes as the platform sends them (spec `trade-and-messages.md` §B): when the catalog
//! drifts, each app with a callback URL gets product messages for the offers it follows — a form
//! POST of `message` (the compact JSON envelope) and `_aop_signature` (HMAC-SHA1 of
//! `"message" + json` with the app secret, upper-case hex). Any 2xx acknowledges; anything else or
//! a timeout is retried (the first retry after `retry_ms`, doubling), and a message still refused
//! after `attempts` is parked as failed. Fault switches deliver a share of the messages twice,
//! hold a share back behind the next one, and corrupt a share of the signatures (that attempt
//! only; the retry is signed correctly), so a receiver's deduplication, ordering and verification
//! are tested against the real path.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::catalog::drift::{Change, ChangeKind};
use crate::catalog::rng::Rng;
use crate::config::PushConfig;
use crate::state::SandboxState;

/// How often the sender looks for new changes (real time).
const POLL: Duration = Duration::from_millis(100);

/// `yyyy-MM-dd HH:mm:ss` in China time, as messages write times.
fn china_time(ms: i64) -> String {
    crate::apis::wire::search_date(ms.div_euclid(1000))
}

/// The messages a batch of changes makes for an app whose member is `user_info`, following
/// `follows` (every offer when empty): per offer and moment, an inventory message for stock
/// deltas, a price ping for price changes, and a relation message for listing changes (MOQ,
/// delisting, relisting). Envelopes are compact JSON, ids from `next_id`.
pub fn messages_for(
    changes: &[Change],
    catalog: &Catalog,
    follows: &[i64],
    user_info: &str,
    mut next_id: impl FnMut() -> i64,
) -> Vec<String> {
    let mut grouped: BTreeMap<(i64, i64), Vec<&ChangeKind>> = BTreeMap::new();
    for c in changes.iter().filter(|c| follows.is_empty() || follows.contains(&c.offer_id)) {
        grouped.entry((c.at_ms, c.offer_id)).or_default().push(&c.kind);
    }
    let mut out = Vec::new();
    for ((at_ms, offer_id), kinds) in grouped {
        let seller = catalog
            .offer(offer_id)
            .and_then(|o| catalog.suppliers.get(o.supplier as usize))
            .map(|s| s.member_id())
            .unwrap_or_default();
        let sent = china_time(at_ms);
        let mut envelope = |topic: &str, data: Value| {
            let message =
                json!({"msgId": next_id(), "gmtBorn": at_ms, "type": topic, "userInfo": user_info, "data": data});
            out.push(message.to_string());
        };
        let stock: Vec<Value> = kinds
            .iter()
            .filter_map(|k| match k {
                ChangeKind::Stock { sku_id, old, new } => Some(json!({
                    "offerId": offer_id,
                    "offerOnSale": true,
                    "skuId": sku_id,
                    "skuOnSale": true,
                    "quantity": new - old,
                    "bizTime": at_ms.to_string(),
                })),
                _ => None,
            })
            .collect();
        if !stock.is_empty() {
            envelope("PRODUCT_PRODUCT_INVENTORY_CHANGE", json!({"OfferInventoryChangeList": stock}));
        }
        if kinds.iter().any(|k| matches!(k, ChangeKind::TierPrice { .. } | ChangeKind::SkuPrice { .. })) {
            envelope(
                "FENXIAO_PRICE_CHANGE",
                json!({"productId": offer_id.to_string(), "memberId": seller, "msgSendTime": sent}),
            );
        }
        let action = kinds.iter().find_map(|k| match k {
            ChangeKind::Delisted => Some("member_expired"),
            ChangeKind::Relisted => Some("repost"),
            ChangeKind::Moq { .. } => Some("modify"),
            _ => None,
        });
        if let Some(action) = action {
            envelope(
                "PRODUCT_RELATION_VIEW_PRODUCT_CHANGE",
                json!({"productIds": offer_id.to_string(), "memberId": seller, "action": action, "msgSendTime": sent}),
            );
        }
    }
    out
}

/// The envelopes of the order messages for `app_key` (spec §B.6): `userInfo` the buyer, order
/// topics with the buyer's and seller's member ids and `msgSendTime`, logistics topics as they are.
pub fn order_envelopes(
    state: &SandboxState,
    app_key: &str,
    logged: &[crate::orders::OrderMessage],
    mut next_id: impl FnMut() -> i64,
) -> Vec<String> {
    let member = |n: usize| state.catalog.suppliers.get(n).map(|s| s.member_id()).unwrap_or_default();
    logged
        .iter()
        .filter(|m| m.app_key == app_key)
        .map(|m| {
            let mut data = m.data.clone();
            if m.topic.starts_with("ORDER_") {
                data["buyerMemberId"] = json!(member(m.buyer));
                data["sellerMemberId"] = json!(member(m.seller));
                data["msgSendTime"] = json!(china_time(m.at_ms));
            }
            json!({"msgId": next_id(), "gmtBorn": m.at_ms, "type": m.topic, "userInfo": member(m.buyer),
                   "bizKey": data["orderId"].as_i64().map(|id| id.to_string()), "data": data})
            .to_string()
        })
        .collect()
}

/// The form body of one delivery attempt; `corrupt` flips the signature's last digit.
pub fn form_body(message: &str, secret: &str, corrupt: bool) -> String {
    let mut signature = open1688_types::sign("", secret.as_bytes(), [("message", message)]);
    if corrupt {
        let last = if signature.ends_with('0') { '1' } else { '0' };
        signature.pop();
        signature.push(last);
    }
    form_urlencoded::Serializer::new(String::new())
        .append_pair("message", message)
        .append_pair("_aop_signature", &signature)
        .finish()
}

/// Starts the sender: every [`POLL`] it turns the catalog's new changes into messages for each
/// app with a target and delivers them. It stops when the handle is aborted (the sandbox does so
/// when it stops).
pub fn spawn_sender(state: &Arc<SandboxState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(send_loop(state.clone(), state.push_config().clone()))
}

async fn send_loop(state: Arc<SandboxState>, config: PushConfig) {
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_millis(config.timeout_ms.max(1)))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "the push sender could not start");
            return;
        }
    };
    let mut rng = Rng::new(config.seed);
    let mut cursor = state.clock.now_ms();
    let mut order_cursor = 0;
    loop {
        tokio::time::sleep(POLL).await;
        let now = state.clock.now_ms();
        let targets = state.pushes.targets();
        // Orders move with the clock (and with calls): their messages are logged as they happen,
        // and sent from the log whether or not the clock moved.
        state.orders.advance_to(now, &state.order_config);
        let (order_messages, next) = state.orders.messages_from(order_cursor);
        order_cursor = next;
        if (now <= cursor && order_messages.is_empty()) || targets.is_empty() {
            cursor = cursor.max(now);
            continue;
        }
        let changes = if now > cursor { state.live().changes_between(cursor, now) } else { Vec::new() };
        cursor = cursor.max(now);
        for (app_key, target) in targets {
            let Some(app) = state.apps.get(&app_key) else { continue };
            let user_info =
                state.catalog.suppliers.get(state.default_member(app)).map(|s| s.member_id()).unwrap_or_default();
            let mut messages =
                messages_for(&changes, &state.catalog, &target.follows, &user_info, || state.pushes.next_id());
            messages.extend(order_envelopes(&state, &app_key, &order_messages, || state.pushes.next_id()));
            state.pushes.count(|s| s.messages += messages.len() as u64);
            // A message held back goes out after the next one, or at the end of the batch.
            let mut held: Option<(String, String, String)> = None;
            for message in messages {
                let job = (target.url.clone(), app.app_secret.clone(), message);
                if held.is_none() && rng.chance(config.reorder) {
                    state.pushes.count(|s| s.reordered += 1);
                    held = Some(job);
                    continue;
                }
                deliver(&state, &client, &job, &config, &mut rng).await;
                if let Some(late) = held.take() {
                    deliver(&state, &client, &late, &config, &mut rng).await;
                }
            }
            if let Some(late) = held.take() {
                deliver(&state, &client, &late, &config, &mut rng).await;
            }
        }
    }
}

/// Delivers one message until a 2xx or the last attempt; once more when the duplicate switch
/// says so.
async fn deliver(
    state: &SandboxState,
    client: &reqwest::Client,
    (url, secret, message): &(String, String, String),
    config: &PushConfig,
    rng: &mut Rng,
) {
    let copies = if rng.chance(config.duplicate) { 2 } else { 1 };
    for copy in 0..copies {
        let mut wait = Duration::from_millis(config.retry_ms);
        let mut acknowledged = false;
        for attempt in 1..=config.attempts.max(1) {
            let corrupt = rng.chance(config.bad_signature);
            if corrupt {
                state.pushes.count(|s| s.bad_signatures += 1);
            }
            let sent = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form_body(message, secret, corrupt))
                .send()
                .await;
            if sent.as_ref().is_ok_and(|r| r.status().is_success()) {
                acknowledged = true;
                break;
            }
            state.pushes.count(|s| s.refused_attempts += 1);
            if attempt < config.attempts {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
        }
        state.pushes.count(|s| {
            if acknowledged {
                s.delivered += 1;
                s.duplicates += u64::from(copy > 0);
            } else {
                s.failed += 1;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogConfig;

    fn catalog() -> Catalog {
        Catalog::build(CatalogConfig { offers: 50, suppliers: 24, ..Default::default() })
    }

    #[test]
    fn changes_make_the_topics_a_buyer_receives_signed_as_the_spec_says() {
        let c = catalog();
        let offer = c.offers[3].id;
        let at = 1_700_000_000_000;
        let changes = vec![
            Change { at_ms: at, offer_id: offer, kind: ChangeKind::Stock { sku_id: Some(7), old: 100, new: 90 } },
            Change {
                at_ms: at,
                offer_id: offer,
                kind: ChangeKind::SkuPrice { sku_id: 7, old: 1.into(), new: 2.into() },
            },
            Change { at_ms: at + 1, offer_id: offer, kind: ChangeKind::Delisted },
            Change { at_ms: at + 1, offer_id: c.offers[4].id, kind: ChangeKind::Delisted },
        ];
        let mut id = 0;
        let messages = messages_for(&changes, &c, &[offer], "b2b-1", || {
            id += 1;
            id
        });
        assert_eq!(messages.len(), 3, "the unfollowed offer makes none: {messages:?}");
        let topics: Vec<String> = messages
            .iter()
            .map(|m| serde_json::from_str::<Value>(m).unwrap()["type"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            topics,
            ["PRODUCT_PRODUCT_INVENTORY_CHANGE", "FENXIAO_PRICE_CHANGE", "PRODUCT_RELATION_VIEW_PRODUCT_CHANGE"]
        );
        for m in &messages {
            let push = open1688_types::push::decode_envelope(m).unwrap();
            assert_eq!(push.offer_ids, vec![offer], "{m}");
        }
        let inventory: Value = serde_json::from_str(&messages[0]).unwrap();
        assert_eq!(inventory["data"]["OfferInventoryChangeList"][0]["quantity"], -10);
        assert_eq!(china_time(at), "2023-11-15 06:13:20");

        // The form verifies with the receiver's rule; a corrupted one does not.
        let params = |body: String| open1688_types::Params::from_form_bodies(&[body.as_bytes()]);
        assert!(open1688_types::verify_push(&params(form_body(&messages[1], "s3cret", false)), b"s3cret").is_ok());
        let bad = open1688_types::verify_push(&params(form_body(&messages[1], "s3cret", true)), b"s3cret");
        assert!(matches!(bad, Err(open1688_types::PushError::Signature)));
    }
}

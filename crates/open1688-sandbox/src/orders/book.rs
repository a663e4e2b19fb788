//! The sandbox's orders: created, paid, shipped, traced, received or closed, each step at a
//! moment of the sandbox clock and logged as the message the platform pushes for it.

use std::collections::HashMap;
use std::sync::Mutex;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use super::destination::Destination;
use super::pricing::{Priced, PricedLine};
use super::{OrderConfig, status};

/// The carrier's trace nodes, in order (spec §B.6 `LOGISTICS_BUYER_VIEW_TRACE`), with the remark
/// the trace shows for each.
pub const TRACE_NODES: [(&str, &str); 5] = [
    ("CONSIGN", "卖家已发货"),
    ("ACCEPT", "快递员已揽收"),
    ("TRANSPORT", "运输中，已到达转运中心"),
    ("DELIVERING", "派送中"),
    ("SIGN", "已签收"),
];

/// One order.
#[derive(Debug, Clone, Serialize)]
pub struct SandboxOrder {
    /// The platform's order id (beyond 2^53, as real ones are).
    pub id: i64,
    /// The buyer's own id for it, when one was sent.
    pub out_order_id: Option<String>,
    /// The app that placed it (its pushes go there).
    pub app_key: String,
    /// The buyer (a member index).
    pub buyer: usize,
    /// The seller (a supplier index).
    pub seller: usize,
    /// The lines.
    #[serde(skip)]
    pub lines: Vec<PricedLine>,
    /// Goods (CNY).
    pub goods: Decimal,
    /// Freight (CNY).
    pub freight: Decimal,
    /// Promotions taken off (CNY).
    pub discount: Decimal,
    /// `waitbuyerpay`, `waitsellersend`, `waitbuyerreceive`, `success` or `cancel`.
    pub status: &'static str,
    /// When it was created (sandbox ms).
    pub created_ms: i64,
    /// When it was paid.
    pub paid_ms: Option<i64>,
    /// When it was shipped.
    pub shipped_ms: Option<i64>,
    /// When it succeeded or was closed.
    pub ended_ms: Option<i64>,
    /// Why it was closed.
    pub close_reason: Option<String>,
    /// Who closed it (`CLOSE_TRADE_BY_BUYER`, `CLOSE_TRADE_BY_SYSTEM`).
    pub close_operate_type: Option<&'static str>,
    /// The trace nodes reached so far.
    pub trace_reached: usize,
    /// The buyer's note.
    pub message: Option<String>,
    /// Where it goes.
    pub destination: Destination,
}

impl SandboxOrder {
    /// What the buyer pays (CNY).
    pub fn total(&self) -> Decimal {
        self.goods + self.freight - self.discount
    }

    /// The shipment's logistics code (`BX…`) and waybill, once shipped.
    pub fn waybill(&self) -> Option<(String, String)> {
        self.shipment_id().map(|id| (format!("BX{id}"), format!("ZT{}", self.id % 10_000_000_000)))
    }

    /// The shipment's numeric id (the digits of its `BX…` code, as in captured answers), once
    /// shipped.
    pub fn shipment_id(&self) -> Option<i64> {
        self.shipped_ms.map(|_| self.id % 1_000_000_000_000_000)
    }

    /// The trace nodes reached, with when.
    pub fn trace(&self, config: &OrderConfig) -> Vec<(i64, &'static str, &'static str)> {
        let Some(shipped) = self.shipped_ms else { return Vec::new() };
        let step = config.trace_step_minutes.max(1) * 60_000;
        TRACE_NODES
            .iter()
            .take(self.trace_reached)
            .enumerate()
            .map(|(n, (node, remark))| (shipped + step * n as i64, *node, *remark))
            .collect()
    }
}

/// What `createCrossOrder` asks for, checked and priced.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// The app placing it.
    pub app_key: String,
    /// The buyer.
    pub buyer: usize,
    /// The cart, priced.
    pub priced: Priced,
    /// The buyer's own id for it.
    pub out_order_id: Option<String>,
    /// A note to the seller.
    pub message: Option<String>,
    /// Where it goes.
    pub destination: Destination,
}

/// A message the platform pushes about an order: its topic, when, and the payload (`data`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderMessage {
    /// The app it goes to.
    pub app_key: String,
    /// The buyer it is for (`userInfo`).
    pub buyer: usize,
    /// The order's seller (a supplier index).
    pub seller: usize,
    /// When it happened (sandbox ms).
    pub at_ms: i64,
    /// The topic.
    pub topic: &'static str,
    /// The payload, without `msgSendTime` and member ids (the sender adds them).
    pub data: Value,
}

#[derive(Debug, Default)]
struct Inner {
    orders: Vec<SandboxOrder>,
    by_id: HashMap<i64, usize>,
    /// Stock held by open orders, by (offer index, SKU index).
    reserved: HashMap<(usize, Option<usize>), i64>,
    log: Vec<OrderMessage>,
}

/// Every order of the sandbox, behind one lock (orders are few and each change is small).
#[derive(Debug)]
pub struct OrderBook {
    inner: Mutex<Inner>,
    first_id: i64,
}

/// Why an order action was refused: the platform's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRefused {
    /// The code (`ORDER_NOT_EXIST`, `ORDER_STATUS_ERROR`, `400_3`, `CLOSE_ORDER_TOO_FAST`).
    pub code: &'static str,
    /// The message.
    pub message: String,
}

fn refused(code: &'static str, message: impl Into<String>) -> ActionRefused {
    ActionRefused { code, message: message.into() }
}

impl OrderBook {
    /// An empty book whose ids derive from `seed`.
    pub fn new(seed: u64) -> Self {
        // Real order ids are 19 digits; these start past 2^61 so every one is beyond 2^53.
        let first_id = 2_237_938_826_932_000_000 + i64::try_from(seed % 1_000).unwrap_or(0) * 1_000;
        Self { inner: Mutex::new(Inner::default()), first_id }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets every order (the sandbox's reset).
    pub fn clear(&self) {
        *self.lock() = Inner::default();
    }

    /// The stock open orders hold of an offer's SKU.
    pub fn reserved(&self, offer: usize, sku: Option<usize>) -> i64 {
        self.lock().reserved.get(&(offer, sku)).copied().unwrap_or(0)
    }

    /// The orders `out_order_id` of `buyer` placed earlier (several when one create was split).
    pub fn find_out_order(&self, buyer: usize, out_order_id: &str) -> Vec<SandboxOrder> {
        let inner = self.lock();
        inner
            .orders
            .iter()
            .filter(|o| o.buyer == buyer && o.out_order_id.as_deref() == Some(out_order_id))
            .cloned()
            .collect()
    }

    /// Creates an order from a priced cart, holding its stock; logs `ORDER_BUYER_VIEW_BUYER_MAKE`.
    pub fn create(&self, placed: NewOrder, now_ms: i64) -> SandboxOrder {
        let NewOrder { app_key, buyer, priced, out_order_id, message, destination } = placed;
        let mut inner = self.lock();
        let id = self.first_id + inner.orders.len() as i64 * 7 + 3;
        for line in &priced.lines {
            *inner.reserved.entry((line.offer_index, line.sku)).or_default() += line.quantity;
        }
        let order = SandboxOrder {
            id,
            out_order_id,
            app_key,
            buyer,
            seller: priced.seller,
            goods: priced.goods,
            freight: priced.freight,
            discount: priced.discount,
            lines: priced.lines,
            status: status::WAIT_BUYER_PAY,
            created_ms: now_ms,
            paid_ms: None,
            shipped_ms: None,
            ended_ms: None,
            close_reason: None,
            close_operate_type: None,
            trace_reached: 0,
            message,
            destination,
        };
        let at = inner.orders.len();
        inner.by_id.insert(id, at);
        inner.orders.push(order.clone());
        log(&mut inner.log, &order, now_ms, "ORDER_BUYER_VIEW_BUYER_MAKE", status::WAIT_BUYER_PAY);
        order
    }

    /// The order `id`, brought up to `now_ms` first.
    pub fn get(&self, id: i64, now_ms: i64, config: &OrderConfig) -> Option<SandboxOrder> {
        self.advance_to(now_ms, config);
        let inner = self.lock();
        inner.by_id.get(&id).map(|&n| inner.orders[n].clone())
    }

    /// `buyer`'s orders, newest first, brought up to `now_ms` first.
    pub fn of_buyer(&self, buyer: usize, now_ms: i64, config: &OrderConfig) -> Vec<SandboxOrder> {
        self.advance_to(now_ms, config);
        self.lock().orders.iter().rev().filter(|o| o.buyer == buyer).cloned().collect()
    }

    /// Every order (the control endpoint's view), brought up to `now_ms` first.
    pub fn all(&self, now_ms: i64, config: &OrderConfig) -> Vec<SandboxOrder> {
        self.advance_to(now_ms, config);
        self.lock().orders.clone()
    }

    /// Pays an unpaid order (what the buyer does at the cashier); logs `ORDER_BUYER_VIEW_ORDER_PAY`.
    pub fn pay(&self, id: i64, now_ms: i64, config: &OrderConfig) -> Result<SandboxOrder, ActionRefused> {
        self.change_unpaid(id, now_ms, config, "ORDER_BUYER_VIEW_ORDER_PAY", "not waiting for payment", |order| {
            order.status = status::WAIT_SELLER_SEND;
            order.paid_ms = Some(now_ms);
        })
    }

    /// The seller changes an unpaid order's freight (改价, as sellers do after agreeing a price
    /// with the buyer); logs `ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY`. The total the order's
    /// answers give moves with it.
    pub fn change_freight(
        &self,
        id: i64,
        freight: Decimal,
        now_ms: i64,
        config: &OrderConfig,
    ) -> Result<SandboxOrder, ActionRefused> {
        if freight < Decimal::ZERO {
            return Err(refused("400", format!("freight {freight} is below zero")));
        }
        let topic = "ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY";
        self.change_unpaid(id, now_ms, config, topic, "only an unpaid order's price changes", |order| {
            order.freight = freight;
        })
    }

    /// Applies `change` to unpaid order `id` at `now_ms` and logs `topic` with the status it
    /// leaves; an order not waiting for payment is refused, saying `why`.
    fn change_unpaid(
        &self,
        id: i64,
        now_ms: i64,
        config: &OrderConfig,
        topic: &'static str,
        why: &str,
        change: impl FnOnce(&mut SandboxOrder),
    ) -> Result<SandboxOrder, ActionRefused> {
        self.advance_to(now_ms, config);
        let mut inner = self.lock();
        let n = *inner.by_id.get(&id).ok_or_else(|| refused("ORDER_NOT_EXIST", format!("no order {id}")))?;
        let order = &mut inner.orders[n];
        if order.status != status::WAIT_BUYER_PAY {
            return Err(refused("ORDER_STATUS_ERROR", format!("order {id} is {}: {why}", order.status)));
        }
        change(order);
        let order = order.clone();
        log(&mut inner.log, &order, now_ms, topic, order.status);
        Ok(order)
    }

    /// Cancels `buyer`'s unpaid order; releases its stock; logs `ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE`.
    pub fn cancel(
        &self,
        id: i64,
        buyer: usize,
        reason: &str,
        now_ms: i64,
        config: &OrderConfig,
    ) -> Result<SandboxOrder, ActionRefused> {
        self.advance_to(now_ms, config);
        let mut inner = self.lock();
        let n = *inner.by_id.get(&id).ok_or_else(|| refused("ORDER_NOT_EXIST", "订单不存在"))?;
        let order = &inner.orders[n];
        if order.buyer != buyer {
            return Err(refused("400_3", "not the buyer or seller of this order"));
        }
        if order.status != status::WAIT_BUYER_PAY {
            return Err(refused("ORDER_STATUS_ERROR", format!("订单状态错误: order {id} is {}", order.status)));
        }
        if now_ms - order.created_ms < 10_000 {
            return Err(refused("CLOSE_ORDER_TOO_FAST", "an order cannot be closed within 10 s of its creation"));
        }
        close(&mut inner, n, now_ms, reason, "ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE");
        inner.orders[n].close_operate_type = Some("CLOSE_TRADE_BY_BUYER");
        Ok(inner.orders[n].clone())
    }

    /// Moves every order to where time puts it at `now_ms`: unpaid ones closed after the
    /// payment timeout, paid ones shipped after the seller's delay, shipments traced node by node,
    /// and received. Each step is logged at the moment it happened, not at `now_ms`.
    pub fn advance_to(&self, now_ms: i64, config: &OrderConfig) {
        let mut inner = self.lock();
        let minute = 60_000;
        for n in 0..inner.orders.len() {
            loop {
                let order = &inner.orders[n];
                let step = config.trace_step_minutes.max(1) * minute;
                let next = match order.status {
                    status::WAIT_BUYER_PAY => Some(order.created_ms + config.pay_timeout_hours * 60 * minute),
                    status::WAIT_SELLER_SEND => order.paid_ms.map(|p| p + config.ship_after_minutes * minute),
                    status::WAIT_BUYER_RECEIVE => order.shipped_ms.map(|s| {
                        let node = s + step * order.trace_reached as i64;
                        let received = s + config.receive_after_hours * 60 * minute;
                        if order.trace_reached < TRACE_NODES.len() { node.min(received) } else { received }
                    }),
                    _ => None,
                };
                let Some(at) = next.filter(|at| *at <= now_ms) else { break };
                step_order(&mut inner, n, at, config);
            }
        }
    }

    /// The messages logged from position `from` on, and the position after them.
    pub fn messages_from(&self, from: usize) -> (Vec<OrderMessage>, usize) {
        let inner = self.lock();
        let from = from.min(inner.log.len());
        (inner.log[from..].to_vec(), inner.log.len())
    }
}

/// Takes order `n` one step at moment `at`.
fn step_order(inner: &mut Inner, n: usize, at: i64, config: &OrderConfig) {
    let status = inner.orders[n].status;
    match status {
        status::WAIT_BUYER_PAY => {
            close(inner, n, at, "BUYER_NO_PAY", "ORDER_BUYER_VIEW_ORDER_BOPS_CLOSE");
            inner.orders[n].close_operate_type = Some("CLOSE_TRADE_BY_SYSTEM");
        }
        status::WAIT_SELLER_SEND => {
            let order = &mut inner.orders[n];
            order.status = status::WAIT_BUYER_RECEIVE;
            order.shipped_ms = Some(at);
            let order = order.clone();
            log(&mut inner.log, &order, at, "ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS", status::WAIT_BUYER_RECEIVE);
            trace_node(inner, n, at);
        }
        status::WAIT_BUYER_RECEIVE => {
            let order = &inner.orders[n];
            let received = order.shipped_ms.unwrap_or(at) + config.receive_after_hours * 3_600_000;
            if order.trace_reached < TRACE_NODES.len() && at < received {
                trace_node(inner, n, at);
            } else {
                let order = &mut inner.orders[n];
                order.status = status::SUCCESS;
                order.ended_ms = Some(at);
                let order = order.clone();
                log(&mut inner.log, &order, at, "ORDER_BUYER_VIEW_ORDER_SUCCESS", status::SUCCESS);
            }
        }
        _ => {}
    }
}

/// The carrier reaches its next trace node at `at`.
fn trace_node(inner: &mut Inner, n: usize, at: i64) {
    let order = &mut inner.orders[n];
    let Some((node, _)) = TRACE_NODES.get(order.trace_reached) else { return };
    order.trace_reached += 1;
    let order = order.clone();
    let (logistics_id, bill) = order.waybill().unwrap_or_default();
    inner.log.push(OrderMessage {
        app_key: order.app_key.clone(),
        buyer: order.buyer,
        seller: order.seller,
        at_ms: at,
        topic: "LOGISTICS_BUYER_VIEW_TRACE",
        data: json!({"OrderLogisticsTracingModel": {
            "logisticsId": logistics_id,
            "cpCode": "ZTO",
            "mailNo": bill,
            "statusChanged": node,
            "changeTime": crate::clock::search_date(at.div_euclid(1000)),
            "orderLogsItems": [{"orderId": order.id, "orderEntryId": order.id + 1}],
        }}),
    });
}

/// Closes order `n` at `at`, releasing its stock.
fn close(inner: &mut Inner, n: usize, at: i64, reason: &str, topic: &'static str) {
    let order = &mut inner.orders[n];
    order.status = status::CANCEL;
    order.ended_ms = Some(at);
    order.close_reason = Some(reason.to_owned());
    let order = order.clone();
    for line in &order.lines {
        if let Some(held) = inner.reserved.get_mut(&(line.offer_index, line.sku)) {
            *held = (*held - line.quantity).max(0);
        }
    }
    log(&mut inner.log, &order, at, topic, status::CANCEL);
}

fn log(log: &mut Vec<OrderMessage>, order: &SandboxOrder, at: i64, topic: &'static str, current: &str) {
    log.push(OrderMessage {
        app_key: order.app_key.clone(),
        buyer: order.buyer,
        seller: order.seller,
        at_ms: at,
        topic,
        data: json!({"orderId": order.id, "currentStatus": current}),
    });
}

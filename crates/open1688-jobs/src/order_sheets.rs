//! The order reports as tables (for the CLI's table, CSV and XLSX output): orders by supplier
//! with the plan's and the platform's totals, the differences, what was placed, a timeline.

use open1688_store::{OrderChangeKind, OrderReadback, StoredOrder};

use crate::order_place::PlaceReport;
use crate::order_preview::OrderPreviewReport;
use crate::order_track::TrackedOrder;
use crate::sheet::{Cell, Sheet};

/// An epoch-ms moment as RFC 3339 (UTC).
fn time_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339()).unwrap_or_default()
}

impl OrderPreviewReport {
    /// The orders, then every difference and refusal.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut orders = Sheet::new(
            "orders",
            &["out_order_id", "supplier", "lines", "plan_total", "platform_total", "freight", "promotion", "placeable"],
        );
        let mut differences =
            Sheet::new("differences", &["out_order_id", "what", "offer_id", "spec_id", "plan", "platform"]);
        for o in &self.orders {
            orders.push(vec![
                Cell::Text(o.out_order_id.clone()),
                Cell::Text(o.company.clone().unwrap_or_else(|| o.supplier.clone())),
                Cell::Int(i64::try_from(o.lines.len()).unwrap_or(i64::MAX)),
                Cell::Money(o.plan_total),
                Cell::opt_money(o.platform_total),
                Cell::opt_money(o.platform_freight),
                Cell::opt_money(o.platform_discount),
                Cell::Text(match &o.refused {
                    None => "yes".into(),
                    Some(r) => {
                        format!("no: {}{}", r.code.as_deref().map(|c| format!("{c} ")).unwrap_or_default(), r.message)
                    }
                }),
            ]);
            for d in &o.differences {
                differences.push(vec![
                    Cell::Text(o.out_order_id.clone()),
                    Cell::Text(format!("{:?}", d.kind).to_lowercase()),
                    Cell::opt_int(d.offer_id),
                    Cell::opt_text(d.spec_id.clone()),
                    Cell::Money(d.plan),
                    Cell::Money(d.platform),
                ]);
            }
        }
        vec![orders, differences]
    }
}

impl PlaceReport {
    /// The preview's sheets, then what happened to each order and the payment link.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut sheets = self.preview.sheets();
        let mut placed = Sheet::new("placed", &["out_order_id", "supplier", "order_id", "outcome", "status", "total"]);
        for p in &self.placed {
            placed.push(vec![
                Cell::Text(p.out_order_id.clone()),
                Cell::Text(p.supplier.clone()),
                Cell::opt_text(p.order.order_id.map(|id| id.to_string())),
                Cell::Text(p.outcome.clone()),
                Cell::opt_text(p.order.status.clone()),
                Cell::Money(p.order.platform_total.unwrap_or(p.order.expected_total)),
            ]);
        }
        sheets.push(placed);
        if let Some(url) = &self.pay_url {
            let mut pay = Sheet::new("pay", &["pay_url"]);
            pay.push(vec![Cell::Text(url.clone())]);
            sheets.push(pay);
        }
        if !self.notes.is_empty() {
            let mut notes = Sheet::new("notes", &["note"]);
            for note in &self.notes {
                notes.push(vec![Cell::Text(note.clone())]);
            }
            sheets.push(notes);
        }
        sheets
    }
}

/// Stored orders as one table, newest first as given.
pub fn orders_sheet(orders: &[StoredOrder]) -> Sheet {
    let mut sheet = Sheet::new(
        "orders",
        &["order_id", "out_order_id", "batch", "supplier", "state", "status", "total", "created", "error"],
    );
    for o in orders {
        sheet.push(vec![
            Cell::opt_text(o.order_id.map(|id| id.to_string())),
            Cell::Text(o.out_order_id.clone()),
            Cell::Text(o.batch.clone()),
            Cell::Text(o.supplier.clone()),
            Cell::Text(o.state.as_str().to_owned()),
            Cell::opt_text(o.status.clone()),
            Cell::Money(o.platform_total.unwrap_or(o.expected_total)),
            Cell::Text(time_text(o.created_ms)),
            Cell::opt_text(o.error.clone()),
        ]);
    }
    sheet
}

impl TrackedOrder {
    /// The order, its lines and its timeline.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut lines = Sheet::new("lines", &["offer_id", "spec_id", "title", "quantity", "unit_price"]);
        for l in &self.order.lines {
            lines.push(vec![
                Cell::Int(l.offer_id),
                Cell::opt_text(l.spec_id.clone()),
                Cell::opt_text(l.title.clone()),
                Cell::Int(l.quantity),
                Cell::Money(l.unit_price),
            ]);
        }
        let mut timeline = Sheet::new("timeline", &["at", "status", "source", "detail"]);
        for e in &self.timeline {
            timeline.push(vec![
                Cell::Text(time_text(e.at_ms)),
                Cell::Text(e.status.clone()),
                Cell::Text(e.source.clone()),
                Cell::opt_text(e.detail.clone()),
            ]);
        }
        let mut sheets = vec![orders_sheet(std::slice::from_ref(&self.order)), lines, timeline];
        if let Some(read) = &self.order.readback {
            sheets.push(readback_sheet(read));
            let mut now_lines = Sheet::new(
                "platform_lines",
                &["offer_id", "spec_id", "title", "attributes", "quantity", "unit_price", "amount"],
            );
            for l in &read.lines {
                now_lines.push(vec![
                    Cell::opt_text(l.offer_id.map(|id| id.to_string())),
                    Cell::opt_text(l.spec_id.clone()),
                    Cell::opt_text(l.title.clone()),
                    Cell::opt_text(l.attributes.clone()),
                    l.quantity.map_or(Cell::Empty, Cell::Int),
                    l.unit_price.map_or(Cell::Empty, Cell::Money),
                    l.amount.map_or(Cell::Empty, Cell::Money),
                ]);
            }
            sheets.push(now_lines);
        }
        let mut changes = Sheet::new("changes_since_placed", &["change", "offer_id", "spec_id", "placed", "now"]);
        for c in &self.changes_since_placed {
            let figure = |v: Option<rust_decimal::Decimal>| match (c.kind, v) {
                (_, None) => Cell::Empty,
                (OrderChangeKind::Total | OrderChangeKind::UnitPrice, Some(v)) => Cell::Money(v),
                (_, Some(v)) => Cell::Num(v),
            };
            changes.push(vec![
                Cell::Text(change_name(c.kind).to_owned()),
                Cell::opt_text(c.offer_id.map(|id| id.to_string())),
                Cell::opt_text(c.spec_id.clone()),
                figure(c.placed),
                figure(c.now),
            ]);
        }
        sheets.push(changes);
        sheets
    }
}

/// A change's machine name (the same as in the JSON).
fn change_name(kind: OrderChangeKind) -> &'static str {
    match kind {
        OrderChangeKind::Total => "total",
        OrderChangeKind::Quantity => "quantity",
        OrderChangeKind::UnitPrice => "unit_price",
        OrderChangeKind::LineGone => "line_gone",
        OrderChangeKind::LineAdded => "line_added",
    }
}

/// What the platform said of an order when last read: one row.
fn readback_sheet(read: &OrderReadback) -> Sheet {
    let mut sheet = Sheet::new(
        "platform_now",
        &["read", "total", "goods", "freight", "discount", "receiver", "area", "address", "carrier", "waybill"],
    );
    let receiver = read.receiver.clone().unwrap_or_default();
    sheet.push(vec![
        Cell::Text(time_text(read.read_ms)),
        read.total.map_or(Cell::Empty, Cell::Money),
        read.goods.map_or(Cell::Empty, Cell::Money),
        read.freight.map_or(Cell::Empty, Cell::Money),
        read.discount.map_or(Cell::Empty, Cell::Money),
        Cell::opt_text(receiver.name),
        Cell::opt_text(receiver.area),
        Cell::opt_text(receiver.address),
        Cell::opt_text(read.carrier.clone()),
        Cell::opt_text(read.waybill.clone()),
    ]);
    sheet
}

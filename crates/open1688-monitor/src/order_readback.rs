//! An order's answer from `get.buyerView` turned into what the store keeps of it
//! ([`OrderReadback`]): the platform's current total, goods, freight and discount, the receiver,
//! the carrier and waybill, and the lines. A pure function, so it is tested on the platform's own
//! documentation example.

use open1688::types::api::order_read::TradeInfo;
use open1688_store::{OrderReadback, OrderReceiver, ReadbackLine};
use rust_decimal::prelude::ToPrimitive;

/// What the store keeps of `trade`, read at `read_ms`. Missing fields stay `None`; the receiver
/// comes from `receiverInfo`, else from `nativeLogistics`.
pub fn readback_of(trade: &TradeInfo, read_ms: i64) -> OrderReadback {
    let base = trade.base_info.as_ref();
    let native = trade.native_logistics.as_ref();
    let receiver = base.and_then(|b| b.receiver_info.as_ref()).map(|r| OrderReceiver {
        name: r.full_name.clone(),
        area: r.area.clone(),
        address: native.and_then(|n| n.address.clone()),
        post: r.post.clone(),
        mobile: r.mobile.clone().or_else(|| native.and_then(|n| n.mobile.clone())),
    });
    let receiver = receiver.or_else(|| {
        native.map(|n| OrderReceiver {
            name: n.contact_person.clone(),
            area: Some(
                [&n.province, &n.city, &n.area, &n.town]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
            )
            .filter(|a| !a.is_empty()),
            address: n.address.clone(),
            post: n.zip.clone(),
            mobile: n.mobile.clone(),
        })
    });
    let shipment = trade.shipment();
    let lines = trade
        .product_items
        .iter()
        .map(|item| ReadbackLine {
            offer_id: item.product_id,
            spec_id: item.spec_id.clone(),
            title: item.name.clone(),
            attributes: Some(
                item.sku_infos
                    .iter()
                    .filter_map(|a| Some(format!("{}: {}", a.name.as_deref()?, a.value.as_deref()?)))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .filter(|a| !a.is_empty()),
            // Whole units only: a fractional quantity on the wire is not one we placed.
            quantity: item.quantity.filter(|q| q.fract().is_zero()).and_then(|q| q.to_i64()),
            unit_price: item.price,
            amount: item.item_amount,
        })
        .collect();
    OrderReadback {
        read_ms,
        total: base.and_then(|b| b.total_amount),
        goods: base.and_then(|b| b.sum_product_payment),
        freight: base.and_then(|b| b.shipping_fee),
        discount: base.and_then(|b| b.discount_yuan()),
        receiver,
        carrier: shipment.and_then(|s| s.carrier()),
        waybill: shipment.and_then(|s| s.bill_no.clone()),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use open1688::types::api::order_read::OrderDetailResponse;
    use rust_decimal::Decimal;

    #[test]
    fn the_documented_order_reads_back_with_its_total_receiver_and_lines() {
        let body = include_str!("../../../fixtures/responses/docs/alibaba.trade.get.buyerView.json");
        let answer: OrderDetailResponse = serde_json::from_str(body).unwrap();
        let read = readback_of(answer.result.as_ref().unwrap(), 7);
        assert_eq!(read.read_ms, 7);
        assert_eq!(
            (read.total, read.freight, read.goods),
            (Some(Decimal::new(615, 2)), Some(6.into()), Some(Decimal::new(3, 1)))
        );
        let to = read.receiver.unwrap();
        assert_eq!(to.name.as_deref(), Some("童恩杰"));
        assert_eq!(to.area.as_deref(), Some("浙江省 杭州市 滨江区 长河街道"));
        assert_eq!(to.address.as_deref(), Some("杭州市滨江区网商路699号"));
        assert_eq!(to.mobile.as_deref(), Some("13666836263"), "receiverInfo has none: nativeLogistics's");
        assert_eq!(read.waybill.as_deref(), Some("不需要物流"));
        assert_eq!(read.carrier, None, "the example names no carrier");
        assert_eq!(read.lines.len(), 3);
        assert_eq!(read.lines[0].attributes.as_deref(), Some("颜色: 白色; 容量: 1.1L-2L"));
        assert_eq!((read.lines[1].quantity, read.lines[1].amount), (Some(1), Some(Decimal::new(5, 2))));
    }

    #[test]
    fn an_order_without_a_header_reads_as_nothing_known() {
        let read = readback_of(&TradeInfo::default(), 1);
        assert_eq!((read.total, read.receiver, read.carrier), (None, None, None));
        assert!(read.lines.is_empty());
    }
}

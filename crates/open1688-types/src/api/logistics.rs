//! An order's shipment as the buyer sees it (trade spec §A.9, namespace `com.alibaba.logistics`):
//! the carrier and waybill, and the carrier's trace. Before the seller ships, both answer `500_2`
//! ("not shipped yet"), which is not an error of the caller's.

use crate::business::{ApiResponse, BusinessFailure, ResponseFamily};
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

/// The logistics namespace.
pub const LOGISTICS: &str = "com.alibaba.logistics";
/// `alibaba.trade.getLogisticsInfos.buyerView`.
pub const LOGISTICS_INFOS: ApiId = ApiId::new(LOGISTICS, "alibaba.trade.getLogisticsInfos.buyerView", 1);
/// `alibaba.trade.getLogisticsTraceInfo.buyerView`.
pub const LOGISTICS_TRACE: ApiId = ApiId::new(LOGISTICS, "alibaba.trade.getLogisticsTraceInfo.buyerView", 1);

/// The code both logistics APIs answer before the order is shipped.
pub const NOT_SHIPPED: &str = "500_2";

/// `alibaba.trade.getLogisticsInfos.buyerView`: the shipments of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogisticsInfos {
    /// The order.
    pub order_id: i64,
}

impl ApiRequest for LogisticsInfos {
    type Output = LogisticsInfosResponse;

    fn api(&self) -> ApiId {
        LOGISTICS_INFOS
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set("orderId", self.order_id)?;
        p.set("webSite", "1688")?;
        p.set("fields", "company.name,sender,receiver,sendgood")?;
        Ok(p)
    }
}

/// `alibaba.trade.getLogisticsTraceInfo.buyerView`: the carrier's steps for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogisticsTrace {
    /// The order.
    pub order_id: i64,
}

impl ApiRequest for LogisticsTrace {
    type Output = LogisticsTraceResponse;

    fn api(&self) -> ApiId {
        LOGISTICS_TRACE
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set("orderId", self.order_id)?;
        p.set("webSite", "1688")?;
        Ok(p)
    }
}

fn failure(code: &Option<String>, message: &Option<String>) -> BusinessFailure {
    BusinessFailure { family: ResponseFamily::Trade, code: code.clone(), message: message.clone() }
}

crate::wire_struct! {
    /// The shipments' answer.
    pub struct LogisticsInfosResponse {
        /// `false` on a failure (a String in some answers, read either way).
        success: Option<bool> = "success",
        /// The shipments.
        result: Vec<Shipment> = "result",
        /// A failure code (`500_2`: not shipped yet).
        error_code: Option<String> = "errorCode",
        /// A failure message.
        error_message: Option<String> = "errorMessage",
    }
}

impl ApiResponse for LogisticsInfosResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success == Some(false) || self.error_code.as_deref().is_some_and(|c| !c.is_empty()))
            .then(|| failure(&self.error_code, &self.error_message))
    }
}

crate::wire_struct! {
    /// One shipment.
    pub struct Shipment {
        /// The platform's logistics id (`BX…`).
        logistics_id: Option<String> = "logisticsId",
        /// The carrier's waybill number.
        bill_no: Option<String> = "logisticsBillNo",
        /// `WAITACCEPT`, `ACCEPT`, `TRANSPORT`, `SIGN`, `CANCEL`, `NOGET`, `UNSIGN`.
        status: Option<String> = "status",
        /// The carrier.
        company_name: Option<String> = "logisticsCompanyName",
        /// The carrier's code (`ZTO`).
        company_no: Option<String> = "logisticsCompanyNo",
        /// The carrier's id on the platform (a string, `"8"`, in the documented answer).
        company_id: Option<String> = "logisticsCompanyId",
        /// The order lines shipped, comma-separated.
        order_entry_ids: Option<String> = "orderEntryIds",
        /// The seller's remark.
        remarks: Option<String> = "remarks",
        /// What was sent.
        send_goods: Vec<SentGoods> = "sendGoods",
        /// Where it goes, as the documented structure.
        receiver: Option<ShipmentReceiver> = "receiver",
    }
}

crate::wire_struct! {
    /// Goods a shipment carries.
    pub struct SentGoods {
        /// The goods' name.
        name: Option<String> = "goodName",
        /// How many.
        quantity: Option<rust_decimal::Decimal> = "quantity",
        /// The unit (`个`).
        unit: Option<String> = "unit",
    }
}

crate::wire_struct! {
    /// A shipment's receiver (`encrypt: "CN"` marks masked fields).
    pub struct ShipmentReceiver {
        /// The receiver's name.
        name: Option<String> = "receiverName",
        /// Mobile.
        mobile: Option<String> = "receiverMobile",
        /// Landline.
        phone: Option<String> = "receiverPhone",
        /// Province.
        province: Option<String> = "receiverProvince",
        /// Province code.
        province_code: Option<String> = "receiverProvinceCode",
        /// City.
        city: Option<String> = "receiverCity",
        /// City code.
        city_code: Option<String> = "receiverCityCode",
        /// District.
        county: Option<String> = "receiverCounty",
        /// District code.
        county_code: Option<String> = "receiverCountyCode",
        /// Street and number.
        address: Option<String> = "receiverAddress",
    }
}

crate::wire_struct! {
    /// The trace's answer.
    pub struct LogisticsTraceResponse {
        /// `false` on a failure.
        success: Option<bool> = "success",
        /// One trace per shipment.
        traces: Vec<Trace> = "logisticsTrace",
        /// A failure code (`500_2`: not shipped yet; `404`: no trace).
        error_code: Option<String> = "errorCode",
        /// A failure message.
        error_message: Option<String> = "errorMessage",
    }
}

impl ApiResponse for LogisticsTraceResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success == Some(false) || self.error_code.as_deref().is_some_and(|c| !c.is_empty()))
            .then(|| failure(&self.error_code, &self.error_message))
    }
}

crate::wire_struct! {
    /// A shipment's trace.
    pub struct Trace {
        /// The platform's logistics id.
        logistics_id: Option<String> = "logisticsId",
        /// The carrier's waybill number.
        bill_no: Option<String> = "logisticsBillNo",
        /// The steps, oldest first.
        steps: Vec<TraceStep> = "logisticsSteps",
    }
}

crate::wire_struct! {
    /// One step of a trace.
    pub struct TraceStep {
        /// When (`yyyy-MM-dd HH:mm:ss`, China time, as written).
        accept_time: Option<String> = "acceptTime",
        /// What happened, in the carrier's words.
        remark: Option<String> = "remark",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipments_and_traces_read_as_the_spec_writes_them() {
        let infos: LogisticsInfosResponse = serde_json::from_str(
            r#"{"success":"true","result":[{"logisticsId":"BX111841674232006","logisticsBillNo":"ZT99","status":"TRANSPORT",
                "logisticsCompanyName":"中通快递","logisticsCompanyNo":"ZTO","orderEntryIds":"1,2"}]}"#,
        )
        .unwrap();
        assert!(infos.business_failure().is_none());
        assert_eq!(infos.result[0].bill_no.as_deref(), Some("ZT99"));
        let not_yet: LogisticsTraceResponse = serde_json::from_str(
            r#"{"success":false,"errorCode":"500_2","errorMessage":"订单尚未发货，暂无物流详情"}"#,
        )
        .unwrap();
        assert_eq!(not_yet.business_failure().unwrap().code.as_deref(), Some(NOT_SHIPPED));
        let trace: LogisticsTraceResponse = serde_json::from_str(
            r#"{"success":true,"logisticsTrace":[{"logisticsId":"BX1","orderId":2237938826932135493,"logisticsBillNo":"ZT1",
                "logisticsSteps":[{"acceptTime":"2026-12-03 10:00:00","remark":"已揽收"}]}]}"#,
        )
        .unwrap();
        assert_eq!(trace.traces[0].steps[0].remark.as_deref(), Some("已揽收"));
    }
}

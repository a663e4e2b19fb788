//! Where an order goes: the buyer's saved addresses (what `alibaba.trade.receiveAddress.get`
//! lists and `addressParam.addressId` names) and the address an order was placed to, kept in
//! parts so the answers can give it as the platform does (`receiverInfo`, `nativeLogistics`, the
//! logistics API's `receiver`).

use serde::Serialize;

/// An address in the parts the platform's answers use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Destination {
    /// The saved address's id, when the order named one.
    pub address_id: Option<i64>,
    /// The receiver.
    pub full_name: String,
    /// Mobile.
    pub mobile: String,
    /// Landline.
    pub phone: String,
    /// Province.
    pub province: String,
    /// City.
    pub city: String,
    /// District.
    pub area: String,
    /// District code.
    pub area_code: String,
    /// Town (street).
    pub town: String,
    /// Town code.
    pub town_code: String,
    /// Street and number.
    pub street: String,
    /// Post code.
    pub post: String,
}

impl Destination {
    /// Province, city, district and town as the platform writes `toArea` (space-separated).
    pub fn area_text(&self) -> String {
        joined(&[&self.province, &self.city, &self.area, &self.town])
    }

    /// Province, city and district as `addressCodeText` writes them.
    pub fn code_text(&self) -> String {
        joined(&[&self.province, &self.city, &self.area])
    }
}

/// The parts that are known, space-separated.
fn joined(parts: &[&String]) -> String {
    parts.iter().filter(|p| !p.is_empty()).map(|p| p.as_str()).collect::<Vec<_>>().join(" ")
}

/// The sandbox's district code for a province and city as written: the same text, the same
/// code (what `alibaba.trade.addresscode.parse` answers, and a seller's place in shipments).
pub fn district_code_of(province: &str, city: &str) -> String {
    let digest = format!("{province}{city}").bytes().fold(17u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    format!("{}", 110_000 + digest % 800_000)
}

/// The province's and the city's codes of a 6-digit district code (`330782` → `330000`,
/// `330700`), as the logistics API gives them beside the district's.
pub fn parent_codes(district: &str) -> (String, String) {
    match district.get(..4) {
        Some(prefix) if district.len() == 6 && district.bytes().all(|b| b.is_ascii_digit()) => {
            (format!("{}0000", &prefix[..2]), format!("{prefix}00"))
        }
        _ => (String::new(), String::new()),
    }
}

/// The buyer's saved addresses' ids (`alibaba.trade.receiveAddress.get` lists them).
pub fn saved_address_ids(buyer: usize) -> [i64; 2] {
    let base = 593_861_699 + i64::try_from(buyer).unwrap_or(0) * 10;
    [base, base + 1]
}

/// The buyer's two saved addresses: a forwarder's warehouse in Yiwu (the default) and an office
/// in Hangzhou. `company` names the warehouse.
pub fn saved_addresses(buyer: usize, company: &str) -> [Destination; 2] {
    let [home, warehouse] = saved_address_ids(buyer);
    [
        Destination {
            address_id: Some(warehouse),
            full_name: format!("{company} 仓库"),
            mobile: "13800000000".into(),
            phone: String::new(),
            province: "浙江省".into(),
            city: "金华市".into(),
            area: "义乌市".into(),
            area_code: "330782".into(),
            town: "福田街道".into(),
            town_code: "330782003".into(),
            street: "福田街道 1 号".into(),
            post: "322000".into(),
        },
        Destination {
            address_id: Some(home),
            full_name: "张三".into(),
            mobile: "13900000000".into(),
            phone: String::new(),
            province: "浙江省".into(),
            city: "杭州市".into(),
            area: "上城区".into(),
            area_code: "330102".into(),
            town: "四季青街道".into(),
            town_code: "330102011".into(),
            street: "江干区 88 号".into(),
            post: "310000".into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_addresses_carry_the_ids_that_address_id_accepts() {
        let [warehouse, office] = saved_addresses(2, "义乌某某");
        assert_eq!([office.address_id.unwrap(), warehouse.address_id.unwrap()], saved_address_ids(2));
        assert_eq!(warehouse.area_text(), "浙江省 金华市 义乌市 福田街道");
        assert_eq!(warehouse.code_text(), "浙江省 金华市 义乌市");
    }

    #[test]
    fn codes_derive_from_the_text_and_the_district() {
        assert_eq!(district_code_of("浙江省", "金华市"), district_code_of("浙江省", "金华市"));
        assert_ne!(district_code_of("浙江省", "金华市"), district_code_of("浙江省", "杭州市"));
        assert_eq!(parent_codes("330782"), ("330000".to_owned(), "330700".to_owned()));
        assert_eq!(parent_codes(""), (String::new(), String::new()));
        assert_eq!(parent_codes("3307x2"), (String::new(), String::new()));
    }
}

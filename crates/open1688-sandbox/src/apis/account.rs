//! `alibaba.account.basic` (the authorized member) and `alibaba.account.agent.crossBasic` (another
//! member by login id or shop domain), spec §6.8.

use serde::Serialize;

use super::wire::platform_date_ms;
use crate::call::Call;
use crate::catalog::Supplier;
use crate::reply::Reply;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<T> {
    result: Option<T>,
    success: bool,
    error_code: Option<&'static str>,
    error_message: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Basic<'a> {
    login_id: &'a str,
    user_id: i64,
    member_id: String,
    company_name: &'a str,
    supplier_name: &'a str,
    seller_name: &'a str,
    create_date: String,
    gmt_paid_join: String,
    tp_year: i64,
    buy_rate: i64,
    sale_rate: i64,
    category_id: i64,
    category_name: &'static str,
    member_biz_type: &'static str,
    enterprise_account: bool,
    person_account: bool,
    shop_url: String,
    domain_in_platforms: Vec<String>,
    cross_border: bool,
    fm: bool,
    status: &'static str,
    open_uid: &'a str,
    address_location: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CrossBasic<'a> {
    login_id: &'a str,
    category_name: &'static str,
    company_name: &'a str,
    supplier_name: &'a str,
    shop_url: String,
    kua_jing_bao: bool,
}

fn basic(s: &Supplier) -> Basic<'_> {
    let category = &crate::catalog::vocabulary::CATEGORIES[usize::from(s.category)];
    Basic {
        login_id: &s.login_id,
        user_id: s.user_id,
        member_id: s.member_id(),
        company_name: &s.company,
        supplier_name: &s.company,
        seller_name: &s.login_id,
        create_date: platform_date_ms(s.joined * 1000),
        gmt_paid_join: platform_date_ms((s.joined + 86_400 * 3) * 1000),
        tp_year: s.tp_year,
        buy_rate: i64::from(s.trade_medal),
        sale_rate: i64::from(s.trade_medal),
        category_id: category.top_id,
        category_name: category.name,
        member_biz_type: s.biz_type,
        enterprise_account: s.biz_type == "ENTERPRISE",
        person_account: s.biz_type != "ENTERPRISE",
        shop_url: format!("https://{}", s.domain()),
        domain_in_platforms: vec![s.domain()],
        cross_border: s.identities.contains(&"verified_supplier"),
        fm: false,
        status: "enabled",
        open_uid: &s.open_id,
        address_location: format!("{} {}", s.province, s.city),
    }
}

/// `alibaba.account.basic`.
pub fn account_basic(call: &Call<'_>) -> Reply {
    let member = call.member.unwrap_or(0);
    let supplier = &call.state.catalog.suppliers[member];
    Reply::ok(&Envelope { result: Some(basic(supplier)), success: true, error_code: None, error_message: None })
}

/// `alibaba.account.agent.crossBasic`.
pub fn cross_basic(call: &Call<'_>) -> Reply {
    let key = call.params.get("loginId").or(call.params.get("domain")).filter(|k| !k.trim().is_empty());
    let Some(key) = key else {
        let body: Envelope<()> = Envelope {
            result: None,
            success: false,
            error_code: Some("PARAM_ERROR"),
            error_message: Some("loginId or domain is required".into()),
        };
        return Reply::business("PARAM_ERROR", &body);
    };
    let catalog = &call.state.catalog;
    let Some(index) = catalog.supplier_by_login_or_domain(key) else {
        let body: Envelope<()> = Envelope {
            result: None,
            success: false,
            error_code: Some("MEMBER_NOT_FOUND"),
            error_message: Some(format!("no member with login id or domain {key:?}")),
        };
        return Reply::business("MEMBER_NOT_FOUND", &body);
    };
    let s = &catalog.suppliers[index];
    let category = &crate::catalog::vocabulary::CATEGORIES[usize::from(s.category)];
    Reply::ok(&Envelope {
        result: Some(CrossBasic {
            login_id: &s.login_id,
            category_name: category.name,
            company_name: &s.company,
            supplier_name: &s.company,
            shop_url: format!("https://{}", s.domain()),
            kua_jing_bao: s.identities.contains(&"verified_supplier"),
        }),
        success: true,
        error_code: None,
        error_message: None,
    })
}

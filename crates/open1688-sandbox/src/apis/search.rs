//! `product.search.keywordQuery` and `product.search.querySellerOfferList` (spec §6.4, §6.8), and
//! the filtering, sorting and paging that image search shares.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use super::items::{ItemFlavor, SearchItem, search_item};
use super::wire::{
    SuccessType, crossborder_fail, crossborder_ok, get_decimal, get_i64, get_str, json_object, live_price,
};
use crate::call::Call;
use crate::catalog::drift::LiveCatalog;
use crate::catalog::{Catalog, Offer};
use crate::config::PageSizeOverLimit;
use crate::reply::Reply;

/// A page of results (PageInfoV3 / PageInfoV4).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<'a, X: Serialize> {
    total_records: u32,
    total_page: u32,
    page_size: u32,
    current_page: u32,
    data: Vec<SearchItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pic_region_info: Option<X>,
}

/// Filters, order and page of a query, read from its JSON parameter.
#[derive(Debug, Default)]
pub struct QuerySpec {
    /// 1-based page.
    pub page: u32,
    /// Items per page.
    pub page_size: u32,
    /// Keyword (required by keywordQuery, optional elsewhere).
    pub keyword: Option<String>,
    categories: Vec<i64>,
    price_start: Option<Decimal>,
    price_end: Option<Decimal>,
    flags: Vec<String>,
    sort: Option<(SortKey, bool)>,
    sales: Vec<(String, Option<i64>, Option<i64>)>,
}

#[derive(Debug, Clone, Copy)]
enum SortKey {
    Price,
    Sales,
    Created,
}

/// Reads the common query fields; `Err` is the business failure message.
pub fn parse_query(call: &Call<'_>, map: &Map<String, Value>) -> Result<QuerySpec, String> {
    let protocol = &call.state.protocol;
    if get_str(map, "country").is_none() {
        return Err("country is required (a language code such as en)".into());
    }
    let page = get_i64(map, "beginPage")?.unwrap_or(1);
    if page < 1 {
        return Err(format!("beginPage must be 1 or more, got {page}"));
    }
    let mut page_size = get_i64(map, "pageSize")?.unwrap_or(20);
    if page_size < 1 {
        return Err(format!("pageSize must be 1 or more, got {page_size}"));
    }
    if page_size > i64::from(protocol.max_page_size) {
        match protocol.page_size_over_limit {
            PageSizeOverLimit::Reject => {
                return Err(format!("pageSize must be at most {}, got {page_size}", protocol.max_page_size));
            }
            PageSizeOverLimit::Clamp => page_size = i64::from(protocol.max_page_size),
        }
    }
    let mut categories: Vec<i64> = get_i64(map, "categoryId")?.into_iter().collect();
    if let Some(list) = get_str(map, "categoryIdList") {
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            categories.push(part.parse().map_err(|_| format!("categoryIdList has a non-numeric id {part:?}"))?);
        }
    }
    let flags = get_str(map, "filter").map(|f| f.split(',').map(|s| s.trim().to_owned()).collect()).unwrap_or_default();
    let sort = match map.get("sort") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => parse_sort(
            &serde_json::from_str(s)
                .map_err(|_| format!("sort must be a JSON object such as {{\"price\":\"asc\"}}, got {s:?}"))?,
        )?,
        Some(v) => parse_sort(v)?,
    };
    let mut sales = Vec::new();
    if let Some(Value::Array(list)) = map.get("saleFilterList") {
        for f in list {
            let Value::Object(f) = f else { return Err("saleFilterList entries must be objects".into()) };
            let kind = get_str(f, "saleType").ok_or("saleFilterList entry needs saleType")?.into_owned();
            if !["sales7", "sales14", "sales30", "totalSales"].contains(&kind.as_str()) {
                return Err(format!("unknown saleType {kind:?} (sales7, sales14, sales30, totalSales)"));
            }
            sales.push((kind, get_i64(f, "saleStart")?, get_i64(f, "saleEnd")?));
        }
    }
    Ok(QuerySpec {
        page: page as u32,
        page_size: page_size as u32,
        keyword: get_str(map, "keyword").map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()),
        categories,
        price_start: get_decimal(map, "priceStart")?,
        price_end: get_decimal(map, "priceEnd")?,
        flags,
        sort,
        sales,
    })
}

fn parse_sort(v: &Value) -> Result<Option<(SortKey, bool)>, String> {
    let Value::Object(m) = v else { return Err("sort must be a JSON object".into()) };
    let Some((key, dir)) = m.iter().next() else { return Ok(None) };
    let key = match key.as_str() {
        "price" => SortKey::Price,
        "monthSold" | "sales" | "sales30" | "saleQuantity" => SortKey::Sales,
        "createDate" => SortKey::Created,
        other => return Err(format!("cannot sort by {other:?} (price, monthSold, createDate)")),
    };
    let ascending = match dir.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("asc") => true,
        Some("desc") => false,
        _ => return Err(format!("sort direction must be \"asc\" or \"desc\", got {dir}")),
    };
    Ok(Some((key, ascending)))
}

impl QuerySpec {
    /// Keeps the candidates (offer positions) that pass every filter, in the requested order.
    pub fn filter_and_sort(
        &self,
        catalog: &Catalog,
        live: &LiveCatalog,
        candidates: impl Iterator<Item = u32>,
    ) -> Vec<u32> {
        let mut hits: Vec<u32> = candidates.filter(|&i| self.accepts(catalog, live, i as usize)).collect();
        if let Some((key, ascending)) = self.sort {
            let value = |i: u32| -> Decimal {
                let o = &catalog.offers[i as usize];
                match key {
                    SortKey::Price => live_price(o, &live.offers[i as usize]),
                    SortKey::Sales => Decimal::from(o.month_sold),
                    SortKey::Created => Decimal::from(o.created),
                }
            };
            let mut keyed: Vec<(Decimal, u32)> = hits.iter().map(|&i| (value(i), i)).collect();
            keyed.sort_by(|a, b| if ascending { a.cmp(b) } else { b.0.cmp(&a.0).then(a.1.cmp(&b.1)) });
            hits = keyed.into_iter().map(|(_, i)| i).collect();
        }
        hits
    }

    fn accepts(&self, catalog: &Catalog, live: &LiveCatalog, i: usize) -> bool {
        let o: &Offer = &catalog.offers[i];
        let l = &live.offers[i];
        if l.delisted {
            return false;
        }
        let spec = o.category();
        if !self.categories.is_empty()
            && !self.categories.iter().any(|&c| c == spec.id || c == spec.second_id || c == spec.top_id)
        {
            return false;
        }
        if self.price_start.is_some() || self.price_end.is_some() {
            let price = live_price(o, l);
            if self.price_start.is_some_and(|p| price < p) || self.price_end.is_some_and(|p| price > p) {
                return false;
            }
        }
        let supplier = &catalog.suppliers[o.supplier as usize];
        for flag in &self.flags {
            let ok = match flag.as_str() {
                "shipInToday" | "shipIn24Hours" => o.ship_guarantee == "shipIn24Hours",
                "shipIn48Hours" => o.ship_guarantee != "shipIn72Hours",
                "isOnePsale" | "onePsale" => o.one_piece,
                "superFactory" | "super_factory" => supplier.identities.contains(&"super_factory"),
                "jxhy" | "isJxhy" => o.jxhy,
                "mixWholesale" | "hunpi" => supplier.mix.is_some(),
                _ => true,
            };
            if !ok {
                return false;
            }
        }
        for (kind, start, end) in &self.sales {
            let v = match kind.as_str() {
                "sales7" => o.sales_7d,
                "sales14" => o.month_sold * 14 / 30,
                "sales30" => o.month_sold,
                _ => o.month_sold * 12,
            };
            if start.is_some_and(|s| v < s) || end.is_some_and(|e| v > e) {
                return false;
            }
        }
        true
    }

    /// Cuts one page out of the hits and renders it.
    pub fn page<'a, X: Serialize>(
        &self,
        call: &Call<'a>,
        live: &LiveCatalog,
        hits: &[u32],
        flavor: ItemFlavor,
        region: Option<X>,
    ) -> Page<'a, X> {
        let catalog = &call.state.catalog;
        let total = (hits.len() as u32).min(call.state.protocol.max_total_records);
        let start = ((self.page - 1) as usize).saturating_mul(self.page_size as usize).min(total as usize);
        let end = (start + self.page_size as usize).min(total as usize);
        let data = hits[start..end]
            .iter()
            .map(|&i| {
                search_item(
                    catalog,
                    &catalog.offers[i as usize],
                    &live.offers[i as usize],
                    &call.state.base_url,
                    flavor,
                )
            })
            .collect();
        Page {
            total_records: total,
            total_page: total_pages(total, call.state.protocol.max_total_records, self.page_size),
            page_size: self.page_size,
            current_page: self.page,
            data,
            pic_region_info: region,
        }
    }
}

/// `product.search.keywordQuery`.
pub fn keyword_query(call: &Call<'_>) -> Reply {
    let fail = |msg: &str| crossborder_fail(SuccessType::Bool, "400", msg);
    let map = match json_object(call.params.get("offerQueryParam").unwrap_or(""), "offerQueryParam") {
        Ok(map) => map,
        Err(e) => return fail(&e),
    };
    let spec = match parse_query(call, &map) {
        Ok(spec) => spec,
        Err(e) => return fail(&e),
    };
    let Some(keyword) = spec.keyword.as_deref() else { return fail("keyword is required") };
    let catalog = &call.state.catalog;
    let live = call.state.live();
    let hits = spec.filter_and_sort(catalog, &live, catalog.index.search(&catalog.offers, keyword).into_iter());
    crossborder_ok(SuccessType::Bool, spec.page::<()>(call, &live, &hits, ItemFlavor::Keyword, None))
}

/// `product.search.querySellerOfferList`.
pub fn seller_offer_list(call: &Call<'_>) -> Reply {
    let fail = |code: &str, msg: &str| crossborder_fail(SuccessType::Bool, code, msg);
    let map = match json_object(call.params.get("offerQueryParam").unwrap_or(""), "offerQueryParam") {
        Ok(map) => map,
        Err(e) => return fail("400", &e),
    };
    let Some(open_id) = get_str(&map, "sellerOpenId") else { return fail("400", "sellerOpenId is required") };
    let spec = match parse_query(call, &map) {
        Ok(spec) => spec,
        Err(e) => return fail("400", &e),
    };
    let catalog = &call.state.catalog;
    let Some(supplier) = catalog.supplier_by_open_id(&open_id) else {
        return fail("404", &format!("seller {open_id} not found"));
    };
    let own = catalog.offers_of(supplier);
    let live = call.state.live();
    let hits = match spec.keyword.as_deref() {
        Some(k) => {
            let matching = catalog.index.search(&catalog.offers, k);
            spec.filter_and_sort(catalog, &live, own.iter().copied().filter(|i| matching.binary_search(i).is_ok()))
        }
        None => spec.filter_and_sort(catalog, &live, own.iter().copied()),
    };
    crossborder_ok(SuccessType::Bool, spec.page::<()>(call, &live, &hits, ItemFlavor::Seller, None))
}

/// `totalPage` as the gateway writes it. Below the cap it is the pages the matches fill. At the
/// cap the documented sample says `2000 / 20 = 100`, but four answers relayed from the live
/// gateway say `total / pageSize + 1` (101): the sandbox sends the live form, so a client that
/// pages to `totalPage` learns here that the last page is past the cap. Clients should page by
/// `totalRecords` (the SDK does).
pub fn total_pages(total: u32, cap: u32, page_size: u32) -> u32 {
    let page_size = page_size.max(1);
    if total >= cap { total / page_size + 1 } else { total.div_ceil(page_size) }
}

#[cfg(test)]
mod total_page_tests {
    use super::total_pages;

    #[test]
    fn total_page_follows_the_live_gateway_at_the_cap() {
        assert_eq!(total_pages(2000, 2000, 20), 101);
        assert_eq!(total_pages(2000, 2000, 50), 41);
        assert_eq!(total_pages(1999, 2000, 20), 100);
        assert_eq!(total_pages(41, 2000, 20), 3);
        assert_eq!(total_pages(0, 2000, 20), 0);
        assert_eq!(total_pages(5, 2000, 0), 5);
    }
}

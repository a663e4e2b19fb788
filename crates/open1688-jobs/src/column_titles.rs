//! What a sheet's column is called for a person reading the workbook in Chinese. A column's name
//! (`landed_total`) is a stable API (the JSON field and the CSV header); the workbook's header
//! shows the Chinese title above it, so a buying team reads `到岸总价` and a program or an
//! English reader still finds `landed_total`. The cost figures take their titles from the engine
//! (`sourcing::Figure`), so a figure has one name on every surface.

/// The Chinese title of column `name`, when it has one.
pub fn chinese_title(name: &str) -> Option<&'static str> {
    if let Some(figure) = sourcing::Figure::ALL.into_iter().find(|f| f.key() == name) {
        return Some(figure.label(sourcing::Language::Zh));
    }
    let title = match name {
        "keyword" => "关键词",
        "offer_id" => "商品 ID",
        "sku_id" => "SKU ID",
        "spec_id" => "规格 ID",
        "order_id" => "订单号",
        "out_order_id" => "本地单号",
        "watch_id" => "监控 ID",
        "address_id" => "地址 ID",
        "title" => "标题",
        "title_en" => "英文标题",
        "supplier" => "供应商",
        "company" => "公司",
        "score" => "供应商评分",
        "band" => "评分等级",
        "action" => "建议",
        "why" => "理由",
        "explanation" => "说明",
        "decision" => "决策",
        "moq" => "起订量",
        "unit_price_at_need" => "需求量单价",
        "monthly_sales" => "30天销量",
        "url" => "链接",
        "min_qty" => "起始数量",
        "max_qty" => "截止数量",
        "attributes" => "规格属性",
        "price" => "价格",
        "stock" => "库存",
        "years" => "经营年限",
        "identities" => "身份",
        "freight_source" => "运费来源",
        "cost_rank" => "成本排名",
        "score_rank" => "评分排名",
        "pareto" => "帕累托最优",
        "mixed" => "混批",
        "goods" => "货款",
        "total" => "合计",
        "violations" => "不满足的规则",
        "line" => "行号",
        "quantity" => "数量",
        "amount" => "金额",
        "status" => "状态",
        "state" => "下单状态",
        "rule" => "规则",
        "message" => "内容",
        "at" => "时间",
        "unit" => "单位",
        "batch" => "批量",
        "weight_kg" => "重量（千克）",
        "ship_from" => "发货地",
        "province" => "省份",
        "city" => "城市",
        "category" => "类目",
        "risk" => "风险",
        "saving" => "节省",
        "placed" => "下单时间",
        "pay_url" => "付款链接",
        "platform_total" => "平台总价",
        "plan_total" => "计划总价",
        "discount" => "优惠",
        "carrier" => "物流公司",
        "waybill" => "运单号",
        _ => return None,
    };
    Some(title)
}

/// The header a workbook shows for column `name`: its Chinese title above the name, or the name.
pub fn header(name: &str) -> String {
    match chinese_title(name) {
        Some(title) => format!("{title}\n{name}"),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_take_the_engines_names_and_others_their_own() {
        assert_eq!(chinese_title("landed_total"), Some(sourcing::Figure::LandedTotal.label(sourcing::Language::Zh)));
        assert_eq!(header("offer_id"), "商品 ID\noffer_id");
        assert_eq!(header("p90"), "p90", "a column without a title keeps its name");
    }
}

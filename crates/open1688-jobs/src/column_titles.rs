//! What a sheet's column is called for a person reading the workbook. A column's name
//! (`landed_total`) is a stable API (the JSON field and the CSV header); the workbook's header
//! shows the title in the reader's language above it, so a buying team reads `到岸总价`, an
//! English reader `Landed total`, and a program still finds `landed_total`. The cost figures take
//! their titles from the engine (`sourcing::Figure`), so a figure has one name on every surface.

use sourcing::Language;

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

/// The English title of column `name`: the engine's name of a figure, else the name's words
/// (`offer_id` → `Offer ID`).
pub fn english_title(name: &str) -> String {
    if let Some(figure) = sourcing::Figure::ALL.into_iter().find(|f| f.key() == name) {
        return figure.label(Language::En).to_owned();
    }
    if name == "title_en" {
        return "English title".to_owned();
    }
    let words: Vec<String> = name
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|word| match word {
            "id" | "ids" | "sku" | "moq" | "url" => word.to_ascii_uppercase(),
            "qty" => "quantity".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_ascii_uppercase() + &title[1..];
    }
    title
}

/// The header a workbook shows for column `name` in `language`: the title above the name (the
/// name alone when it has no title, or when the title only capitalizes it).
pub fn header(name: &str, language: Language) -> String {
    let title = match language {
        Language::Zh => chinese_title(name).map(str::to_owned),
        Language::En => Some(english_title(name)).filter(|t| !t.eq_ignore_ascii_case(name)),
    };
    match title {
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
        assert_eq!(header("offer_id", Language::Zh), "商品 ID\noffer_id");
        assert_eq!(header("p90", Language::Zh), "p90", "a column without a title keeps its name");
        assert_eq!(header("offer_id", Language::En), "Offer ID\noffer_id");
        assert_eq!(header("unit_price_at_need", Language::En), "Unit price at need\nunit_price_at_need");
        assert_eq!(header("keyword", Language::En), "keyword", "a title that only capitalizes is left out");
        assert_eq!(
            header("landed_total", Language::En),
            format!("{}\nlanded_total", sourcing::Figure::LandedTotal.label(Language::En))
        );
    }
}

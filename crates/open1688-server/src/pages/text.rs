//! The dashboard's words in Chinese and English. Every string is a field of [`Text`], so a page
//! cannot use a word one of the languages lacks: a missing translation does not compile.

use axum::http::HeaderMap;

/// A language the dashboard speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language's tag in `<html lang>` and in the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The other language (what the switch offers).
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }

    /// A tag as stored in the cookie or typed in a link (`zh`, `zh-CN`, `en`).
    pub fn parse(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "zh" || tag.starts_with("zh-") {
            Some(Self::Zh)
        } else if tag == "en" || tag.starts_with("en-") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The language of a request: the `lang` cookie, else the browser's first Chinese or English
    /// preference, else English.
    pub fn of(headers: &HeaderMap, cookie: Option<&str>) -> Self {
        if let Some(lang) = cookie.and_then(Self::parse) {
            return lang;
        }
        let accepted = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        accepted
            .split(',')
            .filter_map(|part| Self::parse(part.split(';').next().unwrap_or("")))
            .next()
            .unwrap_or(Self::En)
    }

    /// The words of this language.
    pub fn text(self) -> &'static Text {
        match self {
            Self::Zh => &ZH,
            Self::En => &EN,
        }
    }
}

/// Defines [`Text`] and its two tables from one list, each word's languages side by side.
macro_rules! words {
    ($($(#[doc = $doc:literal])* $field:ident: $en:literal, $zh:literal;)*) => {
        /// Every word the pages show.
        #[derive(Debug)]
        pub struct Text {
            $($(#[doc = $doc])* pub $field: &'static str,)*
        }

        /// English.
        pub static EN: Text = Text { $($field: $en,)* };

        /// Simplified Chinese.
        pub static ZH: Text = Text { $($field: $zh,)* };

        /// Every word: field, English, Chinese (for the tests).
        #[cfg(test)]
        const ALL: &[(&str, &str, &str)] = &[$((stringify!($field), $en, $zh),)*];
    };
}

words! {
    /// The product's name in the header.
    brand: "open1688", "open1688";
    /// The switch's label, in the language it switches to.
    switch_to: "中文", "English";
    /// The link that skips the navigation (for keyboards and screen readers).
    skip_to_content: "Skip to content", "跳到正文";
    /// Navigation: the overview page.
    nav_overview: "Overview", "概览";
    /// Navigation: search.
    nav_search: "Search", "搜索";
    /// Navigation: the sourcing job.
    nav_source: "Sourcing", "选品采购";
    /// Navigation: watches and alerts.
    nav_watches: "Watches", "监控";
    /// Navigation: API keys.
    nav_keys: "Keys", "密钥";
    /// The log-out button.
    log_out: "Log out", "退出";
    /// The log-in page's title.
    login_title: "Log in", "登录";
    /// What the log-in page asks for.
    login_intro: "Paste an API key of this service (open1688 serve keys add makes one).", "请粘贴本服务的 API 密钥（用 open1688 serve keys add 生成）。";
    /// The key field's label.
    api_key: "API key", "API 密钥";
    /// The log-in button.
    log_in: "Log in", "登录";
    /// A key that is unknown or revoked.
    key_refused: "This key is unknown or revoked.", "密钥不存在或已被吊销。";
    /// A page the key's scope does not reach.
    scope_too_small: "Your key's scope does not reach this page.", "您的密钥权限不足以访问此页面。";
    /// The overview's heading for the service's health.
    health: "Service health", "服务状态";
    /// Gateway success rate.
    success_rate: "Gateway success rate", "网关成功率";
    /// Gateway latency at p95.
    latency_p95: "Gateway latency (p95)", "网关延迟（p95）";
    /// Cache hit rate.
    cache_hit_rate: "Cache hit rate", "缓存命中率";
    /// Throttles since the start.
    throttles: "Throttles since start", "启动以来限流次数";
    /// The oldest watch's data age.
    data_age: "Oldest watch data", "最旧监控数据";
    /// Gateway calls left today.
    quota_left: "Calls left today", "今日剩余调用";
    /// A target next to a figure.
    target: "target", "目标";
    /// No figure yet.
    no_data: "no data yet", "暂无数据";
    /// No daily cap on calls.
    no_cap: "no daily cap", "无每日上限";
    /// Recent alerts.
    recent_alerts: "Recent alerts", "最近告警";
    /// Running jobs.
    running_jobs: "Running jobs", "运行中的任务";
    /// Nothing to show in a list.
    none_yet: "None yet.", "暂无。";
    /// Watches by state.
    watches: "Watches", "监控";
    /// The search field's label.
    keyword: "Keyword", "关键词";
    /// The search button.
    search: "Search", "搜索";
    /// Price at a quantity.
    quantity: "Quantity", "数量";
    /// Lowest price filter.
    price_min: "Lowest price", "最低价";
    /// Highest price filter.
    price_max: "Highest price", "最高价";
    /// The sort field.
    sort: "Sort", "排序";
    /// Relevance order.
    sort_relevance: "Relevance", "综合";
    /// Cheapest first.
    sort_price: "Cheapest first", "价格从低到高";
    /// Dearest first.
    sort_price_desc: "Dearest first", "价格从高到低";
    /// Best sellers first.
    sort_sales: "Best sellers", "销量";
    /// Newest first.
    sort_newest: "Newest", "最新";
    /// How many results.
    results: "results", "条结果";
    /// Minimum order quantity.
    moq: "MOQ", "起订量";
    /// Sold in 30 days.
    monthly_sales: "Sold in 30 days", "30天销量";
    /// The supplier.
    supplier: "Supplier", "供应商";
    /// Add to a watch.
    watch: "Watch", "监控";
    /// Open the offer.
    open: "Open", "查看";
    /// A unit price.
    unit_price: "Unit price", "单价";
    /// The price ladder.
    price_ladder: "Price ladder", "阶梯价";
    /// From this many units.
    from_units: "From", "起批";
    /// SKUs.
    skus: "SKUs", "规格";
    /// Stock.
    stock: "Stock", "库存";
    /// The supplier's scorecard.
    scorecard: "Supplier scorecard", "供应商评分";
    /// The optimal quantity.
    optimal_quantity: "Optimal quantity", "最优采购量";
    /// The need field.
    need: "Units needed", "需求数量";
    /// Work out a quantity.
    work_out: "Work it out", "计算";
    /// Total cost.
    total: "Total", "总价";
    /// Recommended row.
    recommended: "Recommended", "推荐";
    /// Why.
    why: "Why", "原因";
    /// Buy now versus batches.
    batches: "Buy now or in batches", "一次买齐还是分批";
    /// A scorecard criterion's measured signal.
    signal: "Signal", "指标值";
    /// A criterion's sub-score.
    sub_score: "Score (0–100)", "得分（0–100）";
    /// A criterion's weight.
    weight: "Weight", "权重";
    /// A criterion's part of the score.
    contribution: "Points", "贡献分";
    /// How many batches.
    batch_count: "Batches", "批次";
    /// Cost above buying at once.
    extra_cost: "Extra cost", "额外成本";
    /// Stock risk.
    risk: "Stock risk", "库存风险";
    /// Keys page: make a key.
    new_key: "New key", "新建密钥";
    /// Key name.
    name: "Name", "名称";
    /// Key scope.
    scope: "Scope", "权限";
    /// Make.
    create: "Create", "创建";
    /// Revoke.
    revoke: "Revoke", "吊销";
    /// Revoked.
    revoked: "revoked", "已吊销";
    /// Made at.
    created: "Created", "创建时间";
    /// A key just made: shown once.
    key_shown_once: "Copy this key now: it is shown once and cannot be shown again.", "请立即复制此密钥：它只显示这一次。";
    /// Active.
    active: "active", "有效";
    /// A page was not found.
    not_found: "Not found.", "未找到。";
    /// Something failed.
    failed: "That did not work", "操作失败";
    /// Back.
    back: "Back", "返回";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_then_the_browser_then_english() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::of(&headers, None), Lang::En);
        headers.insert(axum::http::header::ACCEPT_LANGUAGE, "fr-FR,zh-CN;q=0.8,en;q=0.5".parse().unwrap());
        assert_eq!(Lang::of(&headers, None), Lang::Zh);
        assert_eq!(Lang::of(&headers, Some("en")), Lang::En);
        assert_eq!(Lang::of(&headers, Some("klingon")), Lang::Zh, "an unknown cookie is ignored");
    }

    #[test]
    fn every_word_is_translated() {
        // A word left in English in the Chinese table (or the other way round) shows up as the
        // same text twice; only names that are the same in both languages may be.
        let shared = ["brand"];
        for (field, en, zh) in ALL {
            assert!(!en.is_empty() && !zh.is_empty(), "{field} is empty");
            assert!(shared.contains(field) || en != zh, "{field} is not translated: {en:?}");
            let has_han = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(shared.contains(field) || field == &"switch_to" || has_han, "{field} has no Chinese: {zh:?}");
        }
    }
}

//! The dashboard's words in Chinese and English. Every string is a field of [`Text`], so a page
//! cannot use a word one of the languages lacks: a missing translation does not compile.

pub use crate::language::Lang;

impl Lang {
    /// The words of this language.
    pub fn text(self) -> &'static Text {
        match self {
            Self::Zh => &ZH,
            Self::En => &EN,
        }
    }
}

impl Text {
    /// The name of a cost figure, as the engine defines it for every surface.
    pub fn figure(&self, figure: sourcing::Figure) -> &'static str {
        figure.label(self.language)
    }

    /// What a supplier's score band advises, in words: the engine's, as its reasons say it.
    pub fn action(&self, action: sourcing::Action) -> &'static str {
        sourcing::reasons::action_name(action, self.language)
    }

    /// Where a freight figure comes from, in words.
    pub fn freight_source(&self, source: sourcing::FreightSource) -> &'static str {
        source.label(self.language)
    }
}

/// Defines [`Text`] and its two tables from one list, each word's languages side by side.
macro_rules! words {
    ($($(#[doc = $doc:literal])* $field:ident: $en:literal, $zh:literal;)*) => {
        /// Every word the pages show.
        #[derive(Debug)]
        pub struct Text {
            /// The language of these words (the engine's names for figures are in it too).
            pub language: sourcing::Language,
            $($(#[doc = $doc])* pub $field: &'static str,)*
        }

        /// English.
        pub static EN: Text = Text { language: sourcing::Language::En, $($field: $en,)* };

        /// Simplified Chinese.
        pub static ZH: Text = Text { language: sourcing::Language::Zh, $($field: $zh,)* };

        /// Every word: field, English, Chinese (for the tests, and for browser tests that look
        /// for one language's words on the other's pages).
        pub const ALL: &[(&str, &str, &str)] = &[$((stringify!($field), $en, $zh),)*];
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
    login_intro: "Paste an API key of this service (the person who runs the service makes them).", "请粘贴本服务的 API 密钥（由运行本服务的管理员生成）。";
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
    /// The title of the page for an address the dashboard does not have.
    missing_page: "There is no such page", "没有这个页面";
    /// What to do about an address the dashboard does not have.
    missing_page_next: "The address may be mistyped, or the page may have moved. Start again from the overview or a search.", "地址可能输错了，或页面已移动。请从概览或搜索重新开始。";
    /// Something failed.
    failed: "That did not work", "操作失败";
    /// Back.
    back: "Back", "返回";
    /// Snoozed watches.
    snoozed: "snoozed", "已静音";
    /// Paused watches.
    paused: "paused", "已暂停";
    /// What a watch watches.
    what_to_watch: "What to watch", "监控对象";
    /// An offer id field.
    offer_id: "Offer id", "商品 ID";
    /// Or a keyword.
    or_keyword: "Or a keyword", "或关键词";
    /// Minutes between checks.
    every_minutes: "Check every (minutes)", "检查间隔（分钟）";
    /// The rules' fieldset.
    alert_when: "Alert when", "告警条件";
    /// The quantity prices are read at.
    price_at_quantity: "Price at quantity", "按此数量取价";
    /// The catalog's price column when no quantity is typed: each offer's price at its MOQ.
    price_at_moq: "Price at MOQ", "起批价";
    /// The clock every page's times are in (the title of each time).
    beijing_time: "Beijing time (UTC+8)", "北京时间";
    /// How many points a chart's line has, after the count (for screen readers).
    data_points: "points", "个数据点";
    /// Price below.
    price_below: "Price below (¥)", "价格低于（¥）";
    /// Price above.
    price_above: "Price above (¥)", "价格高于（¥）";
    /// A move of some percent.
    moves_percent: "Price moves by (%)", "价格变动超过（%）";
    /// Lowest in days.
    lowest_in_days: "Lowest in (days)", "为若干天内最低（天）";
    /// Stock below.
    stock_below: "Stock below", "库存低于";
    /// At most alerts a day.
    max_per_day: "At most alerts a day", "每日最多告警";
    /// Any tier change.
    any_tier_change: "Any tier changes", "任一阶梯价变化";
    /// Sold out.
    sold_out: "Sold out", "售罄";
    /// Back in stock.
    back_in_stock: "Back in stock", "恢复库存";
    /// New offers for a keyword.
    new_offers: "New offers (keyword)", "新商品（关键词）";
    /// What happens with no rule.
    default_rules: "No rule ticked: an offer alerts on tier changes, sold out and back in stock; a keyword on new offers and tier changes.", "未选规则时：商品监控阶梯价变化、售罄和恢复库存；关键词监控新商品和阶梯价变化。";
    /// Live alerts.
    live_alerts: "Alerts", "告警";
    /// The live list before the stream connects.
    live_recent: "The latest alerts.", "最新告警。";
    /// The live list once connected.
    live_on: "Live: new alerts appear here as they are raised.", "实时：新告警会出现在这里。";
    /// Add a watch.
    add_watch: "Add a watch", "添加监控";
    /// Until a moment.
    until: "until", "直到";
    /// The last error.
    last_error: "Last error", "最近错误";
    /// A watch's state.
    state: "State", "状态";
    /// Said while a search waits for 1688.
    searching: "Searching 1688…", "正在搜索 1688…";
    /// A watch's price now at its quantity.
    price_now: "Price now", "当前价";
    /// A watch's price over the last 30 days.
    trend_30_days: "Last 30 days", "30 天走势";
    /// A watch's newest price change.
    last_change: "Last change", "最近变动";
    /// No price change in the span shown.
    no_change_in_span: "No change in 30 days", "30 天内无变动";
    /// Said after a watch was removed.
    watch_removed: "Watch removed", "已删除监控";
    /// Puts back what was just removed.
    undo: "Undo", "撤销";
    /// A watch's rules.
    rules: "Rules", "规则";
    /// The last check.
    last_check: "Last check", "上次检查";
    /// Row actions.
    actions: "Actions", "操作";
    /// Snooze a day.
    snooze_day: "Snooze 24 h", "静音 24 小时";
    /// Remove.
    remove: "Remove", "删除";
    /// Pages of a list.
    pages: "Pages", "分页";
    /// Previous page.
    previous: "Previous", "上一页";
    /// Next page.
    next: "Next", "下一页";
    /// Snooze hours field.
    snooze_hours: "Snooze for (hours)", "静音时长（小时）";
    /// Snooze.
    snooze: "Snooze", "静音";
    /// Price history.
    history: "Price and stock history", "价格与库存历史";
    /// Zoom.
    zoom: "Zoom", "时间范围";
    /// Days.
    days: "days", "天";
    /// No history yet.
    no_history: "No history in this span yet: the monitor records one snapshot per check.", "此时间段内暂无历史：监控每次检查记录一个快照。";
    /// Changes alerted on.
    changes: "Changes", "变化记录";
    /// Edit rules.
    edit_rules: "Edit the watch", "编辑监控";
    /// Save.
    save: "Save", "保存";
    /// A new sourcing job.
    new_sourcing_job: "New sourcing job", "新建选品任务";
    /// Offers to read.
    candidates: "Offers to read", "读取商品数";
    /// Suppliers at most.
    max_suppliers: "Suppliers at most", "最多供应商数";
    /// Strategy.
    strategy: "Strategy", "策略";
    /// The policy's default.
    policy_default: "Policy default", "默认策略";
    /// Cheapest.
    cheapest: "Cheapest", "最便宜";
    /// Balanced.
    balanced: "Balanced", "均衡";
    /// Safest.
    safest: "Safest", "最稳妥";
    /// Also same-item listings.
    same_item_too: "Also other sellers of the same item (by picture)", "同时查找同款商品的其他卖家（按图片）";
    /// Start.
    start: "Start", "开始";
    /// Recent jobs.
    recent_jobs: "Recent jobs", "最近任务";
    /// Running.
    running: "Running", "运行中";
    /// Done.
    done: "Done", "已完成";
    /// Cancelled.
    cancelled: "Cancelled", "已取消";
    /// Interrupted.
    interrupted: "Interrupted", "已中断";
    /// The report could not be read.
    report_unreadable: "The job finished but its report could not be read; download it as JSON.", "任务已完成，但报告无法读取；请下载 JSON。";
    /// Try again.
    try_again: "Start another", "重新开始";
    /// Notes.
    notes: "Notes", "备注";
    /// Starting.
    starting: "Starting…", "正在开始…";
    /// Cancel.
    cancel: "Cancel", "取消";
    /// The answer.
    the_answer: "The answer", "结论";
    /// Buy.
    buy: "Buy", "购买";
    /// The option to confirm freight, with what it costs.
    confirm_freight: "Confirm freight with 1688: preview the 3 best orders (3 calls, read-only; nothing is placed)", "向 1688 确认运费：预览最优的 3 个订单（3 次调用，只读，不会下单）";
    /// Where the saved addresses are listed.
    see_saved_addresses: "Saved addresses", "查看收货地址";
    /// The heading of what confirming freight found.
    freight_confirmed: "Freight confirmed by 1688", "1688 确认的运费";
    /// The pick stood after confirmation.
    pick_stands: "The pick stands.", "推荐不变。";
    /// The pick changed after confirmation.
    pick_changed: "The platform's freight changed the pick.", "平台运费改变了推荐。";
    /// Preview calls made.
    preview_calls: "Preview calls", "预览调用次数";
    /// Estimated, before confirmation.
    estimated: "Estimated", "估算";
    /// Refused by the platform.
    refused_by_platform: "Refused by 1688", "1688 拒绝";
    /// The batch size (units sold only in multiples of it).
    batch_size: "Sold in multiples of", "按倍数销售";
    /// The unit after a batch size.
    units_each: "units", "件";
    /// The link to the listing on 1688.
    on_1688: "Open on 1688", "在 1688 查看";
    /// The heading of a split that is the whole answer.
    split_only: "No single offer holds the need: split it", "没有单个商品能满足需求：拆单采购";
    /// The heading of a split that costs less than the pick.
    split_cheaper: "Or split it, for less", "或拆单采购，更省";
    /// How much a split saves.
    split_saving: "Saves", "节省";
    /// A line's amount (units × unit price).
    amount: "Amount", "金额";
    /// Comparison.
    comparison: "Comparison", "比价";
    /// The Pareto front explained.
    pareto_explained: "Each dot is an offer (its number in the table): further left is cheaper, higher is a safer supplier. The line joins the Pareto front — offers no other beats on both.", "每个点是一个商品（编号见下表）：越靠左越便宜，越靠上供应商越可靠。连线为帕累托前沿——没有其他商品在两方面都更优。";
    /// A job queued behind others.
    waiting_for_turn: "waiting for a turn", "排队等候中";
    /// A request with something wrong in it.
    trouble_bad_input: "Something in the request is not right", "请求中有内容不正确";
    /// A key that may not do this.
    trouble_forbidden: "Your key may not do this", "您的密钥无权执行此操作";
    /// Something asked for that does not exist.
    trouble_not_found: "Not found", "没有找到";
    /// Something that clashes with what is there.
    trouble_conflict: "This clashes with what is there now", "与当前状态冲突";
    /// Too many requests.
    trouble_busy: "Too many requests for now: try again shortly", "请求过多，请稍后再试";
    /// The platform failed.
    trouble_platform: "1688 did not answer as expected", "1688 未按预期回答";
    /// The service failed.
    trouble_internal: "Something went wrong on our side", "本服务出了问题";
    /// The field at fault.
    trouble_field: "Field", "字段";
    /// What to do after a failed page.
    trouble_next: "Go back and change what was asked, or start again from the overview.", "请返回修改后重试，或从概览重新开始。";
    /// Said on every page while the service answers from a sandbox.
    simulated_data: "Simulated data: this service answers from open1688's sandbox, not from 1688. Prices, stock and suppliers are realistic but not real.", "模拟数据：本服务使用 open1688 的沙箱而非 1688 的真实数据，价格、库存和供应商仅供演示。";
    /// The Pareto front column (offers no other beats on both cost and score).
    pareto: "Pareto front", "帕累托前沿";
    /// Supplier score.
    supplier_score: "Supplier score", "供应商评分";
    /// Left out.
    left_out: "Left out", "已排除";
    /// Downloads.
    downloads: "Downloads", "下载";
    /// Navigation: the purchase plan.
    nav_plan: "Plan", "采购计划";
    /// Plan lines.
    plan_lines: "Lines", "采购明细";
    /// How to type lines.
    plan_lines_help: "One line per offer: offer_id,sku_id,quantity (sku_id may be empty)", "每行一个商品：offer_id,sku_id,quantity（sku_id 可留空）";
    /// Or upload.
    or_upload: "Or upload a plan file (CSV or TOML)", "或上传计划文件（CSV 或 TOML）";
    /// Optimize.
    optimize: "Raise quantities where a higher tier lowers the total", "在更高阶梯能降低总价时提高数量";
    /// Make the plan.
    make_plan: "Make the plan", "生成计划";
    /// Download.
    download: "Download", "下载";
    /// The plan by supplier.
    plan_by_supplier: "The plan by supplier", "按供应商的计划";
    /// Goods.
    goods: "Goods", "货款";
    /// Freight.
    freight: "Freight", "运费";
    /// Raised quantities.
    raised: "Quantities raised", "已提高的数量";
    /// A line.
    line: "Line", "行";
    /// Saves.
    saves: "saves", "节省";
    /// No violations.
    no_violations: "Meets every rule of this supplier.", "符合该供应商的所有规则。";
    /// Compare.
    compare: "Compare", "比价";
    /// Compare the ticked offers.
    compare_ticked: "Compare the ticked offers", "比较勾选的商品";
    /// Same item from other sellers.
    same_item_listings: "The same item from other sellers", "其他卖家的同款商品";
    /// Watched.
    watched: "Watched", "已监控";
    /// Image search.
    image_search: "Search by picture", "以图搜货";
    /// A picture URL.
    picture_url: "Picture URL", "图片网址";
    /// Or a picture file.
    picture_file: "Or a picture file", "或图片文件";
    /// Navigation: the stored catalog.
    nav_catalog: "Catalog", "商品库";
    /// What the catalog page searches.
    catalog_intro: "Offers crawled into this service's store, searched here without calling the gateway.", "已抓取到本服务存储中的商品，在此检索，不调用网关。";
    /// An empty catalog, and how to fill it.
    catalog_empty: "The catalog is empty. It fills when the person who runs the service crawls offers into it (the guide's catalog chapter says how).", "商品库为空。运行本服务的管理员将商品抓取入库后即可在此检索（方法见使用指南的商品库一章）。";
    /// Any value of a filter.
    any_value: "Any", "不限";
    /// The catalog's own search index.
    engine_embedded: "built-in index", "内置索引";
    /// PostgreSQL's search index.
    engine_postgres: "PostgreSQL index", "PostgreSQL 索引";
    /// After the number of offers the catalog holds.
    offers_stored: "offers stored", "个商品已存储";
    /// The age of the catalog's oldest entry.
    oldest_entry: "oldest fetched", "最早抓取于";
    /// That a catalog search made no gateway call.
    no_gateway_call: "no gateway call", "未调用网关";
    /// The offer column of the catalog's table.
    offer: "Offer", "商品";
    /// A supplier's score, as a short column heading.
    score: "Score", "评分";
    /// Where an offer ships from.
    ships_from: "Ships from", "发货地";
    /// A supplier's identity (super factory, …).
    identity: "Supplier identity", "供应商身份";
    /// A supplier's scorecard band.
    score_band: "Score band", "评分等级";
    /// A province.
    province: "Province", "省份";
    /// A city.
    city: "City", "城市";
    /// A leaf category.
    category: "Category", "类目";
    /// Price bands of the catalog's facets.
    price_band: "Price", "价格区间";
    /// The facets' heading.
    refine: "Refine", "筛选";
    /// Drops a filter set from a facet.
    remove_filter: "remove", "移除";
    /// The highest MOQ.
    moq_max: "MOQ at most", "起订量不超过";
    /// Sort: best supplier first.
    sort_score: "Best supplier first", "供应商评分从高到低";
    /// Sort: lowest MOQ first.
    sort_moq: "Lowest MOQ first", "起订量从低到高";
    /// Navigation: orders.
    nav_orders: "Orders", "订单";
    /// What the orders page lists.
    orders_intro: "Orders placed from this service's plans (open1688 order place), as the platform last reported them.", "由本服务的采购计划下的订单（open1688 order place），状态以平台最近一次报告为准。";
    /// Orders still moving.
    open_orders: "Open", "进行中";
    /// Every order.
    all_orders: "All", "全部";
    /// No order yet, and how to place one.
    no_orders: "No orders yet. Orders are placed from a plan, after a person confirms:", "暂无订单。订单由采购计划生成，需人工确认后下单：";
    /// One order.
    order: "Order", "订单";
    /// When an order was placed.
    placed_at: "Placed", "下单时间";
    /// Status: created, not paid.
    status_unpaid: "Awaiting payment", "待付款";
    /// Status: paid, not shipped.
    status_paid: "Paid, awaiting shipment", "已付款，待发货";
    /// Status: shipped.
    status_shipped: "Shipped", "已发货";
    /// Status: received, trade done.
    status_received: "Received", "交易成功";
    /// Status: closed.
    status_cancelled: "Cancelled", "已取消";
    /// What the plan expected to pay.
    plan_expected: "The plan expected", "计划金额";
    /// Our own order number.
    our_number: "Our number (outOrderId)", "我方单号（outOrderId）";
    /// Asks for the cashier link.
    pay_link: "Link to pay on 1688", "前往 1688 付款";
    /// Reads the order from the platform now.
    read_again: "Read it again now", "立即刷新";
    /// That nothing is paid from here.
    never_paid_here: "Nothing is paid from here: the buyer pays at the platform's cashier, logged in to 1688.", "本服务从不付款：请买家登录 1688 在收银台付款。";
    /// The order's timeline.
    timeline: "Timeline", "订单进度";
    /// The shipment.
    logistics: "Logistics", "物流";
    /// Not shipped yet.
    not_shipped_yet: "Not shipped yet.", "尚未发货。";
    /// An order's lines.
    order_lines: "Lines", "商品明细";
    /// What the platform said of an order when last read.
    platform_now: "What the platform says now", "平台当前信息";
    /// When it was read.
    read_at: "Read", "读取时间";
    /// Promotions taken off.
    discount: "Discount", "优惠";
    /// Where the goods go.
    receiver: "Receiver", "收货人";
    /// The carrier.
    carrier: "Carrier", "承运商";
    /// The carrier's waybill number.
    waybill: "Waybill", "运单号";
    /// The lines as the platform lists them.
    platform_lines: "Lines as the platform lists them", "平台所列商品";
    /// The differences between placing and the last read.
    changes_since_placed: "Changed since it was placed", "下单后的变化";
    /// No difference since placing.
    no_changes_since_placed: "Nothing changed since it was placed.", "下单后没有变化。";
    /// Not read from the platform yet.
    not_read_yet: "Not read from the platform yet: read it again now to see its total, receiver and carrier.", "尚未从平台读取：点击“立即刷新”查看金额、收货人和承运商。";
    /// A total that changed.
    change_total: "Total", "订单总额";
    /// A line's units that changed.
    change_quantity: "Quantity", "数量";
    /// A line's unit price that changed.
    change_unit_price: "Unit price", "单价";
    /// A placed line no longer listed.
    change_line_gone: "No longer listed", "已不在订单中";
    /// A line listed that was not placed.
    change_line_added: "Added by the platform", "平台新增";
    /// The saved delivery addresses.
    saved_addresses: "Saved delivery addresses", "收货地址";
    /// What the saved addresses are for.
    saved_addresses_intro: "The buyer's delivery addresses saved on 1688. An order can go to one by its number (the address number field of an order, or the service's default address).", "买家在 1688 保存的收货地址。下单时可按地址编号选用（订单的地址编号，或服务的默认收货地址）。";
    /// An address's number.
    address_number: "Address number", "地址编号";
    /// The buyer's default address.
    default_address: "Default", "默认";
    /// Area: province, city, district.
    area: "Area", "地区";
    /// Street and number.
    street: "Street", "详细地址";
    /// Post code.
    post_code: "Post code", "邮编";
    /// Mobile number.
    mobile: "Mobile", "手机";
    /// A return address that is not a page of this site.
    bad_next: "The link's return address is not a page of this site, so it was not followed.", "该链接的返回地址不是本站页面，未予跳转。";
    /// No saved address.
    no_addresses: "No saved address on 1688 yet.", "1688 上还没有保存的收货地址。";
    /// The plan cart
    cart: "Plan cart", "进货单";
    /// Where the cart's lines come from.
    cart_empty: "Nothing here yet. Add offers with “Add to plan” on a sourcing answer, a comparison or an offer's SKUs, or add the lines typed below.", "还没有商品。在选品结果、比价表或商品的 SKU 行点击“加入进货单”，或把下方输入的明细加入。";
    /// The cart could not be priced.
    cart_unpriced: "The cart could not be priced:", "进货单无法计价：";
    /// Empty the cart.
    cart_clear: "Empty the cart", "清空进货单";
    /// Change a line's quantity.
    cart_update: "Update", "更新";
    /// A line was added.
    cart_added: "Added to the plan cart.", "已加入进货单。";
    /// A line was there already.
    cart_replaced: "Already in the plan cart: it now has the new quantity.", "进货单里已有该商品：数量已改为新的数量。";
    /// Several lines were added.
    cart_imported: "The lines were added to the plan cart.", "这些明细已加入进货单。";
    /// The cart is full (the ceiling follows).
    cart_full: "The plan cart is full, so nothing more was added; remove a line first. Lines at most:", "进货单已满，未再加入；请先删除一行。行数上限：";
    /// A quantity was changed.
    cart_updated: "Quantity changed.", "数量已更新。";
    /// A line was removed.
    cart_removed: "Line removed.", "已删除该行。";
    /// The cart was emptied.
    cart_cleared: "The plan cart is empty.", "进货单已清空。";
    /// A change to the cart that was refused.
    cart_not_changed: "The plan cart was not changed", "进货单未改动";
    /// A field that wants a positive whole number.
    not_a_positive_number: "not a positive whole number", "不是正整数";
    /// Add a line to the cart.
    add_to_plan: "Add to plan", "加入进货单";
    /// Add several lines to the cart.
    add_all_to_plan: "Add all to plan", "全部加入进货单";
    /// No address and no default.
    address_needed: "Give the number of a saved delivery address (the service has no default address).", "请填写收货地址编号（本服务没有默认收货地址）。";
    /// The address may stay empty.
    address_default_used: "Leave it empty for the service's default address.", "留空则使用本服务的默认收货地址。";
    /// What a preview does.
    preview_explained: "1688 prices each supplier's order with its real freight and promotions. Nothing is ordered.", "1688 会按实际运费和优惠为每家供应商的订单报价，不会下单。";
    /// The preview button.
    preview_orders: "Preview the orders with 1688", "向 1688 预览订单";
    /// Place without the tick.
    place_needs_confirmation: "Tick the confirmation to place the orders.", "请先勾选确认再下单。";
    /// The total rose above what was confirmed.
    place_total_rose: "1688's total is now above the total you confirmed, so nothing was placed. Preview again.", "1688 的总价已高于您确认的金额，未下单。请重新预览。";
    /// The page after placing.
    orders_placed: "Orders placed", "订单已提交";
    /// A line's unit price differs.
    difference_price: "Unit price", "单价";
    /// The freight differs.
    difference_freight: "Freight", "运费";
    /// A promotion applies.
    difference_promotion: "Promotion", "优惠";
    /// The total differs.
    difference_total: "Order total", "订单合计";
    /// 1688's total.
    platform_total: "1688's total", "1688 报价合计";
    /// Nothing differs.
    preview_agrees: "1688's figures match the plan.", "1688 报价与计划一致。";
    /// The preview's heading.
    order_preview: "The orders as 1688 prices them", "1688 订单预览";
    /// The most one placing may commit.
    spending_cap: "Spending cap", "单次下单上限";
    /// A refused order.
    not_placeable: "1688 refuses an order: change the cart and preview again.", "1688 拒绝了其中的订单：请修改进货单后重新预览。";
    /// Above the cap.
    over_spending_cap: "The total is above the service's spending cap: nothing can be placed from here.", "总价超过本服务的单次下单上限，无法在此下单。";
    /// A read key.
    place_needs_write_key: "Placing orders needs a key with write access.", "下单需要具有写入权限的密钥。";
    /// The confirmation's words (the total follows).
    place_confirm: "I confirm placing these orders for", "我确认按以下金额下单：";
    /// How many orders (after the number).
    orders_count: "orders", "个订单";
    /// The place button.
    place_orders: "Place the orders", "下单";
    /// An order placed now.
    outcome_placed: "Placed", "已下单";
    /// An order placed before.
    outcome_already_placed: "Placed before", "此前已下单";
    /// A lost answer's order found.
    outcome_found: "Found on 1688", "已在 1688 找到";
    /// An order 1688 made beside the one asked for.
    outcome_split_off: "Split off by 1688", "1688 拆分出的订单";
    /// An order not confirmed yet.
    outcome_unconfirmed: "Not confirmed yet: read it again later", "尚未确认：请稍后再查询";
    /// An order that failed.
    outcome_failed: "Failed", "失败";
    /// What happened to an order.
    order_outcome: "What happened", "结果";
    /// The link to the orders.
    see_orders: "See every order", "查看全部订单";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_then_the_browser_then_english() {
        let mut headers = axum::http::HeaderMap::new();
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

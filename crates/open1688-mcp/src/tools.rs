//! The tool table: every tool's name, what it is for and what it costs in gateway calls, its
//! input and output schemas (from the same `utoipa` derives as the service's OpenAPI document)
//! and its hints. [`crate::call`] runs them.

use std::sync::{Arc, OnceLock};

use open1688_jobs::AddressBook;
use open1688_jobs::alerts::AlertList;
use open1688_jobs::watches::{WatchAdded, WatchList, WatchRequest};
use open1688_jobs::{
    AnalyzeReport, CatalogSearchReport, CompareReport, CompareRequest, HistoryReport, OffersReport, OrderPreviewReport,
    PlaceReport, PlanReport, PlanRequest, QuoteReport, QuoteRequest, SearchReport, SearchRequest, SellerReport,
    SourceReport, SourceRequest, SplitReport, SplitRequest, TrackedOrder, schema::json_schema,
};
use open1688_store::{CatalogQuery, Scope};
use rmcp::model::{JsonObject, Tool, ToolAnnotations};

use crate::arguments::{
    AlertArgs, AnalyzeArgs, GetOfferArgs, HistoryArgs, ImageSearchArgs, NoArgs, OrderArgs, OrderList, OrderListArgs,
    PlaceOrderArgs, SameItemArgs, SupplierArgs, TrackOrderArgs,
};

/// What a tool touches, for its hints (the scope a key needs comes from its route).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads the platform (through the cache and the app's quota); changes nothing.
    ReadsPlatform,
    /// Reads this installation's store only (watches, history, alerts); no gateway call.
    ReadsStore,
    /// Changes the store (a watch, an order, a job's files, an order's timeline).
    Writes,
}

/// One tool as the table describes it.
pub struct ToolSpec {
    /// The tool's name, as agents call it.
    pub name: &'static str,
    /// A short human title.
    pub title: &'static str,
    /// What it is for, and what it costs in gateway calls.
    pub description: &'static str,
    /// What it touches.
    pub effect: Effect,
    /// The service's route that does the same work (method, path): the scope table's entry for
    /// it decides what an HTTP caller's key needs.
    pub route: (&'static str, &'static str),
    input: fn() -> JsonObject,
    output: fn() -> JsonObject,
}

macro_rules! spec {
    ($name:literal, $title:literal, $effect:ident, $method:ident $path:literal, $input:ty => $output:ty, $description:expr) => {
        ToolSpec {
            name: $name,
            title: $title,
            description: $description,
            effect: Effect::$effect,
            route: (stringify!($method), $path),
            input: json_schema::<$input>,
            output: json_schema::<$output>,
        }
    };
}

/// Every tool, in the order `tools/list` gives them.
pub const TOOLS: &[ToolSpec] = &[
    spec!("search_offers", "Search offers", ReadsPlatform, GET "/v1/search", SearchRequest => SearchReport,
        "Search 1688 wholesale offers by keyword (Chinese or English), with price bounds, a category, the \
         platform's filters and a sort. Returns normalized summaries: id, title, price range, MOQ, monthly sales, \
         supplier. Cost: 1 gateway call per page fetched (`pages`, default 1); a repeated search within the \
         cache's lifetime costs nothing."),
    spec!("search_by_image", "Search by picture", ReadsPlatform, POST "/v1/image-search", ImageSearchArgs => SearchReport,
        "Find offers that look like a picture: an https URL, or (over stdio only) a file on this machine. \
         Cost: 2 gateway calls (the picture's upload, then the search)."),
    spec!("get_offer", "Read offers", ReadsPlatform, GET "/v1/offers/{id}", GetOfferArgs => OffersReport,
        "Read offers in full: the wholesale price ladder (tiers), SKUs with their prices and stock, MOQ, \
         mixed-batch rules, shipping, and the supplier as the offer describes it. Money is a decimal string in \
         CNY. Cost: 1 gateway call per offer, plus 2 per supplier not judged in the last day (cached answers cost \
         nothing)."),
    spec!("quote", "Quote a quantity", ReadsPlatform, POST "/v1/quote", QuoteRequest => QuoteReport,
        "How many units of one offer to buy for a need, and why: every quantity worth considering (the need, \
         each tier break, MOQ and batch rules) with its goods, freight and landed cost, the recommended row, \
         and buying now versus in split batches when a sales rate is known. Cost: 1 gateway call."),
    spec!("compare", "Compare offers", ReadsPlatform, POST "/v1/compare", CompareRequest => CompareReport,
        "Rank the offers of a keyword search (`target: {\"keyword\": …}`), or the listings of the same item as \
         an offer (`target: {\"same_item_as\": id}`), by landed cost at the need and by supplier score, with \
         the Pareto front and the best-value pick and its reason. Cost: 1 search call plus 1 call per \
         candidate read (`candidates`, default 40), plus 2 per supplier not judged in the last day."),
    spec!("find_same_item", "Find the same item", ReadsPlatform, POST "/v1/compare", SameItemArgs => CompareReport,
        "Find other sellers' listings of the same item as an offer and rank them for a need (landed cost, \
         supplier score, Pareto front). Cost: 1 call for the offer, 1 search call, plus 1 call per listing read \
         (`candidates`, default 40), plus 2 per supplier not judged in the last day."),
    spec!("plan_purchase", "Plan a purchase", ReadsPlatform, POST "/v1/plan", PlanRequest => PlanReport,
        "Turn purchase lines (offer, optional SKU, quantity) into a plan by supplier: tier prices, freight, \
         totals, every rule a line breaks (MOQ, batch multiple, mixed-batch minimum) with its fix, and with \
         `optimize` quantities raised where a higher tier lowers the total. Cost: 1 gateway call per distinct \
         offer."),
    spec!("split_need", "Split a need across suppliers", ReadsPlatform, POST "/v1/split", SplitRequest => SplitReport,
        "Fill a need from offers the person names (2 to 20) at the lowest cost: how many units from each, \
         suppliers weighed by their scorecard band and blocked ones left out, with the split's plan by \
         supplier and its figures (goods, freight as an estimate, landed total, landed per unit needed and \
         bought). Use when no single offer holds the need. Cost: 1 gateway call per offer, plus 2 per \
         supplier not judged in the last day."),
    spec!("source", "Source a product", ReadsPlatform, POST "/v1/jobs/source", SourceRequest => SourceReport,
        "The whole sourcing job: search a keyword, read the candidates, score their suppliers, compare landed \
         costs, pick what to buy, from whom and how many, plan it, and write a workbook and charts (read them \
         as resources). Sends progress notifications when the call carries a progress token, and stops when \
         cancelled. Cost: 1 search call plus 1 call per candidate (`candidates`, default 30, at most 50), plus 2 \
         per supplier not judged in the last day."),
    spec!("analyze_market", "Analyze a market", ReadsPlatform, GET "/v1/analyze", AnalyzeArgs => AnalyzeReport,
        "The market for a keyword at a quantity: price distribution (quartiles, histogram), suppliers, \
         identities (factories, super factories), top suppliers. Reads search results only, no offer detail. \
         Cost: 1 gateway call per 50 offers (`limit`, default 50, at most 100)."),
    spec!("supplier_report", "Judge a supplier", ReadsPlatform, GET "/v1/sellers/{id}", SupplierArgs => SellerReport,
        "A seller's profile and offers, judged by a scorecard: score, band, action (accept, review, block) and \
         each criterion's contribution. Cost: 1 call for the seller's listing plus 1 offer call (1 more to \
         resolve a login id)."),
    spec!("search_catalog", "Search the stored catalog", ReadsStore, GET "/v1/catalog/search", CatalogQuery => CatalogSearchReport,
        "Search the offers crawled into this installation's catalog (`open1688 catalog crawl`), Chinese or \
         English words, with filters (price at a quantity `at`, MOQ, province, city, supplier identity such as \
         super_factory, score band, category), a sort (relevance, price, score, moq) and facet counts over \
         every match. Answers from what is stored, which may be hours old (see each offer's data age with \
         get_offer when it matters). Cost: none (no gateway call)."),
    spec!("preview_order", "Preview orders", ReadsPlatform, POST "/v1/orders/preview", OrderArgs => OrderPreviewReport,
        "Turn a purchase plan into 1688 orders, one per supplier, and have the platform preview each: its \
         total, freight and promotions beside the plan's, every difference named (a unit price, the freight, a \
         promotion, the total), every refusal explained with the offer and SKU (stock, MOQ, mixed batch, …). \
         Places nothing. Show the person the preview before anything is placed. Cost: 1 call per offer read plus \
         1 preview call per supplier."),
    spec!("place_order", "Place orders", Writes, POST "/v1/orders", PlaceOrderArgs => PlaceReport,
        "Place a plan's orders after a person confirmed them (`confirm: true`), under the installation's \
         spending cap, each exactly once (placing the same plan again finds the orders already placed). Off \
         unless the server was started to allow placing (`--allow-placing-orders`). Never pays: the answer \
         carries the payment link for the person. Cost: the preview's calls plus 1 create call per supplier."),
    spec!("list_orders", "List orders", ReadsStore, GET "/v1/orders", OrderListArgs => OrderList,
        "The orders placed from this installation, newest first: our order number, the platform's id, \
         supplier, state (placed, unconfirmed, failed), platform status (waitbuyerpay, waitsellersend, \
         waitbuyerreceive, success, cancel), total. Cost: none (reads the store)."),
    spec!("track_order", "Track an order", ReadsPlatform, POST "/v1/orders/{id}/track", TrackOrderArgs => TrackedOrder,
        "Read an order from the platform now (status; once shipped, the carrier and its trace), record what \
         changed, and answer the order with its timeline. Cost: 1 call, 2 once shipped."),
    spec!("order_addresses", "Saved delivery addresses", ReadsPlatform, GET "/v1/orders/addresses", NoArgs => AddressBook,
        "The buyer's saved delivery addresses on 1688 (receiver, area, town, street, post code, default), each \
         with the `address_id` that an order's `ship_to` takes. Cost: 1 call."),
    spec!("watch_offer", "Watch an offer", Writes, POST "/v1/watches", WatchRequest => WatchAdded,
        "Watch an offer (or a keyword's top results) so the monitor records its prices and stock over time and \
         raises alerts: price below or above a level at a quantity, a move of some percent, stock below a \
         level, new offers for a keyword. Cost: no call now; each check later costs 1 call (`every_minutes`, \
         default 60)."),
    spec!("list_watches", "List watches", ReadsStore, GET "/v1/watches", NoArgs => WatchList,
        "Every watch with its state (active, snoozed, paused with the last error), its rules, when it was last \
         checked and when it is due. Cost: none (reads the store)."),
    spec!("price_history", "Price history", ReadsStore, GET "/v1/offers/{id}/history", HistoryArgs => HistoryReport,
        "An offer's recorded prices per tier, stock and MOQ over the last days, with the change over the \
         period. History exists for watched offers; the chart is the resource \
         `open1688://offers/{id}/history.png`. Cost: none (reads the store)."),
    spec!("list_alerts", "List alerts", ReadsStore, GET "/v1/alerts", AlertArgs => AlertList,
        "Alerts the watches raised, newest first: which watch and offer, the rule, what happened, and whether \
         someone acknowledged it. Cost: none (reads the store)."),
];

/// The spec of the tool named `name`.
pub fn spec(name: &str) -> Option<&'static ToolSpec> {
    TOOLS.iter().find(|t| t.name == name)
}

/// The tools as `tools/list` answers them (schemas are built once).
pub fn listed() -> &'static [Tool] {
    static LISTED: OnceLock<Vec<Tool>> = OnceLock::new();
    LISTED.get_or_init(|| TOOLS.iter().map(ToolSpec::tool).collect())
}

impl ToolSpec {
    /// The scope an HTTP caller's key needs: the scope table's, for this tool's route.
    pub fn scope(&self) -> Scope {
        open1688_store::scope_table::required_scope(self.route.0, self.route.1)
    }

    /// The protocol's description of this tool.
    pub fn tool(&self) -> Tool {
        let mut input = (self.input)();
        // Agents read the schema's own description less often than the tool's; keep one.
        input.remove("description");
        // Every tool speaks the caller's language (the argument is taken out before its request
        // is read).
        if let serde_json::Value::Object(properties) =
            input.entry("properties").or_insert_with(|| serde_json::Value::Object(Default::default()))
        {
            properties.insert(crate::reader::ARGUMENT.into(), crate::reader::property());
        }
        let annotations = ToolAnnotations::with_title(self.title)
            .read_only(self.scope() == Scope::Read)
            .destructive(false)
            .idempotent(self.scope() == Scope::Read)
            .open_world(self.effect == Effect::ReadsPlatform);
        Tool::new(self.name, self.description, input)
            .with_title(self.title)
            .with_raw_output_schema(Arc::new((self.output)()))
            .with_annotations(annotations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_a_unique_name_object_schemas_and_a_cost() {
        let mut names = std::collections::HashSet::new();
        for tool in listed() {
            assert!(names.insert(tool.name.clone()), "{} twice", tool.name);
            assert_eq!(tool.input_schema.get("type").and_then(|t| t.as_str()), Some("object"), "{}", tool.name);
            let output = tool.output_schema.as_ref().unwrap();
            assert_eq!(output.get("type").and_then(|t| t.as_str()), Some("object"), "{}", tool.name);
            let description = tool.description.as_deref().unwrap();
            assert!(description.contains("Cost:"), "{} does not say what it costs", tool.name);
            assert!(tool.input_schema["properties"].get("language").is_some(), "{} takes a language", tool.name);
        }
        assert_eq!(names.len(), 21);
    }

    #[test]
    fn a_tool_needs_what_its_route_needs_and_writing_tools_need_write() {
        for tool in TOOLS {
            assert!(tool.route.1.starts_with("/v1/"), "{}", tool.name);
            // A tool that changes the store never gets by with a read key.
            if tool.effect == Effect::Writes {
                assert_eq!(tool.scope(), Scope::Write, "{}", tool.name);
            }
        }
        let scope = |name| spec(name).unwrap().scope();
        assert_eq!(scope("source"), Scope::Write, "the API's /v1/jobs/source needs write");
        assert_eq!(scope("track_order"), Scope::Write, "the API's /v1/orders/{{id}}/track needs write");
        assert_eq!(scope("place_order"), Scope::Write);
        assert_eq!(scope("watch_offer"), Scope::Write);
        assert_eq!(scope("preview_order"), Scope::Read);
        assert_eq!(scope("search_offers"), Scope::Read);
    }
}

//! Runs one tool: parses its arguments into the application layer's request, calls the job, and
//! gives back the report as JSON. Nothing here decides; every default and check is the job's.

use chrono::Utc;
use open1688::ImageSource;
use open1688_jobs::alerts::list_alerts;
use open1688_jobs::history::history;
use open1688_jobs::watches::{self, WatchRequest};
use open1688_jobs::{
    CompareRequest, CompareTarget, FieldRefusal, ImageSearchRequest, JobError, PlanRequest, Progress, QuoteRequest,
    Result, SearchRequest, SourceRequest, SplitRequest, picture_source,
};
use open1688_store::{AlertQuery, CatalogQuery};
use rmcp::model::JsonObject;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::arguments::{
    AlertArgs, AnalyzeArgs, GetOfferArgs, HistoryArgs, ImageSearchArgs, NoArgs, OrderArgs, OrderList, OrderListArgs,
    PlaceOrderArgs, SameItemArgs, SupplierArgs, TrackOrderArgs,
};
use crate::caller::Caller;
use crate::outputs::OutputFile;
use crate::toolkit::Toolkit;

/// What a tool gives back: its report, and the files it wrote (the sourcing job's workbook and
/// charts), by resource URI.
pub struct Answer {
    /// The report, as JSON.
    pub report: Value,
    /// Resources written by the call.
    pub files: Vec<OutputFile>,
}

impl Answer {
    fn of(report: &impl Serialize) -> Result<Self> {
        let report = serde_json::to_value(report)
            .map_err(|e| JobError::Output { path: "the report".into(), message: e.to_string() })?;
        Ok(Self { report, files: Vec::new() })
    }
}

/// Runs the tool `name` (one of [`crate::tools::TOOLS`]) for `caller`.
pub async fn run(
    server: &Toolkit,
    name: &str,
    arguments: JsonObject,
    caller: &Caller,
    progress: &Progress,
) -> Result<Answer> {
    let jobs = server.jobs();
    let store = server.store();
    match name {
        "search_offers" => {
            let mut request: SearchRequest = parse(name, arguments)?;
            request.limit = Some(request.limit.unwrap_or(20));
            if caller.reads_local_files() {
                request.validate()?;
            } else {
                request.within_remote_ceiling()?;
            }
            Answer::of(&jobs.search(&request, progress).await?)
        }
        "search_by_image" => {
            let args: ImageSearchArgs = parse(name, arguments)?;
            let picture = picture_source(&args.picture);
            if matches!(picture, ImageSource::Path(_)) && !caller.reads_local_files() {
                return Err(JobError::invalid(
                    "picture",
                    "over HTTP the picture must be an https:// URL; files on the service's machine are not read",
                ));
            }
            let request = ImageSearchRequest { limit: args.limit.unwrap_or(20), keyword: args.keyword };
            Answer::of(&jobs.image_search(&picture, &request, progress).await?)
        }
        "get_offer" => {
            let args: GetOfferArgs = parse(name, arguments)?;
            if args.offer_ids.len() > 20 {
                return Err(JobError::invalid(
                    "offer_ids",
                    format!("at most 20 offers a call, got {}", args.offer_ids.len()),
                ));
            }
            Answer::of(&jobs.offers(&args.offer_ids, progress).await?)
        }
        "quote" => Answer::of(&jobs.quote(&parse::<QuoteRequest>(name, arguments)?, progress).await?),
        "compare" => Answer::of(&jobs.compare(&parse::<CompareRequest>(name, arguments)?, progress).await?),
        "find_same_item" => {
            let args: SameItemArgs = parse(name, arguments)?;
            let request = CompareRequest {
                target: CompareTarget::SameItemAs(args.offer_id),
                need: args.need,
                candidates: args.candidates,
                strategy: args.strategy,
            };
            Answer::of(&jobs.compare(&request, progress).await?)
        }
        "plan_purchase" => Answer::of(&jobs.plan(&parse::<PlanRequest>(name, arguments)?, progress).await?),
        "split_need" => Answer::of(&jobs.split(&parse::<SplitRequest>(name, arguments)?, progress).await?),
        "source" => {
            let request: SourceRequest = parse(name, arguments)?;
            let report = jobs.source(&request, progress).await?;
            let mut answer = Answer::of(&report)?;
            answer.files = server.outputs().write_source(caller, report, progress, request.file_language()).await?;
            Ok(answer)
        }
        "analyze_market" => {
            let args: AnalyzeArgs = parse(name, arguments)?;
            let limit = args.limit.unwrap_or(50);
            if !(1..=100).contains(&limit) {
                return Err(JobError::refused("limit", FieldRefusal::between(1, 100, limit)));
            }
            let search = SearchRequest {
                keyword: args.keyword,
                price_min: args.price_min,
                price_max: args.price_max,
                category: args.category,
                limit: Some(limit),
                // Pages hold 50 offers at most.
                pages: u32::try_from(limit.div_ceil(50)).unwrap_or(2),
                ..SearchRequest::default()
            };
            Answer::of(&jobs.analyze(&search, args.quantity.unwrap_or(100), progress).await?)
        }
        "supplier_report" => {
            let args: SupplierArgs = parse(name, arguments)?;
            let configured = &jobs.sourcing_policy().scorecard;
            let name = args.scorecard.unwrap_or_else(|| configured.clone());
            // Over HTTP the caller is remote: a preset or the configured scorecard, never a file.
            let card = if caller.reads_local_files() {
                open1688_jobs::load_scorecard(&name)?
            } else {
                open1688_jobs::remote_scorecard(&name, configured)?
            };
            Answer::of(&jobs.seller(&args.seller, &card, progress).await?)
        }
        "search_catalog" => {
            let query: CatalogQuery = parse(name, arguments)?;
            let Some(engine) = server.catalog() else {
                return Err(JobError::invalid("catalog", "this server was started without a catalog search engine"));
            };
            Answer::of(&engine.search(store, &query).await?)
        }
        "preview_order" => {
            let args: OrderArgs = parse(name, arguments)?;
            let request = order_request(server, args.plan, args.ship_to, args.batch)?;
            Answer::of(&jobs.preview_orders(&request, progress).await?)
        }
        "place_order" => {
            let args: PlaceOrderArgs = parse(name, arguments)?;
            if !server.allows_placing() {
                return Err(JobError::invalid(
                    "place_order",
                    "placing orders is off on this server (a person places them: `open1688 order place --yes`, or start \
                     the server with --allow-placing-orders); preview_order shows what would be placed",
                ));
            }
            if !args.confirm {
                return Err(JobError::invalid(
                    "confirm",
                    "place only after the person confirmed: confirm must be true",
                ));
            }
            let request = order_request(server, args.plan, args.ship_to, args.batch)?;
            let options =
                open1688_jobs::PlaceOptions { confirmed: true, spending_cap: server.order_policy().cap(None) };
            Answer::of(&jobs.place_orders(store, &request, &options, progress).await?)
        }
        "list_orders" => {
            let args: OrderListArgs = parse(name, arguments)?;
            let limit = args.limit.unwrap_or(50);
            if !(1..=200).contains(&limit) {
                return Err(JobError::refused("limit", FieldRefusal::between(1, 200, limit)));
            }
            let query = open1688_store::OrderQuery { batch: args.batch, open_only: args.open, limit };
            Answer::of(&OrderList { orders: store.orders(&query).await? })
        }
        "track_order" => {
            let args: TrackOrderArgs = parse(name, arguments)?;
            Answer::of(&jobs.track_order(store, args.order_id, "track").await?)
        }
        "order_addresses" => {
            let _: NoArgs = parse(name, arguments)?;
            Answer::of(&jobs.saved_addresses().await?)
        }
        "watch_offer" => {
            let request: WatchRequest = parse(name, arguments)?;
            Answer::of(&jobs.add_watch(store, &request, Utc::now()).await?)
        }
        "list_watches" => {
            let _: NoArgs = parse(name, arguments)?;
            Answer::of(&watches::list_watches(store, Utc::now()).await?)
        }
        "price_history" => {
            let args: HistoryArgs = parse(name, arguments)?;
            Answer::of(&history(store, args.offer_id, args.days.unwrap_or(30), Utc::now()).await?)
        }
        "list_alerts" => {
            let args: AlertArgs = parse(name, arguments)?;
            Answer::of(&list_alerts(store, &alert_query(&args, Utc::now().timestamp_millis())?).await?)
        }
        other => Err(JobError::NotFound(format!("no tool named {other:?}"))),
    }
}

/// The order request a tool's arguments make, with the installation's address by default.
fn order_request(
    server: &Toolkit,
    plan: open1688_jobs::PlanRequest,
    ship_to: Option<open1688_jobs::ShipTo>,
    batch: Option<String>,
) -> Result<open1688_jobs::OrderRequest> {
    let ship_to = server.order_policy().ship_to_or(ship_to).ok_or_else(|| {
        JobError::invalid(
            "ship_to",
            "where should the goods go? Give ship_to (this installation has no [order] ship_to)",
        )
    })?;
    Ok(open1688_jobs::OrderRequest { plan, ship_to, batch, message: None })
}

/// The tool's arguments as `T`; a wrong one is an invalid request naming where it was wrong.
fn parse<T: DeserializeOwned>(tool: &str, arguments: JsonObject) -> Result<T> {
    serde_path_to_error::deserialize(Value::Object(arguments)).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "arguments".to_owned() } else { path };
        JobError::invalid(field.clone(), format!("{tool}: {field}: {}", e.inner()))
    })
}

/// The alert log query `args` ask for, as of `now_ms`.
fn alert_query(args: &AlertArgs, now_ms: i64) -> Result<AlertQuery> {
    let since_ms = match args.hours {
        None => 0,
        Some(hours) if hours >= 1 => now_ms.saturating_sub(hours.checked_mul(3_600_000).unwrap_or(i64::MAX)).max(0),
        Some(hours) => return Err(JobError::refused("hours", FieldRefusal::at_least(1, hours))),
    };
    let limit = args.limit.unwrap_or(50);
    if !(1..=1_000).contains(&limit) {
        return Err(JobError::refused("limit", FieldRefusal::between(1, 1_000, limit)));
    }
    Ok(AlertQuery { since_ms, watch_id: args.watch_id, unacknowledged: args.unacknowledged, limit })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> JsonObject {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn a_wrong_argument_is_named_with_its_path() {
        let e = parse::<SearchRequest>("search_offers", object(serde_json::json!({"keyword": 5}))).unwrap_err();
        assert_eq!(e.to_string(), "search_offers: keyword: invalid type: integer `5`, expected a string");
        // serde loses the path inside a flattened struct; the message still quotes the bad value.
        let e = parse::<QuoteRequest>("quote", object(serde_json::json!({"offer_id": 1, "need": "many"}))).unwrap_err();
        assert!(e.to_string().contains("string \"many\""), "{e}");
        let e = parse::<NoArgs>("list_watches", object(serde_json::json!({"surprise": 1}))).unwrap_err();
        assert!(e.to_string().contains("unknown field `surprise`"), "{e}");
        let e = parse::<GetOfferArgs>("get_offer", JsonObject::new()).unwrap_err();
        assert!(matches!(&e, JobError::Invalid { field, .. } if field == "arguments"), "{e:?}");
    }

    #[test]
    fn alert_windows_are_checked_and_never_overflow() {
        let args = AlertArgs { hours: Some(2), ..AlertArgs::default() };
        assert_eq!(alert_query(&args, 10_000_000).unwrap().since_ms, 10_000_000 - 7_200_000);
        let forever = AlertArgs { hours: Some(i64::MAX), ..AlertArgs::default() };
        assert_eq!(alert_query(&forever, 10_000_000).unwrap().since_ms, 0);
        assert!(alert_query(&AlertArgs { hours: Some(0), ..AlertArgs::default() }, 1).is_err());
        assert!(alert_query(&AlertArgs { limit: Some(5_000), ..AlertArgs::default() }, 1).is_err());
    }
}

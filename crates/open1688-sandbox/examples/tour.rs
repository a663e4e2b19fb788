//! A tour of the sandbox through the SDK: keyword search, offer detail with its price ladder,
//! image search by the offer's picture, and the sandbox's own call counters.
//! Run with `cargo run --release -p open1688-sandbox --example tour`.

use base64::Engine;
use open1688::{Client, Params};
use open1688_sandbox::Sandbox;
use serde_json::{Value, json};

const CB: &str = "com.alibaba.fenxiao.crossborder";

fn param(name: &str, value: Value) -> Params {
    let mut p = Params::new();
    p.set_raw(name, value.to_string());
    p
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let sandbox = Sandbox::start().await?;
    println!(
        "sandbox at {} with {} offers from {} suppliers (started in {:.2} s)\n",
        sandbox.base_url(),
        sandbox.catalog().offers.len(),
        sandbox.catalog().suppliers.len(),
        started.elapsed().as_secs_f64()
    );
    let client = Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
        .build()?;

    let query =
        json!({"keyword": "保温杯", "beginPage": 1, "pageSize": 8, "country": "en", "sort": "{\"price\":\"asc\"}"});
    let page = client.call(CB, "product.search.keywordQuery", param("offerQueryParam", query)).await?;
    let result = &page["result"]["result"];
    println!("keyword 保温杯: {} offers, cheapest first", result["totalRecords"]);
    println!("{:<14} {:>8} {:>5} {:>7}  title", "offerId", "price", "MOQ", "sold/30d");
    for item in result["data"].as_array().into_iter().flatten() {
        println!(
            "{:<14} {:>8} {:>5} {:>7}  {}",
            item["offerId"].to_string(),
            item["priceInfo"]["price"].as_str().unwrap_or(""),
            item["minOrderQuantity"].to_string(),
            item["monthSold"].to_string(),
            item["subjectTrans"].as_str().unwrap_or("")
        );
    }

    let first = result["data"][0]["offerId"].as_i64().unwrap_or_default();
    let detail = client
        .call(
            CB,
            "product.search.queryProductDetail",
            param("offerDetailParam", json!({"offerId": first, "country": "en"})),
        )
        .await?;
    let d = &detail["result"]["result"];
    println!(
        "\noffer {first}: {} — {} SKUs, sold by {}",
        d["subject"].as_str().unwrap_or(""),
        d["productSkuInfos"].as_array().map_or(0, Vec::len),
        d["companyName"].as_str().unwrap_or("")
    );
    for tier in d["productSaleInfo"]["priceRangeList"].as_array().into_iter().flatten() {
        println!(
            "  from {:>5} {}: ¥{}",
            tier["startQuantity"].to_string(),
            d["productSaleInfo"]["unitInfo"]["unit"].as_str().unwrap_or(""),
            tier["price"].as_str().unwrap_or("")
        );
    }

    let image_url = d["productImage"]["images"][0].as_str().unwrap_or_default().to_owned();
    let png = reqwest::get(&image_url).await?.bytes().await?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
    let upload =
        client.call(CB, "product.image.upload", param("uploadImageParam", json!({"imageBase64": b64}))).await?;
    let image_id = upload["result"]["result"].as_str().unwrap_or_default();
    let similar = client
        .call(
            CB,
            "product.search.imageQuery",
            param("offerQueryParam", json!({"imageId": image_id, "beginPage": 1, "pageSize": 5, "country": "en"})),
        )
        .await?;
    println!("\nsame picture, other listings (image search):");
    for item in similar["result"]["result"]["data"].as_array().into_iter().flatten() {
        println!(
            "  {:<14} ¥{:>7}  {}",
            item["offerId"].to_string(),
            item["priceInfo"]["price"].as_str().unwrap_or(""),
            item["companyName"].as_str().unwrap_or("")
        );
    }

    println!("\ncalls the sandbox counted:");
    for (api, counts) in sandbox.stats().by_api {
        println!("  {api:<36} {} ({} ok)", counts.calls, counts.ok);
    }
    Ok(())
}

//! From a plan to tracked orders, driving the real binary against a sandbox server: a plan of
//! three suppliers previewed; `order place` without `--yes` placing nothing; the spending cap
//! refusing a plan above it; placed, paid through the sandbox's control, shipped and received as
//! the clock moves, every status change seen by the monitor or by `order track` and alerted once; a preview refusal naming the
//! offer; and a process killed between the create call and its answer, whose rerun finds the
//! order instead of creating a second one.

mod service;

use std::process::Stdio;
use std::time::{Duration, Instant};

use open1688_sandbox::{FaultPlan, FaultRates, Sandbox};
use serde_json::Value;
use service::{gateway_env, open1688, order_folder, order_sandbox, orderable_offers};

struct Setup {
    dir: tempfile::TempDir,
    db: String,
    sandbox: Sandbox,
}

impl Setup {
    async fn new() -> Self {
        let (dir, db) = order_folder();
        Self { dir, db, sandbox: order_sandbox().await }
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = open1688(self.dir.path(), &self.db);
        cmd.envs(gateway_env(&self.sandbox)).env("OPEN1688_QPS", "1000").args(args);
        cmd
    }

    /// Runs `open1688 args… --format json -q`; (success, stdout as JSON, stderr).
    fn run(&self, args: &[&str]) -> (bool, Value, String) {
        let out = self.command(args).args(["--format", "json", "-q"]).output().unwrap();
        let stdout = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.success(), stdout, String::from_utf8_lossy(&out.stderr).into_owned())
    }

    /// A plan file of `lines` (offer, quantity), written as `name`.
    fn plan(&self, name: &str, lines: &[(i64, i64)]) -> String {
        let mut csv = "offer_id,sku_id,quantity\n".to_owned();
        for (offer, quantity) in lines {
            csv.push_str(&format!("{offer},,{quantity}\n"));
        }
        let path = self.dir.path().join(name);
        std::fs::write(&path, csv).unwrap();
        path.display().to_string()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_of_three_suppliers_is_previewed_placed_paid_shipped_and_received() {
    let s = Setup::new().await;
    let offers = orderable_offers(&s.sandbox, 3, 0);
    let plan = s.plan("plan.csv", &offers.iter().map(|&o| (o, 20)).collect::<Vec<_>>());

    let (ok, preview, err) = s.run(&["order", "preview", &plan]);
    assert!(ok, "{err}");
    let orders = preview["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 3, "one order per supplier: {preview}");
    assert!(orders.iter().all(|o| o["placeable"] == "yes"), "{preview}");

    // Without --yes: the preview, and nothing placed anywhere.
    let (ok, unconfirmed, err) = s.run(&["order", "place", &plan]);
    assert!(ok, "{err}");
    let note = unconfirmed["notes"][0]["note"].as_str().unwrap_or_default();
    assert!(note.contains("nothing was placed") && note.contains("--yes"), "{unconfirmed} {err}");
    assert!(unconfirmed["placed"].as_array().unwrap().is_empty());
    assert!(s.sandbox.orders().is_empty());
    let (_, listed, _) = s.run(&["order", "list"]);
    assert!(listed.as_array().unwrap().is_empty(), "a single table is written as a list: {listed}");

    // Above the spending cap: refused whole, nothing placed.
    let (ok, _, err) = s.run(&["order", "place", &plan, "--yes", "--spending-cap", "10"]);
    assert!(!ok);
    assert!(err.contains("spending cap of ¥10") && err.contains("nothing was placed"), "{err}");
    assert!(s.sandbox.orders().is_empty());

    // Confirmed: three orders, unpaid, and the link to pay them.
    let (ok, placed, err) = s.run(&["order", "place", &plan, "--yes"]);
    assert!(ok, "{err}");
    let rows = placed["placed"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["outcome"] == "placed" && r["status"] == "waitbuyerpay"), "{placed}");
    assert!(placed["pay"][0]["pay_url"].as_str().unwrap().starts_with("https://"), "{placed}");
    assert_eq!(s.sandbox.orders().len(), 3);
    // Placing the same plan again places nothing more.
    let (_, again, _) = s.run(&["order", "place", &plan, "--yes"]);
    assert!(again["placed"].as_array().unwrap().iter().all(|r| r["outcome"] == "already_placed"), "{again}");
    assert_eq!(s.sandbox.orders().len(), 3);

    // Paid at the cashier (the sandbox's control); the seller ships; the carrier delivers.
    let ids: Vec<i64> = s.sandbox.orders().iter().map(|o| o.id).collect();
    for id in &ids {
        s.sandbox.pay_order(*id).unwrap();
    }
    // The monitor reads the open orders and alerts on each change.
    let out = s.command(&["monitor", "--once", "-q"]).output().unwrap();
    let alerts = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for id in &ids {
        assert!(
            alerts.contains(&format!("order {id} (")) && alerts.contains("waitbuyerpay → waitsellersend"),
            "{alerts}"
        );
    }
    let (_, tracked, err) = s.run(&["order", "track"]);
    assert!(tracked["changes"].as_array().unwrap().is_empty(), "the monitor recorded them already: {tracked} {err}");
    s.sandbox.advance(Duration::from_secs(5 * 3600)).unwrap();
    let (_, tracked, _) = s.run(&["order", "track"]);
    assert!(tracked["changes"].as_array().unwrap().iter().all(|c| c["to"] == "waitbuyerreceive"), "{tracked}");
    s.sandbox.advance(Duration::from_secs(80 * 3600)).unwrap();
    let (_, tracked, _) = s.run(&["order", "track"]);
    assert!(tracked["changes"].as_array().unwrap().iter().all(|c| c["to"] == "success"), "{tracked}");
    assert!(tracked["orders"].as_array().unwrap().is_empty(), "no open order is left");
    // What `order track` saw is alerted by the next monitor round all the same, once.
    let out = s.command(&["monitor", "--once", "-q"]).output().unwrap();
    let alerts = String::from_utf8_lossy(&out.stdout);
    for id in &ids {
        for change in ["waitsellersend → waitbuyerreceive", "waitbuyerreceive → success"] {
            assert!(alerts.contains(&format!("order {id} (")) && alerts.contains(change), "{change}: {alerts}");
        }
    }
    assert!(!alerts.contains("waitbuyerpay → waitsellersend"), "alerted before: {alerts}");
    let out = s.command(&["monitor", "--once", "-q"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("order "), "each change is alerted once");

    // One order's whole story.
    let (ok, shown, err) = s.run(&["order", "show", &ids[0].to_string()]);
    assert!(ok, "{err}");
    let timeline: Vec<&str> =
        shown["timeline"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(timeline, ["waitbuyerpay", "waitsellersend", "waitbuyerreceive", "success"]);
    let sources: Vec<&str> =
        shown["timeline"].as_array().unwrap().iter().map(|e| e["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        ["create", "poll", "poll", "poll"],
        "read by the monitor and by `order track`, never pushed here"
    );
    let last = shown["timeline"].as_array().unwrap().last().unwrap();
    assert!(last["detail"].as_str().unwrap_or_default().contains("已签收"), "the trace's last step: {shown}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_preview_names_the_offer_and_places_nothing() {
    let s = Setup::new().await;
    let live = s.sandbox.state().live();
    let (offer, moq) = s
        .sandbox
        .catalog()
        .offers
        .iter()
        .enumerate()
        .find(|(i, o)| {
            o.skus.is_empty()
                && live.offers[*i].moq > 2
                && s.sandbox.catalog().suppliers[o.supplier as usize].mix.is_none()
                && !live.offers[*i].delisted
        })
        .map(|(i, o)| (o.id, live.offers[i].moq))
        .unwrap();
    drop(live);
    let plan = s.plan("below.csv", &[(offer, moq - 1)]);
    let (ok, preview, err) = s.run(&["order", "preview", &plan]);
    assert!(ok, "{err}");
    let verdict = preview["orders"][0]["placeable"].as_str().unwrap();
    assert!(verdict.starts_with("no: 500_005") && verdict.contains(&format!("offer {offer}")), "{verdict}");
    let (ok, _, err) = s.run(&["order", "place", &plan, "--yes"]);
    assert!(!ok);
    assert!(err.contains("below the minimum order quantity") && err.contains("nothing was placed"), "{err}");
    assert!(s.sandbox.orders().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_process_killed_between_create_and_its_answer_never_makes_a_second_order() {
    let s = Setup::new().await;
    let offers = orderable_offers(&s.sandbox, 2, 5);
    let plan = s.plan("crash.csv", &offers.iter().map(|&o| (o, 20)).collect::<Vec<_>>());
    // The sandbox creates each order, then holds its answer back for a minute.
    let mut faults = FaultPlan::default();
    faults.apis.insert(
        "alibaba.trade.createCrossOrder".into(),
        FaultRates { stall_after: 1.0, stall_ms: 60_000, ..FaultRates::default() },
    );
    s.sandbox.set_faults(faults);
    let mut child = s
        .command(&["order", "place", &plan, "--yes", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while s.sandbox.orders().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(60), "the first order was never created");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Created, its answer not yet back: the client dies.
    child.kill().unwrap();
    child.wait().unwrap();
    s.sandbox.set_faults(FaultPlan::default());
    assert_eq!(s.sandbox.orders().len(), 1);

    let (ok, rerun, err) = s.run(&["order", "place", &plan, "--yes"]);
    assert!(ok, "{err}");
    let outcomes: Vec<&str> =
        rerun["placed"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["found", "placed"], "the first was found by its outOrderId, the second placed: {rerun}");
    assert_eq!(s.sandbox.orders().len(), 2, "no second order for the first supplier");
    let mut out_ids: Vec<Option<String>> = s.sandbox.orders().into_iter().map(|o| o.out_order_id).collect();
    out_ids.dedup();
    assert_eq!(out_ids.len(), 2);
}

/// Two orderable offers of one seller (no SKUs, small MOQ, stock for the test).
fn one_sellers_offers(sandbox: &Sandbox) -> (i64, i64) {
    let live = sandbox.state().live();
    let offers = &sandbox.catalog().offers;
    let fits = |i: usize| {
        let (o, state) = (&offers[i], &live.offers[i]);
        o.skus.is_empty() && o.batch_number <= 1 && state.moq <= 10 && !state.delisted && state.stock[0] >= 100
    };
    for a in (0..offers.len()).filter(|&i| fits(i)) {
        if let Some(b) = (0..offers.len()).find(|&b| b != a && fits(b) && offers[b].supplier == offers[a].supplier) {
            return (offers[a].id, offers[b].id);
        }
    }
    panic!("no seller has two orderable offers");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_the_platform_splits_is_tracked_as_every_order_with_one_link_and_read_back_differences() {
    let (dir, db) = order_folder();
    let sandbox = Sandbox::builder()
        .catalog_size(2_000, 160)
        .quotas_off()
        .simulated_clock(None)
        .drift_share(0.0)
        .orders(open1688_sandbox::orders::OrderConfig { split_by_offer: true, ..Default::default() })
        .start()
        .await
        .unwrap();
    let s = Setup { dir, db, sandbox };
    let (a, b) = one_sellers_offers(&s.sandbox);
    let plan = s.plan("split.csv", &[(a, 20), (b, 20)]);

    // The preview says the platform makes two orders of this one.
    let (ok, preview, err) = s.run(&["order", "preview", &plan]);
    assert!(ok, "{err}");
    assert_eq!(preview["orders"].as_array().unwrap().len(), 1, "one supplier: {preview}");

    let (ok, placed, err) = s.run(&["order", "place", &plan, "--yes"]);
    assert!(ok, "{err}");
    let rows = placed["placed"].as_array().unwrap();
    let outcomes: Vec<&str> = rows.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["placed", "split_off"], "{placed}");
    let ids: Vec<i64> = rows.iter().map(|r| r["order_id"].as_str().unwrap().parse().unwrap()).collect();
    let made: Vec<i64> = s.sandbox.orders().iter().map(|o| o.id).collect();
    assert_eq!(ids, made, "every order the platform made is recorded");
    let link = placed["pay"][0]["pay_url"].as_str().unwrap();
    assert_eq!(
        link,
        format!("https://trade.1688.com/order/cashier.htm?orderId={};{}", ids[0], ids[1]),
        "one link pays both"
    );
    let note =
        placed["notes"].as_array().unwrap().iter().filter_map(|n| n["note"].as_str()).collect::<Vec<_>>().join(" ");
    assert!(note.contains("made 2 orders"), "{placed}");

    // Placing again finds both, creating nothing.
    let (ok, again, err) = s.run(&["order", "place", &plan, "--yes"]);
    assert!(ok, "{err}");
    let outcomes: Vec<&str> =
        again["placed"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["already_placed", "already_placed"], "{again}");
    assert_eq!(s.sandbox.orders().len(), 2);

    // Both are tracked: read back with the platform's lines, receiver and total.
    let (ok, tracked, err) = s.run(&["order", "track"]);
    assert!(ok, "{err}");
    assert_eq!(tracked["orders"].as_array().unwrap().len(), 2, "{tracked}");
    let (ok, split, err) = s.run(&["order", "show", &ids[1].to_string()]);
    assert!(ok, "{err}");
    assert_eq!(split["platform_lines"][0]["offer_id"], b.to_string(), "the split order's line, as read back: {split}");
    assert!(split["platform_now"][0]["receiver"].as_str().unwrap().contains("张三"), "{split}");
    assert!(split["changes_since_placed"].as_array().unwrap().is_empty(), "{split}");

    // The seller changes the first order's freight: the next read names the difference.
    let before: rust_decimal::Decimal = rows[0]["total"].as_str().unwrap().parse().unwrap();
    let freight = rust_decimal::Decimal::new(1_500, 2);
    let changed = s.sandbox.change_order_freight(ids[0], freight).unwrap();
    let (ok, read, err) = s.run(&["order", "track", &ids[0].to_string()]);
    assert!(ok, "{err}");
    let now = changed.total();
    assert_eq!(read["platform_now"][0]["total"], format!("{now:.2}"), "{read}");
    assert_eq!(read["platform_now"][0]["freight"], "15.00", "{read}");
    let changes = read["changes_since_placed"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{read}");
    assert_eq!(changes[0]["change"], "total");
    assert_eq!(changes[0]["placed"], format!("{before:.2}"));
    assert_eq!(changes[0]["now"], format!("{now:.2}"));
    assert_ne!(before, now);

    // The saved addresses, with the ids an order can name.
    let (ok, book, err) = s.run(&["order", "addresses"]);
    assert!(ok, "{err}");
    let addresses = book.as_array().unwrap();
    assert_eq!(addresses.len(), 2, "{book}");
    assert_eq!(addresses[0]["default"], "yes");
    let id = addresses[0]["address_id"].as_str().unwrap();
    let (ok, _, err) = s.run(&["order", "preview", &plan, "--address-id", id]);
    assert!(ok, "a listed id previews: {err}");
}

/// A need no single offer holds is answered, not refused: `source` exits 0 with the split as its
/// answer (the summary names every supplier, the split sheet has a line per offer), writes the
/// workbook and a plan file, and `order preview` reads that file as it is — one order per
/// supplier of the split, each placeable.
#[tokio::test(flavor = "multi_thread")]
async fn a_need_only_a_split_fills_is_an_answer_whose_plan_file_is_previewed() {
    let (dir, db) = order_folder();
    let sandbox = Sandbox::builder().quotas_off().simulated_clock(None).start().await.unwrap();
    let s = Setup { dir, db, sandbox };
    let out = s.dir.path().join("answer");
    let out_arg = out.display().to_string();
    let (ok, answer, err) = s.run(&["source", "保温杯", "--need", "400000", "--out", &out_arg]);
    assert!(ok, "a split is an answer, not an error: {err}");
    let split = answer["split"].as_array().expect("the split sheet");
    assert!(split.len() >= 2, "{answer}");
    assert_eq!(answer["summary"][0]["offer_id"], Value::Null, "no single pick: {answer}");
    assert_eq!(answer["summary"][0]["quantity_needed"], 400000);
    assert!(out.join("sourcing.xlsx").exists() && !out.join("ladder.png").exists());
    let plan = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    assert_eq!(plan.lines().count(), split.len() + 1, "a plan line per split line:\n{plan}");
    let units: i64 = split.iter().map(|l| l["quantity"].as_i64().unwrap()).sum();
    assert_eq!(answer["summary"][0]["quantity_bought"], units, "the summary sums the split");

    let (ok, preview, err) = s.run(&["order", "preview", &out.join("plan.csv").display().to_string()]);
    assert!(ok, "{err}");
    let suppliers: std::collections::HashSet<&str> = split.iter().map(|l| l["supplier"].as_str().unwrap()).collect();
    let orders = preview["orders"].as_array().unwrap();
    assert_eq!(orders.len(), suppliers.len(), "one order per supplier of the split: {preview}");
    assert!(orders.iter().all(|o| o["placeable"] == "yes"), "{preview}");
}

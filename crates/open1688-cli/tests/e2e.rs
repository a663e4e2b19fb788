//! End to end: the built `open1688` binary against its built-in sandbox (no credentials), for
//! every command: stable output, JSON fields, the XLSX read back, exit codes of bad input, and
//! the OAuth login flow through the sandbox's consent page.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

/// The binary, isolated from the user's configuration and credentials.
fn open1688(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("open1688").expect("the binary is built");
    // An English terminal, whatever the machine's locale (a Chinese one is tested on its own).
    cmd.env("OPEN1688_CONFIG", dir.join("config.toml"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env_remove("OPEN1688_APP_KEY")
        .env_remove("OPEN1688_APP_SECRET")
        .env_remove("OPEN1688_ACCESS_TOKEN")
        .env_remove("OPEN1688_REFRESH_TOKEN")
        .env_remove("OPEN1688_ENDPOINT")
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("OPEN1688_DATA_DIR", dir.join("data"))
        .current_dir(dir);
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = open1688(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json", "-q"]);
    let r = run(dir, &all);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {}", r.stdout))
}

/// An offer of the default catalog (seed 1688) used throughout.
const OFFER: &str = "630526089341";

#[test]
fn search_prints_a_table_and_documented_json_and_says_it_uses_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["search", "保温杯", "--limit", "5", "--sort", "price"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("using the built-in sandbox"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().filter(|l| l.contains("sandbox")).count(), 1, "one line on stderr");
    assert!(r.stdout.contains("offer_id") && r.stdout.contains(OFFER), "{}", r.stdout);

    let items = json(dir.path(), &["search", "保温杯", "--limit", "5", "--sort", "price"]);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 5);
    for item in items {
        assert!(item["offer_id"].is_i64());
        assert!(item["title"].is_string());
        assert!(item["price"].as_str().unwrap().parse::<f64>().is_ok(), "money as a decimal string");
        for field in ["title_en", "moq", "monthly_sales", "repurchase_rate", "supplier", "url"] {
            assert!(item.get(field).is_some(), "documented field {field}");
        }
    }
}

#[test]
fn offer_details_are_stable() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["offer", OFFER, "--format", "csv", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected_start = "offer_id,title,title_en,unit,moq,batch,quote_type,stock,weight_kg,ship_from,supplier,seller_open_id,score,band,status\n\
630526089341,外贸网红车载保温杯批发,Export Trending Car Tumbler Wholesale,个,50,,SkusByQuantity,95431,0.521,浙江省 义乌市,义乌丰源日用品贸易有限公司,zpqp5essyoeu4t65b1wle,45.8,poor,published\n\
\n\
offer_id,min_qty,max_qty,unit_price\n\
630526089341,50,499,8.20\n\
630526089341,500,,7.95\n";
    assert!(r.stdout.starts_with(expected_start), "snapshot changed:\n{}", r.stdout);
    let v = json(dir.path(), &["offer", OFFER]);
    assert!(v["skus"].as_array().unwrap().len() > 1);
}

#[test]
fn quote_recommends_one_option_and_compares_split_batches() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(dir.path(), &["quote", OFFER, "--need", "95", "--daily-sales", "5"]);
    let options = v["options"].as_array().unwrap();
    assert_eq!(options.iter().filter(|o| o["recommended"] == "yes").count(), 1);
    assert_eq!(options[0]["quantity"], 95);
    assert_eq!(v["batches"].as_array().unwrap().len(), 3);
}

#[test]
fn plan_from_csv_and_toml_with_optimize() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.csv"), format!("offer_id,sku_id,quantity\n{OFFER},,490\n")).unwrap();
    let v = json(dir.path(), &["plan", "plan.csv", "--optimize"]);
    let suppliers = v["plan by supplier"].as_array().unwrap();
    let total = suppliers.last().unwrap();
    assert_eq!(total["supplier"], "TOTAL");
    let lines = v["plan lines"].as_array().unwrap();
    assert_eq!(lines[0]["quantity"], 500, "490 at 8.20 plus freight costs more than 500 at 7.95");
    std::fs::write(dir.path().join("plan.toml"), format!("[[lines]]\noffer_id = {OFFER}\nquantity = 60\n")).unwrap();
    let v = json(dir.path(), &["plan", "plan.toml"]);
    assert_eq!(v["plan lines"][0]["unit_price"], "8.20");
}

#[test]
fn source_writes_a_workbook_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["source", "保温杯", "--need", "300", "--out", "out", "--candidates", "12"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("buy ") && r.stderr.contains("landed"), "{}", r.stderr);
    let mut book: Xlsx<_> = open_workbook(dir.path().join("out/sourcing.xlsx")).unwrap();
    let names = book.sheet_names();
    for sheet in
        ["summary", "offers", "price tiers", "skus", "suppliers", "comparison", "plan by supplier", "plan lines"]
    {
        assert!(names.iter().any(|n| n == sheet), "sheet {sheet} in {names:?}");
    }
    let summary = book.worksheet_range("summary").unwrap();
    // Each header: the Chinese title, then the column's stable name (the JSON field, the CSV header).
    assert_eq!(summary.get((0, 0)), Some(&Data::String("关键词\nkeyword".into())));
    let columns: Vec<String> = summary.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let column = |name: &str| {
        columns.iter().position(|h| h.lines().last() == Some(name)).unwrap_or_else(|| panic!("{name} in {columns:?}"))
    };
    assert!(columns[column("landed_total")].starts_with("到岸总价\n"), "{columns:?}");
    assert_eq!(summary.get((1, column("quantity_needed"))), Some(&Data::Float(300.0)), "the need as a number");
    assert!(
        matches!(summary.get((1, column("landed_total"))), Some(Data::Float(t)) if *t > 0.0),
        "the landed total as a number"
    );
    assert_eq!(summary.get((1, column("freight_source"))), Some(&Data::String("estimate".into())));
    let offers = book.worksheet_range("offers").unwrap();
    assert_eq!(offers.height(), 12 + 3, "header, 12 offers, a blank row and the data-source note");
    let last = offers.rows().next_back().unwrap();
    assert!(
        matches!(&last[0], Data::String(s) if s.contains("模拟数据")),
        "the built-in sandbox's data is said to be simulated: {:?}",
        last[0]
    );
    // The reason is in the workbook's language (Chinese unless asked otherwise).
    assert!(
        matches!(summary.get((1, column("why"))), Some(Data::String(why)) if why.contains("件") && !why.contains("landed")),
        "{:?}",
        summary.get((1, column("why")))
    );
    // Ids are text, so a spreadsheet keeps every digit; quantities stay numbers.
    let header: Vec<String> = offers.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let at = |name: &str| {
        header.iter().position(|h| h.lines().last() == Some(name)).unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let first = offers.rows().nth(1).unwrap();
    assert!(matches!(&first[at("offer_id")], Data::String(id) if id.len() == 12 && id.parse::<i64>().is_ok()));
    assert!(matches!(&first[at("moq")], Data::Float(_)), "{:?}", first[at("moq")]);
    // The scorecard's criteria are named in the workbook's language.
    let suppliers = book.worksheet_range("suppliers").unwrap();
    let explained = suppliers.rows().nth(1).unwrap().last().unwrap().to_string();
    assert!(explained.contains("综合服务分") && !explained.contains("composite"), "{explained}");
    let comparison = book.worksheet_range("comparison").unwrap();
    let picked =
        comparison.rows().filter(|row| row.iter().any(|c| matches!(c, Data::String(s) if s == "pick"))).count();
    assert_eq!(picked, 1, "the comparison marks the pick");
    for chart in ["price-histogram.png", "suppliers.png", "scorecard.png", "ladder.png"] {
        assert_chart(&dir.path().join("out").join(chart));
    }

    // The same job for an English reader: English titles above the same stable names, an
    // English note and reason; the figures are the same.
    let args = ["source", "保温杯", "--need", "300", "--out", "en", "--candidates", "12", "--file-language", "en"];
    let r = run(dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut english: Xlsx<_> = open_workbook(dir.path().join("en/sourcing.xlsx")).unwrap();
    let summary_en = english.worksheet_range("summary").unwrap();
    let header: Vec<String> = summary_en.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let names =
        |header: &[String]| header.iter().map(|h| h.lines().last().unwrap_or("").to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&header), names(&columns), "the same columns in both languages");
    assert!(header.iter().any(|h| h == "Offer ID\noffer_id"), "{header:?}");
    assert!(!header.iter().any(|h| h.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))), "{header:?}");
    assert_eq!(
        summary_en.get((1, column("landed_total"))),
        summary.get((1, column("landed_total"))),
        "one figure, one value"
    );
    let note = summary_en.rows().next_back().unwrap()[0].to_string();
    assert!(note.starts_with("Simulated data"), "{note}");
}

#[test]
fn same_item_lists_the_listings_found_by_picture_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let rows = json(dir.path(), &["same-item", OFFER, "--limit", "10"]);
    let rows = rows.as_array().expect("one row per listing");
    assert!(!rows.is_empty() && rows.len() <= 10, "{rows:?}");
    for row in rows {
        assert!(matches!(row["same"].as_str(), Some("yes" | "no")), "{row}");
        assert!(row["picture_distance"].as_i64().is_some(), "the sandbox's pictures are hashed: {row}");
        assert!(!row["why"].as_str().unwrap().is_empty(), "{row}");
    }
    let r = run(dir.path(), &["same-item", OFFER, "--limit", "0"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("limit"), "{}", r.stderr);
}

#[test]
fn source_splits_a_need_no_single_offer_holds() {
    let dir = tempfile::tempdir().unwrap();
    // 200,000 vacuum flasks: more than any one offer has in stock. The split is the answer.
    let r = run(dir.path(), &["source", "保温杯", "--need", "200000", "--candidates", "30"]);
    assert_eq!(r.code, 0, "a split is an answer: {}", r.stderr);
    assert!(r.stderr.contains("no single offer holds the need of 200000; split across"), "{}", r.stderr);
    let units: i64 = r
        .stderr
        .split("per unit bought: ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .split(", ")
        .filter_map(|l| l.trim().split(" × ").next()?.parse::<i64>().ok())
        .sum();
    assert!(units >= 200_000, "the lines add up to the need: {}", r.stderr);
    let plan = std::fs::read_to_string(dir.path().join("open1688-out/plan.csv")).unwrap();
    let planned: i64 = plan.lines().skip(1).filter_map(|l| l.rsplit(',').next()?.parse::<i64>().ok()).sum();
    assert_eq!(planned, units, "plan.csv holds the split:\n{plan}");
    // At 300 the pick stands; a split is shown only when it costs less in all.
    let report = json(dir.path(), &["source", "保温杯", "--need", "300"]);
    assert!(report["summary"][0]["offer_id"].as_i64().is_some(), "a single pick: {report}");
    if let Some(split) = report.get("split") {
        let units: i64 = split.as_array().unwrap().iter().map(|l| l["quantity"].as_i64().unwrap()).sum();
        assert!(units >= 300, "{split}");
        assert!(dir.path().join("open1688-out/split-plan.csv").exists(), "the cheaper split has its own plan file");
    }
}

/// A chart decodes at 960×600 and is not blank.
fn assert_chart(path: &Path) {
    let img = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).to_rgb8();
    assert_eq!(img.dimensions(), (960, 600), "{}", path.display());
    let non_white = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    assert!(non_white > 5_000, "{} is nearly blank ({non_white} drawn pixels)", path.display());
}

#[test]
fn charts_by_extension_for_analyze_offer_and_seller() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["analyze", "数据线", "--limit", "40", "--chart", "hist.png", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_chart(&dir.path().join("hist.png"));
    let r = run(dir.path(), &["offer", OFFER, "--chart", "ladder.svg", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(dir.path().join("ladder.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("阶梯价"), "Chinese text in the SVG");
    let r = run(dir.path(), &["offer", OFFER, "--chart", "ladder.gif", "-q"]);
    assert_eq!(r.code, 2, "unknown chart extension is a usage error");
}

#[test]
fn analyze_compare_recommend_seller_and_image_search_run() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(dir.path(), &["analyze", "数据线", "--quantity", "100", "--limit", "50"]);
    let stats = v["price statistics"].as_array().unwrap();
    assert!(stats.iter().any(|s| s["statistic"] == "median"));
    let v = json(dir.path(), &["compare", "保温杯", "--need", "200", "--candidates", "8"]);
    assert!(!v.as_array().unwrap().is_empty());
    let v = json(dir.path(), &["recommend", "保温杯", "--quantity", "100", "--limit", "10", "--ships-within", "72"]);
    assert!(v.as_array().unwrap().iter().all(|r| r["rank"].is_i64()));
    let offer = json(dir.path(), &["offer", OFFER]);
    let open_id = offer["offers"][0]["seller_open_id"].as_str().unwrap().to_owned();
    let seller = json(dir.path(), &["seller", &open_id, "--chart", "radar.png"]);
    assert_eq!(seller["supplier"][0]["company"], "义乌丰源日用品贸易有限公司");
    let criteria = seller["scorecard"].as_array().unwrap();
    let sum: f64 = criteria.iter().map(|c| c["contribution"].as_str().unwrap().parse::<f64>().unwrap()).sum();
    let score: f64 = seller["supplier"][0]["score"].as_str().unwrap().parse().unwrap();
    assert!((sum - score).abs() < 0.2, "contributions {sum} add up to the score {score}");
    assert_chart(&dir.path().join("radar.png"));
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00,
        0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18,
        0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    std::fs::write(dir.path().join("pic.png"), png).unwrap();
    let r = run(dir.path(), &["image-search", "pic.png", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_chinese_terminal_reads_the_answer_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["source", "保温杯", "--need", "300", "--out", "out", "--candidates", "8"];
    let out = open1688(dir.path()).env("LANG", "zh_CN.UTF-8").args(args).output().unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("未配置应用密钥：使用内置沙箱"), "{said}");
    assert!(said.contains("买 ") && said.contains("到岸总价 ¥"), "the answer in Chinese: {said}");
    assert!(said.contains("下单：open1688 order preview out/plan.csv"), "{said}");
    assert!(!said.contains("landed in all"), "{said}");
    // The tables on stdout are the same for every terminal.
    let english = run(dir.path(), &["source", "保温杯", "--need", "300", "--out", "out", "--candidates", "8"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), english.stdout);
}

#[test]
fn bad_input_gets_the_right_exit_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["quote", OFFER, "--need", "-5"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--need must be at least 1, got -5"), "{}", r.stderr);
    // A Chinese terminal reads the same failures in Chinese; the exit codes do not change.
    let chinese = |args: &[&str]| {
        let out = open1688(dir.path()).env("LANG", "zh_CN.UTF-8").args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, said) = chinese(&["quote", OFFER, "--need", "-5"]);
    assert_eq!(code, Some(2));
    assert!(said.contains("open1688: --need 不能小于 1（收到 -5）"), "{said}");
    let (code, said) = chinese(&["offer", "1"]);
    assert_eq!(code, Some(1));
    assert!(said.contains("1688 上找不到商品 1：可能已下架，或编号有误（-v 显示平台的原始回答）"), "{said}");

    let r = run(dir.path(), &["offer", "1"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("offer 1 was not found on 1688"), "{}", r.stderr);
    assert!(!r.stderr.contains("com.alibaba"), "no internal API name without -v: {}", r.stderr);
    assert_eq!(r.stderr.lines().filter(|l| l.starts_with("open1688: offer")).count(), 1, "one line");
    // Several ids: the ones found answer, the missing one is named.
    let r = run(dir.path(), &["offer", OFFER, "1", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(OFFER), "{}", r.stdout);
    assert!(r.stderr.contains("offer 1 was not found on 1688"), "{}", r.stderr);
    let r = run(dir.path(), &["offer", "1", "-v"]);
    assert!(
        r.stderr.contains("caused by") && r.stderr.contains("does not exist"),
        "-v shows the platform's answer: {}",
        r.stderr
    );

    std::fs::write(dir.path().join("bad.csv"), format!("offer_id,sku_id,quantity\n{OFFER},,10\n{OFFER},,ten\n"))
        .unwrap();
    let r = run(dir.path(), &["plan", "bad.csv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("line 3") && r.stderr.contains("quantity"), "{}", r.stderr);

    std::fs::write(dir.path().join("notes.png"), "not a picture").unwrap();
    let r = run(dir.path(), &["image-search", "notes.png"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("notes.png"), "{}", r.stderr);
    let r = run(dir.path(), &["image-search", "missing.jpg"]);
    assert_eq!(r.code, 2);

    let r = run(dir.path(), &["search"]);
    assert_eq!(r.code, 2, "clap usage error");
}

#[test]
fn config_init_and_show_redact_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["config", "init"]);
    assert_eq!(r.code, 0);
    assert!(dir.path().join("config.toml").exists());
    let r = run(dir.path(), &["config", "show", "--app-key", "7654321", "--app-secret", "very-secret-value"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("7654321") && !r.stdout.contains("very-secret-value"), "{}", r.stdout);
    assert!(r.stderr.contains("--app-secret is visible"), "a secret on the command line warns: {}", r.stderr);
    // From a file, and from standard input: no warning, the same credentials.
    std::fs::write(dir.path().join("secret.txt"), "very-secret-value\n").unwrap();
    let r = run(dir.path(), &["config", "show", "--app-key", "7654321", "--app-secret-file", "secret.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("ve****") && !r.stdout.contains("very-secret-value"), "{}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let mut child = open1688(dir.path())
        .args(["config", "show", "--app-key", "7654321", "--app-secret-file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"very-secret-value\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("ve****"));
    let r = run(dir.path(), &["config", "show", "--app-key", "7654321", "--app-secret-file", "missing.txt"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--app-secret-file missing.txt"), "{}", r.stderr);
}

/// The authorize URL `auth login` prints, read off its output.
fn authorize_url(out: &mut impl BufRead) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "the URL is printed");
        if line.starts_with("http") {
            return line.trim().to_owned();
        }
    }
}

#[test]
fn auth_login_through_the_sandbox_consent_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = open1688(dir.path())
        .args(["auth", "login", "--no-browser", "--port", "0", "--format", "json", "-q"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let url = authorize_url(&mut out);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<form"), "{page}");
        let query: Vec<(String, String)> = url::Url::parse(&url).unwrap().query_pairs().into_owned().collect();
        let mut form = query;
        form.push(("decision".into(), "approve".into()));
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&form).finish();
        let base = url.split('?').next().unwrap();
        let answer = http
            .post(base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let back = answer.headers()["location"].to_str().unwrap().to_owned();
        let done = http.get(&back).send().await.unwrap().text().await.unwrap();
        assert!(done.contains("authorized"), "{done}");
    });
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    let v: Value = serde_json::from_str(&rest).unwrap();
    assert!(v[0]["member"].is_string() && v[0]["access_expires_at"].is_string(), "{v}");
}

/// With an app key pointed at a sandbox server, `auth login` sends the user to that server's
/// consent page, not to 1688's (which knows neither the app nor the callback).
#[tokio::test(flavor = "multi_thread")]
async fn auth_login_against_a_sandbox_server_opens_its_own_consent_page() {
    let sandbox = open1688_sandbox::Sandbox::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut child = with_credentials(open1688(dir.path()), &sandbox)
        .env_remove("OPEN1688_ACCESS_TOKEN")
        .args(["auth", "login", "--no-browser", "--port", "0", "-q"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let url = authorize_url(&mut out);
    let _ = child.kill();
    let _ = child.wait();
    assert!(url.starts_with(&format!("{}/oauth/authorize?", sandbox.base_url())), "{url}");
    assert!(!url.contains("auth.1688.com"), "{url}");
}

#[test]
fn auth_status_refresh_logout_and_the_sandbox_server() {
    let dir = tempfile::tempdir().unwrap();
    // The sandbox hands over a bare token: its member and expiry are known after a refresh.
    let status = json(dir.path(), &["auth", "status"]);
    assert_eq!(status.as_array().unwrap().len(), 1, "{status}");
    let v = json(dir.path(), &["auth", "refresh"]);
    assert!(v[0]["member"].is_string() && v[0]["access_expires_at"].is_string(), "{v}");
    let r = run(dir.path(), &["auth", "logout"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let mut child = open1688(dir.path())
        .args(["sandbox", "--port", "0", "--seed", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let info: Value = serde_json::from_str(&line).unwrap();
    for field in ["base_url", "app_key", "app_secret", "access_token", "refresh_token"] {
        assert!(info[field].is_string(), "{field} in {line}");
    }
}

#[test]
fn watch_monitor_and_history_use_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let run_db = |args: &[&str]| {
        let out = open1688(dir.path()).env("DATABASE_URL", &db).args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, _, err) = run_db(&["watch", "add", "1", "--below", "8"]);
    assert_eq!(code, 1, "an offer the platform does not have is not watched: {err}");
    assert!(err.contains("offer 1 was not found on 1688"), "{err}");
    let (code, out, err) = run_db(&["watch", "add", OFFER, "--below", "8", "--at", "100", "--format", "json", "-q"]);
    assert_eq!(code, 0, "{err}");
    let id = serde_json::from_str::<Value>(&out).unwrap()[0]["id"].as_i64().unwrap();
    let (code, out, _) = run_db(&["watch", "list", "--format", "json", "-q"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()[0]["rules"], "price_below");
    let (code, out, err) = run_db(&["watch", "add", "--keyword", "保温杯", "--new-offers", "--format", "json", "-q"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()[0]["keyword"], "保温杯");
    let (code, _, err) = run_db(&["watch", "add", "--keyword", "保温杯", "--stock-below", "5"]);
    assert_eq!(code, 2, "a stock rule on a keyword watch is a usage error");
    assert!(err.contains("stock_below needs an offer watch"), "{err}");
    let (code, _, err) = run_db(&["monitor", "--once", "--worker", "e2e"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("checks 2 ok 2"), "{err}");
    assert!(err.contains("cache hit rate n/a (2 fresh reads)"), "{err}");
    let (code, out, err) = run_db(&["watch", "runs", "--format", "json", "-q"]);
    assert_eq!(code, 0, "{err}");
    let runs: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((runs[0]["worker"].as_str(), runs[0]["status"].as_str()), (Some("e2e"), Some("completed")), "{runs}");
    assert_eq!(runs[0]["checks"], 2);
    let (code, out, err) = run_db(&["history", OFFER, "--format", "json", "--chart", "history.png", "-q"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"][0]["last"], "8.20");
    assert_chart(&dir.path().join("history.png"));
    assert_eq!(run_db(&["watch", "snooze", &id.to_string(), "-q"]).0, 0);
    assert_eq!(run_db(&["watch", "remove", &id.to_string(), "-q"]).0, 0);
    assert_eq!(run_db(&["watch", "remove", &id.to_string(), "-q"]).0, 2, "no such watch");
    assert_eq!(run_db(&["history", "1", "-q"]).0, 1, "no history");
}

#[test]
fn an_unreachable_redis_is_reported_and_the_command_still_works() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on port 1.
    let out = open1688(dir.path())
        .env("REDIS_URL", "redis://127.0.0.1:1")
        .args(["search", "保温杯", "--limit", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Redis is unreachable; using the local cache and rate limiter"), "{stderr}");
    assert_eq!(stderr.matches("Redis is unreachable").count(), 1, "logged once: {stderr}");
}

#[test]
fn store_only_commands_never_start_a_gateway() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    for args in [&["watch", "list"][..], &["watch", "runs"], &["history", OFFER]] {
        let started = std::time::Instant::now();
        let out = open1688(dir.path()).env("DATABASE_URL", &db).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("sandbox"), "{args:?} started the sandbox: {stderr}");
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "{args:?} took {:?}", started.elapsed());
        let expected = if args[0] == "history" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}: {stderr}");
    }
}

/// A second `offer` within the TTL is answered from the store on disk: the sandbox (a gateway the
/// binary reaches with credentials, as a real one) counts no call for it. `cache stats` shows the
/// answer, `cache clear` forgets it, and the next run asks the gateway again.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_offer_run_within_the_ttl_makes_no_gateway_call() {
    let sandbox = open1688_sandbox::Sandbox::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let with_gateway = |args: &[&str]| {
        let out = with_credentials(open1688(dir.path()), &sandbox).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let detail_calls = || sandbox.stats().by_api.get("product.search.queryProductDetail").map_or(0, |c| c.calls);
    let first = with_gateway(&["offer", OFFER, "--format", "json", "-q"]);
    assert_eq!(detail_calls(), 1);
    let calls = sandbox.stats().total.calls;
    let second = with_gateway(&["offer", OFFER, "--format", "json", "-q"]);
    assert_eq!(sandbox.stats().total.calls, calls, "the second run made no gateway call");
    assert_eq!(first, second, "the same answer");

    let stats: Value = serde_json::from_str(&with_gateway(&["cache", "stats", "--format", "json", "-q"])).unwrap();
    assert_eq!(stats["cache"][0]["fresh"], 2, "the offer and its seller's listing (its profile): {stats}");
    let apis: Vec<&str> = stats["cache by api"].as_array().unwrap().iter().filter_map(|a| a["api"].as_str()).collect();
    assert!(apis.iter().any(|a| a.ends_with("product.search.queryProductDetail-1")), "{apis:?}");

    // --no-cache and a cleared cache both ask the gateway.
    with_gateway(&["offer", OFFER, "--no-cache", "-q"]);
    assert_eq!(detail_calls(), 2);
    with_gateway(&["cache", "clear", "-q"]);
    with_gateway(&["offer", OFFER, "-q"]);
    assert_eq!(detail_calls(), 3);

    // An error is never cached: an unknown offer asks the gateway each time.
    for _ in 0..2 {
        let out =
            with_credentials(open1688(dir.path()), &sandbox).args(["offer", "999999999999", "-q"]).output().unwrap();
        assert!(!out.status.success());
    }
    assert_eq!(detail_calls(), 5, "both failed lookups reached the gateway");
}

/// Without credentials the built-in sandbox's answers are cached on disk too (by name, since it
/// listens on a new port each run).
#[test]
fn the_built_in_sandbox_answers_are_kept_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    json(dir.path(), &["offer", OFFER]);
    let stats = json(dir.path(), &["cache", "stats"]);
    assert_eq!(stats["cache"][0]["fresh"], 2, "the offer and its seller's listing: {stats}");
    let cleared = json(dir.path(), &["cache", "clear", "--expired"]);
    assert_eq!(cleared[0]["removed"], 0, "nothing has expired");
}

/// `catalog crawl` killed (SIGKILL) in the middle of its details and run again: the second run
/// resumes the pass, reads no search page again, fetches only what was not stored, and the
/// catalog then holds every offer once.
#[tokio::test(flavor = "multi_thread")]
async fn a_killed_catalog_crawl_resumes_and_stores_every_offer_once() {
    let sandbox = open1688_sandbox::Sandbox::builder().quotas_off().start().await.unwrap();
    // Slow details, so that the kill lands in the middle of them.
    let mut plan = open1688_sandbox::FaultPlan::default();
    plan.apis.insert(
        "product.search.queryProductDetail".into(),
        open1688_sandbox::FaultRates { latency_ms: 40, ..Default::default() },
    );
    sandbox.set_faults(plan);
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("catalog.db").display());
    let crawl = || {
        let mut cmd = with_credentials(open1688(dir.path()), &sandbox);
        cmd.args(["catalog", "crawl", "--keyword", "保温杯", "--pages", "2", "--format", "json", "-q"])
            .env("OPEN1688_QPS", "1000")
            .env("DATABASE_URL", &db);
        cmd
    };
    let details = || sandbox.stats().by_api.get("product.search.queryProductDetail").map_or(0, |c| c.calls);
    let log = std::fs::File::create(dir.path().join("killed.log")).unwrap();
    let mut child = crawl().stdout(Stdio::null()).stderr(log).spawn().unwrap();
    let started = std::time::Instant::now();
    while details() < 25 {
        let log = std::fs::read_to_string(dir.path().join("killed.log")).unwrap_or_default();
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the crawl never reached its details: {log}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // Calls the killed run had sent are counted by the sandbox when it answers them.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let searched = sandbox.stats().by_api.get("product.search.keywordQuery").map_or(0, |c| c.calls);
    let before = details();

    let out = crawl().output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pass = &v["crawl"][0];
    assert_eq!(pass["resumed"], "yes", "{v}");
    assert_eq!(pass["found"], 100);
    let (fetched, already) = (pass["fetched"].as_u64().unwrap(), pass["already"].as_u64().unwrap());
    assert_eq!(fetched + already, 100, "{v}");
    assert!(already > 0, "the killed run had stored some: {v}");
    assert_eq!(details() - before, fetched, "the resumed run fetched only what was not stored");
    assert_eq!(
        sandbox.stats().by_api.get("product.search.keywordQuery").map_or(0, |c| c.calls),
        searched,
        "no page read again"
    );
    assert_eq!(v["data age"][0]["entries"], 100);

    let age = open1688(dir.path()).args(["catalog", "age", "--format", "json", "-q"]).env("DATABASE_URL", &db).output();
    let age: Value = serde_json::from_slice(&age.unwrap().stdout).unwrap();
    assert_eq!(age[0]["entries"], 100);
    assert_eq!(age[0]["under_10_min"], 100);

    // Searching the catalog calls no gateway; prices are read at the quantity asked.
    let calls = sandbox.stats().total.calls;
    let out = open1688(dir.path())
        .args(["catalog", "search", "保温杯", "--price-max", "20", "--at", "100", "--sort", "price"])
        .args(["--format", "json", "-q"])
        .env("DATABASE_URL", &db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = found["catalog"].as_array().unwrap();
    assert!(!hits.is_empty(), "{found}");
    let prices: Vec<f64> = hits.iter().map(|h| h["price"].as_str().unwrap().parse().unwrap()).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]) && prices.iter().all(|p| *p <= 20.0), "{prices:?}");
    assert!(found["facets"].as_array().unwrap().iter().any(|f| f["facet"] == "province"));
    assert_eq!(sandbox.stats().total.calls, calls, "the search made no gateway call");

    // Everything was just fetched: a refresh finds nothing stale.
    let out = with_credentials(open1688(dir.path()), &sandbox)
        .args(["catalog", "refresh", "--format", "json", "-q"])
        .env("DATABASE_URL", &db)
        .output();
    let refresh: Value = serde_json::from_slice(&out.unwrap().stdout).unwrap();
    assert_eq!(
        (refresh["refresh"][0]["stale"].as_i64(), refresh["refresh"][0]["refreshed"].as_i64()),
        (Some(0), Some(0))
    );
}

/// `cmd` reaching `sandbox` as a real gateway, with credentials (tokens kept in the store).
fn with_credentials(mut cmd: Command, sandbox: &open1688_sandbox::Sandbox) -> Command {
    cmd.env("OPEN1688_APP_KEY", sandbox.app_key())
        .env("OPEN1688_APP_SECRET", sandbox.app_secret())
        .env("OPEN1688_ACCESS_TOKEN", sandbox.access_token())
        .env("OPEN1688_ENDPOINT", sandbox.base_url())
        .env("OPEN1688_SECRET_KEY", "ab".repeat(32));
    cmd
}

/// `catalog crawl` without sources runs the config's standing plan, crawl by crawl; a plan that
/// makes no sense is refused with the crawl and field it names.
#[test]
fn catalog_crawl_without_sources_runs_the_configured_plan() {
    let dir = tempfile::tempdir().unwrap();
    let none = run(dir.path(), &["catalog", "crawl", "-q"]);
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(none.stderr.contains("[[catalog.crawl]]"), "{}", none.stderr);
    std::fs::write(
        dir.path().join("config.toml"),
        "[[catalog.crawl]]\nkeywords = [\"保温杯\"]\npages = 1\n\n[[catalog.crawl]]\nkeywords = [\"数据线\"]\n",
    )
    .unwrap();
    let v = json(dir.path(), &["catalog", "crawl"]);
    let passes = v["crawl"].as_array().unwrap();
    let sources: Vec<&str> = passes.iter().map(|p| p["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["keyword:保温杯", "keyword:数据线"], "{v}");
    assert!(passes.iter().all(|p| p["found"] == 50), "{v}");
    assert_eq!(v["data age"][0]["entries"], 100, "{v}");

    std::fs::write(dir.path().join("config.toml"), "[[catalog.crawl]]\nkeywords = [\"杯\"]\npages = 99\n").unwrap();
    let bad = run(dir.path(), &["catalog", "crawl", "-q"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("catalog.crawl[1]") && bad.stderr.contains("pages"), "{}", bad.stderr);
}

/// A wrong app secret is a credential error: exit 3, naming the secret and where it is set, not
/// the gateway's code.
#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_app_secret_says_so_and_exits_3() {
    let sandbox = open1688_sandbox::Sandbox::builder().catalog_size(2_000, 160).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let offer = sandbox.catalog().offers[0].id.to_string();
    let out = with_credentials(open1688(dir.path()), &sandbox)
        .env("OPEN1688_APP_SECRET", "not-the-secret")
        .args(["offer", offer.as_str(), "--no-cache"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("app secret") && stderr.contains("OPEN1688_APP_SECRET"), "{stderr}");
    assert!(!stderr.contains("gw.SignatureInvalid") && !stderr.contains("not-the-secret"), "{stderr}");
}

/// The built-in sandbox listens on a new port each run, and the answers cached on disk name the
/// port of the run that fetched them: a second `same-item` still reads the offer's pictures.
#[test]
fn a_second_run_reads_pictures_cached_from_the_first_runs_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    for run_number in 1..=2 {
        let r = run(dir.path(), &["same-item", OFFER, "--format", "json", "-q"]);
        assert_eq!(r.code, 0, "run {run_number}: {}", r.stderr);
        assert!(!r.stderr.contains("non-public address"), "run {run_number}: {}", r.stderr);
    }
}

//! Never panics: files users write (plan files in CSV and TOML, rule files, the config's
//! `[sourcing]` table) are parsed into a value or an error that names the file, whatever they
//! hold; rules that pass validation are then evaluated without overflow.

use chrono::{DateTime, Duration, Utc};
use open1688_jobs::plan_file::{PlanFormat, parse_plan};
use open1688_jobs::policy::SourcingPolicy;
use open1688_jobs::watches::parse_rules;
use open1688_store::{NewWatch, Snapshot, detect};
use proptest::prelude::*;
use sourcing::{Offer, PriceLadder};

/// Numbers at the edges of every integer and decimal type.
fn edge_number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        Just("9223372036854775808".to_owned()),
        Just("-0".to_owned()),
        Just("1e400".to_owned()),
        Just("0.0000000000000000000000000001".to_owned()),
        Just("79228162514264337593543950336".to_owned()),
        Just("\"\"".to_owned()),
        Just("nan".to_owned()),
        (0i64..1_000_000).prop_map(|n| n.to_string()),
    ]
}

/// Rule files that look right, with values anywhere.
fn rule_file() -> impl Strategy<Value = String> {
    let kind = prop::sample::select(vec![
        "price_below",
        "price_above",
        "percent_change",
        "lowest_in_days",
        "stock_below",
        "sold_out",
        "back_in_stock",
        "any_tier_change",
        "new_offer",
        "bogus",
    ]);
    let field = prop::sample::select(vec!["quantity", "target", "percent", "days", "units", "extra"]);
    let value = prop_oneof![edge_number(), edge_number().prop_map(|n| format!("\"{n}\""))];
    let rule = (kind, prop::collection::vec((field, value), 0..4)).prop_map(|(kind, fields)| {
        let mut text = format!("[[rules]]\nkind = \"{kind}\"\n");
        for (f, v) in fields {
            text.push_str(&format!("{f} = {v}\n"));
        }
        text
    });
    prop::collection::vec(rule, 0..4).prop_map(|rules| rules.concat())
}

fn history() -> Vec<Snapshot> {
    let snap = |ladder: &str, stock: i64, day: i64| {
        let mut o = Offer::new(1, "杯");
        o.ladder = Some(PriceLadder::parse(ladder).unwrap());
        o.stock = Some(stock);
        o.fetched_at = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000 + day);
        Snapshot::of(&o, None)
    };
    vec![snap("1-99:0.0000001;100+:0.00000005", 5, 0), snap("1-99:79228162514264.33;100+:1", 0, 1)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn plan_files_never_panic(text in ".{0,200}", csv in r"([0-9A-Za-z,\-+. ]{0,30}\n){0,6}") {
        for format in [PlanFormat::Csv, PlanFormat::Toml] {
            let _ = parse_plan(&text, format, "plan");
        }
        if let Err(e) = parse_plan(&csv, PlanFormat::Csv, "plan.csv") {
            prop_assert!(e.to_string().contains("plan"), "{}", e);
        }
    }

    #[test]
    fn toml_plan_files_never_panic(
        lines in prop::collection::vec((edge_number(), edge_number(), edge_number()), 0..4),
    ) {
        let text: String = lines
            .iter()
            .map(|(o, s, q)| format!("[[lines]]\noffer_id = {o}\nsku_id = {s}\nquantity = {q}\n"))
            .collect();
        let _ = parse_plan(&text, PlanFormat::Toml, "plan.toml");
    }

    #[test]
    fn rule_files_never_panic_and_valid_rules_evaluate(text in rule_file(), junk in ".{0,60}") {
        let _ = parse_rules(&junk, "rules.toml");
        if let Ok(rules) = parse_rules(&text, "rules.toml") {
            let watch = NewWatch { offer_id: Some(1), interval_secs: 3600, rules, ..Default::default() };
            if watch.validate().is_ok() {
                let h = history();
                let changes = detect(&h[0], &h[1]);
                let _ = open1688_monitor::rules::evaluate(&watch.rules, &h, &changes);
            }
        }
    }

    #[test]
    fn sourcing_tables_never_panic(
        fields in prop::collection::vec(
            (
                prop::sample::select(vec![
                    "strategy", "risk_premiums", "same_item_threshold", "source_candidates", "compare_candidates",
                    "detail_concurrency", "histogram_bins", "top_suppliers", "scorecard", "freight",
                ]),
                prop_oneof![edge_number(), Just("{ model = { kind = \"flat\", fee = \"-1\" } }".to_owned())],
            ),
            0..5,
        ),
    ) {
        let text: String = fields.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        if let Ok(policy) = toml::from_str::<SourcingPolicy>(&text) {
            let _ = policy.validate();
        }
    }
}

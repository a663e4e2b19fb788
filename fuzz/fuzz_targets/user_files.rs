//! Files users write: plan files (CSV and TOML), rule files, the `[sourcing]` table.
#![no_main]

use libfuzzer_sys::fuzz_target;
use open1688_jobs::plan_file::{PlanFormat, parse_plan};
use open1688_jobs::policy::SourcingPolicy;
use open1688_jobs::watches::parse_rules;

fuzz_target!(|text: &str| {
    let _ = parse_plan(text, PlanFormat::Csv, "plan.csv");
    let _ = parse_plan(text, PlanFormat::Toml, "plan.toml");
    if let Ok(rules) = parse_rules(text, "rules.toml") {
        for rule in &rules {
            let _ = rule.out_of_range();
        }
    }
    if let Ok(policy) = toml::from_str::<SourcingPolicy>(text) {
        let _ = policy.validate();
    }
});

//! Scorecards: presets, a hand-computed score, missing-signal policies, TOML, and the property
//! that contributions add up to the score.

use proptest::prelude::*;
use rust_decimal::Decimal;
use sourcing::model::ServiceScores;
use sourcing::scorecard::MissingPolicy;
use sourcing::{Action, Scorecard, Supplier};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn supplier() -> Supplier {
    Supplier {
        years_on_platform: Some(5),
        scores: ServiceScores {
            composite: Some(d("4.5")),
            logistics: Some(d("4.0")),
            dispute: Some(d("4.0")),
            offer: Some(d("4.6")),
            after_sales: None,
            consulting: Some(d("4.2")),
        },
        repurchase_rate: Some(d("0.275")),
        fulfillment_rate: Some(d("0.98")),
        pickup_rate: Some(d("0.85")),
        quality_return_rate: Some(d("0.01")),
        identities: vec!["super_factory".into()],
        certificates: vec!["CE".into()],
        trade_medal: Some(3),
        ..Supplier::default()
    }
}

#[test]
fn presets_are_valid_and_the_default_scores_a_hand_computed_case() {
    for name in ["default", "legacy_credit", "legacy_factory"] {
        Scorecard::preset(name).unwrap().validate().unwrap();
    }
    let report = Scorecard::preset("default").unwrap().score(&supplier());
    // 5 + 11.25 + 2.5 + 5 + 7.5 + 12 + 5 + 5 + 5 + 3
    assert_eq!(report.score, d("61.25"));
    assert_eq!((report.band.as_str(), report.action), ("average", Action::Accept));
    let repurchase = report.criteria.iter().find(|c| c.name == "repurchase rate").unwrap();
    assert_eq!(
        (repurchase.signal, repurchase.sub_score, repurchase.contribution),
        (Some(d("0.275")), Some(d("50")), d("7.5"))
    );
    assert!(report.missing_note.is_none());
}

#[test]
fn missing_signals_follow_the_declared_policy() {
    let mut s = supplier();
    s.fulfillment_rate = None;
    s.offer_count = None;
    let factory = Scorecard::preset("legacy_factory").unwrap().score(&s);
    let note = factory.missing_note.clone().unwrap();
    assert!(note.contains("product count") && note.contains("spread"), "{note}");
    let weights: Decimal = factory.criteria.iter().map(|c| c.effective_weight).sum();
    assert_eq!(weights.round_dp(10), Decimal::ONE_HUNDRED, "re-weighted to 100");

    let mut penal = Scorecard::preset("default").unwrap();
    penal.missing = MissingPolicy::Penalize { score: Decimal::ZERO };
    let full = penal.score(&supplier()).score;
    let partial = penal.score(&s).score;
    assert_eq!(full - partial, d("12"), "the fulfilment criterion's 12 points are lost");

    let empty = Scorecard::preset("default").unwrap().score(&Supplier::default());
    assert_eq!((empty.band.as_str(), empty.action), ("very poor", Action::Block));
}

#[test]
fn scorecards_load_from_toml_and_bad_ones_are_refused() {
    let card = Scorecard::from_toml(
        r#"
        name = "simple"
        missing = { kind = "penalize", score = "20" }
        [[criteria]]
        name = "years"
        signal = "years_on_platform"
        weight = "60"
        normalization = { kind = "linear", worst = "0", best = "6" }
        [[criteria]]
        name = "super factory"
        signal = { identity = "super_factory" }
        weight = "40"
        normalization = { kind = "boolean" }
        [[bands]]
        name = "no"
        min = "0"
        action = "block"
        [[bands]]
        name = "yes"
        min = "70"
        action = "prefer"
        "#,
    )
    .unwrap();
    let r = card.score(&supplier());
    assert_eq!((r.score, r.action), (d("90"), Action::Prefer));
    let err = Scorecard::from_toml(
        "name = \"bad\"\nmissing = { kind = \"reweight\" }\nbands = [{ name = \"all\", min = \"0\", action = \"accept\" }]\n[[criteria]]\nname = \"x\"\nsignal = \"trade_medal\"\nweight = \"90\"\nnormalization = { kind = \"boolean\" }\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("sum to 90"), "{err}");
}

proptest! {
    /// Contributions add up to the score, which stays within 0–100, under both policies.
    #[test]
    fn contributions_sum_to_the_score(
        years in proptest::option::of(0i64..30),
        composite in proptest::option::of(0i64..51),
        repurchase in proptest::option::of(0i64..100),
        fulfil in proptest::option::of(0i64..101),
        returns in proptest::option::of(0i64..20),
        penalize in any::<bool>(),
    ) {
        let s = Supplier {
            years_on_platform: years,
            scores: ServiceScores { composite: composite.map(|c| Decimal::new(c, 1)), ..ServiceScores::default() },
            repurchase_rate: repurchase.map(|r| Decimal::new(r, 2)),
            fulfillment_rate: fulfil.map(|f| Decimal::new(f, 2)),
            quality_return_rate: returns.map(|r| Decimal::new(r, 3)),
            ..Supplier::default()
        };
        for name in ["default", "legacy_credit", "legacy_factory"] {
            let mut card = Scorecard::preset(name).unwrap();
            if penalize {
                card.missing = MissingPolicy::Penalize { score: Decimal::from(10) };
            }
            let r = card.score(&s);
            let sum: Decimal = r.criteria.iter().map(|c| c.contribution).sum();
            prop_assert_eq!(sum, r.score);
            prop_assert!(r.score >= Decimal::ZERO && r.score <= Decimal::ONE_HUNDRED + Decimal::new(1, 20));
        }
    }
}

//! Supplier scorecards: weighted criteria (weights sum to 100), each turning one signal into
//! 0–100 by a declared normalization; bands with actions; an explanation per criterion; and a
//! visible policy for missing signals. Presets cover the platform's real signals and the two
//! models older scripts used; scorecards also load from TOML.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::model::Supplier;

/// A supplier signal a criterion reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Years on the platform (`tpYear`).
    YearsOnPlatform,
    /// Composite service score (0–5).
    CompositeScore,
    /// Logistics score (0–5).
    LogisticsScore,
    /// Dispute and complaint score (0–5, higher is better).
    DisputeScore,
    /// Offer experience score (0–5).
    OfferScore,
    /// After-sales score (0–5).
    AfterSalesScore,
    /// Consulting (response) score (0–5).
    ConsultingScore,
    /// Repeat-purchase rate (fraction).
    RepurchaseRate,
    /// Perfect fulfilment rate, 30 days (fraction).
    FulfillmentRate,
    /// Picked up within 24 h, 30 days (fraction).
    PickupRate,
    /// Quality-return rate, 30 days (fraction; lower is better).
    QualityReturnRate,
    /// Trade medal level (1–5).
    TradeMedal,
    /// Number of certificates.
    CertificateCount,
    /// Number of offers the supplier lists.
    OfferCount,
    /// Holds an identity such as `super_factory` (1 or 0).
    Identity(String),
}

impl Signal {
    /// The signal's value for a supplier; `None` when the platform did not say.
    pub fn value(&self, s: &Supplier) -> Option<Decimal> {
        match self {
            Signal::YearsOnPlatform => s.years_on_platform.map(Decimal::from),
            Signal::CompositeScore => s.scores.composite,
            Signal::LogisticsScore => s.scores.logistics,
            Signal::DisputeScore => s.scores.dispute,
            Signal::OfferScore => s.scores.offer,
            Signal::AfterSalesScore => s.scores.after_sales,
            Signal::ConsultingScore => s.scores.consulting,
            Signal::RepurchaseRate => s.repurchase_rate,
            Signal::FulfillmentRate => s.fulfillment_rate,
            Signal::PickupRate => s.pickup_rate,
            Signal::QualityReturnRate => s.quality_return_rate,
            Signal::TradeMedal => s.trade_medal.map(Decimal::from),
            Signal::CertificateCount => Some(Decimal::from(s.certificates.len())),
            Signal::OfferCount => s.offer_count.map(Decimal::from),
            Signal::Identity(name) => {
                Some(if s.identities.iter().any(|i| i == name) { Decimal::ONE } else { Decimal::ZERO })
            }
        }
    }
}

/// How a signal becomes a 0–100 sub-score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Normalization {
    /// `worst` scores 0 and `best` 100, linear between, clamped (`best < worst` when lower is
    /// better).
    Linear {
        /// Value scoring 0.
        worst: Decimal,
        /// Value scoring 100.
        best: Decimal,
    },
    /// The score of the highest step the value reaches (`at_least`, `score`); below all steps, 0.
    Thresholds {
        /// Steps in any order.
        steps: Vec<(Decimal, Decimal)>,
    },
    /// 100 for a true (non-zero) signal, 0 otherwise.
    Boolean,
}

impl Normalization {
    fn apply(&self, v: Decimal) -> Decimal {
        let hundred = Decimal::ONE_HUNDRED;
        match self {
            Normalization::Linear { worst, best } => {
                if best == worst {
                    return if v >= *best { hundred } else { Decimal::ZERO };
                }
                ((v - worst) / (best - worst) * hundred).clamp(Decimal::ZERO, hundred)
            }
            Normalization::Thresholds { steps } => steps
                .iter()
                .filter(|(at_least, _)| v >= *at_least)
                .max_by_key(|(at_least, _)| *at_least)
                .map_or(Decimal::ZERO, |(_, score)| (*score).clamp(Decimal::ZERO, hundred)),
            Normalization::Boolean => {
                if v.is_zero() {
                    Decimal::ZERO
                } else {
                    hundred
                }
            }
        }
    }
}

/// One criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    /// What it is called in explanations.
    pub name: String,
    /// The signal it reads.
    pub signal: Signal,
    /// Its weight (all weights sum to 100).
    pub weight: Decimal,
    /// How the signal becomes 0–100.
    pub normalization: Normalization,
}

/// What to do with a supplier in a band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Do not buy.
    Block,
    /// Buy with care.
    Warn,
    /// Acceptable.
    Accept,
    /// Prefer.
    Prefer,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Block => "block",
            Action::Warn => "warn",
            Action::Accept => "accept",
            Action::Prefer => "prefer",
        })
    }
}

/// A score band: from `min` up to the next band's `min`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Band {
    /// Name (`excellent`).
    pub name: String,
    /// Lowest score of the band.
    pub min: Decimal,
    /// What to do.
    pub action: Action,
}

/// What happens when a supplier lacks a signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Leave the criterion out and spread its weight over the others.
    Reweight,
    /// Score the criterion as this (0 punishes silence).
    Penalize {
        /// Sub-score given.
        score: Decimal,
    },
}

/// A scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scorecard {
    /// Name.
    pub name: String,
    /// Criteria (weights sum to 100).
    pub criteria: Vec<Criterion>,
    /// Bands, any order.
    pub bands: Vec<Band>,
    /// Missing-signal policy.
    pub missing: MissingPolicy,
}

/// One criterion's part of a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CriterionScore {
    /// Criterion name.
    pub name: String,
    /// The signal's value (`None`: missing).
    pub signal: Option<Decimal>,
    /// 0–100.
    pub sub_score: Option<Decimal>,
    /// Declared weight.
    pub weight: Decimal,
    /// Weight used after the missing-signal policy.
    pub effective_weight: Decimal,
    /// Sub-score × effective weight / 100.
    pub contribution: Decimal,
}

/// A supplier's score with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScoreReport {
    /// 0–100.
    pub score: Decimal,
    /// Band name.
    pub band: String,
    /// The band's action.
    pub action: Action,
    /// Per criterion.
    pub criteria: Vec<CriterionScore>,
    /// How missing signals were treated, in words.
    pub missing_note: Option<String>,
}

impl Scorecard {
    /// Reads a scorecard from TOML and checks it.
    pub fn from_toml(text: &str) -> Result<Self, EngineError> {
        // Where, never what: the text may be any file (a `.env` named by mistake), and the
        // parser's message quotes it.
        let card: Self = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |span| span.start).min(text.len());
            let before = text.get(..at).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            EngineError::BadScorecard {
                name: "<toml>".into(),
                reason: format!("not a scorecard in TOML (line {line}, column {column})"),
            }
        })?;
        card.validate()?;
        Ok(card)
    }

    /// Checks weights and bands.
    pub fn validate(&self) -> Result<(), EngineError> {
        let bad = |reason: String| EngineError::BadScorecard { name: self.name.clone(), reason };
        let total: Decimal = self.criteria.iter().map(|c| c.weight).sum();
        if total != Decimal::ONE_HUNDRED {
            return Err(bad(format!("weights sum to {total}, not 100")));
        }
        if let Some(c) = self.criteria.iter().find(|c| c.weight < Decimal::ZERO) {
            return Err(bad(format!("criterion {} has a negative weight", c.name)));
        }
        if !self.bands.iter().any(|b| b.min <= Decimal::ZERO) {
            return Err(bad("no band starts at 0".into()));
        }
        Ok(())
    }

    /// Scores one supplier.
    pub fn score(&self, supplier: &Supplier) -> ScoreReport {
        let values: Vec<Option<Decimal>> = self.criteria.iter().map(|c| c.signal.value(supplier)).collect();
        let present_weight: Decimal =
            self.criteria.iter().zip(&values).filter(|(_, v)| v.is_some()).map(|(c, _)| c.weight).sum();
        let missing: Vec<&str> =
            self.criteria.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(c, _)| c.name.as_str()).collect();
        let hundred = Decimal::ONE_HUNDRED;
        let criteria: Vec<CriterionScore> = self
            .criteria
            .iter()
            .zip(&values)
            .map(|(c, v)| {
                let (sub, eff) = match (v, &self.missing) {
                    (Some(v), MissingPolicy::Reweight) if present_weight > Decimal::ZERO => {
                        (Some(c.normalization.apply(*v)), c.weight * hundred / present_weight)
                    }
                    (Some(v), _) => (Some(c.normalization.apply(*v)), c.weight),
                    (None, MissingPolicy::Reweight) => (None, Decimal::ZERO),
                    (None, MissingPolicy::Penalize { score }) => (Some(*score), c.weight),
                };
                CriterionScore {
                    name: c.name.clone(),
                    signal: *v,
                    sub_score: sub,
                    weight: c.weight,
                    effective_weight: eff,
                    contribution: sub.unwrap_or_default() * eff / hundred,
                }
            })
            .collect();
        let score: Decimal = criteria.iter().map(|c| c.contribution).sum();
        let band = self
            .bands
            .iter()
            .filter(|b| score >= b.min)
            .max_by_key(|b| b.min)
            .or_else(|| self.bands.iter().min_by_key(|b| b.min));
        let missing_note = (!missing.is_empty()).then(|| match &self.missing {
            MissingPolicy::Reweight => {
                format!("no signal for {}: their weight was spread over the other criteria", missing.join(", "))
            }
            MissingPolicy::Penalize { score } => format!("no signal for {}: scored {score} each", missing.join(", ")),
        });
        ScoreReport {
            score,
            band: band.map_or_else(String::new, |b| b.name.clone()),
            action: band.map_or(Action::Warn, |b| b.action),
            criteria,
            missing_note,
        }
    }

    /// A preset by name: `default`, `legacy_credit` or `legacy_factory`.
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "default" => Some(presets::default()),
            "legacy_credit" => Some(presets::legacy_credit()),
            "legacy_factory" => Some(presets::legacy_factory()),
            _ => None,
        }
    }
}

mod presets {
    use super::*;

    fn d(v: i64, scale: u32) -> Decimal {
        Decimal::new(v, scale)
    }

    fn linear(name: &str, signal: Signal, weight: i64, worst: Decimal, best: Decimal) -> Criterion {
        Criterion {
            name: name.into(),
            signal,
            weight: Decimal::from(weight),
            normalization: Normalization::Linear { worst, best },
        }
    }

    fn bands() -> Vec<Band> {
        vec![
            Band { name: "very poor".into(), min: Decimal::ZERO, action: Action::Block },
            Band { name: "poor".into(), min: Decimal::from(30), action: Action::Warn },
            Band { name: "average".into(), min: Decimal::from(50), action: Action::Accept },
            Band { name: "excellent".into(), min: Decimal::from(80), action: Action::Prefer },
        ]
    }

    fn certificates(weight: i64) -> Criterion {
        Criterion {
            name: "certificates".into(),
            signal: Signal::CertificateCount,
            weight: Decimal::from(weight),
            normalization: Normalization::Thresholds {
                steps: vec![(Decimal::ONE, Decimal::from(60)), (Decimal::from(3), Decimal::ONE_HUNDRED)],
            },
        }
    }

    fn super_factory(name: &str, weight: i64) -> Criterion {
        Criterion {
            name: name.into(),
            signal: Signal::Identity("super_factory".into()),
            weight: Decimal::from(weight),
            normalization: Normalization::Boolean,
        }
    }

    /// The platform's real signals.
    pub fn default() -> Scorecard {
        Scorecard {
            name: "default".into(),
            criteria: vec![
                linear("years on 1688", Signal::YearsOnPlatform, 10, d(0, 0), d(10, 0)),
                linear("composite service score", Signal::CompositeScore, 15, d(3, 0), d(5, 0)),
                linear("logistics score", Signal::LogisticsScore, 5, d(3, 0), d(5, 0)),
                linear("dispute score", Signal::DisputeScore, 10, d(3, 0), d(5, 0)),
                linear("repurchase rate", Signal::RepurchaseRate, 15, d(5, 2), d(50, 2)),
                linear("fulfilment rate (30 d)", Signal::FulfillmentRate, 15, d(90, 2), d(100, 2)),
                linear("pickup within 24 h (30 d)", Signal::PickupRate, 10, d(70, 2), d(100, 2)),
                linear("quality returns (30 d)", Signal::QualityReturnRate, 10, d(2, 2), d(0, 0)),
                super_factory("super factory", 5),
                certificates(5),
            ],
            bands: bands(),
            missing: MissingPolicy::Reweight,
        }
    }

    /// Older scripts' credit model: membership years, company age, credit rating, positive rate.
    pub fn legacy_credit() -> Scorecard {
        Scorecard {
            name: "legacy_credit".into(),
            criteria: vec![
                linear("membership years (tpYear)", Signal::YearsOnPlatform, 30, d(0, 0), d(10, 0)),
                linear("company age (tpYear, no better signal)", Signal::YearsOnPlatform, 20, d(0, 0), d(15, 0)),
                linear("credit rating (trade medal)", Signal::TradeMedal, 30, d(1, 0), d(5, 0)),
                linear("positive rate (offer experience)", Signal::OfferScore, 20, d(3, 0), d(5, 0)),
            ],
            bands: bands(),
            missing: MissingPolicy::Penalize { score: Decimal::ZERO },
        }
    }

    /// Older scripts' factory model: certifications, transaction level, response rate, on-time
    /// delivery, product count, capacity.
    pub fn legacy_factory() -> Scorecard {
        Scorecard {
            name: "legacy_factory".into(),
            criteria: vec![
                certificates(20),
                linear("transaction level (trade medal)", Signal::TradeMedal, 20, d(1, 0), d(5, 0)),
                linear("response rate (consulting score)", Signal::ConsultingScore, 15, d(3, 0), d(5, 0)),
                linear("on-time delivery (fulfilment rate)", Signal::FulfillmentRate, 20, d(90, 2), d(100, 2)),
                linear("product count (offers listed)", Signal::OfferCount, 10, d(0, 0), d(200, 0)),
                super_factory("capacity (super factory)", 15),
            ],
            bands: bands(),
            missing: MissingPolicy::Reweight,
        }
    }
}

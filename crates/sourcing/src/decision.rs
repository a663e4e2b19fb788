//! The stated decision policy that picks one offer from a comparison: suppliers whose band says
//! `block` are out; every other candidate's landed cost per unit is raised by a risk premium for
//! its band's action (a percentage, per strategy, configurable), and the lowest risk-adjusted
//! cost wins. The answer names the runner-up, what separates them in money and in supplier
//! signals, and what would change the pick.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::language::Language;
use crate::reasons::{action_name, yuan};

use crate::comparison_row::ComparisonRow;
use crate::scorecard::Action;

/// How much supplier risk a buyer will pay to avoid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The lowest landed cost from any supplier not blocked.
    Cheapest,
    /// Landed cost with a moderate premium on weaker suppliers (the default).
    #[default]
    Balanced,
    /// A large premium on weaker suppliers: pay more for a safer one.
    Safest,
}

impl Strategy {
    /// Every strategy, for "what would change the pick".
    pub const ALL: [Strategy; 3] = [Strategy::Cheapest, Strategy::Balanced, Strategy::Safest];

    /// The strategy's name as typed (`balanced`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Cheapest => "cheapest",
            Self::Balanced => "balanced",
            Self::Safest => "safest",
        }
    }
}

impl std::str::FromStr for Strategy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.name() == text)
            .ok_or_else(|| format!("strategy must be cheapest, balanced or safest, got {text:?}"))
    }
}

/// Risk premiums, in percent of the landed cost, by the scorecard action of a supplier's band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskPremiums {
    /// For suppliers to buy from with care (`warn`).
    pub warn: Decimal,
    /// For acceptable suppliers (`accept`).
    pub accept: Decimal,
    /// For preferred suppliers (`prefer`).
    pub prefer: Decimal,
}

impl RiskPremiums {
    /// The documented premiums of a strategy: cheapest 0/0/0, balanced warn 15 %, accept 5 %,
    /// safest warn 40 %, accept 15 % (prefer always 0).
    pub fn of(strategy: Strategy) -> Self {
        let (warn, accept) = match strategy {
            Strategy::Cheapest => (0, 0),
            Strategy::Balanced => (15, 5),
            Strategy::Safest => (40, 15),
        };
        Self { warn: Decimal::from(warn), accept: Decimal::from(accept), prefer: Decimal::ZERO }
    }

    /// The premium for `action` (`None`: blocked, never bought).
    pub fn percent(&self, action: Action) -> Option<Decimal> {
        match action {
            Action::Block => None,
            Action::Warn => Some(self.warn),
            Action::Accept => Some(self.accept),
            Action::Prefer => Some(self.prefer),
        }
    }
}

/// How a pick is made: a strategy, and the premiums it uses (its documented ones unless a team
/// sets its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DecisionPolicy {
    /// The strategy.
    pub strategy: Strategy,
    /// The premiums in force.
    pub premiums: RiskPremiums,
}

impl DecisionPolicy {
    /// A strategy with its documented premiums.
    pub fn of(strategy: Strategy) -> Self {
        Self { strategy, premiums: RiskPremiums::of(strategy) }
    }
}

impl Default for DecisionPolicy {
    fn default() -> Self {
        Self::of(Strategy::default())
    }
}

/// A strategy's name in `language`.
pub fn strategy_name(strategy: Strategy, language: Language) -> &'static str {
    match (language, strategy) {
        (Language::En, s) => s.name(),
        (Language::Zh, Strategy::Cheapest) => "最低价",
        (Language::Zh, Strategy::Balanced) => "均衡",
        (Language::Zh, Strategy::Safest) => "最稳妥",
    }
}

/// Why the pick was picked: the lowest landed cost per unit needed once each supplier's band
/// premium is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PickReason {
    /// The strategy that set the premiums.
    pub strategy: Strategy,
    /// The pick's landed cost per unit needed.
    pub landed_per_unit_needed: Decimal,
    /// Units needed.
    pub need: i64,
    /// The premium its band adds, in percent.
    pub premium_percent: Decimal,
    /// What its band advises.
    pub action: Action,
    /// Its landed cost per unit needed with the premium.
    pub risk_adjusted: Decimal,
    /// How much a unit dearer it is than the cheapest unblocked offer, when it is (a safer
    /// supplier was worth it).
    pub dearer_than_cheapest: Option<Decimal>,
}

impl PickReason {
    /// The sentence in `language`.
    pub fn render(&self, language: Language) -> String {
        let (percent, need) = (self.premium_percent.normalize(), self.need);
        let (strategy, action) = (strategy_name(self.strategy, language), action_name(self.action, language));
        let mut text = match language {
            // The English keeps the figures as the CLI has always printed them.
            Language::En => format!(
                "lowest risk-adjusted cost ({strategy} strategy): ¥{} landed per unit needed ({need} units), \
                 +{percent}% for a supplier whose band says {action} = ¥{}",
                self.landed_per_unit_needed.round_dp(2),
                self.risk_adjusted.round_dp(2),
            ),
            Language::Zh => format!(
                "风险调整后成本最低（{strategy}策略）：按需求数量（{need} 件）到岸单价 {}，\
                 供应商评级为“{action}”加价 {percent}%，合计 {}",
                yuan(self.landed_per_unit_needed),
                yuan(self.risk_adjusted),
            ),
        };
        if let Some(dearer) = self.dearer_than_cheapest {
            text.push_str(&match language {
                Language::En => format!(
                    "; ¥{} a unit dearer than the cheapest unblocked offer, for a safer supplier",
                    dearer.round_dp(2)
                ),
                Language::Zh => format!("；为更可靠的供应商，每件比最便宜的可选商品贵 {}", yuan(dearer)),
            });
        }
        text
    }
}

impl std::fmt::Display for PickReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Language::En))
    }
}

/// The candidate that came second, and what separates it from the pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RunnerUp {
    /// The offer.
    pub offer_id: i64,
    /// Its supplier.
    pub supplier: String,
    /// Its landed cost per unit needed.
    pub landed_per_unit_needed: Decimal,
    /// Its risk-adjusted cost per unit needed.
    pub risk_adjusted: Decimal,
    /// Its landed cost for the whole need, minus the pick's (negative: the runner-up is cheaper).
    pub total_difference: Decimal,
    /// Its supplier score minus the pick's.
    pub score_difference: Decimal,
    /// Its band's action.
    pub action: Action,
}

/// The pick, why, the runner-up and what would change the pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// The offer picked.
    pub offer_id: i64,
    /// The policy it was picked by.
    pub policy: DecisionPolicy,
    /// Its landed cost per unit needed.
    pub landed_per_unit_needed: Decimal,
    /// Its landed cost per unit needed with its band's premium.
    pub risk_adjusted: Decimal,
    /// Why, in one English sentence (`why` rendered).
    pub reason: String,
    /// Why, as figures, for each surface to say in its reader's language (always given; absent
    /// only in reports stored before it existed, which keep their English `reason`).
    #[serde(default)]
    pub why: Option<PickReason>,
    /// The second-best candidate, when there is one.
    pub runner_up: Option<RunnerUp>,
    /// What would change the pick: the runner-up's price that would win, and the other
    /// strategies' picks where they differ.
    pub would_change: Vec<String>,
    /// Candidates left out because their supplier's band blocks them.
    pub blocked: Vec<i64>,
}

/// A row's landed cost per unit raised by its band's premium; `None` when blocked.
fn adjusted(row: &ComparisonRow, premiums: &RiskPremiums) -> Option<Decimal> {
    let percent = premiums.percent(row.action)?;
    let per_unit = row.cost.landed_per_unit_needed;
    Some(per_unit + per_unit * percent / Decimal::ONE_HUNDRED)
}

/// The rows not blocked, best first by risk-adjusted cost (ties: higher score, then lower id).
fn ranked<'a>(rows: &'a [ComparisonRow], premiums: &RiskPremiums) -> Vec<(&'a ComparisonRow, Decimal)> {
    let mut out: Vec<_> = rows.iter().filter_map(|r| adjusted(r, premiums).map(|a| (r, a))).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.score.cmp(&a.0.score)).then(a.0.offer_id.cmp(&b.0.offer_id)));
    out
}

/// Picks from `rows` (a comparison at a need of `need` units) by `policy`; `None` when every
/// candidate is blocked or there is none.
pub fn decide(rows: &[ComparisonRow], need: i64, policy: &DecisionPolicy) -> Option<Decision> {
    let order = ranked(rows, &policy.premiums);
    let (pick, pick_adjusted) = *order.first()?;
    let percent = policy.premiums.percent(pick.action).unwrap_or_default();
    let cheapest = rows
        .iter()
        .filter(|r| r.action != Action::Block)
        .map(|r| r.cost.landed_per_unit_needed)
        .min()
        .unwrap_or(pick.cost.landed_per_unit_needed);
    let why = PickReason {
        strategy: policy.strategy,
        landed_per_unit_needed: pick.cost.landed_per_unit_needed,
        need,
        premium_percent: percent,
        action: pick.action,
        risk_adjusted: pick_adjusted,
        dearer_than_cheapest: (pick.cost.landed_per_unit_needed > cheapest)
            .then(|| pick.cost.landed_per_unit_needed - cheapest),
    };
    let reason = why.to_string();
    let runner_up = order.get(1).map(|(r, a)| RunnerUp {
        offer_id: r.offer_id,
        supplier: r.supplier.clone(),
        landed_per_unit_needed: r.cost.landed_per_unit_needed,
        risk_adjusted: *a,
        total_difference: r.cost.landed_total - pick.cost.landed_total,
        score_difference: r.score - pick.score,
        action: r.action,
    });
    let mut would_change = Vec::new();
    if let Some(r) = &runner_up {
        // The runner-up wins once its adjusted cost drops below the pick's: its landed cost
        // must fall by the gap divided by (1 + its premium).
        let r_percent = policy.premiums.percent(r.action).unwrap_or_default();
        let factor = Decimal::ONE + r_percent / Decimal::ONE_HUNDRED;
        let drop = (r.risk_adjusted - pick_adjusted) / factor;
        would_change.push(format!(
            "offer {} ({}, band {}) would be picked at ¥{} landed per unit needed or less (now ¥{}, ¥{} lower)",
            r.offer_id,
            r.supplier,
            r.action,
            (r.landed_per_unit_needed - drop).round_dp(2),
            r.landed_per_unit_needed.round_dp(2),
            drop.round_dp(2),
        ));
    }
    for other in Strategy::ALL.into_iter().filter(|s| *s != policy.strategy) {
        if let Some((row, _)) = ranked(rows, &RiskPremiums::of(other)).first()
            && row.offer_id != pick.offer_id
        {
            would_change.push(format!(
                "the {} strategy would pick offer {} ({}, ¥{} landed per unit needed, band {})",
                other.name(),
                row.offer_id,
                row.supplier,
                row.cost.landed_per_unit_needed.round_dp(2),
                row.action
            ));
        }
    }
    Some(Decision {
        offer_id: pick.offer_id,
        policy: policy.clone(),
        landed_per_unit_needed: pick.cost.landed_per_unit_needed,
        risk_adjusted: pick_adjusted,
        reason,
        why: Some(why),
        runner_up,
        would_change,
        blocked: rows.iter().filter(|r| r.action == Action::Block).map(|r| r.offer_id).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(offer_id: i64, per_unit: &str, score: i64, action: Action) -> ComparisonRow {
        let per_unit: Decimal = per_unit.parse().unwrap();
        ComparisonRow {
            offer_id,
            sku_id: None,
            supplier: format!("s{offer_id}"),
            cost: crate::CostFigures::new(
                300,
                300,
                per_unit,
                per_unit * Decimal::from(300),
                Decimal::ZERO,
                crate::FreightSource::Estimate,
            )
            .unwrap(),
            score: Decimal::from(score),
            action,
            cost_rank: 0,
            score_rank: 0,
            pareto: false,
        }
    }

    #[test]
    fn the_issue_case_an_accept_band_supplier_at_a_third_of_the_price_wins_when_balanced() {
        // ¥9.06 from an `accept` supplier against ¥22.80 from a `prefer` one.
        let rows = [
            row(1, "22.80", 77, Action::Prefer),
            row(2, "9.06", 55, Action::Accept),
            row(3, "7.00", 20, Action::Block),
        ];
        let d = decide(&rows, 300, &DecisionPolicy::of(Strategy::Balanced)).unwrap();
        assert_eq!(d.offer_id, 2);
        assert_eq!(d.risk_adjusted, "9.5130".parse().unwrap());
        assert_eq!(d.blocked, vec![3], "a blocked supplier is never bought from, however cheap");
        let r = d.runner_up.as_ref().unwrap();
        assert_eq!((r.offer_id, r.total_difference), (1, "4122.00".parse().unwrap()));
        assert_eq!(r.score_difference, Decimal::from(22));
        assert!(
            d.would_change[0]
                .starts_with("offer 1 (s1, band prefer) would be picked at ¥9.51 landed per unit needed or less"),
            "{:?}",
            d.would_change
        );
    }

    #[test]
    fn strategies_trade_price_for_safety_as_documented() {
        // Risk-adjusted: cheapest 10 / 9 / 8.50; balanced 10 / 9.45 / 9.775; safest 10 / 10.35 / 11.90.
        let rows =
            [row(1, "10.00", 85, Action::Prefer), row(2, "9.00", 60, Action::Accept), row(3, "8.50", 40, Action::Warn)];
        let pick = |s| decide(&rows, 100, &DecisionPolicy::of(s)).unwrap().offer_id;
        assert_eq!(pick(Strategy::Cheapest), 3);
        assert_eq!(pick(Strategy::Balanced), 2);
        assert_eq!(pick(Strategy::Safest), 1);
        let d = decide(&rows, 100, &DecisionPolicy::of(Strategy::Safest)).unwrap();
        assert!(d.reason.contains("dearer than the cheapest unblocked offer"), "{}", d.reason);
        assert!(d.would_change.iter().any(|w| w.starts_with("the cheapest strategy would pick offer 3")));
        assert!(decide(&[row(9, "1", 5, Action::Block)], 1, &DecisionPolicy::default()).is_none());
    }
}

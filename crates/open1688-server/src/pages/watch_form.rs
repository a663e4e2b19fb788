//! The watch form, shared by adding a watch and editing one: its fields as typed, turned into the
//! application layer's [`WatchRequest`] (each bad field noted next to itself), and filled back
//! from a stored watch's rules for editing.

use maud::{Markup, html};
use open1688_jobs::watches::WatchRequest;
use open1688_store::{AlertRule, Watch};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::form::{FieldErrors, FieldProblem, field_error, parse_optional};
use super::text::Text;
use crate::problem::Problem;

/// The form's fields as typed (text, so that a bad value comes back to its field, not as a 422).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct WatchForm {
    /// The offer id.
    pub offer: String,
    /// Or a keyword.
    pub keyword: String,
    /// Minutes between checks.
    pub every: String,
    /// The quantity prices are read at.
    pub at: String,
    /// Alert below this unit price.
    pub below: String,
    /// Alert above this unit price.
    pub above: String,
    /// Alert on a move of this many percent.
    pub change: String,
    /// Alert when the price is the lowest of this many days.
    pub lowest_days: String,
    /// Alert when stock falls below this.
    pub stock_below: String,
    /// At most this many alerts a day.
    pub max_per_day: String,
    /// Checkboxes: present when ticked.
    pub sold_out: Option<String>,
    /// See `sold_out`.
    pub back_in_stock: Option<String>,
    /// See `sold_out`.
    pub any_tier_change: Option<String>,
    /// See `sold_out`.
    pub new_offers: Option<String>,
}

/// The fields a problem may name, in the form's order.
pub const FIELDS: &[&str] =
    &["offer", "keyword", "every", "at", "below", "above", "change", "lowest_days", "stock_below", "max_per_day"];

impl WatchForm {
    /// The request the form describes, or what was wrong with each field.
    pub fn to_request(&self) -> Result<WatchRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let offer = parse_optional::<i64>(&self.offer, "offer", &mut errors);
        let keyword = Some(self.keyword.trim().to_owned()).filter(|k| !k.is_empty());
        if offer.is_some() == keyword.is_some() && errors.get("offer").is_none() {
            errors.add("offer", FieldProblem::OfferOrKeyword);
        }
        let every = parse_optional::<i64>(&self.every, "every", &mut errors).unwrap_or(60);
        let at = parse_optional::<i64>(&self.at, "at", &mut errors).unwrap_or(1);
        let mut rules = Vec::new();
        if let Some(days) = parse_optional::<i64>(&self.lowest_days, "lowest_days", &mut errors) {
            rules.push(AlertRule::LowestInDays { quantity: at, days });
        }
        let ticked = |b: &Option<String>| b.is_some();
        if ticked(&self.sold_out) {
            rules.push(AlertRule::SoldOut);
        }
        if ticked(&self.back_in_stock) {
            rules.push(AlertRule::BackInStock);
        }
        if ticked(&self.any_tier_change) {
            rules.push(AlertRule::AnyTierChange);
        }
        let request = WatchRequest {
            offer,
            keyword,
            new_offers: ticked(&self.new_offers),
            every_minutes: every,
            below: parse_optional::<Decimal>(&self.below, "below", &mut errors),
            above: parse_optional::<Decimal>(&self.above, "above", &mut errors),
            at,
            change: parse_optional::<Decimal>(&self.change, "change", &mut errors),
            stock_below: parse_optional::<i64>(&self.stock_below, "stock_below", &mut errors),
            rules,
            max_per_day: parse_optional::<i64>(&self.max_per_day, "max_per_day", &mut errors),
        };
        match request.to_new_watch() {
            Ok(watch) => {
                for rule in &watch.rules {
                    if let Some(why) = rule.out_of_range() {
                        errors.add(rule_field(rule), FieldProblem::Said(why));
                    }
                }
            }
            Err(e) => {
                let problem = Problem::from(e);
                let field = problem.field.as_deref().filter(|f| FIELDS.contains(f)).unwrap_or("every");
                errors.add(field, FieldProblem::Said(problem.detail.to_string()));
            }
        }
        errors.into_result(request)
    }

    /// The form's filled fields as name and value (hidden fields that post it again).
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let ticked = |b: &Option<String>| b.clone().unwrap_or_default();
        let fields = [
            ("offer", self.offer.clone()),
            ("keyword", self.keyword.clone()),
            ("every", self.every.clone()),
            ("at", self.at.clone()),
            ("below", self.below.clone()),
            ("above", self.above.clone()),
            ("change", self.change.clone()),
            ("lowest_days", self.lowest_days.clone()),
            ("stock_below", self.stock_below.clone()),
            ("max_per_day", self.max_per_day.clone()),
            ("sold_out", ticked(&self.sold_out)),
            ("back_in_stock", ticked(&self.back_in_stock)),
            ("any_tier_change", ticked(&self.any_tier_change)),
            ("new_offers", ticked(&self.new_offers)),
        ];
        fields.into_iter().filter(|(_, v)| !v.is_empty()).collect()
    }

    /// The form filled from a stored watch (for editing it).
    pub fn from_watch(watch: &Watch) -> Self {
        let mut form = Self {
            offer: watch.offer_id.map(|id| id.to_string()).unwrap_or_default(),
            keyword: watch.keyword.clone().unwrap_or_default(),
            every: (watch.interval_secs / 60).to_string(),
            max_per_day: watch.max_per_day.map(|n| n.to_string()).unwrap_or_default(),
            ..Self::default()
        };
        let on = || Some("on".to_owned());
        for rule in &watch.rules {
            match rule {
                AlertRule::PriceBelow { quantity, target } => {
                    (form.at, form.below) = (quantity.to_string(), target.to_string())
                }
                AlertRule::PriceAbove { quantity, target } => {
                    (form.at, form.above) = (quantity.to_string(), target.to_string())
                }
                AlertRule::PercentChange { quantity, percent } => {
                    (form.at, form.change) = (quantity.to_string(), percent.to_string());
                }
                AlertRule::LowestInDays { quantity, days } => {
                    (form.at, form.lowest_days) = (quantity.to_string(), days.to_string());
                }
                AlertRule::StockBelow { units } => form.stock_below = units.to_string(),
                AlertRule::SoldOut => form.sold_out = on(),
                AlertRule::BackInStock => form.back_in_stock = on(),
                AlertRule::AnyTierChange => form.any_tier_change = on(),
                AlertRule::NewOffer => form.new_offers = on(),
            }
        }
        form
    }
}

/// The field a rule's values come from.
fn rule_field(rule: &AlertRule) -> &'static str {
    match rule {
        AlertRule::PriceBelow { .. } => "below",
        AlertRule::PriceAbove { .. } => "above",
        AlertRule::PercentChange { .. } => "change",
        AlertRule::LowestInDays { .. } => "lowest_days",
        AlertRule::StockBelow { .. } => "stock_below",
        _ => "offer",
    }
}

/// A labelled text field with its error.
fn field(t: &Text, id: &str, label: &str, value: &str, kind: &str, errors: &FieldErrors) -> Markup {
    let error = errors.get(id);
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) name=(id) type=(kind) value=(value) step=[(kind == "number").then_some("any")]
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{id}-error"))];
            (field_error(t, id, errors))
        }
    }
}

fn checkbox(id: &str, label: &str, ticked: bool) -> Markup {
    html! {
        div.check {
            input id=(id) name=(id) type="checkbox" checked[ticked];
            label for=(id) { (label) }
        }
    }
}

/// The form, posting to `action`, with `button` as its submit word.
pub fn watch_form(t: &Text, action: &str, button: &str, form: &WatchForm, errors: &FieldErrors) -> Markup {
    html! {
        form.watch-form method="post" action=(action) {
            (errors.summary(t))
            fieldset {
                legend { (t.what_to_watch) }
                div.row {
                    (field(t, "offer", t.offer_id, &form.offer, "text", errors))
                    (field(t, "keyword", t.or_keyword, &form.keyword, "text", errors))
                    (field(t, "every", t.every_minutes, &form.every, "number", errors))
                }
            }
            fieldset {
                legend { (t.alert_when) }
                div.row {
                    (field(t, "at", t.price_at_quantity, &form.at, "number", errors))
                    (field(t, "below", t.price_below, &form.below, "number", errors))
                    (field(t, "above", t.price_above, &form.above, "number", errors))
                    (field(t, "change", t.moves_percent, &form.change, "number", errors))
                    (field(t, "lowest_days", t.lowest_in_days, &form.lowest_days, "number", errors))
                    (field(t, "stock_below", t.stock_below, &form.stock_below, "number", errors))
                    (field(t, "max_per_day", t.max_per_day, &form.max_per_day, "number", errors))
                }
                div.row.checks {
                    (checkbox("any_tier_change", t.any_tier_change, form.any_tier_change.is_some()))
                    (checkbox("sold_out", t.sold_out, form.sold_out.is_some()))
                    (checkbox("back_in_stock", t.back_in_stock, form.back_in_stock.is_some()))
                    (checkbox("new_offers", t.new_offers, form.new_offers.is_some()))
                }
                p.muted.small { (t.default_rules) }
            }
            button type="submit" { (button) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_becomes_a_request_and_back() {
        let form = WatchForm {
            offer: "630526089341".into(),
            every: "30".into(),
            at: "100".into(),
            below: "9.5".into(),
            lowest_days: "30".into(),
            sold_out: Some("on".into()),
            ..WatchForm::default()
        };
        let request = form.to_request().unwrap();
        assert_eq!((request.offer, request.every_minutes, request.at), (Some(630_526_089_341), 30, 100));
        let new = request.to_new_watch().unwrap();
        let watch = Watch {
            id: 1,
            offer_id: new.offer_id,
            keyword: None,
            interval_secs: new.interval_secs,
            rules: new.rules,
            snooze_until_ms: None,
            max_per_day: None,
            next_due_ms: 0,
            last_run_ms: None,
            failures: 0,
            paused_until_ms: None,
            last_error: None,
        };
        let back = WatchForm::from_watch(&watch);
        assert_eq!(back.to_request().unwrap().to_new_watch().unwrap().rules, watch.rules, "editing keeps every rule");
    }

    proptest::proptest! {
        /// Whatever is typed into the form, it becomes a request or named errors, never a panic.
        #[test]
        fn any_typing_is_read_without_panicking(
            offer in ".{0,24}", keyword in ".{0,12}", every in ".{0,24}", at in ".{0,24}",
            below in ".{0,30}", change in ".{0,30}", lowest in ".{0,24}", stock in ".{0,24}", ticked: bool,
        ) {
            let on = ticked.then(|| "on".to_owned());
            let form = WatchForm {
                offer, keyword, every, at, below, above: change.clone(), change, lowest_days: lowest,
                stock_below: stock, max_per_day: String::new(), sold_out: on.clone(), back_in_stock: on.clone(),
                any_tier_change: on.clone(), new_offers: on,
            };
            if let Ok(request) = form.to_request() {
                proptest::prop_assert!(request.to_new_watch().is_ok());
            }
        }
    }

    #[test]
    fn bad_fields_are_named() {
        let both = WatchForm { offer: "1".into(), keyword: "杯子".into(), ..WatchForm::default() };
        assert!(both.to_request().unwrap_err().get("offer").is_some());
        let bad = WatchForm { keyword: "杯子".into(), below: "cheap".into(), at: "0".into(), ..WatchForm::default() };
        let errors = bad.to_request().unwrap_err();
        assert_eq!(errors.get("below"), Some(&FieldProblem::NotANumber("cheap".into())));
        let zero = WatchForm { offer: "5".into(), below: "-1".into(), ..WatchForm::default() };
        assert!(zero.to_request().unwrap_err().get("below").is_some(), "a negative target is refused at its field");
    }
}

//! Naming a SKU by its attributes, as a buyer does (`容量=750ml`, `颜色=红色`) instead of by its
//! id: every named attribute must match, compared without case, spaces or full-width forms.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::EngineError;
use crate::model::Offer;

/// The SKU of `offer` that `spec` names; `None` when the spec is empty. A spec that matches no
/// SKU, or more than one, is an error listing the SKUs to choose from.
pub fn select_sku(offer: &Offer, spec: &BTreeMap<String, String>) -> Result<Option<i64>, EngineError> {
    if spec.is_empty() {
        return Ok(None);
    }
    let wanted: Vec<(String, String)> = spec.iter().map(|(k, v)| (fold(k), fold(v))).collect();
    let matches: Vec<_> = offer
        .skus
        .iter()
        .filter(|s| {
            wanted.iter().all(|(k, v)| s.attributes.iter().any(|(name, value)| fold(name) == *k && fold(value) == *v))
        })
        .collect();
    let described = || spec.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
    match matches.as_slice() {
        [one] => Ok(Some(one.id)),
        [] => Err(EngineError::NoSuchSku { offer: offer.id, spec: described(), choices: choices(offer.skus.iter()) }),
        many => Err(EngineError::AmbiguousSku {
            offer: offer.id,
            spec: described(),
            count: many.len(),
            choices: choices(many.iter().copied()),
        }),
    }
}

/// The SKU to price and order `quantity` units of `offer` by: the one `spec` names; with no
/// spec, none for an offer without SKUs, else the cheapest SKU whose stock holds the quantity
/// (lowest id on a tie) and, when none does, the one with the most stock. An order of an offer
/// with SKUs must name one, so a decision that left it open could not be placed.
pub fn sku_for(offer: &Offer, spec: &BTreeMap<String, String>, quantity: i64) -> Result<Option<i64>, EngineError> {
    if !spec.is_empty() || offer.skus.is_empty() {
        return select_sku(offer, spec);
    }
    let holds = |s: &&crate::model::Sku| s.stock.is_none_or(|units| units >= quantity);
    let cheapest_holding =
        offer.skus.iter().filter(holds).min_by_key(|s| (s.price.unwrap_or(Decimal::MAX), s.id)).map(|s| s.id);
    Ok(cheapest_holding
        .or_else(|| offer.skus.iter().max_by_key(|s| (s.stock.unwrap_or(0), std::cmp::Reverse(s.id))).map(|s| s.id)))
}

/// The SKUs' attributes, one per SKU, for an error message (the first 12).
fn choices<'a>(skus: impl Iterator<Item = &'a crate::model::Sku>) -> String {
    let all: Vec<String> =
        skus.map(|s| s.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")).collect();
    let shown = all.iter().take(12).cloned().collect::<Vec<_>>().join("; ");
    if all.len() > 12 { format!("{shown}; … ({} in all)", all.len()) } else { shown }
}

/// Lower case, no spaces, full-width letters and digits as half-width (`ＸＬ` = `xl`).
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sku;

    fn sku(id: i64, capacity: &str, colour: &str) -> Sku {
        Sku {
            id,
            spec_id: None,
            attributes: vec![("容量".into(), capacity.into()), ("颜色".into(), colour.into())],
            price: None,
            promotion_price: None,
            stock: None,
            image: None,
        }
    }

    fn spec(terms: &[(&str, &str)]) -> BTreeMap<String, String> {
        terms.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn without_a_spec_the_cheapest_sku_holding_the_quantity_is_chosen_else_the_fullest() {
        let mut offer = Offer::new(9, "杯");
        assert_eq!(sku_for(&offer, &spec(&[]), 10).unwrap(), None, "no SKUs, none to name");
        let priced = |id, price: &str, stock| Sku {
            price: Some(price.parse().unwrap()),
            stock: Some(stock),
            ..sku(id, "350ml", "白色")
        };
        offer.skus = vec![priced(1, "9.50", 500), priced(2, "8.80", 50), priced(3, "9.00", 200)];
        assert_eq!(sku_for(&offer, &spec(&[]), 40).unwrap(), Some(2), "the cheapest that holds 40");
        assert_eq!(sku_for(&offer, &spec(&[]), 100).unwrap(), Some(3), "8.80 holds only 50");
        assert_eq!(sku_for(&offer, &spec(&[]), 1000).unwrap(), Some(1), "none holds 1000: the fullest");
        offer.skus.push(sku(4, "750ml", "红色"));
        assert_eq!(sku_for(&offer, &spec(&[("容量", "750ml")]), 1).unwrap(), Some(4), "a spec still decides");
    }

    #[test]
    fn a_full_spec_names_one_sku_and_a_partial_one_lists_the_choices() {
        let mut offer = Offer::new(9, "杯");
        offer.skus = vec![sku(1, "350ml", "白色"), sku(2, "750ml", "红色"), sku(3, "350ml", "红色")];
        assert_eq!(select_sku(&offer, &spec(&[])).unwrap(), None);
        assert_eq!(select_sku(&offer, &spec(&[("容量", "７５０ML"), ("颜色", " 红色")])).unwrap(), Some(2));
        let e = select_sku(&offer, &spec(&[("颜色", "红色")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "offer 9: 颜色=红色 matches 2 SKUs (容量=750ml 颜色=红色; 容量=350ml 颜色=红色); name more attributes"
        );
        let e = select_sku(&offer, &spec(&[("颜色", "黑色")])).unwrap_err();
        assert!(e.to_string().starts_with("offer 9 has no SKU 颜色=黑色; its SKUs: 容量=350ml 颜色=白色;"), "{e}");
    }
}

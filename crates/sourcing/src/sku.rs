//! Naming a SKU by its attributes, as a buyer does (`容量=750ml`, `颜色=红色`) instead of by its
//! id: every named attribute must match, compared without case, spaces or full-width forms.

use std::collections::BTreeMap;

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

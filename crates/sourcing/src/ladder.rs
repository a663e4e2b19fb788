//! `PriceLadder`: wholesale price tiers by quantity, from the platform's `priceRangeList`, from
//! SKU prices, or from the ladder strings sellers and older tools write
//! (`1-9件:¥10.00;10-99件:¥8.50;100件以上:¥7.20`, `≥100`, `~` ranges, full-width digits, `元`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One tier: from `min_qty` (up to `max_qty`, derived from the next tier) at `unit_price`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Tier {
    /// First quantity of the tier.
    pub min_qty: i64,
    /// Last quantity of the tier; `None` for the open top tier.
    pub max_qty: Option<i64>,
    /// Unit price in the tier.
    pub unit_price: Decimal,
}

/// What is wrong with a ladder. Tiers are numbered from 1 as a seller would count them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LadderError {
    /// No tier at all.
    #[error("the price ladder has no tiers")]
    Empty,
    /// A tier could not be read.
    #[error("tier {tier} ({text:?}) cannot be read: {reason}")]
    Unreadable {
        /// Tier number.
        tier: usize,
        /// The tier's text.
        text: String,
        /// What was expected.
        reason: &'static str,
    },
    /// A price or quantity below zero, or a quantity below one.
    #[error("tier {tier} has a negative price or a quantity below 1")]
    Negative {
        /// Tier number.
        tier: usize,
    },
    /// A tier starts before the previous one ends.
    #[error("tier {tier} starts at {min_qty}, inside the previous tier")]
    Overlap {
        /// Tier number.
        tier: usize,
        /// Its start.
        min_qty: i64,
    },
    /// A tier is dearer than the one before it.
    #[error("tier {tier} costs {price}, more than the previous tier's {previous}")]
    NonMonotone {
        /// Tier number.
        tier: usize,
        /// Its price.
        price: Decimal,
        /// The previous tier's price.
        previous: Decimal,
    },
}

/// Prices falling (or staying) as quantity rises; validated on construction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PriceLadder {
    tiers: Vec<Tier>,
}

impl PriceLadder {
    /// A ladder from (start quantity, unit price) pairs in order; each tier ends where the next
    /// begins.
    pub fn new(starts: impl IntoIterator<Item = (i64, Decimal)>) -> Result<Self, LadderError> {
        Self::from_ranges(starts.into_iter().map(|(min, price)| (min, None, price)))
    }

    /// A single price from a minimum quantity on (a SKU priced on its own, quote type 1).
    pub fn flat(min_qty: i64, unit_price: Decimal) -> Result<Self, LadderError> {
        Self::new([(min_qty, unit_price)])
    }

    /// A ladder from explicit ranges (min, optional max, price), as ladder strings give them.
    pub fn from_ranges(ranges: impl IntoIterator<Item = (i64, Option<i64>, Decimal)>) -> Result<Self, LadderError> {
        let ranges: Vec<_> = ranges.into_iter().collect();
        if ranges.is_empty() {
            return Err(LadderError::Empty);
        }
        let mut tiers: Vec<Tier> = Vec::with_capacity(ranges.len());
        for (i, &(min, max, price)) in ranges.iter().enumerate() {
            let tier = i + 1;
            if price.is_sign_negative() && !price.is_zero() || min < 1 || max.is_some_and(|m| m < min) {
                return Err(LadderError::Negative { tier });
            }
            if let Some(prev) = tiers.last() {
                let prev_end = prev.max_qty.unwrap_or(prev.min_qty);
                if min <= prev.min_qty || min <= prev_end && prev.max_qty.is_some() {
                    return Err(LadderError::Overlap { tier, min_qty: min });
                }
                if price > prev.unit_price {
                    return Err(LadderError::NonMonotone { tier, price, previous: prev.unit_price });
                }
            }
            tiers.push(Tier { min_qty: min, max_qty: max, unit_price: price });
        }
        // Each tier ends right before the next begins; the top tier stays open.
        let n = tiers.len();
        for i in 0..n {
            tiers[i].max_qty = if i + 1 < n { Some(tiers[i + 1].min_qty - 1) } else { None };
        }
        Ok(Self { tiers })
    }

    /// Parses a ladder string.
    pub fn parse(text: &str) -> Result<Self, LadderError> {
        let normalized = normalize_width(text);
        let segments: Vec<&str> =
            normalized.split([';', ',', '|', '\n']).map(str::trim).filter(|s| !s.is_empty()).collect();
        let mut ranges = Vec::with_capacity(segments.len());
        for (i, segment) in segments.iter().enumerate() {
            ranges.push(parse_segment(i + 1, segment)?);
        }
        Self::from_ranges(ranges)
    }

    /// The tiers, lowest quantity first.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The smallest quantity the ladder prices.
    pub fn min_qty(&self) -> i64 {
        self.tiers[0].min_qty
    }

    /// The unit price for buying `qty` units; `None` below the first tier.
    pub fn unit_price(&self, qty: i64) -> Option<Decimal> {
        let i = self.tiers.partition_point(|t| t.min_qty <= qty);
        (i > 0).then(|| self.tiers[i - 1].unit_price)
    }

    /// The lowest price on the ladder (the top tier's).
    pub fn lowest_price(&self) -> Decimal {
        self.tiers[self.tiers.len() - 1].unit_price
    }
}

/// Full-width digits and punctuation to ASCII, so `１０～９９件：１０．５元` reads like `10~99件:10.5元`.
fn normalize_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '：' => ':',
            '；' => ';',
            '，' => ',',
            '～' | '〜' => '~',
            '．' => '.',
            '￥' => '¥',
            '－' | '—' | '–' => '-',
            '＞' => '>',
            '＝' => '=',
            '　' => ' ',
            other => other,
        })
        .collect()
}

/// One tier: quantities, then the price (the last number).
fn parse_segment(tier: usize, text: &str) -> Result<(i64, Option<i64>, Decimal), LadderError> {
    let unreadable = |reason| LadderError::Unreadable { tier, text: text.to_owned(), reason };
    let mut numbers: Vec<(usize, &str)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            numbers.push((start, &text[start..i]));
        } else {
            i += 1;
        }
    }
    let Some(&(price_at, price_text)) = numbers.last() else { return Err(unreadable("no price")) };
    if numbers.len() < 2 {
        return Err(unreadable("a quantity and a price"));
    }
    let price: Decimal = price_text.parse().map_err(|_| unreadable("a decimal price"))?;
    // A minus sign right before the price (after `:` or `¥`) makes it negative.
    let before = text[..price_at].trim_end();
    let negative = before.ends_with('-') && {
        let rest = before[..before.len() - 1].trim_end();
        rest.is_empty() || rest.ends_with(':') || rest.ends_with('¥') || rest.ends_with('=')
    };
    if negative {
        return Err(LadderError::Negative { tier });
    }
    let quantity = |s: &str| s.parse::<i64>().map_err(|_| unreadable("whole-number quantities"));
    let quantities = &numbers[..numbers.len() - 1];
    let open = text.contains('≥')
        || text.contains(">=")
        || text.contains('>')
        || text.contains("以上")
        || text.contains('+')
        || text.contains('起');
    match quantities {
        [(_, min)] => Ok((quantity(min)?, None, price)),
        [(_, min), (_, max)] if !open => Ok((quantity(min)?, Some(quantity(max)?), price)),
        _ => Err(unreadable("`min-max` or `min以上` before the price")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn unit_price_follows_the_tiers() {
        let l = PriceLadder::new([(2, d("10.50")), (100, d("9.80"))]).unwrap();
        assert_eq!(l.unit_price(1), None);
        assert_eq!(l.unit_price(2), Some(d("10.50")));
        assert_eq!(l.unit_price(99), Some(d("10.50")));
        assert_eq!(l.unit_price(100), Some(d("9.80")));
        assert_eq!(l.unit_price(1_000_000), Some(d("9.80")));
        assert_eq!(l.tiers()[0].max_qty, Some(99));
        assert_eq!(l.tiers()[1].max_qty, None);
    }
}

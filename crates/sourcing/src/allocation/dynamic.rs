//! The allocation across suppliers, by dynamic programming over a dense axis of units: after
//! suppliers `1..=s`, `best[k][x]` is the least weighed cost of `x` units from `k` of them. Each
//! supplier either supplies nothing or one quantity from its exact cost table, so the recursion
//! tries every combination of the tables' entries and the result is optimal. When the overstock
//! is unbounded, every total at or above the need is one state (more units can only add cost
//! afterwards), which keeps the axis as long as the need. Costs are compared as integers in the
//! smallest unit any of them uses, so the comparison is exact.

use rust_decimal::Decimal;

use super::supplier_table::SupplierTable;
use crate::error::EngineError;

/// A cost too large to compare (never reached with real money: it is checked on conversion).
const NONE: i128 = i128::MAX;

/// The chosen quantity of every supplier (0: not used), in the tables' order; `None` when no
/// combination reaches the need within the limits.
pub(super) fn solve(
    tables: &[SupplierTable],
    need: i64,
    max_overstock: Option<i64>,
    max_suppliers: Option<usize>,
) -> Result<Option<Vec<i64>>, EngineError> {
    let top = match max_overstock {
        Some(over) => need.checked_add(over).ok_or(EngineError::Overflow)?,
        None => need,
    };
    let width = usize::try_from(top).map_err(|_| EngineError::Overflow)? + 1;
    // Suppliers are counted only when a limit could bind; otherwise one layer holds all states.
    let counted = max_suppliers.is_some_and(|k| k < tables.len());
    let layers = if counted { max_suppliers.unwrap_or(0) + 1 } else { 1 };
    let scale = common_scale(tables);
    let costs: Vec<Vec<i128>> = tables
        .iter()
        .map(|t| t.entries.iter().map(|e| e.as_ref().map_or(Ok(NONE), |e| to_units(e.weighed, scale))).collect())
        .collect::<Result<_, _>>()?;

    // best[k][x], and per supplier the choice that reached each state: (units, previous x).
    let mut best = vec![vec![NONE; width]; layers];
    best[0][0] = 0;
    let mut choices: Vec<Vec<Vec<(u32, u32)>>> = Vec::with_capacity(tables.len());
    for cost in &costs {
        // The quantities this supplier can supply, with their costs.
        let options: Vec<(usize, i128)> =
            cost.iter().enumerate().skip(1).filter(|&(_, &c)| c != NONE).map(|(y, &c)| (y, c)).collect();
        // With the overstock unbounded, every y from `width - 1 - x` on lands in the last
        // state: only the cheapest of them matters (suffix minima over `options`).
        let mut suffix = vec![(NONE, 0_usize); options.len() + 1];
        for i in (0..options.len()).rev() {
            suffix[i] = if options[i].1 <= suffix[i + 1].0 { (options[i].1, options[i].0) } else { suffix[i + 1] };
        }
        let mut next = best.clone();
        let mut chose = vec![vec![(0_u32, 0_u32); width]; layers];
        for (k, from) in best.iter().enumerate().take(layers.saturating_sub(usize::from(counted))) {
            let target = if counted { k + 1 } else { k };
            let into = &mut next[target];
            let chose = &mut chose[target];
            for (x, &here) in from.iter().enumerate() {
                if here == NONE {
                    continue;
                }
                // Options that land below the last state, then (unbounded) the cheapest of the rest.
                let room = width - 1 - x;
                let below = options.partition_point(|&(y, _)| y < room);
                let exact_fit =
                    if max_overstock.is_some() { options.partition_point(|&(y, _)| y <= room) } else { below };
                for &(y, c) in &options[..exact_fit] {
                    let total = here + c;
                    if total < into[x + y] {
                        into[x + y] = total;
                        chose[x + y] = (y as u32, x as u32);
                    }
                }
                if max_overstock.is_none() {
                    let (c, y) = suffix[below];
                    if c != NONE && here + c < into[width - 1] {
                        into[width - 1] = here + c;
                        chose[width - 1] = (y as u32, x as u32);
                    }
                }
            }
        }
        best = next;
        choices.push(chose);
    }

    // The cheapest final state at or above the need.
    let mut end: Option<(usize, usize)> = None;
    for x in usize::try_from(need).map_err(|_| EngineError::Overflow)?..width {
        for (k, layer) in best.iter().enumerate() {
            if layer[x] != NONE && end.is_none_or(|(ek, ex)| layer[x] < best[ek][ex]) {
                end = Some((k, x));
            }
        }
    }
    let Some((mut k, mut x)) = end else { return Ok(None) };
    let mut bought = vec![0_i64; tables.len()];
    for s in (0..tables.len()).rev() {
        let (y, from) = choices[s][k][x];
        if y > 0 {
            bought[s] = i64::from(y);
            k -= usize::from(counted);
            x = from as usize;
        }
    }
    Ok(Some(bought))
}

/// The most decimal places any weighed cost has.
fn common_scale(tables: &[SupplierTable]) -> u32 {
    tables.iter().flat_map(|t| t.entries.iter().flatten()).map(|e| e.weighed.normalize().scale()).max().unwrap_or(0)
}

/// A cost as an integer count of `10^-scale`.
fn to_units(cost: Decimal, scale: u32) -> Result<i128, EngineError> {
    let normal = cost.normalize();
    let factor = 10_i128.checked_pow(scale - normal.scale()).ok_or(EngineError::Overflow)?;
    normal.mantissa().checked_mul(factor).filter(|&u| u < NONE >> 16).ok_or(EngineError::Overflow)
}

//! What an action costs each reseller above the customer. A reseller of
//! the platform pays the platform; a sub-reseller pays its parent, which
//! pays its own parent in turn, up to the platform. Each level pays the
//! price of its own price list for the same plan, action and tenure,
//! reckoned the same way (units, months, add-ons, the rest of a term), so
//! an action's costs are one sum per level, made once when it is priced
//! and moved in the same transaction as it executes.

use crate::catalogue::PriceAction;
use crate::error::{Result, RuleError};
use crate::ids::{PlanId, ResellerId};
use crate::money::Money;
use crate::tx::ReadTx;
use std::ops::{Add, Sub};

/// An action's cost at each level: first the reseller that sells it, then
/// its parent, and so on to the reseller of the platform. Empty is nothing
/// at any level.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Costs(Vec<(ResellerId, Money)>);

impl Costs {
    /// Nothing at any level.
    pub fn none() -> Costs {
        Costs(Vec::new())
    }

    /// What the reseller that sells the action pays.
    pub fn own(&self) -> Money {
        self.0.first().map_or(Money::ZERO, |(_, cost)| *cost)
    }

    /// What each reseller above the seller pays, from its parent up.
    pub fn upstream(&self) -> Vec<(ResellerId, Money)> {
        self.0.iter().skip(1).copied().collect()
    }

    pub fn times(&self, count: i64) -> Costs {
        Costs(self.0.iter().map(|(r, c)| (*r, c.times(count))).collect())
    }

    /// Every level's cost, none below zero.
    pub fn at_least_zero(&self) -> Costs {
        Costs(
            self.0
                .iter()
                .map(|(r, c)| (*r, (*c).max(Money::ZERO)))
                .collect(),
        )
    }

    /// Adds `other` level by level, or takes it away when `sign` is -1.
    fn combine(self, other: Costs, sign: i64) -> Costs {
        if other.0.is_empty() {
            return self;
        }
        if self.0.is_empty() {
            return other.times(sign);
        }
        // Both were priced for the same seller, so for the same levels.
        debug_assert_eq!(
            self.0.iter().map(|l| l.0).collect::<Vec<_>>(),
            other.0.iter().map(|l| l.0).collect::<Vec<_>>()
        );
        Costs(
            self.0
                .into_iter()
                .zip(other.0)
                .map(|((r, a), (_, b))| (r, a + b.times(sign)))
                .collect(),
        )
    }
}

impl Add for Costs {
    type Output = Costs;
    fn add(self, other: Costs) -> Costs {
        self.combine(other, 1)
    }
}

impl Sub for Costs {
    type Output = Costs;
    fn sub(self, other: Costs) -> Costs {
        self.combine(other, -1)
    }
}

/// The resellers above `reseller_id`, its parent first.
pub fn ancestors(tx: &mut dyn ReadTx, reseller_id: ResellerId) -> Result<Vec<ResellerId>> {
    let mut above = Vec::new();
    let mut at = tx.reseller(reseller_id)?.and_then(|r| r.parent);
    while let Some(parent) = at {
        above.push(parent);
        at = tx.reseller(parent)?.and_then(|r| r.parent);
    }
    Ok(above)
}

/// A price row of the reseller's list, its selling price, and the cost of
/// one of it at every level: the reseller's own cost, then each ancestor's
/// cost in its own list. `None` when the reseller has no such row; a row
/// an ancestor lacks is not sold to its sub-resellers either.
pub fn row(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    plan_id: PlanId,
    action: PriceAction,
    months: u32,
) -> Result<Option<(Money, Costs)>> {
    let Some(own) = tx.price(reseller_id, plan_id, action, months)? else {
        return Ok(None);
    };
    let mut levels = vec![(reseller_id, own.cost)];
    for parent in ancestors(tx, reseller_id)? {
        let above = tx
            .price(parent, plan_id, action, months)?
            .ok_or(RuleError::NotSold {
                plan_id,
                action: action.key(),
            })?;
        levels.push((parent, above.cost));
    }
    Ok(Some((own.selling, Costs(levels))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(amounts: &[i64]) -> Costs {
        Costs(
            amounts
                .iter()
                .enumerate()
                .map(|(i, a)| (ResellerId(i as i64 + 1), Money(*a)))
                .collect(),
        )
    }

    #[test]
    fn costs_add_and_subtract_level_by_level() {
        let sum = levels(&[700, 500, 300]) + levels(&[70, 50, 30]);
        assert_eq!(sum, levels(&[770, 550, 330]));
        assert_eq!(sum.own(), Money(770));
        assert_eq!(
            sum.upstream(),
            vec![(ResellerId(2), Money(550)), (ResellerId(3), Money(330))]
        );
        assert_eq!(Costs::none() - levels(&[1, 2]), levels(&[-1, -2]));
        assert_eq!(levels(&[1, 2]) + Costs::none(), levels(&[1, 2]));
        assert_eq!(
            (levels(&[1, 5]) - levels(&[3, 2])).at_least_zero(),
            levels(&[0, 3])
        );
        assert_eq!(levels(&[7, 5]).times(3), levels(&[21, 15]));
        assert_eq!(Costs::none().own(), Money::ZERO);
    }
}

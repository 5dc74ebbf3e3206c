//! What web hosting orders do beyond the standard calls: move to another
//! plan (`modify`), and the price of doing so (`modify-pricing`); a
//! reseller hosting order's dedicated IP going and its license key; its
//! site's maintenance mode. SSL and dedicated IPs are add-ons (`addons`).
//!
//! The rule: a modify buys `months` of the new plan from now, at the new
//! plan's add price for that tenure, less what is left of the current term
//! at the current plan's one-month renewal price (a started month counts
//! whole). A downgrade that costs less than what is left is free, and gives
//! nothing back. When it executes, the order is on the new plan and ends
//! `months` from then.

use crate::catalogue::{PriceAction, Product};
use crate::error::{Result, RuleError};
use crate::ids::{OrderId, PlanId, ResellerId};
use crate::model::{ActionKind, Order};
use crate::money::Money;
use crate::months::Months;
use crate::orders::{self, Billing, Receipt};
use crate::time::Epoch;
use crate::tx::{ReadTx, WriteTx};

/// What a modify costs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// Whole months left of the current term.
    pub remaining_months: u32,
    /// What is left of the current term, at the current plan's price.
    pub current: Money,
    /// `months` of the new plan.
    pub modified: Money,
    /// What the customer pays: `modified` less `current`, never below zero.
    pub upgrade: Money,
    /// What the reseller (and each above it) is charged, reckoned the
    /// same way at its costs.
    pub cost: crate::costs::Costs,
    /// When the order's current term ends (what `remaining_months` counts to).
    pub endtime: Epoch,
}

/// The price of moving the order to `new_plan` for `months`.
pub fn quote(
    tx: &mut dyn ReadTx,
    order: &Order,
    new_plan: PlanId,
    months: Months,
    now: Epoch,
) -> Result<Quote> {
    let months = months.get();
    if new_plan == order.plan_id {
        return Err(RuleError::SamePlan {
            order_id: order.id,
            plan_id: new_plan,
        }
        .into());
    }
    orders::plan_of(tx, order.product, new_plan)?;
    let remaining_months = if order.endtime > now {
        crate::time::months_remaining(now, order.endtime)
    } else {
        0
    };
    let (monthly, monthly_cost) = orders::price_of(
        tx,
        order.reseller_id,
        order.plan_id,
        PriceAction::Renew,
        1,
        1,
    )?;
    // A tenure's price is for the whole tenure.
    let (modified, modified_cost) =
        orders::price_of(tx, order.reseller_id, new_plan, PriceAction::Add, months, 1)?;
    let left = i64::from(remaining_months);
    let current = monthly.times(left);
    let cost = modified_cost - monthly_cost.times(left);
    Ok(Quote {
        remaining_months,
        current,
        modified,
        upgrade: (modified - current).max(Money::ZERO),
        cost: cost.at_least_zero(),
        endtime: order.endtime,
    })
}

/// Moves a hosting order to `new_plan` for `months`, billed as `quote` says.
#[allow(clippy::too_many_arguments)]
pub fn modify(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
    new_plan: PlanId,
    months: Months,
    billing: Billing,
    now: Epoch,
) -> Result<Receipt> {
    let mut order = orders::order_to_change(tx, reseller_id, order_id, products)?;
    let quote = quote(tx, &order, new_plan, months, now)?;
    orders::ensure_discount_fits(billing.discount, quote.upgrade)?;
    let months = months.get();
    let description = format!(
        "Modification of {} for {} to plan {} for {} month{}",
        order.product.name(),
        order.description,
        new_plan,
        months,
        if months == 1 { "" } else { "s" }
    );
    order.attrs.pending_plan = Some(new_plan);
    let mut action = orders::draft(
        &order,
        ActionKind::Modify,
        description,
        months,
        quote.upgrade - billing.discount,
        billing.discount,
        quote.cost.clone(),
        now,
    );
    orders::settle(tx, order, &mut action, billing.option, now, false)
}

/// Removes the add-on `name` of an order at once, without refund.
pub fn delete_addon_named(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
    name: &str,
    now: Epoch,
) -> Result<Receipt> {
    let order = orders::order_of_product(tx, reseller_id, order_id, products)?;
    let addon = order
        .attrs
        .addons
        .iter()
        .find(|a| a.name == name)
        .ok_or_else(|| RuleError::AddonMissing {
            name: name.to_string(),
            order_id,
        })?;
    crate::addons::delete_addon(tx, reseller_id, order_id, products, addon.id, now)
}

/// The order's license key: the one generated before, or `fresh`, kept.
pub fn license_key(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
    fresh: &str,
) -> Result<String> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, products)?;
    orders::ensure_active(&order)?;
    if let Some(key) = &order.attrs.license_key {
        return Ok(key.clone());
    }
    order.attrs.license_key = Some(fresh.to_string());
    tx.update_order(&order)?;
    Ok(fresh.to_string())
}

/// Puts the order's site in maintenance mode (once; again changes nothing).
pub fn enable_maintenance(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
) -> Result<Order> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, products)?;
    orders::ensure_active(&order)?;
    if !order.attrs.maintenance {
        order.attrs.maintenance = true;
        tx.update_order(&order)?;
    }
    Ok(order)
}

/// The web hosting order of `products` an auto-login link opens: any but
/// a deleted one.
pub fn console_order(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
) -> Result<Order> {
    let order = orders::order_of_product(tx, reseller_id, order_id, products)?;
    if order.status == crate::model::OrderStatus::Deleted {
        return Err(RuleError::OrderClosed {
            order_id,
            status: order.status.as_str(),
        }
        .into());
    }
    Ok(order)
}

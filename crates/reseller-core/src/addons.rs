//! Add-ons of an order (a managed server's `ipaddress` or `storage_1`, a
//! hosting order's SSL or dedicated IP): each at most once an order, bought
//! for the rest of its term at its monthly price, renewed with the order,
//! removed without refund.

use crate::catalogue::{AddonSpec, PriceAction, Product};
use crate::error::{Result, RuleError};
use crate::ids::{OrderId, ResellerId};
use crate::model::ActionKind;
use crate::orders::{
    Billing, Receipt, addons_price, draft, ensure_discount_fits, order_to_change, run_free, settle,
};
use crate::time::Epoch;
use crate::tx::WriteTx;

pub(crate) fn ensure_distinct(names: &[String]) -> Result<()> {
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(RuleError::AddonTwice(name.clone()).into());
        }
    }
    Ok(())
}

/// The names of add-ons, as an order and an action keep them.
pub(crate) fn names_of(addons: &[&'static AddonSpec]) -> Vec<String> {
    addons.iter().map(|a| a.name.to_string()).collect()
}

/// Adds add-ons to an active order, billed for the rest of its term at
/// their monthly price; they join the order when the action executes.
pub fn add_addons(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
    addons: &[&'static AddonSpec],
    billing: Billing,
    now: Epoch,
) -> Result<Receipt> {
    let order = order_to_change(tx, reseller_id, order_id, products)?;
    let names = &names_of(addons);
    ensure_distinct(names)?;
    if let Some(present) = names
        .iter()
        .find(|name| order.attrs.addons.iter().any(|a| &a.name == *name))
    {
        return Err(RuleError::AddonPresent {
            name: present.clone(),
            order_id,
        }
        .into());
    }
    let months_left = crate::time::months_remaining(now, order.endtime).max(1);
    let (price, cost) = addons_price(
        tx,
        reseller_id,
        names.iter().map(String::as_str),
        PriceAction::Add,
        months_left,
    )?;
    ensure_discount_fits(billing.discount, price)?;
    let description = format!(
        "Addition of {} to {} for {}",
        names.join(", "),
        order.product.name(),
        order.description
    );
    let mut action = draft(
        &order,
        ActionKind::AddAddon,
        description,
        months_left,
        price - billing.discount,
        billing.discount,
        cost,
        now,
    );
    action.addons = names.to_vec();
    settle(tx, order, &mut action, billing.option, now, false)
}

/// Removes an add-on at once, without refund.
pub fn delete_addon(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
    addon_id: u32,
    now: Epoch,
) -> Result<Receipt> {
    let mut order = order_to_change(tx, reseller_id, order_id, products)?;
    let position = order
        .attrs
        .addons
        .iter()
        .position(|a| a.id == addon_id)
        .ok_or(RuleError::NoSuchAddon { addon_id, order_id })?;
    let removed = order.attrs.addons.remove(position);
    let description = format!(
        "Deletion of add-on {} ({}) from {} for {}",
        removed.name,
        removed.id,
        order.product.name(),
        order.description
    );
    run_free(tx, order, ActionKind::DeleteAddon, description, None, now)
}

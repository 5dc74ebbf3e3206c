//! What is Managed Server Linux's own: add-ons (`ipaddress`, `whmcs`,
//! `storage_1`..`storage_5`), each at most once an order, bought with the
//! order or later for the rest of its term, renewed with it, removed
//! without refund. The server itself bills through the shared order engine
//! and is a host a backup may attach to.

use crate::catalogue::AddonSpec;
use crate::catalogue::{PriceAction, Product};
use crate::domain::DomainName;
use crate::error::{Result, RuleError};
use crate::ids::{CustomerId, OrderId, PlanId, ResellerId};
use crate::model::{ActionKind, OrderAttrs};
use crate::months::Months;
use crate::orders::{
    self, Billing, NewOrder, Receipt, addons_price, draft, ensure_discount_fits, order_to_change,
    run_free, settle,
};
use crate::time::Epoch;
use crate::tx::WriteTx;

const PRODUCTS: &[Product] = &[Product::ManagedServerLinuxUs];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewManaged {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub domain: DomainName,
    pub plan_id: PlanId,
    pub months: Months,
    pub addons: Vec<&'static AddonSpec>,
    pub auto_renew: bool,
    pub billing: Billing,
    pub now: Epoch,
}

fn ensure_distinct(names: &[String]) -> Result<()> {
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(RuleError::AddonTwice(name.clone()).into());
        }
    }
    Ok(())
}

/// The names of add-ons, as an order and an action keep them.
fn names_of(addons: &[&'static AddonSpec]) -> Vec<String> {
    addons.iter().map(|a| a.name.to_string()).collect()
}

pub fn add_managed(tx: &mut dyn WriteTx, new: &NewManaged) -> Result<Receipt> {
    let names = names_of(&new.addons);
    ensure_distinct(&names)?;
    orders::ordering_customer(tx, new.reseller_id, new.customer_id)?;
    orders::plan_of(tx, Product::ManagedServerLinuxUs, new.plan_id)?;
    let mut attrs = OrderAttrs::default();
    attrs.add_addons(&names);
    orders::place_order(
        tx,
        &NewOrder {
            reseller_id: new.reseller_id,
            customer_id: new.customer_id,
            product: Product::ManagedServerLinuxUs,
            plan_id: new.plan_id,
            description: new.domain.to_string(),
            months: new.months,
            units: 1,
            auto_renew: new.auto_renew,
            attrs,
            billing: new.billing,
            now: new.now,
        },
    )
}

/// Adds add-ons to an active order, billed for the rest of its term at
/// their monthly price; they join the order when the action executes.
pub fn add_addons(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    addons: &[&'static AddonSpec],
    billing: Billing,
    now: Epoch,
) -> Result<Receipt> {
    let order = order_to_change(tx, reseller_id, order_id, PRODUCTS)?;
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
        "Addition of {} to Managed Server Linux for {}",
        names.join(", "),
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
    addon_id: u32,
    now: Epoch,
) -> Result<Receipt> {
    let mut order = order_to_change(tx, reseller_id, order_id, PRODUCTS)?;
    let position = order
        .attrs
        .addons
        .iter()
        .position(|a| a.id == addon_id)
        .ok_or(RuleError::NoSuchAddon { addon_id, order_id })?;
    let removed = order.attrs.addons.remove(position);
    let description = format!(
        "Deletion of add-on {} ({}) from Managed Server Linux for {}",
        removed.name, removed.id, order.description
    );
    run_free(tx, order, ActionKind::DeleteAddon, description, None, now)
}

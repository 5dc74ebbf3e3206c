//! The order engine every product shares: price an action, bill it as the
//! `invoice-option` says, execute it now or leave it pending, and keep the
//! ledger. Product modules add only their own checks and order facts.

use crate::catalogue::{MAX_EMAIL_ACCOUNTS, Plan, PriceAction, Pricing, Product, plan_for_units};
use crate::costs::{self, Costs};
use crate::error::{Result, RuleError, StoreError};
use crate::ids::{ActionId, CustomerId, InvoiceId, OrderId, PlanId, ResellerId};
use crate::links::Links;
use crate::model::{
    Account, Action, ActionKind, ActionStatus, Customer, CustomerStatus, Invoice, InvoiceOption,
    InvoiceStatus, Mail, Order, OrderAttrs, OrderStatus,
};
use crate::money::Money;
use crate::months::Months;
use crate::provisioning;
use crate::time::{Epoch, add_months};
use crate::tx::{ReadTx, TransferKind, WriteTx};

/// How the customer is billed for one action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Billing {
    pub option: InvoiceOption,
    pub discount: Money,
}

/// What an action call answers: the order as it now stands, the action, and
/// the customer invoice unless the option was `NoInvoice`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub order: Order,
    pub action: Action,
    pub invoice: Option<Invoice>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub product: Product,
    pub plan_id: PlanId,
    pub description: String,
    pub months: Months,
    /// Units the price counts: gigabytes for backups, else 1.
    pub units: u32,
    pub auto_renew: bool,
    pub attrs: OrderAttrs,
    pub billing: Billing,
    pub now: Epoch,
}

/// The customer, if it belongs to this reseller and may order.
pub fn customer_of(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
) -> Result<Customer> {
    let customer = tx
        .customer(customer_id)?
        .ok_or(RuleError::InvalidCustomer(customer_id))?;
    if customer.reseller_id != reseller_id {
        return Err(RuleError::NotAllowed.into());
    }
    Ok(customer)
}

/// The order, if it exists and belongs to this reseller.
pub fn order_of(tx: &mut dyn ReadTx, reseller_id: ResellerId, order_id: OrderId) -> Result<Order> {
    let order = tx.order(order_id)?.ok_or(RuleError::NoEntity(order_id.0))?;
    if order.reseller_id != reseller_id {
        return Err(RuleError::NotAllowed.into());
    }
    Ok(order)
}

/// The order, owned by this reseller and of one of the given products.
pub fn order_of_product(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
) -> Result<Order> {
    let order = order_of(tx, reseller_id, order_id)?;
    if !products.contains(&order.product) {
        return Err(RuleError::WrongProduct {
            order_id,
            expected: products[0].name(),
        }
        .into());
    }
    Ok(order)
}

/// Refuses a change to an order that has an action waiting for payment, or
/// that is closed.
pub fn ensure_changeable(tx: &mut dyn ReadTx, order: &Order) -> Result<()> {
    if order.attrs.provisioning.is_some() || tx.pending_action(order.id)?.is_some() {
        return Err(RuleError::ActionPending.into());
    }
    if matches!(order.status, OrderStatus::Deleted | OrderStatus::Archived) {
        return Err(RuleError::OrderClosed {
            order_id: order.id,
            status: order.status.as_str(),
        }
        .into());
    }
    Ok(())
}

/// The order, owned by this reseller, of one of `products`, Active, and
/// with no action pending: what every change to a running order needs.
pub fn order_to_change(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
) -> Result<Order> {
    let order = order_of_product(tx, reseller_id, order_id, products)?;
    ensure_changeable(tx, &order)?;
    ensure_active(&order)?;
    Ok(order)
}

pub fn ensure_active(order: &Order) -> Result<()> {
    if order.status != OrderStatus::Active {
        return Err(RuleError::OrderNotActive {
            order_id: order.id,
            status: order.status.as_str(),
        }
        .into());
    }
    Ok(())
}

/// An active plan of the product.
pub fn plan_of(tx: &mut dyn ReadTx, product: Product, plan_id: PlanId) -> Result<Plan> {
    let orderable = |p: &Plan| p.product == product && p.active && p.limits.addon.is_none();
    match tx.plan(plan_id)? {
        Some(plan) if orderable(&plan) => Ok(plan),
        _ => {
            let allowed = tx
                .plans()?
                .into_iter()
                .filter(orderable)
                .map(|p| p.id.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            Err(RuleError::UnknownPlan {
                plan_id,
                product: product.key(),
                allowed,
            }
            .into())
        }
    }
}

/// What a month of the order costs the customer and the reseller at its
/// renewal prices: its plan for its units, and its add-ons; None when the
/// reseller has no one-month renewal price for it.
pub fn month_price(tx: &mut dyn ReadTx, order: &Order) -> Result<Option<(Money, Money)>> {
    // A domain's price is kept for a year: its details show a year's.
    let months = if order.product.pricing() == Pricing::PerYear {
        12
    } else {
        1
    };
    let Some(plan) = tx.price(order.reseller_id, order.plan_id, PriceAction::Renew, months)? else {
        return Ok(None);
    };
    let count = i64::from(order.units());
    let (addons, addons_cost) = addons_price(
        tx,
        order.reseller_id,
        order.attrs.addons.iter().map(|a| a.name.as_str()),
        PriceAction::Renew,
        1,
    )?;
    Ok(Some((
        plan.selling.times(count) + addons,
        plan.cost.times(count) + addons_cost.own(),
    )))
}

/// Selling price and costs of a term of `months` of `units`: at the plan's
/// price for that tenure, or for a product priced by the year, a year's
/// price times the years.
pub fn term_price(
    tx: &mut dyn ReadTx,
    product: Product,
    reseller_id: ResellerId,
    plan_id: PlanId,
    action: PriceAction,
    months: u32,
    units: u32,
) -> Result<(Money, Costs)> {
    if product.pricing() != Pricing::PerYear {
        return price_of(tx, reseller_id, plan_id, action, months, units);
    }
    let years = months / 12;
    let (selling, costs) =
        costs::row(tx, reseller_id, plan_id, action, 12)?.ok_or(RuleError::NotSold {
            plan_id,
            action: action.key(),
        })?;
    let count = i64::from(years) * i64::from(units);
    Ok((selling.times(count), costs.times(count)))
}

/// Selling price and costs of `units` for `months` at the plan's price for that tenure.
pub fn price_of(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    plan_id: PlanId,
    action: PriceAction,
    months: u32,
    units: u32,
) -> Result<(Money, Costs)> {
    let Some((selling, costs)) = costs::row(tx, reseller_id, plan_id, action, months)? else {
        let mut tenures: Vec<u32> = tx
            .prices(reseller_id)?
            .into_iter()
            .filter(|p| p.plan_id == plan_id && p.action == action)
            .map(|p| p.months)
            .collect();
        tenures.sort_unstable();
        tenures.dedup();
        let allowed = tenures
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(RuleError::UnofferedMonths {
            months,
            plan_id,
            allowed,
        }
        .into());
    };
    let count = i64::from(months) * i64::from(units);
    Ok((selling.times(count), costs.times(count)))
}

pub(crate) fn ensure_discount_fits(discount: Money, price: Money) -> Result<()> {
    if discount > price {
        return Err(RuleError::DiscountAbovePrice { discount, price }.into());
    }
    Ok(())
}

/// The customer, if it belongs to this reseller and is Active.
pub fn ordering_customer(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
) -> Result<Customer> {
    let customer = customer_of(tx, reseller_id, customer_id)?;
    if customer.status != CustomerStatus::Active {
        return Err(RuleError::CustomerNotActive(customer.id).into());
    }
    Ok(customer)
}

/// Places a new order: an `Add` action on a fresh order.
pub fn add_order(tx: &mut dyn WriteTx, new: &NewOrder) -> Result<Receipt> {
    ordering_customer(tx, new.reseller_id, new.customer_id)?;
    plan_of(tx, new.product, new.plan_id)?;
    place_order(tx, new)
}

/// Places a new order whose customer and plan the caller has checked with
/// `ordering_customer` and `plan_of`.
pub fn place_order(tx: &mut dyn WriteTx, new: &NewOrder) -> Result<Receipt> {
    let sentence = action_sentence(
        "Addition",
        "Registration",
        new.product,
        new.units,
        &new.description,
        new.months.get(),
    );
    let placing = Placing {
        kind: new.product.spec().kinds.add,
        price: PriceAction::Add,
        sentence,
    };
    place_order_as(tx, new, placing)
}

/// How a new order comes to be: the action that places it, the price it
/// is sold at, and the action's sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placing {
    pub kind: ActionKind,
    pub price: PriceAction,
    pub sentence: String,
}

/// Places a new order as `placing` says (a domain transferred in is placed
/// at the transfer price with its own action).
pub fn place_order_as(tx: &mut dyn WriteTx, new: &NewOrder, placing: Placing) -> Result<Receipt> {
    let (price, cost) = term_price(
        tx,
        new.product,
        new.reseller_id,
        new.plan_id,
        placing.price,
        new.months.get(),
        new.units,
    )?;
    let addons = new.attrs.addons.iter().map(|a| a.name.as_str());
    let (addons_price, addons_cost) = addons_price(
        tx,
        new.reseller_id,
        addons,
        PriceAction::Add,
        new.months.get(),
    )?;
    let (price, cost) = (price + addons_price, cost + addons_cost);
    ensure_discount_fits(new.billing.discount, price)?;
    let order = Order {
        id: OrderId(0),
        reseller_id: new.reseller_id,
        customer_id: new.customer_id,
        product: new.product,
        plan_id: new.plan_id,
        description: new.description.clone(),
        status: OrderStatus::InActive,
        auto_renew: new.auto_renew,
        created: new.now,
        endtime: new.now,
        attrs: new.attrs.clone(),
    };
    let action = draft(
        &order,
        placing.kind,
        placing.sentence,
        new.months.get(),
        price - new.billing.discount,
        new.billing.discount,
        cost,
        new.now,
    );
    let mut action = Action {
        auto_renew: Some(new.auto_renew),
        ..action
    };
    settle(tx, order, &mut action, new.billing.option, new.now, true)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renewal {
    pub reseller_id: ResellerId,
    pub order_id: OrderId,
    pub products: Vec<Product>,
    pub months: Months,
    /// The auto-renew setting to apply; `None` keeps the order's.
    pub auto_renew: Option<bool>,
    /// Units added with the renewal (Business Email accounts), else 0.
    pub extra_units: u32,
    pub billing: Billing,
    pub now: Epoch,
}

/// Renews an order for more months at the plan's renewal price. Units
/// added with it are renewed too, and bought for the rest of the current
/// term as `add_units` would.
pub fn renew_order(tx: &mut dyn WriteTx, renewal: &Renewal) -> Result<Receipt> {
    let order = order_of_product(tx, renewal.reseller_id, renewal.order_id, &renewal.products)?;
    ensure_changeable(tx, &order)?;
    if !matches!(order.status, OrderStatus::Active | OrderStatus::Suspended) {
        return Err(RuleError::OrderNotActive {
            order_id: order.id,
            status: order.status.as_str(),
        }
        .into());
    }
    let units = order.units() + renewal.extra_units;
    if order.product.pricing() == crate::catalogue::Pricing::PerAccountSlab {
        ensure_email_accounts(units)?;
    }
    let plan_id = plan_for_units(order.product, order.plan_id, units);
    let (mut price, mut cost) = term_price(
        tx,
        order.product,
        renewal.reseller_id,
        plan_id,
        PriceAction::Renew,
        renewal.months.get(),
        units,
    )?;
    let addons = order.attrs.addons.iter().map(|a| a.name.as_str());
    let (addons_price, addons_cost) = addons_price(
        tx,
        renewal.reseller_id,
        addons,
        PriceAction::Renew,
        renewal.months.get(),
    )?;
    price = price + addons_price;
    cost = cost + addons_cost;
    if renewal.extra_units > 0 {
        let (added, added_cost) =
            rest_of_term(tx, &order, plan_id, renewal.extra_units, renewal.now)?;
        price = price + added;
        cost = cost + added_cost;
    }
    ensure_discount_fits(renewal.billing.discount, price)?;
    let description = action_sentence(
        "Renewal",
        "Renewal",
        order.product,
        order.units(),
        &order.description,
        renewal.months.get(),
    );
    let action = draft(
        &order,
        order.product.spec().kinds.renew,
        description,
        renewal.months.get(),
        price - renewal.billing.discount,
        renewal.billing.discount,
        cost,
        renewal.now,
    );
    let mut action = Action {
        auto_renew: renewal.auto_renew,
        units: (renewal.extra_units > 0).then_some(units),
        ..action
    };
    settle(
        tx,
        order,
        &mut action,
        renewal.billing.option,
        renewal.now,
        false,
    )
}

/// Restores a deleted domain order at its restore price for a year
/// (`domains::restore` checks that it may be).
pub fn restore_order(
    tx: &mut dyn WriteTx,
    order: Order,
    billing: Billing,
    now: Epoch,
) -> Result<Receipt> {
    let (price, cost) = term_price(
        tx,
        order.product,
        order.reseller_id,
        order.plan_id,
        PriceAction::Restore,
        12,
        1,
    )?;
    ensure_discount_fits(billing.discount, price)?;
    let description = format!("Restoration of {}", order.description);
    let mut action = draft(
        &order,
        ActionKind::RestoreDomain,
        description,
        12,
        price - billing.discount,
        billing.discount,
        cost,
        now,
    );
    settle(tx, order, &mut action, billing.option, now, false)
}

/// Deletes an order at once. No invoice and no refund (docs/API.md).
pub fn delete_order(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
    now: Epoch,
) -> Result<Receipt> {
    let order = order_of_product(tx, reseller_id, order_id, products)?;
    ensure_changeable(tx, &order)?;
    let description = format!(
        "Deletion of {} for {}",
        order.product.name(),
        order.description
    );
    let kind = order.product.spec().kinds.delete;
    run_free(tx, order, kind, description, None, now)
}

/// Runs an action that costs nothing at once, with no invoice (deletions),
/// setting the order's units to `units` if given.
pub(crate) fn run_free(
    tx: &mut dyn WriteTx,
    order: Order,
    kind: ActionKind,
    description: String,
    units: Option<u32>,
    now: Epoch,
) -> Result<Receipt> {
    let mut action = free_draft(&order, kind, description, now);
    action.units = units;
    settle(tx, order, &mut action, InvoiceOption::NoInvoice, now, false)
}

/// An action that costs nothing.
fn free_draft(order: &Order, kind: ActionKind, description: String, now: Epoch) -> Action {
    let zero = Money::ZERO;
    draft(order, kind, description, 0, zero, zero, Costs::none(), now)
}

/// Records an action that the registry refused after it was accepted: it
/// is `Failed` with `reason`, costs nothing and changes nothing.
pub(crate) fn run_failed(
    tx: &mut dyn WriteTx,
    order: Order,
    kind: ActionKind,
    description: String,
    reason: String,
    now: Epoch,
) -> Result<Receipt> {
    let mut action = free_draft(&order, kind, description, now);
    action.status = ActionStatus::Failed;
    action.status_desc = reason;
    action.executed = Some(now);
    action.id = tx.insert_action(&action)?;
    Ok(Receipt {
        order,
        action,
        invoice: None,
    })
}

/// Records an action that costs nothing and waits for something outside
/// the platform (a registrant change's approvals): `ExecutionStarted`
/// with `status_desc`. The caller keeps the order, with what it waits for.
pub(crate) fn insert_waiting(
    tx: &mut dyn WriteTx,
    order: &Order,
    kind: ActionKind,
    description: String,
    status_desc: &str,
    now: Epoch,
) -> Result<Action> {
    let mut action = free_draft(order, kind, description, now);
    action.status = ActionStatus::ExecutionStarted;
    action.status_desc = status_desc.to_string();
    action.id = tx.insert_action(&action)?;
    Ok(action)
}

/// Suspends an Active order of any product (`orders/suspend`): it keeps its
/// term but takes no change until it is unsuspended.
pub fn suspend_order(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    reason: &str,
    now: Epoch,
) -> Result<Receipt> {
    let order = order_of(tx, reseller_id, order_id)?;
    ensure_changeable(tx, &order)?;
    ensure_active(&order)?;
    let description = format!(
        "Suspension of {} for {}: {reason}",
        order.product.name(),
        order.description
    );
    run_free(tx, order, ActionKind::Suspend, description, None, now)
}

/// Makes a Suspended order Active again (`orders/unsuspend`).
pub fn unsuspend_order(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    reason: Option<&str>,
    now: Epoch,
) -> Result<Receipt> {
    let order = order_of(tx, reseller_id, order_id)?;
    if order.status != OrderStatus::Suspended {
        return Err(RuleError::OrderNotSuspended {
            order_id,
            status: order.status.as_str(),
        }
        .into());
    }
    let mut description = format!(
        "Unsuspension of {} for {}",
        order.product.name(),
        order.description
    );
    if let Some(reason) = reason {
        description = format!("{description}: {reason}");
    }
    run_free(tx, order, ActionKind::Unsuspend, description, None, now)
}

/// Grows a backup's storage to a new total, billed for the rest of the term.
pub fn add_storage(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    products: &[Product],
    new_total_gb: u32,
    billing: Billing,
    now: Epoch,
) -> Result<Receipt> {
    let order = order_to_change(tx, reseller_id, order_id, products)?;
    let current = order.attrs.storage_gb.unwrap_or(0);
    if new_total_gb <= current {
        return Err(RuleError::StorageNotGrowing {
            gb: new_total_gb,
            current,
        }
        .into());
    }
    let plan = plan_of(tx, order.product, order.plan_id)?;
    ensure_storage_fits(&plan, new_total_gb)?;
    let description = format!(
        "Storage of {} for {} raised from {current} GB to {new_total_gb} GB",
        order.product.name(),
        order.description
    );
    grow_units(
        tx,
        order,
        new_total_gb,
        ActionKind::AddStorage,
        description,
        billing,
        now,
    )
}

/// Raises a checked order's units to `new_total`, billing the added units
/// for the rest of its term at the one-month add price of the plan the new
/// total has (an email slab, or the order's plan).
pub(crate) fn grow_units(
    tx: &mut dyn WriteTx,
    order: Order,
    new_total: u32,
    kind: ActionKind,
    description: String,
    billing: Billing,
    now: Epoch,
) -> Result<Receipt> {
    let plan_id = plan_for_units(order.product, order.plan_id, new_total);
    let added = new_total - order.units();
    let (price, cost) = rest_of_term(tx, &order, plan_id, added, now)?;
    let months_left = crate::time::months_remaining(now, order.endtime).max(1);
    ensure_discount_fits(billing.discount, price)?;
    let mut action = draft(
        &order,
        kind,
        description,
        months_left,
        price - billing.discount,
        billing.discount,
        cost,
        now,
    );
    action.units = Some(new_total);
    settle(tx, order, &mut action, billing.option, now, false)
}

/// Selling price and cost of `units` more units of an order for the rest
/// of its term (at least a month), at the plan's one-month add price.
fn rest_of_term(
    tx: &mut dyn ReadTx,
    order: &Order,
    plan_id: PlanId,
    units: u32,
    now: Epoch,
) -> Result<(Money, Costs)> {
    let months_left = crate::time::months_remaining(now, order.endtime).max(1);
    let (monthly, monthly_cost) =
        price_of(tx, order.reseller_id, plan_id, PriceAction::Add, 1, units)?;
    Ok((
        monthly.times(i64::from(months_left)),
        monthly_cost.times(i64::from(months_left)),
    ))
}

/// Selling price and cost of add-ons, by name, for `months` at their
/// monthly price: an order's add-ons are bought and renewed with it.
pub fn addons_price<'a>(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    names: impl Iterator<Item = &'a str>,
    action: PriceAction,
    months: u32,
) -> Result<(Money, Costs)> {
    let (mut price, mut cost) = (Money::ZERO, Costs::none());
    for name in names {
        // Requests name add-ons the catalogue has (the wire makes them from
        // its specs); a stored name it lacks is data the rules cannot read.
        let plan_id = crate::catalogue::addon(name)
            .ok_or_else(|| StoreError::corrupt(format!("add-on {name} has no plan")))?
            .plan_id;
        let (monthly, monthly_cost) = price_of(tx, reseller_id, plan_id, action, 1, 1)?;
        price = price + monthly.times(i64::from(months));
        cost = cost + monthly_cost.times(i64::from(months));
    }
    Ok((price, cost))
}

/// Refuses an email account count an order cannot hold.
pub fn ensure_email_accounts(accounts: u32) -> Result<()> {
    if accounts == 0 {
        return Err(RuleError::NoEmailAccount.into());
    }
    if accounts > MAX_EMAIL_ACCOUNTS {
        return Err(RuleError::TooManyEmailAccounts {
            accounts,
            max: MAX_EMAIL_ACCOUNTS,
        }
        .into());
    }
    Ok(())
}

/// Refuses a storage size outside what the plan offers.
pub fn ensure_storage_fits(plan: &Plan, gb: u32) -> Result<()> {
    let min = plan.limits.min_storage_gb.unwrap_or(1);
    let max = plan.limits.max_storage_gb.unwrap_or(u32::MAX);
    if gb < min || gb > max {
        return Err(RuleError::StorageOutOfRange {
            gb,
            plan_id: plan.id,
            min,
            max,
        }
        .into());
    }
    Ok(())
}

/// The product in an action's sentence; Business Email names its accounts,
/// as recorded: `Addition of Business Email 1 for example.com for 1 month`.
fn product_with_units(product: Product, units: u32) -> String {
    match product.pricing() {
        crate::catalogue::Pricing::PerAccountSlab => format!("{} {units}", product.name()),
        _ => product.name().to_string(),
    }
}

/// An action's sentence: `Addition of VPS Linux for example.com for 1
/// month`; a domain's as recorded, `Renewal of example.co.in for 1 year`.
fn action_sentence(
    what: &str,
    what_for_a_domain: &str,
    product: Product,
    units: u32,
    name: &str,
    months: u32,
) -> String {
    if product.pricing() == Pricing::PerYear {
        let years = months / 12;
        let unit = if years == 1 { "year" } else { "years" };
        return format!("{what_for_a_domain} of {name} for {years} {unit}");
    }
    format!(
        "{what} of {} for {name} for {}",
        product_with_units(product, units),
        months_text(months)
    )
}

fn months_text(months: u32) -> String {
    if months == 1 {
        "1 month".to_string()
    } else {
        format!("{months} months")
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn draft(
    order: &Order,
    kind: ActionKind,
    description: String,
    months: u32,
    selling: Money,
    discount: Money,
    cost: Costs,
    now: Epoch,
) -> Action {
    Action {
        id: ActionId(0),
        order_id: order.id,
        reseller_id: order.reseller_id,
        customer_id: order.customer_id,
        kind,
        description,
        status: ActionStatus::PendingExecution,
        status_desc: String::new(),
        invoice_id: None,
        months,
        units: None,
        addons: Vec::new(),
        auto_renew: None,
        selling,
        discount,
        cost: cost.own(),
        upstream: cost.upstream(),
        created: now,
        executed: None,
    }
}

/// Bills an action as the invoice option says, executes it if it may run
/// now, and writes order, invoice and action.
pub(crate) fn settle(
    tx: &mut dyn WriteTx,
    mut order: Order,
    action: &mut Action,
    option: InvoiceOption,
    now: Epoch,
    new_order: bool,
) -> Result<Receipt> {
    let mut invoice = (option != InvoiceOption::NoInvoice).then(|| Invoice {
        id: InvoiceId(0),
        reseller_id: order.reseller_id,
        customer_id: order.customer_id,
        order_id: order.id,
        amount: action.selling,
        status: InvoiceStatus::Unpaid,
        description: action.description.clone(),
        created: now,
    });
    let run_now = match option {
        InvoiceOption::NoInvoice | InvoiceOption::KeepInvoice => true,
        InvoiceOption::OnlyAdd => false,
        InvoiceOption::PayInvoice => {
            tx.balance(Account::Customer(order.customer_id))? >= action.selling
        }
    };
    let mut held = false;
    if run_now {
        charge_reseller(tx, action, now)?;
        held = provisioning::defers(tx, order.reseller_id, action)?;
        if held {
            provisioning::hold(action, option == InvoiceOption::PayInvoice);
        } else {
            apply(&mut order, action, now);
        }
    } else {
        action.status_desc = "Awaiting payment of the customer invoice".to_string();
    }
    if new_order {
        order.id = tx.insert_order(&order)?;
        action.order_id = order.id;
    } else if run_now && !held {
        tx.update_order(&order)?;
    }
    if let Some(invoice) = invoice.as_mut() {
        invoice.order_id = order.id;
        if run_now && option == InvoiceOption::PayInvoice {
            invoice.status = InvoiceStatus::Paid;
        }
        invoice.id = tx.insert_invoice(invoice)?;
        action.invoice_id = Some(invoice.id);
        if invoice.status == InvoiceStatus::Paid {
            collect(tx, invoice, now)?;
        }
        let subject = format!("Invoice {} for {}", invoice.id, invoice.description);
        let body = format!(
            "Invoice {} of {} USD for {}: {}.",
            invoice.id,
            invoice.amount,
            invoice.description,
            match invoice.status {
                InvoiceStatus::Paid => "paid from your funds",
                _ => "to be paid",
            }
        );
        mail_customer(tx, &order, "invoice", subject, body, now)?;
    }
    action.id = tx.insert_action(action)?;
    if held {
        provisioning::mark(&mut order, action, now);
        tx.update_order(&order)?;
    }
    Ok(Receipt {
        order,
        action: action.clone(),
        invoice,
    })
}

/// Keeps a mail to an order's customer (its username), about the order.
pub(crate) fn mail_customer(
    tx: &mut dyn WriteTx,
    order: &Order,
    kind: &str,
    subject: String,
    body: String,
    now: Epoch,
) -> Result<()> {
    let recipient = tx
        .customer(order.customer_id)?
        .map(|c| c.username)
        .unwrap_or_default();
    let mail = Mail::about_order(order, recipient, kind, subject, body, now);
    tx.insert_mail(&mail)?;
    Ok(())
}

/// Who pays what for an action, and to whom: the reseller that sells it
/// pays its parent (or the platform), each reseller above pays its own
/// parent, the top one the platform.
pub fn payments(action: &Action) -> Vec<(ResellerId, Account, Money)> {
    let levels: Vec<(ResellerId, Money)> = std::iter::once((action.reseller_id, action.cost))
        .chain(action.upstream.iter().copied())
        .collect();
    levels
        .iter()
        .enumerate()
        .map(|(i, (payer, cost))| {
            let payee = levels
                .get(i + 1)
                .map_or(Account::PlatformRevenue, |(parent, _)| {
                    Account::Earnings(*parent)
                });
            (*payer, payee, *cost)
        })
        .collect()
}

/// Charges the reseller its cost for an action about to execute, and each
/// reseller above it its own, or refuses when a level's funds do not cover
/// it. A parent's shortfall is told without its figures.
fn charge_reseller(tx: &mut dyn WriteTx, action: &Action, now: Epoch) -> Result<()> {
    for (level, (payer, payee, cost)) in payments(action).into_iter().enumerate() {
        if cost == Money::ZERO {
            continue;
        }
        if level > 0 && !tx.reseller(payer)?.is_some_and(|r| r.active) {
            return Err(RuleError::ParentSuspended.into());
        }
        let account = Account::Reseller(payer);
        let available = tx.balance(account)?;
        if available < cost {
            return Err(if level == 0 {
                RuleError::ResellerFunds {
                    needed: cost,
                    available,
                }
            } else {
                RuleError::ParentFunds
            }
            .into());
        }
        tx.transfer(
            account,
            payee,
            cost,
            TransferKind::Invoice,
            &action.description,
            now,
        )?;
    }
    Ok(())
}

/// Moves a paid invoice's amount from the customer's funds to its reseller's earnings.
fn collect(tx: &mut dyn WriteTx, invoice: &Invoice, now: Epoch) -> Result<()> {
    if invoice.amount > Money::ZERO {
        let memo = format!("Payment of invoice {}", invoice.id);
        tx.transfer(
            Account::Customer(invoice.customer_id),
            Account::Earnings(invoice.reseller_id),
            invoice.amount,
            TransferKind::Invoice,
            &memo,
            now,
        )?;
    }
    Ok(())
}

/// What an executed action does to its order.
pub(crate) fn apply(order: &mut Order, action: &mut Action, now: Epoch) {
    match action.kind {
        ActionKind::Add | ActionKind::RegisterDomain => {
            order.status = OrderStatus::Active;
            order.endtime = add_months(now, action.months);
            order.attrs.term_months = Some(action.months);
        }
        ActionKind::Renew | ActionKind::RenewDomain => {
            order.endtime = add_months(order.endtime.max(order.created), action.months);
            order.attrs.term_months = Some(action.months);
            if let Some(certificate) = order.attrs.ssl.as_mut() {
                certificate.renewal_due = certificate.state == crate::certificates::State::Issued;
            }
        }
        // Gone to another registrar: deleted here, with nothing to restore.
        ActionKind::ReleaseDomain => {
            order.status = OrderStatus::Deleted;
            order.attrs.closed = Some(now);
        }
        ActionKind::Delete | ActionKind::DeleteDomain => {
            order.status = OrderStatus::Deleted;
            order.attrs.closed = Some(now);
            order.attrs.mail = None;
            if let Some(certificate) = order.attrs.ssl.as_mut() {
                certificate.revoke(now);
            }
        }
        // The transfer starts; it completes when the admin contact approves
        // it (`transfer_in::approve`).
        ActionKind::TransferDomain => {
            action.status = ActionStatus::ExecutionStarted;
            action.status_desc = crate::transfer_in::stage_of(order).describe().to_string();
            if let Some(auto_renew) = action.auto_renew {
                order.auto_renew = auto_renew;
            }
            return;
        }
        ActionKind::RestoreDomain => {
            order.status = OrderStatus::Active;
            order.attrs.term_months = Some(12);
            let term_left = order.endtime > now;
            if !term_left {
                order.endtime = add_months(now, action.months);
            }
        }
        ActionKind::Modify => {
            if let Some(plan_id) = order.attrs.pending_plan.take() {
                order.plan_id = plan_id;
            }
            order.endtime = add_months(now, action.months);
            order.attrs.term_months = Some(action.months);
        }
        ActionKind::Suspend => order.status = OrderStatus::Suspended,
        ActionKind::Unsuspend => order.status = OrderStatus::Active,
        // A domain's change is made on the order before its action runs.
        ActionKind::ModifyNameServers
        | ActionKind::ModifyContacts
        | ActionKind::ModifyTransferLock
        | ActionKind::ModifyPrivacy
        | ActionKind::ModifyAuthCode
        | ActionKind::AddChildNameServer
        | ActionKind::ModifyChildNameServerName
        | ActionKind::ModifyChildNameServerIp
        | ActionKind::DeleteChildNameServerIp
        | ActionKind::ModifyGdpr
        | ActionKind::AddDnssec
        | ActionKind::DeleteDnssec
        | ActionKind::AddResellerLock
        | ActionKind::RemoveResellerLock
        | ActionKind::ModifyTelWhois => {}
        ActionKind::AddAddon => order.attrs.add_addons(&action.addons),
        ActionKind::AddStorage
        | ActionKind::AddEmailAccount
        | ActionKind::DeleteEmailAccount
        | ActionKind::DeleteAddon => {}
    }
    if let Some(units) = action.units {
        order.set_units(units);
    }
    if let Some(auto_renew) = action.auto_renew {
        order.auto_renew = auto_renew;
    }
    action.status = ActionStatus::Success;
    action.executed = Some(now);
    action.status_desc = match action.kind {
        ActionKind::Add | ActionKind::RegisterDomain => "Order added successfully",
        ActionKind::Renew | ActionKind::RenewDomain => "Order renewed successfully",
        ActionKind::Delete | ActionKind::DeleteDomain => "Order deleted successfully",
        ActionKind::TransferDomain => "Domain transferred successfully",
        ActionKind::RestoreDomain => "Domain restored successfully",
        ActionKind::AddStorage => "Storage added successfully",
        ActionKind::AddEmailAccount => "Email accounts added successfully",
        ActionKind::DeleteEmailAccount => "Email accounts deleted successfully",
        ActionKind::AddAddon => "Add-ons added successfully",
        ActionKind::DeleteAddon => "Add-on deleted successfully",
        ActionKind::Suspend => "Order suspended successfully",
        ActionKind::Unsuspend => "Order unsuspended successfully",
        ActionKind::ModifyNameServers => "Name servers modified successfully",
        ActionKind::ModifyContacts => "Contacts modified successfully",
        ActionKind::ModifyTransferLock => "Theft protection modified successfully",
        ActionKind::ModifyPrivacy => "Privacy protection modified successfully",
        ActionKind::ModifyAuthCode => "Domain secret modified successfully",
        ActionKind::AddChildNameServer => "Child name server added successfully",
        ActionKind::ModifyChildNameServerName => "Child name server modified successfully",
        ActionKind::ModifyChildNameServerIp => "Child name server address modified successfully",
        ActionKind::DeleteChildNameServerIp => "Child name server address deleted successfully",
        ActionKind::ModifyGdpr => "GDPR protection modified successfully",
        ActionKind::AddDnssec => "DS records added successfully",
        ActionKind::DeleteDnssec => "DS records deleted successfully",
        ActionKind::AddResellerLock => "Reseller lock added successfully",
        ActionKind::RemoveResellerLock => "Reseller lock removed successfully",
        ActionKind::ReleaseDomain => "Domain released successfully",
        ActionKind::ModifyTelWhois => "WHOIS preference modified successfully",
        ActionKind::Modify => "Order modified successfully",
    }
    .to_string();
}

/// Runs the pending action an invoice bills, charging the reseller.
fn execute_pending(
    tx: &mut dyn WriteTx,
    invoice: &Invoice,
    now: Epoch,
) -> Result<Option<(Action, Order)>> {
    let Some(mut action) = tx.action_by_invoice(invoice.id)? else {
        return Ok(None);
    };
    if action.status != ActionStatus::PendingExecution {
        return Ok(None);
    }
    let mut order = tx
        .order(action.order_id)?
        .ok_or(RuleError::NoEntity(action.order_id.0))?;
    charge_reseller(tx, &action, now)?;
    if provisioning::defers(tx, order.reseller_id, &action)? {
        provisioning::hold(&mut action, invoice.status == InvoiceStatus::Paid);
        provisioning::mark(&mut order, &action, now);
    } else {
        apply(&mut order, &mut action, now);
    }
    tx.update_order(&order)?;
    tx.update_action(&action)?;
    Ok(Some((action, order)))
}

/// What a call does with the invoices it names, for the refusal of one
/// that is not Unpaid.
#[derive(Clone, Copy)]
enum Settling {
    Pay,
    Execute,
}

fn unpaid_invoices_of(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    invoice_ids: &[InvoiceId],
    settling: Settling,
) -> Result<Vec<Invoice>> {
    let mut invoices = Vec::with_capacity(invoice_ids.len());
    for &id in invoice_ids {
        let invoice = tx.invoice(id)?.ok_or(RuleError::UnknownInvoice(id))?;
        if invoice.reseller_id != reseller_id {
            return Err(RuleError::NotAllowed.into());
        }
        if invoice.customer_id == crate::resellers::NO_CUSTOMER {
            return Err(RuleError::SubResellerInvoice(id).into());
        }
        if invoice.status != InvoiceStatus::Unpaid {
            let (invoice_id, status) = (id, invoice.status.as_str());
            return Err(match settling {
                Settling::Pay => RuleError::InvoiceNotUnpaid { invoice_id, status },
                Settling::Execute => RuleError::InvoiceNotExecutable { invoice_id, status },
            }
            .into());
        }
        if invoices.iter().any(|i: &Invoice| i.id == id) {
            continue;
        }
        invoices.push(invoice);
    }
    Ok(invoices)
}

/// Pays invoices from each one's customer funds, all or none, and runs the
/// actions they were holding.
pub fn pay_invoices(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    invoice_ids: &[InvoiceId],
    now: Epoch,
) -> Result<Vec<Settled>> {
    let mut invoices = unpaid_invoices_of(tx, reseller_id, invoice_ids, Settling::Pay)?;
    let mut customers: Vec<CustomerId> = invoices.iter().map(|i| i.customer_id).collect();
    customers.sort_unstable();
    customers.dedup();
    for customer_id in customers {
        let needed: Money = invoices
            .iter()
            .filter(|i| i.customer_id == customer_id)
            .map(|i| i.amount)
            .sum();
        let available = tx.balance(Account::Customer(customer_id))?;
        if available < needed {
            return Err(RuleError::CustomerFunds { needed, available }.into());
        }
    }
    let mut settled = Vec::with_capacity(invoices.len());
    for invoice in &mut invoices {
        invoice.status = InvoiceStatus::Paid;
        tx.update_invoice(invoice)?;
        collect(tx, invoice, now)?;
        let billed = match execute_pending(tx, invoice, now)? {
            Some(executed) => Some(executed),
            // An action that ran before its invoice was paid (KeepInvoice).
            None => match tx.action_by_invoice(invoice.id)? {
                Some(action) => tx.order(action.order_id)?.map(|order| (action, order)),
                None => None,
            },
        };
        settled.push(Settled {
            invoice: invoice.clone(),
            billed: billed.map(|(action, order)| (action, order.description)),
        });
    }
    mail_started_transfers(tx, links, reseller_id, &settled, now)?;
    Ok(settled)
}

/// Asks for the approval of each transfer in that a settlement started.
fn mail_started_transfers(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    settled: &[Settled],
    now: Epoch,
) -> Result<()> {
    for (action, _) in settled.iter().filter_map(|s| s.billed.as_ref()) {
        if action.kind == ActionKind::TransferDomain {
            crate::transfer_in::mail_approval_if_due(
                tx,
                links,
                reseller_id,
                action.order_id,
                false,
                now,
            )?;
        }
    }
    Ok(())
}

/// An invoice a call settled, and the action it bills with the name of
/// that action's order: what the billing calls answer.
#[derive(Clone, Debug)]
pub struct Settled {
    pub invoice: Invoice,
    pub billed: Option<(Action, String)>,
}

/// Runs the actions that unpaid invoices hold without payment; the invoices
/// stay unpaid (the customer owes them) or are cancelled.
pub fn execute_without_payment(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    invoice_ids: &[InvoiceId],
    cancel_invoice: bool,
    now: Epoch,
) -> Result<Vec<Settled>> {
    let invoices = unpaid_invoices_of(tx, reseller_id, invoice_ids, Settling::Execute)?;
    let mut executed = Vec::new();
    for mut invoice in invoices {
        let (action, order) = execute_pending(tx, &invoice, now)?
            .ok_or(RuleError::InvoiceNothingPending(invoice.id))?;
        if cancel_invoice {
            invoice.status = InvoiceStatus::Cancelled;
            tx.update_invoice(&invoice)?;
        }
        executed.push(Settled {
            invoice,
            billed: Some((action, order.description)),
        });
    }
    mail_started_transfers(tx, links, reseller_id, &executed, now)?;
    Ok(executed)
}

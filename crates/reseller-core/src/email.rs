//! What is Business Email's own: an order holds a number of email
//! accounts, priced per account by the slab the count falls in; accounts
//! are added mid-term for the rest of the term and removed without refund;
//! a domain name has one live order. Billing goes through the shared
//! order engine.

use crate::catalogue::{Product, plan_for_units};
use crate::domain::DomainName;
use crate::error::{Result, RuleError};
use crate::ids::{CustomerId, OrderId, PlanId, ResellerId};
use crate::model::{ActionKind, OrderAttrs, OrderStatus};
use crate::months::Months;
use crate::orders::{
    self, Billing, NewOrder, Receipt, ensure_email_accounts, grow_units, order_to_change, run_free,
};
use crate::time::Epoch;
use crate::tx::WriteTx;

const PRODUCTS: &[Product] = &[Product::BusinessEmailUs];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEmail {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub domain: DomainName,
    pub accounts: u32,
    pub months: Months,
    pub auto_renew: bool,
    pub billing: Billing,
    pub now: Epoch,
}

pub fn add_email(tx: &mut dyn WriteTx, new: &NewEmail) -> Result<Receipt> {
    ensure_email_accounts(new.accounts)?;
    orders::ordering_customer(tx, new.reseller_id, new.customer_id)?;
    if let Some(order_id) =
        tx.order_id_by_description(new.reseller_id, PRODUCTS, new.domain.as_str())?
        && let Some(existing) = tx.order(order_id)?
        && !matches!(
            existing.status,
            OrderStatus::Deleted | OrderStatus::Archived
        )
    {
        return Err(RuleError::EmailOrderExists {
            order_id,
            domain: new.domain.to_string(),
        }
        .into());
    }
    let plan_id = plan_for_units(Product::BusinessEmailUs, PlanId(0), new.accounts);
    orders::plan_of(tx, Product::BusinessEmailUs, plan_id)?;
    orders::place_order(
        tx,
        &NewOrder {
            reseller_id: new.reseller_id,
            customer_id: new.customer_id,
            product: Product::BusinessEmailUs,
            plan_id,
            description: new.domain.to_string(),
            months: new.months,
            units: new.accounts,
            auto_renew: new.auto_renew,
            attrs: OrderAttrs {
                email_accounts: Some(new.accounts),
                ..OrderAttrs::default()
            },
            billing: new.billing,
            now: new.now,
        },
    )
}

fn accounts_text(n: u32) -> String {
    if n == 1 {
        "1 email account".to_string()
    } else {
        format!("{n} email accounts")
    }
}

/// Adds accounts to an active order, billed for the rest of its term at
/// the slab of the new total.
pub fn add_accounts(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    added: u32,
    billing: Billing,
    now: Epoch,
) -> Result<Receipt> {
    let order = order_to_change(tx, reseller_id, order_id, PRODUCTS)?;
    let total = order.units() + added;
    ensure_email_accounts(total)?;
    let description = format!(
        "Addition of {} for {}",
        accounts_text(added),
        order.description
    );
    grow_units(
        tx,
        order,
        total,
        ActionKind::AddEmailAccount,
        description,
        billing,
        now,
    )
}

/// Removes accounts at once, without refund; at least one stays.
pub fn delete_accounts(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    removed: u32,
    now: Epoch,
) -> Result<Receipt> {
    let order = order_to_change(tx, reseller_id, order_id, PRODUCTS)?;
    let current = order.units();
    if removed >= current {
        return Err(RuleError::NoEmailAccount.into());
    }
    crate::mailboxes::ensure_room_for_mailboxes(&order, current - removed)?;
    // As recorded from the real service: "accounts" whatever the count.
    let description = format!(
        "Deletion of {} email accounts for {}",
        removed, order.description
    );
    run_free(
        tx,
        order,
        ActionKind::DeleteEmailAccount,
        description,
        Some(current - removed),
        now,
    )
}

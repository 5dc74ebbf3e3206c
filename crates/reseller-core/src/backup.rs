//! What is Acronis Backup's own: it attaches to a server order of the same
//! customer, its storage is bounded by its plan, and its agent is installed
//! on servers. Billing goes through the shared order engine.

use crate::catalogue::Product;
use crate::error::{Result, RuleError};
use crate::ids::{CustomerId, OrderId, PlanId, ResellerId};
use crate::model::{Order, OrderAttrs, OrderStatus};
use crate::months::Months;
use crate::orders::{self, Billing, NewOrder, Receipt, ensure_active, order_of};
use crate::time::Epoch;
use crate::tx::{ReadTx, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBackup {
    pub reseller_id: ResellerId,
    pub product: Product,
    pub customer_id: CustomerId,
    pub hosting_order_id: OrderId,
    pub plan_id: PlanId,
    pub storage_gb: u32,
    pub months: Months,
    pub auto_renew: bool,
    pub billing: Billing,
    pub now: Epoch,
}

/// A server order a backup of this customer may attach to.
fn backup_host(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    hosting_order_id: OrderId,
) -> Result<Order> {
    let host = order_of(tx, reseller_id, hosting_order_id)?;
    if !host.product.is_backup_host() {
        return Err(RuleError::NotABackupHost(hosting_order_id).into());
    }
    if host.customer_id != customer_id {
        return Err(RuleError::HostOfAnotherCustomer(hosting_order_id).into());
    }
    ensure_active(&host)?;
    Ok(host)
}

pub fn add_backup(tx: &mut dyn WriteTx, new: &NewBackup) -> Result<Receipt> {
    orders::ordering_customer(tx, new.reseller_id, new.customer_id)?;
    let host = backup_host(tx, new.reseller_id, new.customer_id, new.hosting_order_id)?;
    let plan = orders::plan_of(tx, new.product, new.plan_id)?;
    orders::ensure_storage_fits(&plan, new.storage_gb)?;
    orders::place_order(
        tx,
        &NewOrder {
            reseller_id: new.reseller_id,
            customer_id: new.customer_id,
            product: new.product,
            plan_id: new.plan_id,
            description: host.description,
            months: new.months,
            units: new.storage_gb,
            auto_renew: new.auto_renew,
            attrs: OrderAttrs {
                storage_gb: Some(new.storage_gb),
                hosting_order_id: Some(host.id),
                ..OrderAttrs::default()
            },
            billing: new.billing,
            now: new.now,
        },
    )
}

/// Records the backup's agent on a server order and the server on the
/// backup. A server runs at most one backup agent.
pub fn install_agent(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    backup_order_id: OrderId,
    hosting_order_id: OrderId,
) -> Result<(Order, Order)> {
    let mut backup = orders::order_to_change(
        tx,
        reseller_id,
        backup_order_id,
        &[Product::BackupUs, Product::BackupAsia],
    )?;
    let mut host = backup_host(tx, reseller_id, backup.customer_id, hosting_order_id)?;
    if backup.attrs.agent_hosts.contains(&host.id) {
        return Err(RuleError::AgentAlreadyInstalled {
            backup_order_id,
            hosting_order_id,
        }
        .into());
    }
    if let Some(other) = host.attrs.backup_agent_of {
        return Err(RuleError::HostHasAnotherAgent {
            hosting_order_id,
            other_backup_order_id: other,
        }
        .into());
    }
    backup.attrs.agent_hosts.push(host.id);
    host.attrs.backup_agent_of = Some(backup.id);
    tx.update_order(&backup)?;
    tx.update_order(&host)?;
    Ok((backup, host))
}

/// The order whose console an auto-login link opens: an Active backup.
pub fn console_order(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    backup_order_id: OrderId,
) -> Result<Order> {
    let order = orders::order_of_product(
        tx,
        reseller_id,
        backup_order_id,
        &[Product::BackupUs, Product::BackupAsia],
    )?;
    if order.status == OrderStatus::Deleted {
        return Err(RuleError::OrderClosed {
            order_id: order.id,
            status: order.status.as_str(),
        }
        .into());
    }
    Ok(order)
}

/// Deletes a backup order; its agents are uninstalled from their servers,
/// which may then run another backup's agent.
pub fn delete_backup(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<Receipt> {
    let receipt = orders::delete_order(
        tx,
        reseller_id,
        order_id,
        &[Product::BackupUs, Product::BackupAsia],
        now,
    )?;
    for &host_id in &receipt.order.attrs.agent_hosts {
        if let Some(mut host) = tx.order(host_id)?
            && host.attrs.backup_agent_of == Some(order_id)
        {
            host.attrs.backup_agent_of = None;
            tx.update_order(&host)?;
        }
    }
    Ok(receipt)
}

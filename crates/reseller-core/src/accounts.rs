//! Resellers and customers: creating them, their funds.

use crate::catalogue::{demo_plans, demo_prices};
use crate::error::{Result, RuleError};
use crate::ids::{CustomerId, PlanId, ResellerId};
use crate::model::{Account, Customer, CustomerStatus, Reseller};
use crate::money::Money;
use crate::time::Epoch;
use crate::tx::WriteTx;

/// Writes the demo catalogue's plans the store lacks, so that a database
/// made by an older release gains the products added since.
pub fn ensure_catalogue(tx: &mut dyn WriteTx) -> Result<()> {
    let stored: Vec<PlanId> = tx.plans()?.into_iter().map(|p| p.id).collect();
    for plan in demo_plans() {
        if !stored.contains(&plan.id) {
            tx.insert_plan(&plan)?;
        }
    }
    Ok(())
}

/// Gives every reseller the demo price of each plan, tenure and action it
/// has no price for. Prices it has stay as they are.
pub fn ensure_price_lists(tx: &mut dyn WriteTx) -> Result<()> {
    let demo = demo_prices();
    for reseller_id in tx.reseller_ids()? {
        let stored: std::collections::HashSet<_> = tx
            .prices(reseller_id)?
            .into_iter()
            .map(|p| (p.plan_id, p.action, p.months))
            .collect();
        for price in &demo {
            if !stored.contains(&(price.plan_id, price.action, price.months)) {
                tx.insert_price(reseller_id, price)?;
            }
        }
    }
    Ok(())
}

/// Creates a reseller with the demo price list and `funds` in its account.
pub fn create_reseller(
    tx: &mut dyn WriteTx,
    name: &str,
    api_key_hash: &str,
    funds: Money,
    now: Epoch,
) -> Result<Reseller> {
    ensure_catalogue(tx)?;
    let mut reseller = Reseller {
        id: ResellerId(0),
        name: name.to_string(),
        api_key_hash: api_key_hash.to_string(),
        allowed_ips: Vec::new(),
        active: true,
        created: now,
    };
    reseller.id = tx.insert_reseller(&reseller)?;
    for price in demo_prices() {
        tx.insert_price(reseller.id, &price)?;
    }
    if funds > Money::ZERO {
        tx.transfer(
            Account::External,
            Account::Reseller(reseller.id),
            funds,
            "Opening funds",
            now,
        )?;
    }
    Ok(reseller)
}

/// Signs a customer up under a reseller; usernames are unique per reseller.
pub fn sign_up(tx: &mut dyn WriteTx, customer: &Customer) -> Result<CustomerId> {
    if tx
        .customer_by_username(customer.reseller_id, &customer.username)?
        .is_some()
    {
        return Err(RuleError::UsernameTaken(customer.username.clone()).into());
    }
    Ok(tx.insert_customer(customer)?)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub amount: Money,
    pub transaction_key: String,
    pub description: String,
    /// Whether the amount counts in the customer's total receipts.
    pub counts_as_receipt: bool,
    pub now: Epoch,
}

/// Adds funds to a customer's account, once per `transaction-key`.
pub fn add_customer_funds(tx: &mut dyn WriteTx, receipt: &Receipt) -> Result<Money> {
    if receipt.amount <= Money::ZERO {
        return Err(RuleError::AmountNotPositive(receipt.amount).into());
    }
    let mut customer = crate::orders::customer_of(tx, receipt.reseller_id, receipt.customer_id)?;
    if customer.status == CustomerStatus::Deleted {
        return Err(RuleError::CustomerNotActive(customer.id).into());
    }
    if !tx.insert_receipt(
        receipt.reseller_id,
        &receipt.transaction_key,
        receipt.customer_id,
        receipt.amount,
        receipt.now,
    )? {
        return Err(RuleError::DuplicateTransactionKey(receipt.transaction_key.clone()).into());
    }
    let account = Account::Customer(customer.id);
    tx.transfer(
        Account::External,
        account,
        receipt.amount,
        &receipt.description,
        receipt.now,
    )?;
    if receipt.counts_as_receipt {
        customer.total_receipts = customer.total_receipts + receipt.amount;
        tx.update_customer(&customer)?;
    }
    Ok(tx.balance(account)?)
}

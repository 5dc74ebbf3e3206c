//! Resellers and customers: creating them, their funds.

use crate::catalogue::{demo_plans, demo_prices};
use crate::error::{Result, RuleError};
use crate::ids::{CustomerId, InvoiceId, OrderId, PlanId, ResellerId};
use crate::model::CustomerExtras;
use crate::model::{
    Account, Customer, CustomerStatus, Invoice, InvoiceStatus, Mail, Reseller, Token,
};
use crate::money::Money;
use crate::orders::customer_of;
use crate::time::Epoch;
use crate::tx::ReadTx;
use crate::tx::{TransferKind, WriteTx};

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

/// The demo reseller as a fresh start has it, on a database emptied but
/// for its row (`Store::reset`): its price list and its opening funds.
pub fn restore_demo(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    opening: Money,
    now: Epoch,
) -> Result<()> {
    ensure_catalogue(tx)?;
    for price in demo_prices() {
        tx.insert_price(reseller_id, &price)?;
    }
    if opening > Money::ZERO {
        tx.transfer(
            Account::External,
            Account::Reseller(reseller_id),
            opening,
            TransferKind::Opening,
            "Opening funds",
            now,
        )?;
    }
    Ok(())
}

/// Gives every reseller the demo price of each plan, tenure and action it
/// has no price for. Prices it has stay as they are.
/// A sub-reseller gets what it lacks from its parent's list, as at its
/// sign-up (`resellers::price_from_parent`); parents come first, for their
/// ids are older.
pub fn ensure_price_lists(tx: &mut dyn WriteTx) -> Result<()> {
    let demo = demo_prices();
    for reseller_id in tx.reseller_ids()? {
        let full = match tx.reseller(reseller_id)?.and_then(|r| r.parent) {
            Some(parent) => tx
                .prices(parent)?
                .iter()
                .map(crate::resellers::price_from_parent)
                .collect(),
            None => demo.clone(),
        };
        let stored: std::collections::HashSet<_> = tx
            .prices(reseller_id)?
            .into_iter()
            .map(|p| (p.plan_id, p.action, p.months))
            .collect();
        for price in &full {
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
        parent: None,
        username: String::new(),
        password_hash: String::new(),
        profile: Default::default(),
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
            TransferKind::Opening,
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

/// What a customer's modify changes: only the fields that are `Some`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerChange {
    pub username: Option<String>,
    pub password_hash: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub zipcode: Option<String>,
    pub phone_cc: Option<String>,
    pub phone: Option<String>,
    pub lang_pref: Option<String>,
    pub extras: ExtrasChange,
}

/// What a sign-up or a modify changes of a customer's optional details:
/// only the fields that are `Some`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtrasChange {
    pub address2: Option<String>,
    pub address3: Option<String>,
    pub other_state: Option<String>,
    pub alt_phone_cc: Option<String>,
    pub alt_phone: Option<String>,
    pub fax_cc: Option<String>,
    pub fax: Option<String>,
    pub mobile_cc: Option<String>,
    pub mobile: Option<String>,
}

impl ExtrasChange {
    /// Sets what was given and leaves the rest.
    pub fn apply(&self, extras: &mut CustomerExtras) {
        for (field, given) in [
            (&mut extras.address2, &self.address2),
            (&mut extras.address3, &self.address3),
            (&mut extras.other_state, &self.other_state),
            (&mut extras.alt_phone_cc, &self.alt_phone_cc),
            (&mut extras.alt_phone, &self.alt_phone),
            (&mut extras.fax_cc, &self.fax_cc),
            (&mut extras.fax, &self.fax),
            (&mut extras.mobile_cc, &self.mobile_cc),
            (&mut extras.mobile, &self.mobile),
        ] {
            if let Some(value) = given {
                field.clone_from(value);
            }
        }
    }
}

/// Changes what is given of one of the reseller's customers; a username
/// another customer of the reseller has is refused.
pub fn modify_customer(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    change: &CustomerChange,
) -> Result<()> {
    let mut c = customer_of(tx, reseller_id, customer_id)?;
    if let Some(username) = &change.username {
        if *username != c.username && tx.customer_by_username(reseller_id, username)?.is_some() {
            return Err(RuleError::UsernameTaken(username.clone()).into());
        }
        c.username.clone_from(username);
    }
    for (field, given) in [
        (&mut c.password_hash, &change.password_hash),
        (&mut c.name, &change.name),
        (&mut c.company, &change.company),
        (&mut c.address1, &change.address1),
        (&mut c.city, &change.city),
        (&mut c.state, &change.state),
        (&mut c.country, &change.country),
        (&mut c.zipcode, &change.zipcode),
        (&mut c.phone_cc, &change.phone_cc),
        (&mut c.phone, &change.phone),
        (&mut c.lang_pref, &change.lang_pref),
    ] {
        if let Some(value) = given {
            field.clone_from(value);
        }
    }
    change.extras.apply(&mut c.extras);
    Ok(tx.update_customer(&c)?)
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
    /// A receipt or a credit note.
    pub kind: TransferKind,
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
    let account = Account::Customer(customer.id);
    take_funds(tx, receipt, account)?;
    if receipt.counts_as_receipt {
        customer.total_receipts = customer.total_receipts + receipt.amount;
        tx.update_customer(&customer)?;
    }
    Ok(tx.balance(account)?)
}

/// Moves a receipt's amount from outside into `account`, once per the
/// reseller's `transaction-key` (its customers' and its sub-resellers'
/// receipts share the keys); the receipts table names the customer, or
/// none for a sub-reseller's.
pub(crate) fn take_funds(tx: &mut dyn WriteTx, receipt: &Receipt, account: Account) -> Result<()> {
    if !tx.insert_receipt(
        receipt.reseller_id,
        &receipt.transaction_key,
        receipt.customer_id,
        receipt.amount,
        receipt.now,
    )? {
        return Err(RuleError::DuplicateTransactionKey(receipt.transaction_key.clone()).into());
    }
    tx.transfer(
        Account::External,
        account,
        receipt.amount,
        receipt.kind,
        &receipt.description,
        receipt.now,
    )?;
    Ok(())
}

/// Deletes a customer with no live orders: it stays, Deleted, so that its
/// ledger entries keep their owner; it can no longer order or sign in.
pub fn delete_customer(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
) -> Result<()> {
    let mut customer = customer_of(tx, reseller_id, customer_id)?;
    if customer.status == CustomerStatus::Deleted {
        return Err(RuleError::CustomerNotActive(customer_id).into());
    }
    let live = tx.live_orders_of(customer_id)?;
    if !live.is_empty() {
        let orders: Vec<String> = live.iter().map(ToString::to_string).collect();
        return Err(RuleError::CustomerHasOrders {
            customer_id,
            orders: orders.join(", "),
        }
        .into());
    }
    customer.status = CustomerStatus::Deleted;
    Ok(tx.update_customer(&customer)?)
}

/// A customer of this reseller that is not deleted.
pub fn live_customer(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
) -> Result<Customer> {
    let customer = customer_of(tx, reseller_id, customer_id)?;
    if customer.status == CustomerStatus::Deleted {
        return Err(RuleError::CustomerNotActive(customer_id).into());
    }
    Ok(customer)
}

/// Sets a customer's password digest (made at the edge).
pub fn change_password(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    password_hash: &str,
) -> Result<()> {
    let mut customer = live_customer(tx, reseller_id, customer_id)?;
    customer.password_hash = password_hash.to_string();
    Ok(tx.update_customer(&customer)?)
}

/// Keeps a token for a customer of this reseller that may sign in.
pub fn issue_token(tx: &mut dyn WriteTx, token: &Token) -> Result<()> {
    let customer = live_customer(tx, token.reseller_id, token.customer_id)?;
    if customer.status != CustomerStatus::Active {
        return Err(RuleError::CustomerNotActive(customer.id).into());
    }
    Ok(tx.insert_token(token)?)
}

/// The customer a token of this reseller signs in, if it has not expired.
pub fn customer_by_token(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    digest: &str,
    now: Epoch,
) -> Result<Customer> {
    let token = tx
        .token(digest)?
        .filter(|t| t.reseller_id == reseller_id && t.expires >= now)
        .filter(|t| t.kind.signs_in_customer())
        .ok_or(RuleError::InvalidToken)?;
    live_customer(tx, reseller_id, token.customer_id)
}

/// Whether the digest is of a live temporary password of this customer.
pub fn temp_password_signs_in(
    tx: &mut dyn ReadTx,
    customer: &Customer,
    digest: &str,
    now: Epoch,
) -> Result<bool> {
    Ok(tx.token(digest)?.is_some_and(|t| {
        t.kind == crate::model::TokenKind::TempPassword
            && t.customer_id == customer.id
            && t.reseller_id == customer.reseller_id
            && t.expires >= now
    }))
}

/// How long a one-time code verifies, in seconds.
pub const OTP_TTL: i64 = 10 * 60;

/// Keeps a one-time code's digest for a customer of this reseller that may
/// sign in, and the message that sends the code: a mail to the customer,
/// in the outbox, where the vendor sends a text message.
pub fn issue_otp(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    digest: &str,
    code: &str,
    now: Epoch,
) -> Result<()> {
    let customer = live_customer(tx, reseller_id, customer_id)?;
    if customer.status != CustomerStatus::Active {
        return Err(RuleError::CustomerNotActive(customer.id).into());
    }
    tx.insert_token(&Token {
        digest: digest.to_string(),
        reseller_id,
        customer_id,
        kind: crate::model::TokenKind::Otp,
        created: now,
        expires: now + OTP_TTL,
    })?;
    tx.insert_mail(&Mail {
        id: 0,
        reseller_id,
        customer_id: Some(customer_id),
        order_id: None,
        recipient: customer.username.clone(),
        kind: "otp".to_string(),
        subject: "Your one-time code".to_string(),
        body: format!(
            "Your one-time code is {code}. It works once, for ten minutes. (The vendor texts it to +{}.{}; the sandbox sends no text messages.)",
            customer.phone_cc, customer.phone
        ),
        created: now,
    })?;
    Ok(())
}

/// Uses up a customer's one-time code: its digest must be a live code of
/// this customer not used before; `used` is the digest that marks it used.
pub fn verify_otp(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    digest: &str,
    used: &str,
    now: Epoch,
) -> Result<()> {
    live_customer(tx, reseller_id, customer_id)?;
    let live = tx.token(digest)?.is_some_and(|t| {
        t.kind == crate::model::TokenKind::Otp
            && t.customer_id == customer_id
            && t.reseller_id == reseller_id
            && t.expires >= now
    });
    if !live || tx.token(used)?.is_some() {
        return Err(RuleError::WrongOtp(customer_id).into());
    }
    tx.insert_token(&Token {
        digest: used.to_string(),
        reseller_id,
        customer_id,
        kind: crate::model::TokenKind::OtpUsed,
        created: now,
        expires: now + OTP_TTL,
    })?;
    Ok(())
}

/// Keeps the mail a forgotten password sends the customer.
pub fn forgot_password(tx: &mut dyn WriteTx, customer: &Customer, now: Epoch) -> Result<i64> {
    let mail = Mail {
        id: 0,
        reseller_id: customer.reseller_id,
        customer_id: Some(customer.id),
        order_id: None,
        recipient: customer.username.clone(),
        kind: "forgot-password".to_string(),
        subject: "Your password".to_string(),
        body: format!(
            "Someone asked to reset the password of {}. Sign in to your control panel with a \
             login link from your provider, or ask them to set a new password for you.",
            customer.username
        ),
        created: now,
    };
    Ok(tx.insert_mail(&mail)?)
}

/// A charge the reseller puts on a customer's account outside any order
/// (`billing/add-customer-debit-note`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebitNote {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub amount: Money,
    pub description: String,
    pub now: Epoch,
}

/// Who a miscellaneous invoice bills: one of the reseller's customers, or
/// one of its sub-resellers (`add-reseller-misc-invoice`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Billed {
    Customer(CustomerId),
    SubReseller(ResellerId),
}

/// A miscellaneous invoice a reseller raises against an order of its
/// customer's or of its sub-reseller's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MiscInvoice {
    pub reseller_id: ResellerId,
    pub billed: Billed,
    pub order_id: OrderId,
    pub amount: Money,
    pub description: String,
    /// The invoice's date (`invoice-date`).
    pub dated: Epoch,
    pub transaction_key: String,
    /// Paid at once from the billed account's funds when they cover it.
    pub greedy: bool,
    pub now: Epoch,
}

/// Adds an Unpaid invoice of the amount against the order, once per
/// `transaction-key`; a greedy one is paid at once when the billed funds
/// cover it. A customer's is paid later like any other
/// (`billing/customer-pay`); a sub-reseller's invoice names no customer
/// (`resellers::NO_CUSTOMER`) and no call pays it later.
pub fn add_misc_invoice(tx: &mut dyn WriteTx, asked: &MiscInvoice) -> Result<Invoice> {
    if asked.amount <= Money::ZERO {
        return Err(RuleError::AmountNotPositive(asked.amount).into());
    }
    let (account, customer_id) = match asked.billed {
        Billed::Customer(customer_id) => {
            let customer = live_customer(tx, asked.reseller_id, customer_id)?;
            let order = crate::orders::order_of(tx, asked.reseller_id, asked.order_id)?;
            if order.customer_id != customer.id {
                return Err(RuleError::OrderOfAnotherCustomer {
                    order_id: order.id,
                    owner: order.customer_id,
                    customer_id: customer.id,
                }
                .into());
            }
            (Account::Customer(customer.id), customer.id)
        }
        Billed::SubReseller(reseller_id) => {
            let sub = crate::resellers::sub_reseller_of(tx, asked.reseller_id, reseller_id)?;
            crate::orders::order_of(tx, sub.id, asked.order_id)?;
            (Account::Reseller(sub.id), crate::resellers::NO_CUSTOMER)
        }
    };
    if !tx.insert_receipt(
        asked.reseller_id,
        &asked.transaction_key,
        customer_id,
        asked.amount,
        asked.now,
    )? {
        return Err(RuleError::DuplicateTransactionKey(asked.transaction_key.clone()).into());
    }
    let paid = asked.greedy && tx.balance(account)? >= asked.amount;
    let mut invoice = Invoice {
        id: InvoiceId(0),
        reseller_id: asked.reseller_id,
        customer_id,
        order_id: asked.order_id,
        amount: asked.amount,
        status: if paid {
            InvoiceStatus::Paid
        } else {
            InvoiceStatus::Unpaid
        },
        description: asked.description.clone(),
        created: asked.dated,
    };
    invoice.id = tx.insert_invoice(&invoice)?;
    if paid {
        tx.transfer(
            account,
            Account::Earnings(asked.reseller_id),
            asked.amount,
            TransferKind::Invoice,
            &format!("Payment of invoice {}", invoice.id),
            asked.now,
        )?;
    }
    Ok(invoice)
}

/// Charges a debit note to the customer's funds at once: a Paid invoice of
/// no order, whose amount moves from the customer to the reseller's
/// earnings like any paid invoice's. Funds that do not cover it refuse it.
/// Answers the invoice and the customer's balance after it.
pub fn add_debit_note(tx: &mut dyn WriteTx, note: &DebitNote) -> Result<(InvoiceId, Money)> {
    if note.amount <= Money::ZERO {
        return Err(RuleError::AmountNotPositive(note.amount).into());
    }
    let customer = live_customer(tx, note.reseller_id, note.customer_id)?;
    let account = Account::Customer(customer.id);
    let available = tx.balance(account)?;
    if available < note.amount {
        return Err(RuleError::CustomerFunds {
            needed: note.amount,
            available,
        }
        .into());
    }
    let invoice_id = tx.insert_invoice(&Invoice {
        id: InvoiceId(0),
        reseller_id: note.reseller_id,
        customer_id: customer.id,
        order_id: OrderId(0),
        amount: note.amount,
        status: InvoiceStatus::Paid,
        description: note.description.clone(),
        created: note.now,
    })?;
    tx.transfer(
        account,
        Account::Earnings(note.reseller_id),
        note.amount,
        TransferKind::DebitNote,
        &format!("Debit note {invoice_id}: {}", note.description),
        note.now,
    )?;
    Ok((invoice_id, tx.balance(account)?))
}

/// Each credit into `account` with its part not yet spent, what left the
/// account taken from the oldest credits first (the vendor's greedy
/// transactions). `movements` are the account's, oldest first.
pub fn unspent_credits(
    movements: &[crate::tx::Transfer],
    account: &str,
) -> Vec<(crate::tx::Transfer, Money)> {
    let mut to_take: Money = movements
        .iter()
        .filter(|t| t.from == account)
        .map(|t| t.amount)
        .sum();
    movements
        .iter()
        .filter(|t| t.to == account)
        .map(|t| {
            let taken = to_take.min(t.amount);
            to_take = to_take - taken;
            (t.clone(), t.amount - taken)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx::{Transfer, TransferKind};

    fn moved(id: i64, from: &str, to: &str, amount: i64) -> Transfer {
        Transfer {
            id,
            from: from.to_string(),
            to: to.to_string(),
            amount: Money(amount),
            memo: String::new(),
            at: id,
            kind: TransferKind::Receipt,
        }
    }

    #[test]
    fn spending_uses_the_oldest_credits_first() {
        let me = "customer:1";
        let movements = [
            moved(1, "external", me, 10_000),
            moved(2, me, "earnings:1", 4_000),
            moved(3, "external", me, 5_000),
            moved(4, me, "earnings:1", 7_000),
        ];
        let left: Vec<(i64, Money)> = unspent_credits(&movements, me)
            .into_iter()
            .map(|(t, m)| (t.id, m))
            .collect();
        assert_eq!(left, vec![(1, Money(0)), (3, Money(4_000))]);
    }
}

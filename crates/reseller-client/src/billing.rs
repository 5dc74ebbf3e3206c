//! `billing/*`: balances and customer funds.

use crate::customers::core_id;
use crate::{ActionReceipt, Amount, Client, CustomerId, Error, Page, Result, int_of};
use crate::{Balance, Transaction};
use reseller_api::calls::billing as calls;
use reseller_api::replies::required;
use reseller_core::{InvoiceId, Money};
use serde_json::Value;

/// The billing calls of one client.
///
/// ```no_run
/// # async fn example(client: reseller_client::Client) -> Result<(), reseller_client::Error> {
/// use reseller_client::CustomerId;
/// let customer = CustomerId(2);
/// client
///     .billing()
///     .add_customer_funds(customer, "100.000".parse().unwrap(), "wire transfer", "bank-ref-1")
///     .await?;
/// let funds = client.billing().customer_balance(customer).await?.selling;
/// assert_eq!(funds.to_string(), "100.000");
/// let paid = client.billing().pay_invoices(&[41, 42]).await?; // all or none
/// # Ok(())
/// # }
/// ```
pub struct Billing<'c> {
    pub(crate) client: &'c Client,
}

impl Billing<'_> {
    /// `billing/reseller-balance` of the client's own account.
    pub async fn reseller_balance(&self) -> Result<Balance> {
        let asked = calls::ResellerBalance {
            reseller_id: Some(crate::wire("reseller-id", &self.client.auth_userid)?),
        };
        let reply = self.client.call(&asked).await?;
        crate::read(&reply)
    }

    /// `billing/customer-balance`.
    pub async fn customer_balance(&self, customer: CustomerId) -> Result<Balance> {
        let asked = calls::CustomerBalance {
            customer_id: core_id(customer),
        };
        let reply = self.client.call(&asked).await?;
        crate::read(&reply)
    }

    /// `billing/add-customer-fund`: adds funds to a customer's account,
    /// under a key of the caller's that makes a retry harmless.
    pub async fn add_customer_funds(
        &self,
        customer: CustomerId,
        amount: Amount,
        description: &str,
        transaction_key: &str,
    ) -> Result<()> {
        self.client
            .call(&calls::AddCustomerFund {
                customer_id: core_id(customer),
                amount: money(amount),
                description: description.into(),
                transaction_type: calls::FundKind::Receipt,
                transaction_key: transaction_key.into(),
                update_total_receipt: None,
            })
            .await?;
        Ok(())
    }
}

/// An invoice `billing/customer-pay` paid, and the action it ran (none
/// for one whose action had run before it was paid).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaidInvoice {
    pub invoice_id: i64,
    /// `Paid`.
    pub status: String,
    pub customer_id: CustomerId,
    /// Signed as the API signs it (a payment is negative).
    pub selling_amount: Amount,
    pub action: Option<ActionReceipt>,
}

impl Billing<'_> {
    /// `billing/customer-pay`: pays the invoices from their customers'
    /// funds, all or none, and runs the actions they held.
    pub async fn pay_invoices(&self, invoice_ids: &[i64]) -> Result<Vec<PaidInvoice>> {
        let pay = calls::CustomerPay {
            invoice_ids: invoices(invoice_ids),
        };
        let reply = self.client.call(&pay).await?;
        let Value::Object(entries) = &reply else {
            return Err(Error::Reply {
                status: 200,
                detail: format!("billing/customer-pay answered {reply}"),
            });
        };
        let mut paid = Vec::with_capacity(entries.len());
        for entry in entries.values() {
            paid.push(PaidInvoice {
                invoice_id: required(entry, "invoiceid")?,
                status: required(entry, "invoicestatus")?,
                customer_id: required(entry, "customerid")?,
                selling_amount: required(entry, "sellingamount")?,
                action: match entry.get("entityid") {
                    Some(_) => Some(crate::read::<ActionReceipt>(entry)?),
                    None => None,
                },
            });
        }
        paid.sort_by_key(|p| p.invoice_id);
        Ok(paid)
    }
}

impl Billing<'_> {
    /// `billing/customer-transactions/search`: a page of a customer's
    /// movements of funds, newest first (`records` 10 to 500, `page` from 1).
    pub async fn customer_transactions(
        &self,
        customer: CustomerId,
        records: u32,
        page: u32,
    ) -> Result<Page<Transaction>> {
        let filters = calls::CustomerTransactionFilters {
            customer_id: vec![core_id(customer)],
            username: Vec::new(),
            period: every_movement(),
            transaction_id: Vec::new(),
            transaction_description: None,
            balance_type: None,
            amt_range_start: None,
            amt_range_end: None,
            transaction_key: None,
            order_by: Vec::new(),
            page: crate::orders::page(records, page),
        };
        let asked = calls::CustomerTransactionsSearch { filters };
        transactions(self.client.call(&asked).await?)
    }

    /// `billing/customer-transactions`: a customer's newest 500
    /// movements, without paging.
    pub async fn recent_customer_transactions(
        &self,
        customer: CustomerId,
    ) -> Result<Page<Transaction>> {
        let asked = calls::CustomerTransactions {
            customer_id: core_id(customer),
            period: every_movement(),
        };
        transactions(self.client.call(&asked).await?)
    }

    /// `billing/reseller-transactions/search`: the caller's own.
    pub async fn reseller_transactions(
        &self,
        records: u32,
        page: u32,
    ) -> Result<Page<Transaction>> {
        let asked = calls::ResellerTransactionsSearch {
            reseller_id: None,
            period: every_movement(),
            page: crate::orders::page(records, page),
        };
        transactions(self.client.call(&asked).await?)
    }

    /// `billing/reseller-transactions`: the caller's newest 500.
    pub async fn recent_reseller_transactions(&self) -> Result<Page<Transaction>> {
        let asked = calls::ResellerTransactions {
            reseller_id: None,
            period: every_movement(),
        };
        transactions(self.client.call(&asked).await?)
    }

    /// `billing/add-customer-debit-note`: charges a customer's funds at
    /// once; answers the invoice it made.
    pub async fn add_debit_note(
        &self,
        customer: CustomerId,
        amount: Amount,
        description: &str,
    ) -> Result<i64> {
        let note = calls::AddCustomerDebitNote {
            customer_id: core_id(customer),
            amount: money(amount),
            description: description.into(),
        };
        let reply = self.client.call(&note).await?;
        int_of(&reply, "invoiceid")
    }

    /// `billing/execute-order-without-payment`: runs the actions the
    /// invoices hold without their being paid; they stay Unpaid, or with
    /// `cancel` become Cancelled. Answers the actions, by invoice.
    pub async fn execute_without_payment(
        &self,
        invoice_ids: &[i64],
        cancel: bool,
    ) -> Result<Vec<(i64, Option<ActionReceipt>)>> {
        let execute = calls::ExecuteOrderWithoutPayment {
            invoice_ids: invoices(invoice_ids),
            cancel_invoice: cancel.then_some(true),
        };
        let reply = self.client.call(&execute).await?;
        crate::orders::actions_by_invoice(&reply)
    }
}

/// Every movement, in and out, at any time.
fn every_movement() -> calls::Period {
    calls::Period {
        transaction_type: Vec::new(),
        transaction_date_start: None,
        transaction_date_end: None,
    }
}

fn transactions(reply: Value) -> Result<Page<Transaction>> {
    Page::from_reply(&reply, crate::read::<Transaction>)
}

fn invoices(ids: &[i64]) -> Vec<InvoiceId> {
    ids.iter().map(|id| InvoiceId(*id)).collect()
}

/// An amount as the calls take it.
pub(crate) fn money(amount: Amount) -> Money {
    Money(amount.thousandths)
}
